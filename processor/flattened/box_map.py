"""Where every box and every printed label of our blank forms is: the map a flattened return is read by.

The blank form is ours: :func:`brokerage.generator.build_form` makes it from the schema, so its boxes
and labels are known exactly. :func:`form_map` builds the map of one form once per process:

- every box (widget): the field it belongs to, its page and rectangle, its kind, its options or
  on-state (:class:`Box`);
- every page's fixed printed text, cut into runs with their positions (:class:`PageMap`), read with
  PDFium exactly as a returned page is read, so the two can be matched run by run.

:func:`boxes_of_blank_form` is the only code here that looks at PDF fields (with pypdf, on our own
blank form, whose structure we wrote). It is a stand-in for the PDF layer (``brokerage.pdf``):
point it there when that lands.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from brokerage.processor.flattened.page_text import Char, Run, read_page_text
from brokerage.schema import FORM_ID_FIELD, FORMS, SCHEMA_VERSION

Rect = tuple[float, float, float, float]


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


_MULTILINE = 1 << 12
_RADIO = 1 << 15


def boxes_of_blank_form(pdf: bytes) -> tuple[list[WidgetBox], list[tuple[str, float, float]]]:
    """Every widget of one of OUR blank forms with its page and rectangle, and each page's part and size.

    The adapter to replace with the PDF layer's widget walk (``brokerage.pdf``) when it lands: it reads
    only what our generator writes (terminal fields are their own widget, a radio group's kids are its
    buttons), so it is not a general AcroForm walker and must not be used on returned files.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    out: list[WidgetBox] = []
    pages: list[tuple[str, float, float]] = []
    for index, page in enumerate(reader.pages):
        box = page.mediabox
        pages.append((str(page.get("/BrokeragePart", "")), float(box.width), float(box.height)))
        for ref in page.get("/Annots") or []:
            widget = ref.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            field = widget if "/T" in widget else widget["/Parent"].get_object()
            ft, flags = field.get("/FT"), int(field.get("/Ff", 0))
            normal = widget.get("/AP", {}).get("/N")
            states = [str(k)[1:] for k in (normal or {}) if k != "/Off"] if ft == "/Btn" else []
            kind = ("radio" if flags & _RADIO else "checkbox") if ft == "/Btn" else \
                {"/Ch": "choice", "/Sig": "signature"}.get(str(ft), "text")
            options = tuple(str(o) for o in field.get("/Opt", []) if str(o)) if kind == "choice" else ()
            out.append(WidgetBox(
                name=str(field["/T"]), pdf_kind=kind, multiline=bool(flags & _MULTILINE) and kind == "text",
                page=index, rect=tuple(float(v) for v in widget["/Rect"]),  # type: ignore[arg-type]
                state=states[0] if states else None, options=options, part=pages[-1][0],
            ))
    return out, pages


def _anchor_keys(runs: tuple[Run, ...]) -> frozenset[str]:
    counts: dict[str, int] = {}
    for run in runs:
        counts[run.key] = counts.get(run.key, 0) + 1
    return frozenset(key for key, n in counts.items() if n == 1 and len(key) >= 3)


@cache
def form_map(kind: str) -> FormMap:
    """The map of our blank form of ``kind`` (generated once per process)."""
    import pypdfium2 as pdfium

    from brokerage.generator import build_form

    form = FORMS[kind]
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
    return FormMap(kind=kind, version=SCHEMA_VERSION, title=form.title, pages=tuple(pages), pdf=pdf)
