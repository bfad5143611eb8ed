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

from dataclasses import dataclass

from brokerage.errors import FlattenedFormError
from brokerage.pdf import READ_ERRORS, RETURNED_FORM, label, read_pdf_form
from brokerage.schema import FORM_ID_FIELD, FORM_ID_INFO_KEY

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


@dataclass(frozen=True)
class RawForm:
    form_id: str | None
    """``"<kind> <schema version>"`` from the hidden ``form_id`` field or the document info."""
    fields: dict[str, RawField]
    page_count: int
    duplicates: tuple[str, ...] = ()
    """Names that two or more fields of the file have; ``fields`` holds the last of them."""

    def value(self, name: str) -> str | bool | None:
        raw = self.fields.get(name)
        return None if raw is None else raw.value


def read_form(data: bytes, *, source: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> RawForm:
    """Every field of a filled PDF form as plain values.

    Raises :class:`~brokerage.errors.NotAPdfError`, :class:`~brokerage.errors.DamagedPdfError`
    (also for a field tree that loops), :class:`~brokerage.errors.EncryptedPdfError` (only when a
    non-empty password is needed), :class:`~brokerage.errors.TooLargeError` and
    :class:`~brokerage.errors.FlattenedFormError` (a PDF with no form fields left), each with a
    sentence naming ``source``.
    """
    form = read_pdf_form(data, source=source, advice=RETURNED_FORM, max_bytes=max_bytes)
    fields: dict[str, RawField] = {}
    for item in form.fields:
        fields[item.name] = RawField(
            name=item.name,
            kind=item.kind,
            value=item.value,
            page=item.page,
            max_length=item.max_length,
            options=item.options,
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
    return RawForm(form_id=form_id, fields=fields, page_count=form.page_count, duplicates=form.duplicates)
