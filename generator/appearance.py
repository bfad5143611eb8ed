"""Appearance streams: what a box shows, drawn with the embedded form font.

We write appearances ourselves for the blank form and for :func:`brokerage.generator.fill.fill_pdf`,
so a filled value is visible in every engine without relying on ``NeedAppearances``.
"""

from __future__ import annotations

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from brokerage.generator.font import RESOURCE_NAME, FormFont, form_font
from brokerage.pdf import add_object

PADDING = 2.0
MAX_SIZE = 10.0
MIN_SIZE = 4.0
LEADING = 1.1


def default_size(height: float) -> float:
    """The fixed font size of a one-line box of this height."""
    return round(min(MAX_SIZE, max(6.0, (height - 3) * 0.72)), 1)


def default_appearance(size: float) -> str:
    """The ``/DA`` string: the embedded font at ``size`` (0: automatic), black."""
    return f"/{RESOURCE_NAME} {size:g} Tf 0 g"


def wrap_lines(text: str, font: FormFont, size: float, width: float) -> list[str]:
    """Lines of ``text`` at ``size`` within ``width``: at the line breaks typed, then at spaces,
    then inside words longer than a line."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = word if not current else f"{current} {word}"
            if font.width(candidate, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            while font.width(word, size) > width and len(word) > 1:
                cut = len(word)
                while cut > 1 and font.width(word[:cut], size) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


def _text_ops(font: FormFont, size: float, x: float, y: float, lines: list[str], leading: float) -> str:
    ops = [f"BT /{RESOURCE_NAME} {size:g} Tf 0 g {leading:.2f} TL {x:.2f} {y:.2f} Td"]
    for index, line in enumerate(lines):
        ops.append(("" if index == 0 else "T* ") + f"{font.encode(line)} Tj")
    ops.append("ET")
    return "\n".join(ops)


def text_layout(value: str, width: float, height: float, *, multiline: bool, size: float = 0.0
                ) -> tuple[float, list[str], float]:
    """How :func:`text_content` draws ``value`` in a box of ``width`` × ``height``: the font size, the lines
    and the first line's baseline (from the box's bottom). ``size`` 0 means automatic: multi-line text
    shrinks until every line fits the box; one-line text takes the box's default size and shrinks only to
    fit its width."""
    font = form_font()
    inner_w, inner_h = width - 2 * PADDING, height - 2 * PADDING
    if multiline:
        chosen = size or MAX_SIZE
        lines = wrap_lines(value, font, chosen, inner_w)
        while not size and chosen > MIN_SIZE and len(lines) * chosen * LEADING > inner_h:
            chosen = round(chosen - 0.25, 2)
            lines = wrap_lines(value, font, chosen, inner_w)
        return chosen, lines, height - PADDING - chosen * font.ascent / 1000.0
    one_line = value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    chosen = size or default_size(height)
    while font.width(one_line, chosen) > inner_w and chosen > MIN_SIZE:
        chosen = round(chosen - 0.25, 2)
    return chosen, [one_line], (height - chosen * (font.ascent + font.descent) / 1000.0) / 2


def text_content(value: str, width: float, height: float, *, multiline: bool, size: float = 0.0) -> bytes:
    """The content of a text (or combo box) appearance showing ``value`` (laid out by :func:`text_layout`)."""
    if not value:
        return b"/Tx BMC\nEMC\n"
    font = form_font()
    clip = f"q {1:g} {1:g} {width - 2:.2f} {height - 2:.2f} re W n"
    chosen, lines, baseline = text_layout(value, width, height, multiline=multiline, size=size)
    body = _text_ops(font, chosen, PADDING, baseline, lines, chosen * LEADING)
    return f"/Tx BMC\n{clip}\n{body}\nQ\nEMC\n".encode("ascii")


def tick_content(width: float, height: float) -> bytes:
    """A tick drawn as a path: no font needed, the same in every engine."""
    w, h = width, height
    return (
        f"q 0 g 1.6 w 1 J 1 j {w * 0.2:.2f} {h * 0.52:.2f} m {w * 0.42:.2f} {h * 0.25:.2f} l "
        f"{w * 0.82:.2f} {h * 0.8:.2f} l S Q\n"
    ).encode("ascii")


def dot_content(width: float, height: float) -> bytes:
    """A filled dot for a chosen radio button."""
    r = min(width, height) * 0.25
    cx, cy = width / 2, height / 2
    k = r * 0.5523
    return (
        f"q 0 g {cx + r:.2f} {cy:.2f} m {cx + r:.2f} {cy + k:.2f} {cx + k:.2f} {cy + r:.2f} {cx:.2f} {cy + r:.2f} c "
        f"{cx - k:.2f} {cy + r:.2f} {cx - r:.2f} {cy + k:.2f} {cx - r:.2f} {cy:.2f} c "
        f"{cx - r:.2f} {cy - k:.2f} {cx - k:.2f} {cy - r:.2f} {cx:.2f} {cy - r:.2f} c "
        f"{cx + k:.2f} {cy - r:.2f} {cx + r:.2f} {cy - k:.2f} {cx + r:.2f} {cy:.2f} c f Q\n"
    ).encode("ascii")


def xobject(writer: PdfWriter, content: bytes, width: float, height: float,
            font_ref: IndirectObject | None = None) -> IndirectObject:
    """A form XObject for an appearance state."""
    stream = StreamObject()
    stream.set_data(content)
    stream[NameObject("/Type")] = NameObject("/XObject")
    stream[NameObject("/Subtype")] = NameObject("/Form")
    stream[NameObject("/BBox")] = ArrayObject(
        [FloatObject(0), FloatObject(0), FloatObject(round(width, 2)), FloatObject(round(height, 2))]
    )
    resources = DictionaryObject()
    if font_ref is not None:
        resources[NameObject("/Font")] = DictionaryObject({NameObject("/" + RESOURCE_NAME): font_ref})
    stream[NameObject("/Resources")] = resources
    return add_object(writer, stream)
