"""Read the text drawn inside each text and choice box of one returned page.

Every character on the page is either printed (a label of the blank form, found again where the
alignment puts it), inside a box (its centre within the box's rectangle, moved by the alignment, with
a small tolerance), or stray (anywhere else). A box's characters become lines by their baselines.

Line breaks in a multi-line box: the appearance shows lines, the value had typed breaks and wraps.
A greedy wrap breaks a line only when the next word does not fit, so a line followed by a word that
would have fitted in the room left was ended by a typed break. For text drawn by our own appearance
generator (``generator/appearance.py``: known font, padding and wrapping) this is decided exactly and
checked by wrapping the value read again, which must give the same lines. Other engines pad boxes
differently (PDFium by about 1 pt, iText/pdftk by about 2 to 6 pt): where the next word would fit in
the box only within that margin, a wrap and a typed break look the same; it is read as a wrap, with a
lower confidence and a note (only the kind of white space is unsure, never a character).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from brokerage.processor.flattened.align import Transform
from brokerage.processor.flattened.box_map import Box, PageMap
from brokerage.processor.flattened.page_text import UNMAPPED, Char, PageText

BOX_TOLERANCE = 1.5
"""Points a character's centre may lie outside its box (rounding, a printer's slight misplacement)."""
LABEL_TOLERANCE = 2.0
"""Points a printed character may lie from where the alignment puts the blank form's character."""
SPILL_MARGIN = 14.0
"""A stray character this close to a box's edge is text running out of that box."""
OTHER_ENGINE_PADDING = 6.0
"""The most an engine we know pads a multi-line box on the right (pdftk/iText about 4, PDFium 1, ours 2)."""

EXACT, CLEAR, AMBIGUOUS_BREAK = 1.0, 0.9, 0.85
SPILLED, ODD_LINES, NO_UNICODE = 0.3, 0.5, 0.2


@dataclass(frozen=True)
class TextRead:
    value: str | None
    confidence: float
    note: str = ""


@dataclass
class Sorted:
    """A returned page's characters sorted into printed, per box and stray."""

    in_box: dict[str, list[Char]]
    stray: list[Char]
    printed: int


_CELL = 4.0
_BOX_CELL = 8.0


@dataclass(frozen=True)
class PageIndex:
    """A blank page's printed characters and boxes by grid cell (form coordinates), for fast look-ups."""

    printed: dict[tuple[int, int], tuple[tuple[float, float], ...]]
    boxes: dict[tuple[int, int], tuple[Box, ...]]


def _cell(x: float, y: float, size: float) -> tuple[int, int]:
    return int(x // size), int(y // size)


_INDEXES: dict[tuple[int, int], PageIndex] = {}


def page_index(blank: PageMap) -> PageIndex:
    """The look-up grids of one blank page (built once per process)."""
    key = (id(blank), blank.index)
    found = _INDEXES.get(key)
    if found is not None:
        return found
    printed: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for char in blank.chars:
        gx, gy = _cell(char.cx, char.cy, _CELL)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                printed.setdefault((gx + dx, gy + dy), []).append((char.cx, char.cy))
    boxes: dict[tuple[int, int], list[Box]] = {}
    for box in blank.boxes:
        x0, y0, x1, y1 = box.rect
        t = BOX_TOLERANCE + 0.5
        for gx in range(int((x0 - t) // _BOX_CELL), int((x1 + t) // _BOX_CELL) + 1):
            for gy in range(int((y0 - t) // _BOX_CELL), int((y1 + t) // _BOX_CELL) + 1):
                boxes.setdefault((gx, gy), []).append(box)
    index = PageIndex({k: tuple(v) for k, v in printed.items()}, {k: tuple(v) for k, v in boxes.items()})
    _INDEXES[key] = index
    return index


def box_key(box: Box) -> str:
    """A box's key among the characters sorted: the field name, with the option for a radio button."""
    return box.name if box.kind != "radio" else f"{box.name}\0{box.state}"


def sort_chars(text: PageText, blank: PageMap, transform: Transform) -> Sorted:
    """Sort the returned page's characters: printed labels, each box's characters, stray text.

    A character is printed when a character of the blank page sits at the same place: by position alone,
    because some programs re-encode the labels' fonts (``mutool convert`` turns ’ and – into other
    code points) while no value can sit where a label is printed. Positions are compared on the blank
    form (the alignment undone), so the tolerances are in the form's points."""
    index = page_index(blank)
    in_box: dict[str, list[Char]] = {}
    stray: list[Char] = []
    printed = 0
    for char in text.chars:
        cx, cy = transform.inverse_point(char.cx, char.cy)
        near = index.printed.get(_cell(cx, cy, _CELL), ())
        if any(abs(x - cx) <= LABEL_TOLERANCE and abs(y - cy) <= LABEL_TOLERANCE for x, y in near):
            printed += 1
            continue
        for box in index.boxes.get(_cell(cx, cy, _BOX_CELL), ()):
            x0, y0, x1, y1 = box.rect
            if x0 - BOX_TOLERANCE <= cx <= x1 + BOX_TOLERANCE and y0 - BOX_TOLERANCE <= cy <= y1 + BOX_TOLERANCE:
                in_box.setdefault(box_key(box), []).append(char)
                break
        else:
            if not char.text.isspace():
                stray.append(char)
    return Sorted(in_box, stray, printed)


def spilled_boxes(stray: Iterable[Char], blank: PageMap, transform: Transform) -> tuple[set[str], list[Char]]:
    """Boxes that stray characters run out of, and the stray characters near no box."""
    rects = [(box, transform.rect(box.rect)) for box in blank.boxes if box.kind in ("text", "multiline", "choice")]
    spilled: set[str] = set()
    far: list[Char] = []
    for char in stray:
        m = SPILL_MARGIN
        hits = [box.name for box, (x0, y0, x1, y1) in rects
                if x0 - m <= char.cx <= x1 + m and y0 - m <= char.cy <= y1 + m]
        if hits:
            spilled.update(hits)
        else:
            far.append(char)
    return spilled, far


# --- lines --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    chars: tuple[Char, ...]
    """In form coordinates (the alignment undone), left to right."""

    @property
    def text(self) -> str:
        out: list[str] = []
        prev: Char | None = None
        for char in self.chars:
            if prev is not None and not char.text.isspace() and not prev.text.isspace():
                gap = char.x0 - prev.x1
                if gap > 0.18 * max(char.height, prev.height):
                    out.append(" ")  # words placed apart with no space character between them
            out.append(char.text)
            prev = char
        return "".join(out).rstrip()

    @property
    def left(self) -> float:
        return self.chars[0].x0

    @property
    def right(self) -> float:
        """Right edge of the last character that is not a space."""
        for char in reversed(self.chars):
            if not char.text.isspace():
                return char.x1
        return self.chars[0].x0

    @property
    def height(self) -> float:
        return max(c.height for c in self.chars)

    def first_word_width(self) -> float:
        """Width of the line's first word, as drawn."""
        start = self.chars[0]
        end = start
        for char in self.chars:
            if char.text.isspace():
                break
            end = char
        return end.x1 - start.x0

    def space_width(self) -> float | None:
        widths = [c.x1 - c.x0 for c in self.chars if c.text == " " and c.x1 > c.x0]
        return sorted(widths)[len(widths) // 2] if widths else None


def _to_form(chars: Iterable[Char], transform: Transform) -> list[Char]:
    out = []
    for c in chars:
        x0, y0 = transform.inverse_point(c.x0, c.y0)
        x1, y1 = transform.inverse_point(c.x1, c.y1)
        _, base = transform.inverse_point(c.x0, c.baseline)
        out.append(Char(c.text, min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), base))
    return out


def lines_of(chars: Iterable[Char], transform: Transform) -> list[Line]:
    """The characters of one box as lines, top to bottom, each left to right (form coordinates)."""
    form_chars = sorted(_to_form(chars, transform), key=lambda c: -c.baseline)
    groups: list[list[Char]] = []
    for char in form_chars:
        if groups and abs(groups[-1][0].baseline - char.baseline) <= 0.3 * max(char.height, 1.0):
            groups[-1].append(char)
        else:
            groups.append([char])
    return [Line(tuple(sorted(group, key=lambda c: c.x0))) for group in groups]


# --- one box ------------------------------------------------------------------------------------


def _ours_wraps(lines: list[Line], box: Box, value: str) -> bool:
    """Whether our appearance generator, given ``value``, draws exactly these lines in this box."""
    from brokerage.generator.appearance import PADDING, wrap_lines
    from brokerage.generator.font import form_font

    font = form_font()
    if any(abs(line.left - (box.rect[0] + PADDING)) > 0.3 for line in lines):
        return False
    first = lines[0].text
    units = font.width(first, 1.0)
    if units <= 0:
        return False
    drawn = lines[0].right - lines[0].left
    size = round(drawn / units * 4) / 4  # our sizes are in steps of 0.25 pt
    if size <= 0:
        return False
    width = box.rect[2] - box.rect[0] - 2 * PADDING
    return wrap_lines(value, font, size, width) == [line.text for line in lines]


def _join(lines: list[Line], box: Box, padding: float, unsure_padding: float) -> tuple[str, list[int]]:
    """The value of a multi-line box from its lines, and the indices of the breaks that could not be told
    from a wrap.

    A break is typed when the next line's first word would have ended within ``padding`` of the box's
    right edge; it is a wrap when it would have ended within ``unsure_padding`` of it or beyond, and
    unsure in between (the drawing engine's own padding is not known)."""
    parts = [lines[0].text]
    unsure: list[int] = []
    right = box.rect[2]
    for index in range(1, len(lines)):
        prev, line = lines[index - 1], lines[index]
        space = prev.space_width() or line.space_width() or 0.28 * line.height
        needed_end = prev.right + space + line.first_word_width()
        if prev.text == "" or needed_end <= right - padding:
            parts.append("\n" + line.text)  # the next word had room: the line was ended by a typed break
            continue
        if needed_end <= right - unsure_padding:
            unsure.append(index)
        if " " not in prev.text and prev.right + (line.chars[0].x1 - line.chars[0].x0) > right - padding - 0.5:
            parts.append(line.text)  # a word longer than the line, cut where the box ends
        else:
            parts.append(" " + line.text)
    return "".join(parts), unsure


def read_text_box(box: Box, chars: list[Char], transform: Transform, spilled: bool) -> TextRead:
    """The value of one text, multi-line or choice box from the characters drawn inside it."""
    if spilled:
        return TextRead(None, SPILLED, "text runs past the edge of the box")
    if not chars:
        return TextRead(None, EXACT)
    if any(c.text == UNMAPPED for c in chars):
        return TextRead(None, NO_UNICODE, "the text in the box is drawn with a font that does not say which letters "
                                          "it shows")
    lines = [line for line in lines_of(chars, transform) if line.chars]
    if box.kind != "multiline":
        if len(lines) > 1:
            return TextRead(None, ODD_LINES, "a one-line box holds text on several lines")
        text = lines[0].text
        return TextRead(text or None, EXACT)
    from brokerage.generator.appearance import PADDING

    value, _ = _join(lines, box, PADDING, PADDING)
    if _ours_wraps(lines, box, value):
        return TextRead(value, EXACT)
    value, unsure = _join(lines, box, OTHER_ENGINE_PADDING, 0.0)
    if unsure:
        where = ", ".join(str(i + 1) for i in unsure[:3])
        return TextRead(value, AMBIGUOUS_BREAK,
                        f"the end of line {where} may be a typed line break or the text wrapping: read as a wrap")
    return TextRead(value, CLEAR)
