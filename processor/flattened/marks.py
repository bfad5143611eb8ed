"""Ticks, radio choices and "is anything drawn here" from a low-resolution picture of the page.

What is drawn inside a tick box differs from engine to engine (our tick is a stroked path, other
engines draw a ZapfDingbats glyph, a scan is pixels), so marks are read from pixels, the same way for
every kind of file: the page is rendered in grey at :data:`DPI`, the inside of each box (the box
shrunk by :data:`INSET` of its size, so its printed border never counts) is cut out, and the share of
dark pixels (darker than :data:`DARK`) is compared with the same box on the blank form.

Measured on the richest referral filled by our filler, PDFium and pdftk, flattened by pdftk, qpdf and
mutool, printed at 97 %, and scanned at 150 and 300 dpi: a tick or a chosen radio button's dot covers
30–61 % of the inside, an empty box 0.0 % in every one of them. The thresholds sit far from both: a
mark between :data:`EMPTY` and :data:`TICKED` (a smudge, a faint pencil tick) is reported, not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from brokerage.processor.flattened.align import Transform

DPI = 100
INSET = 0.2
DARK = 100
"""Grey level (0–255) below which a pixel is ink: the tick (black) counts, the box's border (grey ~140) and
fill (~245) do not."""
TICKED = 0.15
"""At least this share of dark pixels inside the box (more than the blank form's box): ticked (half the
faintest mark measured)."""
EMPTY = 0.03
"""At most this share: empty. Between the two the box is reported as unreadable."""


@dataclass(frozen=True)
class Mark:
    ink: float
    """Share of dark pixels inside the box, less the blank form's share there."""

    @property
    def ticked(self) -> bool | None:
        """``True``/``False`` when clear, ``None`` between :data:`EMPTY` and :data:`TICKED`."""
        if self.ink >= TICKED:
            return True
        if self.ink <= EMPTY:
            return False
        return None

    @property
    def confidence(self) -> float:
        """1.0 far from the undecided band, falling to 0.5 at its edges and below inside it."""
        if self.ink >= TICKED:
            return min(1.0, 0.8 + (self.ink - TICKED) * 2)
        if self.ink <= EMPTY:
            return min(1.0, 0.8 + (EMPTY - self.ink) * 10)
        return 0.4


def render(page: Any, dpi: int = DPI) -> Any:
    """``page`` (a ``pypdfium2.PdfPage``) as a grey PIL image at ``dpi``."""
    return page.render(scale=dpi / 72, grayscale=True, may_draw_forms=False).to_pil().convert("L")


def dark_pixels(image: Any, rect: tuple[float, float, float, float], page_height: float, dpi: int = DPI,
                inset: float | None = None) -> tuple[int, int]:
    """(dark pixels, all pixels) inside ``rect`` (PDF points on a page of ``page_height``) of ``image``,
    the rectangle shrunk by ``inset`` points on each side (default: :data:`INSET` of its size)."""
    x0, y0, x1, y1 = rect
    dx, dy = ((x1 - x0) * INSET, (y1 - y0) * INSET) if inset is None else (inset, inset)
    k = dpi / 72
    left, right = round((x0 + dx) * k), round((x1 - dx) * k)
    top, bottom = round((page_height - y1 + dy) * k), round((page_height - y0 - dy) * k)
    left, top = max(left, 0), max(top, 0)
    right, bottom = min(right, image.width), min(bottom, image.height)
    if right <= left or bottom <= top:
        return 0, 0
    crop = image.crop((left, top, right, bottom))
    dark = crop.point(_DARK_LUT).histogram()[1]
    return dark, (right - left) * (bottom - top)


_DARK_LUT = [1 if v < DARK else 0 for v in range(256)]


def read_mark(image: Any, blank_image: Any, rect: tuple[float, float, float, float], transform: Transform,
              page_height: float, blank_height: float, dpi: int = DPI) -> Mark:
    """The mark in the box ``rect`` (blank form's points) of the returned page's ``image``."""
    dark, total = dark_pixels(image, transform.rect(rect), page_height, dpi)
    blank_dark, blank_total = dark_pixels(blank_image, rect, blank_height, dpi)
    share = dark / total if total else 0.0
    blank_share = blank_dark / blank_total if blank_total else 0.0
    return Mark(max(0.0, share - blank_share))


WRITING_PIXELS = 4
"""Dark pixels (at :data:`DPI`, beyond the blank form's) that make a text box "not empty": one typed
character of 8 pt covers 15 or more."""


def has_writing(image: Any, blank_image: Any, rect: tuple[float, float, float, float], transform: Transform,
                page_height: float, blank_height: float, dpi: int = DPI) -> bool:
    """Whether anything is drawn inside a text box (its border left out) beyond what the blank form has."""
    dark, _ = dark_pixels(image, transform.rect(rect), page_height, dpi, inset=1.5 * transform.sx)
    blank_dark, _ = dark_pixels(blank_image, rect, blank_height, dpi, inset=1.5)
    return dark - blank_dark >= WRITING_PIXELS
