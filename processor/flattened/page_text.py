"""The text drawn on one page, character by character with its position, read with PDFium.

A flattened return keeps the typed answers as page text (the widgets' appearances drawn into the
page). PDFium gives every character's Unicode value, its origin on the baseline and its "loose" box
(the advance width by the font's ascent and descent). Characters PDFium adds itself (spaces and line
breaks it guesses between text objects) are left out: lines are rebuilt from positions instead.

Runs are the characters of one text line in drawing order with no wide gap between them: on a blank
form, each label line is a run; ``key`` (the run without whitespace) is what labels are matched by.
"""

from __future__ import annotations

import ctypes
import unicodedata
from dataclasses import dataclass
from typing import Any

UNMAPPED = "\ufffd"
"""What a character with no Unicode value becomes (a font without a ``/ToUnicode`` map)."""


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    baseline: float
    """The y of the character's origin."""

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Run:
    """Characters of one line drawn one after another with no wide gap: a label line, a line of a value."""

    chars: tuple[Char, ...]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def key(self) -> str:
        return run_key(self.text)

    @property
    def start(self) -> tuple[float, float]:
        """Where the run starts: its first character's left edge, on the baseline."""
        first = self.chars[0]
        return first.x0, first.baseline

    @property
    def end(self) -> tuple[float, float]:
        """Where the run ends: its last character's right edge, on the baseline."""
        last = self.chars[-1]
        return last.x1, last.baseline


def run_key(text: str) -> str:
    """A label's text as matched across engines: its ASCII letters and digits only, so white space and
    the odd character a program re-encodes (``mutool convert`` turns ’ into ±) do not matter."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text) if ch.isascii() and ch.isalnum())


@dataclass(frozen=True)
class PageText:
    chars: tuple[Char, ...]
    runs: tuple[Run, ...]
    unmapped: int
    """Characters PDFium could not map to Unicode."""


def _runs(chars: list[Char]) -> list[Run]:
    runs: list[Run] = []
    current: list[Char] = []
    for char in chars:
        if current:
            prev = current[-1]
            size = max(prev.height, char.height, 1.0)
            same_line = abs(char.baseline - prev.baseline) <= 0.25 * size
            gap = char.x0 - prev.x1
            if not (same_line and -0.3 * size <= gap <= 0.7 * size):
                runs.append(Run(tuple(current)))
                current = []
        current.append(char)
    if current:
        runs.append(Run(tuple(current)))
    return [run for run in runs if run.key]


def _all_text(raw: Any, handle: Any, count: int) -> str | None:
    """The text of every character at once, one string item per character index (``None`` when a
    character outside the Basic Multilingual Plane makes the two differ)."""
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    raw.FPDFText_GetText(handle, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: count * 2].decode("utf-16-le", "surrogatepass")
    return None if any("\ud800" <= ch <= "\udfff" for ch in text) else text


def read_page_text(page: Any) -> PageText:
    """Every character PDFium finds on ``page`` (a ``pypdfium2.PdfPage``), in drawing order."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        count = raw.FPDFText_CountChars(handle)
        every = _all_text(raw, handle, count)
        box = raw.FS_RECTF()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        chars: list[Char] = []
        unmapped = 0
        for index in range(count):
            code = ord(every[index]) if every is not None else raw.FPDFText_GetUnicode(handle, index)
            if code in (0xFFFE, 0xFFFF, 0):
                unmapped += 1
                text = UNMAPPED
            elif code < 0x20:
                continue  # line breaks PDFium adds, control characters
            else:
                text = chr(code)
            if code == 0x20 and raw.FPDFText_IsGenerated(handle, index):
                continue  # a space PDFium guessed between two text objects
            if not raw.FPDFText_GetLooseCharBox(handle, index, box):
                continue
            raw.FPDFText_GetCharOrigin(handle, index, ox, oy)
            chars.append(Char(text, box.left, box.bottom, box.right, box.top, oy.value))
    finally:
        textpage.close()
    return PageText(tuple(chars), tuple(_runs(chars)), unmapped)
