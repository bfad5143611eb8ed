"""Read a flattened, printed-to-PDF or scanned return of one of our forms by the form's known boxes.

:func:`read_flattened` opens the file with PDFium, names each page (recognise), aligns it with the
blank page, then reads each box: text from the characters drawn inside it, ticks and radio choices
from a low-resolution picture. Pages with no text are pictures (scans): see
:mod:`~brokerage.processor.flattened.scan`. Every box of the form gets a :class:`BoxRead`, read or not.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable
from functools import cache
from typing import Any

from brokerage.errors import DamagedPdfError, EncryptedPdfError, NotAPdfError
from brokerage.pdf import RETURNED_FORM, label
from brokerage.processor.flattened import marks, scan
from brokerage.processor.flattened.box_map import Box, FormMap, PageMap, form_map
from brokerage.processor.flattened.ocr import OCR_DPI
from brokerage.processor.flattened.page_text import PageText, read_page_text
from brokerage.processor.flattened.recognise import match_page
from brokerage.processor.flattened.results import BoxRead, FlattenedRead, PageMatch, Source
from brokerage.processor.flattened.text_boxes import (
    EXACT,
    read_text_box,
    sort_chars,
    spilled_boxes,
)
from brokerage.schema import FORM_ID_INFO_KEY, default_catalogue, form_kind

MIN_TEXT_CHARS = 20
"""A page with fewer characters of text than this is read as a picture (a scan)."""


def _open(data: bytes, source: str) -> Any:
    """PDFium's document, or the sentences of :func:`brokerage.pdf.open_pdf` for a returned form."""
    import pypdfium2 as pdfium

    named = label(source)
    if b"%PDF-" not in data[:1024]:
        raise NotAPdfError(f"{named} is not a PDF file. {RETURNED_FORM.not_a_pdf}")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower() or getattr(error, "err_code", None) == 4:
            raise EncryptedPdfError(f"{named} is protected with a password. {RETURNED_FORM.password}") from error
        raise DamagedPdfError(f"{named} is damaged and cannot be read as a PDF. {RETURNED_FORM.damaged}") from error


def document_marker(document: Any) -> str | None:
    """The ``/BrokerageForm`` value of the document info (``referral 1.0``), if any."""
    import pypdfium2.raw as raw

    key = FORM_ID_INFO_KEY.lstrip("/").encode("ascii")
    size = raw.FPDF_GetMetaText(document.raw, key, None, 0)
    if size <= 2:
        return None
    buffer = ctypes.create_string_buffer(size)
    raw.FPDF_GetMetaText(document.raw, key, buffer, size)
    text = buffer.raw[: size - 2].decode("utf-16-le", "replace").strip()
    return text or None


@cache
def blank_picture(kind: str, index: int) -> Any:
    """Page ``index`` of our blank form of ``kind`` rendered at :data:`marks.DPI` (once per process)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(form_map(kind).pdf)
    try:
        return marks.render(document[index])
    finally:
        document.close()


def _read_text_page(form: FormMap, page_map: PageMap, match: PageMatch, text: PageText, picture: Any,
                    page_height: float) -> tuple[dict[str, BoxRead], list[str]]:
    transform = match.transform
    assert transform is not None
    sorted_chars = sort_chars(text, page_map, transform)
    spilled, far = spilled_boxes(sorted_chars.stray, page_map, transform)
    out: dict[str, BoxRead] = {}
    notes: list[str] = []
    number = match.file_page
    blank = blank_picture(form.kind, page_map.index)
    radios: dict[str, list[tuple[Box, marks.Mark]]] = {}
    for box in page_map.boxes:
        if box.kind in ("text", "multiline", "choice"):
            chars = sorted_chars.in_box.get(box.name, [])
            got = read_text_box(box, chars, transform, box.name in spilled)
            if (got.value is None and got.confidence >= EXACT and not chars
                    and marks.has_writing(picture, blank, box.rect, transform, page_height, page_map.height)):
                out[box.name] = BoxRead(box.name, box.kind, None, Source.drawn_mark, 0.3, number,
                                        "something that is not text is drawn in the box")
                continue
            out[box.name] = BoxRead(box.name, box.kind, got.value, Source.flattened_text, got.confidence, number,
                                    got.note)
        elif box.kind in ("checkbox", "signature"):
            mark = marks.read_mark(picture, blank, box.rect, transform, page_height, page_map.height)
            out[box.name] = tick_read(box, mark, number)
        elif box.kind == "radio":
            mark = marks.read_mark(picture, blank, box.rect, transform, page_height, page_map.height)
            radios.setdefault(box.name, []).append((box, mark))
    for name, buttons in radios.items():
        out[name] = radio_choice(name, buttons, number)
    if far:
        sample = "".join(c.text for c in far[:40]).strip()
        notes.append(f"Page {number} has text outside the form's boxes, which was not read ('{sample}').")
    return out, notes


def tick_read(box: Box, mark: marks.Mark, page: int | None) -> BoxRead:
    """A checkbox (or a signature box) from the mark inside it."""
    if box.kind == "signature":
        return _signature(box, mark, page)
    ticked = mark.ticked
    if ticked is None:
        return BoxRead(box.name, box.kind, None, Source.drawn_mark, mark.confidence, page,
                       "the box is neither clearly ticked nor clearly empty")
    return BoxRead(box.name, box.kind, ticked, Source.drawn_mark, mark.confidence, page)


def _signature(box: Box, mark: marks.Mark, page: int | None) -> BoxRead:
    if mark.ticked is False:
        return BoxRead(box.name, box.kind, False, Source.drawn_mark, mark.confidence, page)
    return BoxRead(box.name, box.kind, None, Source.drawn_mark, 0.0, page,
                   "a digital signature cannot be checked on a flattened or printed copy")


def radio_choice(name: str, buttons: list[tuple[Box, marks.Mark]], page: int | None) -> BoxRead:
    """A radio group's value from the marks in its buttons: exactly one clearly chosen, or none."""
    confidence = min(mark.confidence for _, mark in buttons)
    if any(mark.ticked is None for _, mark in buttons):
        return BoxRead(name, "radio", None, Source.drawn_mark, min(confidence, 0.4), page,
                       "a button is neither clearly chosen nor clearly empty")
    chosen = [box.state for box, mark in buttons if mark.ticked]
    if len(chosen) > 1:
        return BoxRead(name, "radio", None, Source.drawn_mark, 0.3, page,
                       f"more than one option is marked ({', '.join(str(c) for c in chosen)})")
    return BoxRead(name, "radio", chosen[0] if chosen else None, Source.drawn_mark, confidence, page)


def _choose_kind(marker: str | None, matches: Iterable[PageMatch]) -> tuple[str | None, str | None, str]:
    """The file's form kind and version and how they were known."""
    if marker:
        parts = marker.split()
        if len(parts) == 2 and form_kind(parts[0]) in default_catalogue().forms:
            return parts[0], parts[1], "document marker"
    counts: dict[str, int] = {}
    how = ""
    for match in matches:
        if match.kind:
            counts[match.kind] = counts.get(match.kind, 0) + 1
            how = match.how
    if not counts:
        return None, None, ""
    kind = max(sorted(counts), key=lambda k: counts[k])
    return kind, form_map(kind).version, how


def read_flattened(data: bytes, *, source: str = "", ocr: bool = False) -> FlattenedRead:
    """Every box of the form the file is, read from what is drawn on its pages.

    Raises :class:`~brokerage.errors.NotAPdfError`, :class:`~brokerage.errors.DamagedPdfError` and
    :class:`~brokerage.errors.EncryptedPdfError` with a sentence naming ``source``. A PDF that is not
    one of our forms gives a :class:`FlattenedRead` whose ``kind`` is ``None`` and whose notes say why.

    With ``ocr``, typed text in the boxes of picture pages (scans) is read with OCR when an OCR engine is
    installed (:mod:`~brokerage.processor.flattened.ocr`); without it such boxes are reported as unread.
    """
    document = _open(data, source)
    try:
        return _read(document, source, ocr)
    finally:
        document.close()


def _read(document: Any, source: str, ocr: bool = False) -> FlattenedRead:
    marker = document_marker(document)
    kinds = tuple(default_catalogue().forms)
    forms_first = [form_map(k) for k in kinds]
    marked = marker.split()[0] if marker and form_kind(marker.split()[0]) in kinds else None
    if marked:
        forms_first.sort(key=lambda f: f.kind != marked)
    texts: list[PageText] = []
    matches: list[PageMatch] = []
    image_pages: list[int] = []
    for index in range(len(document)):
        page = document[index]
        try:
            text = read_page_text(page)
        finally:
            page.close()
        texts.append(text)
        if sum(1 for c in text.chars if not c.text.isspace()) < MIN_TEXT_CHARS:
            image_pages.append(index)
            matches.append(PageMatch(file_page=index + 1, kind=None, form_page=None, how="", score=0.0,
                                     image_only=True))
            continue
        matches.append(match_page(text, index + 1, forms_first, prefer_page=index))
    if image_pages:
        scanned = scan.match_pictures(document, image_pages, [form_map(k) for k in kinds], marked)
        for index, match in scanned.items():
            matches[index] = match
    kind, version, how = _choose_kind(marker, matches)
    named = label(source)
    if kind is None:
        return FlattenedRead(source=source, kind=None, version=None, recognised_by="", pages=tuple(matches),
                             notes=(f"{named} has no form fields, and none of its pages is a page of a brokerage "
                                    "form. Ask the sender to fill in the brokerage form itself and return that "
                                    "file.",))
    form = form_map(kind)
    notes: list[str] = []
    boxes: dict[str, BoxRead] = {}
    seen_pages: set[int] = set()
    image_only = bool(image_pages) and len(image_pages) == len(matches)
    for index, match in enumerate(matches):
        if match.kind is None:
            notes.append(f"Page {match.file_page} of {named} is not a page of the {form.title} form; it was not read.")
            continue
        if match.kind != kind:
            other = form_map(match.kind).title
            notes.append(f"Page {match.file_page} of {named} is a page of the {other} form, not of the "
                         f"{form.title} form; it was not read.")
            continue
        assert match.form_page is not None
        if match.form_page in seen_pages:
            notes.append(f"Page {match.file_page} of {named} repeats page {match.form_page + 1} of the form; only "
                         "the first copy was read.")
            continue
        seen_pages.add(match.form_page)
        page_map = form.pages[match.form_page]
        if match.transform is None:
            notes.append(f"Page {match.file_page} of {named} is page {match.form_page + 1} of the form, but its "
                         "boxes could not be located on it, so nothing on it was read.")
            continue
        page = document[index]
        try:
            picture = marks.render(page)
            height = page.get_height()
            detail = marks.render(page, OCR_DPI) if ocr and match.image_only else None
        finally:
            page.close()
        if match.image_only:
            read, page_notes = scan.read_picture_page(form, page_map, match, picture, height, detail=detail)
        else:
            read, page_notes = _read_text_page(form, page_map, match, texts[index], picture, height)
        boxes.update(read)
        notes.extend(page_notes)
    for box in form.boxes():
        key = box.name
        if key in boxes:
            continue
        boxes[key] = BoxRead(key, box.kind, None, Source.flattened_text, 0.0, None,
                             f"page {box.page + 1} of the form is not in the file, or could not be read")
    if image_pages and not image_only:
        notes.append(f"{len(image_pages)} page(s) of {named} are pictures (scanned) and the others are text.")
    return FlattenedRead(source=source, kind=kind, version=version, recognised_by=how, pages=tuple(matches),
                         boxes=boxes, notes=tuple(notes), image_only=image_only)
