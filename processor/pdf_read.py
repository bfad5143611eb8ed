"""Read what people typed into one of our PDF forms, as plain values.

The only module of the processor that opens PDFs with pypdf for reading fields. It returns plain
``str``/``bool`` values and lets the reader go, so a batch stays linear in files (PERFORMANCE.md).

What real engines do to a filled form (PDF-ENGINES.md) and what this reader does about it:

- the value is the field's ``/V``, never ``/I`` (MuPDF leaves a stale ``/I``);
- ``\\r\\n`` and ``\\r`` (PDFium) become ``\\n``;
- a checkbox is ticked for any on-state other than ``/Off`` (``/Yes``, ``/On``, ``/1`` …);
- a radio group's value is the group's ``/V`` (pypdf's filler also writes ``/V`` on each widget);
- a signature field is "signed" when its ``/V`` holds a signature dictionary;
- inherited ``/FT`` and ``/Ff`` are taken from parent fields; full names join ``/T`` with ``.``.

The reading itself is :mod:`brokerage.pdf` (one walk, one classifier, one open with its sentences);
this module turns its plain values into the processor's :class:`RawForm` and says what a form
without fields means for a returned form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from brokerage.errors import FlattenedFormError, OurOutputError
from brokerage.pdf import READ_ERRORS, RETURNED_FORM, Rect, Widget, label, read_pdf_form
from brokerage.schema import DOCUMENT_INFO_KEY, FORM_ID_FIELD, FORM_ID_INFO_KEY
from brokerage.text import printable

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

__all__ = ["DEFAULT_MAX_BYTES", "READ_ERRORS", "RawField", "RawForm", "read_form"]


@dataclass(frozen=True)
class RawField:
    name: str
    kind: str
    """``text``, ``checkbox``, ``radio``, ``choice``, ``signature`` or ``button`` (push button):
    a :class:`brokerage.pdf.FieldKind` when read from a file."""
    value: str | bool | None
    """Text and choices: the string (``None`` when empty); checkbox and signature: ticked/signed."""
    page: int | None
    """1-based page of the field's first widget, ``None`` when it has no widget on a page."""
    max_length: int | None = None
    options: tuple[str, ...] = ()
    """Export values of a radio group or choice list, in form order."""
    visible: bool = True
    """A person sees the box: one of its widgets is on a page, not hidden, at least
    :data:`MIN_VISIBLE_SIZE` points each way and inside the page's visible area."""


@dataclass(frozen=True)
class RawForm:
    form_id: str | None
    """``"<kind> <schema version>"`` from the hidden ``form_id`` field or the document info."""
    fields: dict[str, RawField]
    page_count: int
    duplicates: tuple[str, ...] = ()
    """Names that two or more fields of the file have; ``fields`` holds the last of them."""
    stray: tuple[tuple[str, int | None], ...] = ()
    """(name, page) of widgets on a page that no field of the form owns: a viewer shows them, a
    reader of the fields does not."""
    xfa_datasets: bytes | None = None
    """The XFA ``datasets`` XML (what an XFA-aware viewer shows), ``None`` when there is none."""

    def value(self, name: str) -> str | bool | None:
        raw = self.fields.get(name)
        return None if raw is None else raw.value


MIN_VISIBLE_SIZE = 2.0
"""Points each way a widget needs to be seen (a 1×1 box shows nothing a person can read)."""


def _overlaps(rect: Rect, box: Rect | None) -> bool:
    if box is None:
        return True
    return rect[0] < box[2] and rect[2] > box[0] and rect[1] < box[3] and rect[3] > box[1]


def seen(widget: Widget, page_boxes: tuple[Rect | None, ...]) -> bool:
    """Whether a person can see the widget: shown (on a page, not hidden), big enough, on the page."""
    if not widget.shown or widget.rect is None or widget.page is None:
        return False
    x0, y0, x1, y1 = widget.rect
    if x1 - x0 < MIN_VISIBLE_SIZE or y1 - y0 < MIN_VISIBLE_SIZE:
        return False
    box = page_boxes[widget.page - 1] if 0 < widget.page <= len(page_boxes) else None
    return _overlaps(widget.rect, box)


def our_output(info: Mapping[str, str]) -> str | None:
    """The one output-marker check: what a document this toolkit made says it is (the value of
    :data:`~brokerage.schema.DOCUMENT_INFO_KEY` in its document information), ``None`` for any other file.

    Every document the service files or sends and does not expect back carries it (filed copies of
    Part A and Annex 1, the anonymised referral, letters, the providers' referral); forms sent out to be
    filled (the Part B prefilled with a reference) do not, since they come back as returns."""
    value = info.get(DOCUMENT_INFO_KEY)
    return value if value else None


def read_form(
    data: bytes, *, source: str = "", max_bytes: int = DEFAULT_MAX_BYTES, ours: bool = False
) -> RawForm:
    """Every field of a filled PDF form as plain values.

    Raises :class:`~brokerage.errors.NotAPdfError`, :class:`~brokerage.errors.DamagedPdfError`
    (also for a field tree that loops), :class:`~brokerage.errors.EncryptedPdfError` (only when a
    non-empty password is needed), :class:`~brokerage.errors.TooLargeError` and
    :class:`~brokerage.errors.FlattenedFormError` (a PDF with no form fields left) and
    :class:`~brokerage.errors.OurOutputError` (a document this toolkit made, :func:`our_output`), each
    with a sentence naming ``source``. ``ours=True`` reads a document this toolkit made too (to check
    an output; a batch never does).
    """
    form = read_pdf_form(data, source=source, advice=RETURNED_FORM, max_bytes=max_bytes)
    marker = our_output(form.info)
    if marker is not None and not ours:
        raise OurOutputError(
            f"{label(source, RETURNED_FORM)} is a document the brokerage toolkit made ({printable(marker[:80])}), "
            "not a returned form, so it was not read as one. Keep the toolkit's outputs out of the inbox."
        )
    fields: dict[str, RawField] = {}
    for item in form.fields:
        fields[item.name] = RawField(
            name=item.name,
            kind=item.kind,
            value=item.value,
            page=item.page,
            max_length=item.max_length,
            options=item.options,
            visible=any(seen(w, form.page_boxes) for w in item.widgets),
        )
    if not fields:
        raise FlattenedFormError(
            f"{label(source, RETURNED_FORM)} has no form fields: it was printed to PDF, scanned or flattened, or "
            "it is not a brokerage form. Ask the sender to fill in the original form and return that file."
        )
    field_id = fields.get(FORM_ID_FIELD)
    form_id = (field_id.value if field_id and isinstance(field_id.value, str) else None) or form.info.get(
        FORM_ID_INFO_KEY
    )
    return RawForm(
        form_id=form_id,
        fields=fields,
        page_count=form.page_count,
        duplicates=form.duplicates,
        stray=tuple((s.name, s.widget.page) for s in form.stray_widgets),
        xfa_datasets=form.xfa_datasets,
    )
