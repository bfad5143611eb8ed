"""Where every box and every printed label of our blank forms is: the map a flattened return is read by.

The blank form is ours: :func:`brokerage.generator.build_form` makes it from the schema, so its boxes
and labels are known exactly. :func:`form_map` builds the map of one form once per process:

- every box (widget): the field it belongs to, its page and rectangle, its kind, its options or
  on-state (:class:`Box`);
- every page's fixed printed text, cut into runs with their positions (:class:`PageMap`), read with
  PDFium exactly as a returned page is read, so the two can be matched run by run.

:func:`boxes_of_blank_form` is the only code here that looks at PDF fields: it reads the blank form
with the PDF layer (:func:`brokerage.pdf.read_pdf_form`: every field's kind and flags, every widget's
page, rectangle and on-state), as every other reader of a form does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from brokerage.pdf import OUR_FORM, FieldFlag, FieldKind, Rect, form_of, open_pdf, reading
from brokerage.processor.flattened.page_text import Char, Run, read_page_text
from brokerage.schema import FORM_ID_FIELD, Catalogue, FormKind, default_catalogue


@dataclass(frozen=True)
class Box:
    """One widget of the blank form."""

    name: str
    """The field's name (``part_a__children__0__name``)."""
    kind: str
    """``text``, ``multiline``, ``checkbox``, ``radio``, ``choice`` or ``signature``."""
    page: int
    """0-based page of the blank form."""
    rect: Rect
    """(x0, y0, x1, y1) in PDF points on the blank page."""
    state: str | None = None
    """A radio button's export value, a checkbox's on-state."""
    options: tuple[str, ...] = ()
    """A choice list's options (without the empty first one)."""


@dataclass(frozen=True)
class PageMap:
    """One page of a blank form: its boxes and its printed text."""

    index: int
    """0-based page of the blank form."""
    part: str
    """The part the page belongs to (``part_a``, ``annex_1``…), as in its ``/BrokeragePart``."""
    width: float
    height: float
    boxes: tuple[Box, ...]
    runs: tuple[Run, ...]
    """Every run of printed text on the blank page."""
    chars: tuple[Char, ...]
    """Every printed character of the blank page (bullets and dashes too, which no run key holds)."""
    anchors: frozenset[str]
    """Keys of the runs printed once on this page: the labels a returned page is matched and aligned by."""


@dataclass(frozen=True)
class FormMap:
    kind: str
    version: str
    title: str
    pages: tuple[PageMap, ...]
    pdf: bytes
    """The blank form itself (rendered to compare tick boxes and scanned pages with)."""

    @property
    def form_id(self) -> str:
        return f"{self.kind} {self.version}"

    def boxes(self) -> Iterator[Box]:
        for page in self.pages:
            yield from page.boxes


@dataclass(frozen=True)
class WidgetBox:
    """What :func:`boxes_of_blank_form` gives for one widget."""

    name: str
    pdf_kind: str
    """``text``, ``checkbox``, ``radio``, ``choice`` or ``signature``, from the field's ``/FT`` and ``/Ff``."""
    multiline: bool
    page: int
    rect: Rect
    state: str | None
    options: tuple[str, ...]
    part: str


def boxes_of_blank_form(pdf: bytes) -> tuple[list[WidgetBox], list[tuple[str, float, float]]]:
    """Every widget of one of OUR blank forms with its page and rectangle, and each page's part and size,
    read with the PDF layer (:func:`brokerage.pdf.form_of`); widgets in form order."""
    document = open_pdf(pdf, advice=OUR_FORM)
    with reading(advice=OUR_FORM):
        form = form_of(document)
        parts = [str(page.get("/BrokeragePart", "")) for page in document.pages]
    pages = []
    for part, box in zip(parts, form.page_boxes, strict=True):
        x0, y0, x1, y1 = box or (0.0, 0.0, 0.0, 0.0)
        pages.append((part, x1 - x0, y1 - y0))
    out: list[WidgetBox] = []
    for field in form.fields:
        kind = field.kind
        options = tuple(option for option in field.options if option) if kind is FieldKind.choice else ()
        for widget in field.widgets:
            if widget.page is None or widget.rect is None:
                continue
            out.append(WidgetBox(
                name=field.name, pdf_kind=kind.value,
                multiline=bool(field.flags & FieldFlag.multiline) and kind is FieldKind.text,
                page=widget.page - 1, rect=widget.rect, state=widget.on_state, options=options,
                part=parts[widget.page - 1],
            ))
    return out, pages


def _anchor_keys(runs: tuple[Run, ...]) -> frozenset[str]:
    counts: dict[str, int] = {}
    for run in runs:
        counts[run.key] = counts.get(run.key, 0) + 1
    return frozenset(key for key, n in counts.items() if n == 1 and len(key) >= 3)


def form_map(kind: FormKind | str, catalogue: Catalogue | None = None) -> FormMap:
    """The map of our blank form of ``kind`` (worked out once per catalogue, the shipped one by default)."""
    form = (catalogue or default_catalogue()).form(kind)
    return form.catalogue.memo(("flattened-form-map", form.kind), lambda: _form_map(form.kind, form.catalogue))


def _form_map(kind: FormKind, catalogue: Catalogue) -> FormMap:
    import pypdfium2 as pdfium

    from brokerage.generator import build_form

    form = catalogue.form(kind)
    pdf = build_form(form)
    widgets, page_info = boxes_of_blank_form(pdf)
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for index, (part, width, height) in enumerate(page_info):
            boxes = tuple(
                Box(name=w.name, kind="multiline" if w.multiline else w.pdf_kind, page=index, rect=w.rect,
                    state=w.state, options=w.options)
                for w in widgets if w.page == index and w.name != FORM_ID_FIELD
            )
            page = document[index]
            try:
                text = read_page_text(page)
            finally:
                page.close()
            pages.append(PageMap(index=index, part=part, width=width, height=height, boxes=boxes, runs=text.runs,
                                 chars=text.chars, anchors=_anchor_keys(text.runs)))
    finally:
        document.close()
    return FormMap(kind=kind, version=form.version, title=form.title, pages=tuple(pages), pdf=pdf)
