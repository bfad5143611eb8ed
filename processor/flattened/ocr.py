"""Typed text in the boxes of a scanned page, read with OCR only where the reading can be checked.

Off unless asked for (``--ocr``; :func:`read_flattened(…, ocr=True) <brokerage.processor.flattened.read_flattened>`),
and only with a well-kept engine: Tesseract through ``pytesseract`` (``pip install 'brokerage-forms[ocr]'``
and the ``tesseract-ocr`` package). :func:`available` says whether both are there.

OCR guesses letters, so a box's OCR reading is taken only when every check below passes; otherwise the box
is reported as unread (with a confidence under :data:`~brokerage.processor.flattened.results.READABLE`),
never filed:

1. every word recognised with at least :data:`MIN_WORD_CONFIDENCE` (Tesseract's own 0–100 score);
2. no letter outside ASCII: Tesseract's English model reads ë, Ł, á and ễ as other letters with high
   scores (measured: "Zoë Łukasz" read as "Zoé tukasz"), so a name with such letters is reported;
3. the lines fit our own appearance generator: a one-line box holds one line; in a multi-line box each
   line end is a typed break where the next word would have fitted (the rule of
   :mod:`~brokerage.processor.flattened.text_boxes`), and laying the value out again
   (:func:`brokerage.generator.appearance.text_layout`) gives the same lines;
4. each line's width on the page matches the width of the text read, in the form's font at the size the
   layout gives, within :data:`WIDTH_TOLERANCE` of the font size: a space too many or too few, a letter
   missed or added, or text drawn by another engine fails it.

Measured on the richest referral (``bench/bench_ocr.py``), see ``docs/FLATTENED.md``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

from brokerage.processor.flattened.align import Transform
from brokerage.processor.flattened.box_map import Box
from brokerage.processor.flattened.results import BoxRead, Source

OCR_DPI = 300
"""Resolution a scanned page is rendered at for OCR."""
MIN_WORD_CONFIDENCE = 95.0
"""Tesseract's score (0–100) every word of a box must have. Measured: wrong words scored up to 92."""
WIDTH_TOLERANCE = 0.2
"""How far (in font sizes) a line's width on the page may differ from the text read (a space is 0.32)."""
READ = 0.9
"""The confidence of a box whose OCR reading passed every check."""
UNSURE = 0.4
"""The confidence of a box OCR read but could not check: reported, not filed."""
INSET = 1.5
"""Points cut off each side of a box before OCR (its printed border)."""


@cache
def available() -> bool:
    """Whether ``pytesseract`` is installed and finds the ``tesseract`` program."""
    try:
        import pytesseract
    except ImportError:
        return False
    try:
        pytesseract.get_tesseract_version()
    except (pytesseract.TesseractNotFoundError, OSError):
        return False
    return True


@dataclass(frozen=True)
class OcrLine:
    text: str
    left: float
    right: float
    """Ink extent of the line's words, in points from the crop's left edge."""
    confidence: float
    """The lowest word score of the line."""


def _lines(crop: Any, multiline: bool, dpi: int) -> list[OcrLine]:
    import pytesseract

    data = pytesseract.image_to_data(crop, lang="eng", config=f"--psm {6 if multiline else 7}",
                                     output_type=pytesseract.Output.DICT)
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if str(word).strip():
            grouped.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    k = 72 / dpi
    out = []
    for key in sorted(grouped, key=lambda g: min(data["top"][i] for i in grouped[g])):
        words = sorted(grouped[key], key=lambda i: data["left"][i])
        out.append(OcrLine(
            text=" ".join(str(data["text"][i]).strip() for i in words),
            left=min(data["left"][i] for i in words) * k,
            right=max(data["left"][i] + data["width"][i] for i in words) * k,
            confidence=min(float(data["conf"][i]) for i in words),
        ))
    return out


def _foreign_letters(text: str) -> bool:
    return any(ord(ch) > 127 and unicodedata.category(ch).startswith("L") for ch in text)


def _value(lines: list[OcrLine], box: Box) -> tuple[str, float] | None:
    """The value whose layout by our appearance generator gives these lines, and its font size; ``None``
    when there is none."""
    from brokerage.generator.appearance import PADDING, text_layout
    from brokerage.generator.font import form_font

    font = form_font()
    x0, y0, x1, y1 = box.rect
    width, height = x1 - x0, y1 - y0
    multiline = box.kind == "multiline"
    texts = [line.text for line in lines]
    if not multiline:
        if len(texts) != 1:
            return None
        size, laid, _ = text_layout(texts[0], width, height, multiline=False)
        return (texts[0], size) if laid == texts else None
    size, _, _ = text_layout(" ".join(texts), width, height, multiline=True)
    room = width - 2 * PADDING
    value = texts[0]
    for prev, line in pairwise(texts):
        first_word = line.split(" ")[0]
        fits = font.width(f"{prev} {first_word}", size) <= room
        value += ("\n" if fits else " ") + line
    size, laid, _ = text_layout(value, width, height, multiline=True)
    return (value, size) if laid == texts else None


def read_box(detail: Any, box: Box, transform: Transform, page_height: float, page: int | None,
             dpi: int = OCR_DPI) -> BoxRead:
    """One text, multi-line or choice box of a scanned page (``detail``: the page rendered grey at ``dpi``)."""
    from brokerage.generator.appearance import PADDING
    from brokerage.generator.font import form_font

    x0, y0, x1, y1 = transform.rect(box.rect)
    k = dpi / 72
    inset = INSET * transform.sx
    left = round((x0 + inset) * k)
    crop = detail.crop((left, round((page_height - y1 + inset) * k), round((x1 - inset) * k),
                        round((page_height - y0 - inset) * k)))
    lines = _lines(crop, box.kind == "multiline", dpi)

    def unsure(why: str) -> BoxRead:
        return BoxRead(box.name, box.kind, None, Source.ocr, UNSURE, page, f"the box holds writing that OCR {why}")

    if not lines:
        return unsure("could not read")
    if min(line.confidence for line in lines) < MIN_WORD_CONFIDENCE:
        return unsure("could not read surely enough")
    if any(_foreign_letters(line.text) for line in lines):
        return unsure("read with letters it cannot tell apart surely (accents, Ł, ễ)")
    found = _value(lines, box)
    if found is None:
        return unsure("read, but its lines are not laid out as the form's own text would be")
    value, size = found
    font = form_font()
    for line in lines:
        drawn = (line.right - line.left) / transform.sx
        if abs(drawn - font.width(line.text, size)) > WIDTH_TOLERANCE * size + 0.6:
            return unsure("read, but the text read is not as wide as what is drawn")
        start = (inset + line.left) / transform.sx  # from the box's left edge, in the form's points
        if abs(start - PADDING) > 0.35 * size + 1.0:
            return unsure("read, but the text does not start where the form's own text starts")
    return BoxRead(box.name, box.kind, value, Source.ocr, READ, page)
