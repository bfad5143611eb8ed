"""Pages that are pictures: scans, and "print to PDF" programs that turn pages into images.

Without text there are no labels to match, so a picture page is read by comparing pictures:

1. **Align.** Every page of our forms prints a header line at the top, a footer line at the bottom and
   labels from the left margin to the right one, so the ink's bounding box of a blank page is the same
   rectangle on every page of every form. The same box on the scanned page gives scale and offset on
   each axis (a scanner's or printer's shrinking and shifting); rows and columns with fewer than
   :data:`MIN_INK` dark pixels are left out, so a speck of dust does not move it.
2. **Name the page.** The scan, brought back onto the blank page's frame, is compared with every blank
   page at low resolution; pages that look alike (child 2 and child 3 of the referral differ only in
   "2 of 3" and the page number) are told apart at full resolution on the pixels where they differ.
3. **Check.** The boxes' printed borders must be where the alignment puts them, or the page is
   reported as recognised but not readable.
4. **Read.** Ticks and radio choices as on any page (:mod:`~brokerage.processor.flattened.marks`);
   text boxes are either empty (nothing drawn) or hold writing that only OCR could read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from brokerage.processor.flattened import marks
from brokerage.processor.flattened.align import Transform
from brokerage.processor.flattened.box_map import FormMap, PageMap
from brokerage.processor.flattened.results import BoxRead, PageMatch, Source

INK = 200
"""Grey level below which a pixel counts for the page's ink box (grey hint text does, even thinned by a
scanner's blur; the boxes' pale fill does not)."""
MIN_INK = 2
"""Dark pixels a row or column needs to count for the ink box."""
THUMB = 4
"""The low-resolution comparison is at :data:`marks.DPI` divided by this."""
MAX_PAGE_DIFFERENCE = 14.0
"""Mean grey difference (0–255) at low resolution above which a picture is no page of that form."""
ALIKE = 1.5
"""Candidates within this mean difference of the best are told apart on the pixels where they differ."""
MIN_BORDER_SHARE = 0.6
"""Share of the boxes' border pixels that must be dark where the alignment puts them."""


def _ink_box(image: Any) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) pixels of the page's ink, rows/columns with a speck or two left out."""
    mask = image.point([255 if v < INK else 0 for v in range(256)])
    width, height = mask.size
    # Sum per column / row: resize with BOX averaging gives the mean per column; scaled back to counts.
    from PIL import Image

    col_means = mask.resize((width, 1), Image.Resampling.BOX).tobytes()
    row_means = mask.resize((1, height), Image.Resampling.BOX).tobytes()
    col_ok = [i for i, m in enumerate(col_means) if m * height / 255 >= MIN_INK]
    row_ok = [i for i, m in enumerate(row_means) if m * width / 255 >= MIN_INK]
    if not col_ok or not row_ok:
        return None
    return col_ok[0], row_ok[0], col_ok[-1] + 1, row_ok[-1] + 1


def _points(box: tuple[int, int, int, int], page_height: float, dpi: int) -> tuple[float, float, float, float]:
    k = 72 / dpi
    left, top, right, bottom = box
    return left * k, page_height - bottom * k, right * k, page_height - top * k


def transform_for(picture: Any, page_height: float, blank_picture: Any, blank_height: float,
                  dpi: int = marks.DPI) -> Transform | None:
    """Blank page → picture page, from the two ink boxes."""
    found, blank = _ink_box(picture), _ink_box(blank_picture)
    if found is None or blank is None:
        return None
    fx0, fy0, fx1, fy1 = _points(found, page_height, dpi)
    bx0, by0, bx1, by1 = _points(blank, blank_height, dpi)
    if bx1 - bx0 < 100 or by1 - by0 < 100:
        return None
    sx = (fx1 - fx0) / (bx1 - bx0)
    sy = (fy1 - fy0) / (by1 - by0)
    if not (0.8 < sx < 1.2 and 0.8 < sy < 1.2):
        return None
    return Transform(sx, fx0 - sx * bx0, sy, fy0 - sy * by0, residual=72 / dpi, matched=4)


def onto_blank(picture: Any, page_height: float, transform: Transform, blank_size: tuple[int, int],
               blank_height: float, dpi: int = marks.DPI) -> Any:
    """The picture brought onto the blank page's pixel frame (white where it has nothing)."""
    from PIL import Image

    k = dpi / 72
    # blank pixel (u, v) → blank point (u/k, H_b - v/k) → picture point → picture pixel
    a = transform.sx
    c = transform.tx * k
    e = transform.sy
    f = (page_height - transform.ty - transform.sy * blank_height) * k
    return picture.transform(blank_size, Image.Transform.AFFINE, (a, 0, c, 0, e, f),
                             resample=Image.Resampling.BILINEAR, fillcolor=255)


@cache
def _thumb(kind: str, index: int) -> Any:
    from brokerage.processor.flattened.read import blank_picture

    image = blank_picture(kind, index)
    return image.reduce(THUMB)


def _mean_difference(a: Any, b: Any, mask: Any = None) -> float:
    from PIL import ImageChops, ImageStat

    return ImageStat.Stat(ImageChops.difference(a, b), mask).mean[0]


@cache
def _difference_mask(kind_a: str, index_a: int, kind_b: str, index_b: int) -> Any:
    """The pixels where two blank pages differ, widened a little (``None`` when they do not)."""
    from PIL import ImageChops, ImageFilter

    from brokerage.processor.flattened.read import blank_picture

    a, b = blank_picture(kind_a, index_a), blank_picture(kind_b, index_b)
    if a.size != b.size:
        return None
    mask = ImageChops.difference(a, b).point([255 if v > 40 else 0 for v in range(256)])
    if mask.getbbox() is None:
        return None
    return mask.filter(ImageFilter.MaxFilter(5))


@dataclass(frozen=True)
class _Candidate:
    form: FormMap
    page: PageMap
    difference: float


def _border_share(aligned: Any, page: PageMap, dpi: int = marks.DPI) -> float:
    """Share of the boxes' border pixels (tick boxes and text boxes) that are darker than the fill."""
    k = dpi / 72
    seen = dark = 0
    for box in page.boxes:
        if box.kind == "radio":
            continue
        x0, y0, x1, y1 = box.rect
        for x in (x0, x1):
            for y in (y0 + (y1 - y0) * 0.3, y0 + (y1 - y0) * 0.7):
                u, v = round(x * k), round((page.height - y) * k)
                values = [aligned.getpixel((min(max(u + d, 0), aligned.width - 1), v)) for d in (-1, 0, 1)]
                seen += 1
                dark += min(values) < 215
    return dark / seen if seen else 0.0


UNSURE_PAGE = 0.9
"""When the second-best look-alike page differs from the picture by less than this share more than the best,
the page is not told apart (then the file's page order decides, or nothing does)."""


def match_pictures(document: Any, pages: list[int], forms: list[FormMap], marked: str | None
                   ) -> dict[int, PageMatch]:
    """Each picture page (0-based ``pages`` of ``document``) matched to a page of ``forms``."""
    candidates_forms = [f for f in forms if marked is None or f.kind == marked] or forms
    out: dict[int, PageMatch] = {}
    for index in pages:
        page = document[index]
        try:
            picture = marks.render(page)
            height = page.get_height()
        finally:
            page.close()
        out[index] = _match_picture(picture, height, index, candidates_forms)
    return out


def _match_picture(picture: Any, height: float, index: int, forms: list[FormMap]) -> PageMatch:
    from brokerage.processor.flattened.read import blank_picture

    unrecognised = PageMatch(file_page=index + 1, kind=None, form_page=None, how="", score=0.0, image_only=True)
    reference = forms[0]
    blank0 = blank_picture(reference.kind, 0)
    coarse = transform_for(picture, height, blank0, reference.pages[0].height)
    if coarse is None:
        return unrecognised
    thumb = onto_blank(picture, height, coarse, blank0.size, reference.pages[0].height).reduce(THUMB)
    ranked = sorted(
        (_Candidate(form, p, _mean_difference(thumb, _thumb(form.kind, p.index)))
         for form in forms for p in form.pages if blank_picture(form.kind, p.index).size == blank0.size),
        key=lambda c: c.difference,
    )
    if not ranked or ranked[0].difference > MAX_PAGE_DIFFERENCE:
        return unrecognised
    alike = [c for c in ranked if c.difference - ranked[0].difference <= ALIKE]
    fitted = []
    for candidate in alike:
        blank = blank_picture(candidate.form.kind, candidate.page.index)
        own = transform_for(picture, height, blank, candidate.page.height) or coarse
        aligned = onto_blank(picture, height, own, blank.size, candidate.page.height)
        fitted.append((_fine_difference(aligned, candidate, alike), candidate, own, aligned))
    fitted.sort(key=lambda f: f[0])
    best = fitted[0]
    if len(fitted) > 1 and best[0] > UNSURE_PAGE * fitted[1][0]:
        close = [f for f in fitted if UNSURE_PAGE * f[0] <= best[0]]
        in_order = [f for f in close if f[1].page.index == index]
        if not in_order:
            return unrecognised
        best = in_order[0]
    _, candidate, transform, aligned = best
    if _border_share(aligned, candidate.page) < MIN_BORDER_SHARE:
        return unrecognised
    return PageMatch(file_page=index + 1, kind=candidate.form.kind, form_page=candidate.page.index, how="picture",
                     score=max(0.0, 1 - candidate.difference / 255), transform=transform, image_only=True)


SHIFT = 3
"""Pixels the picture is moved each way to fit a look-alike region (the ink box aligns to a pixel or two)."""


def _fine_difference(aligned: Any, candidate: _Candidate, alike: list[_Candidate]) -> float:
    """The picture's difference from ``candidate``: on the small regions where the look-alike pages differ
    (each fitted on its own by moving the picture up to :data:`SHIFT` pixels), or on the whole page when
    it has no look-alike."""
    from PIL import ImageChops, ImageStat

    from brokerage.processor.flattened.read import blank_picture

    image = blank_picture(candidate.form.kind, candidate.page.index)
    others = [o for o in alike if o is not candidate]
    if not others:
        return _mean_difference(aligned, image)
    total = 0.0
    for other in others:
        mask = _difference_mask(candidate.form.kind, candidate.page.index, other.form.kind, other.page.index)
        if mask is None:
            continue
        left, top, right, bottom = mask.getbbox()
        region = (max(left - 2, SHIFT), max(top - 2, SHIFT), min(right + 2, image.width - SHIFT),
                  min(bottom + 2, image.height - SHIFT))
        want = image.crop(region)
        best = min(
            ImageStat.Stat(ImageChops.difference(
                aligned.crop((region[0] + dx, region[1] + dy, region[2] + dx, region[3] + dy)), want)).mean[0]
            for dx in range(-SHIFT, SHIFT + 1) for dy in range(-SHIFT, SHIFT + 1)
        )
        total += best
    return total


def read_picture_page(form: FormMap, page_map: PageMap, match: PageMatch, picture: Any, height: float, *,
                      detail: Any = None) -> tuple[dict[str, BoxRead], list[str]]:
    """Ticks and radio choices of a picture page; text boxes empty, read by OCR (``detail``: the page rendered
    at :data:`~brokerage.processor.flattened.ocr.OCR_DPI`, when OCR was asked for), or "needs OCR"."""
    from brokerage.processor.flattened import ocr
    from brokerage.processor.flattened.read import blank_picture, radio_choice, tick_read

    transform = match.transform
    assert transform is not None
    blank = blank_picture(form.kind, page_map.index)
    out: dict[str, BoxRead] = {}
    radios: dict[str, list[Any]] = {}
    writing = 0
    number = match.file_page
    for box in page_map.boxes:
        if box.kind in ("checkbox", "radio", "signature"):
            mark = marks.read_mark(picture, blank, box.rect, transform, height, page_map.height)
            if box.kind == "radio":
                radios.setdefault(box.name, []).append((box, mark))
            else:
                out[box.name] = tick_read(box, mark, number)
            continue
        if marks.has_writing(picture, blank, box.rect, transform, height, page_map.height):
            if detail is not None and ocr.available():
                got = ocr.read_box(detail, box, transform, height, number)
                out[box.name] = got
                writing += not got.readable
                continue
            writing += 1
            out[box.name] = BoxRead(box.name, box.kind, None, Source.drawn_mark, 0.0, number,
                                    "the box holds writing on a scanned page: text could not be read without OCR")
        else:
            out[box.name] = BoxRead(box.name, box.kind, None, Source.drawn_mark, 1.0, number)
    for name, buttons in radios.items():
        out[name] = radio_choice(name, buttons, number)
    notes = []
    if writing:
        how = "by OCR" if detail is not None and ocr.available() else "without OCR"
        notes.append(f"Page {number} is a picture (scanned): {writing} box(es) on it hold writing that could not be "
                     f"read {how}.")
    return out, notes
