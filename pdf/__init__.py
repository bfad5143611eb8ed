"""The one low-level PDF layer: open, resolve, walk the form's fields, classify them, read their
values and widgets as plain values, and write reproducibly.

It knows nothing of the schema: only the standard library, pypdf, :mod:`brokerage.errors` and
:mod:`brokerage.files`. The generator and the processor go through it for everything AcroForm.

- :mod:`~brokerage.pdf.reader`: :func:`open_pdf` with every failure as one sentence, and
  :class:`Advice` (what the sentence tells whom to do);
- :mod:`~brokerage.pdf.objects`: :func:`resolve`, strings and names as text, numbers, rectangles;
- :mod:`~brokerage.pdf.fields`: the cycle-safe walk (:func:`walk_fields`, :func:`parent_chain`),
  :class:`FieldKind` and :func:`field_kind`, on-states, choice options, values;
- :mod:`~brokerage.pdf.form`: :func:`read_pdf_form`, a form as plain values (:class:`PdfForm`,
  :class:`Field`, :class:`Widget`);
- :mod:`~brokerage.pdf.write`: :func:`pdf_bytes` and :func:`stamped_bytes` (same input, same bytes);
- :mod:`~brokerage.pdf._pypdf_compat`: every use of pypdf's private API, behind a named function.
"""

from __future__ import annotations

from brokerage.pdf._pypdf_compat import add_object, catalog, document_info, object_numbers
from brokerage.pdf.fields import (
    MAX_DEPTH,
    MAX_NODES,
    FieldFlag,
    FieldKind,
    FieldNode,
    choice_options,
    field_kind,
    field_value,
    full_name,
    on_states,
    parent_chain,
    walk_fields,
)
from brokerage.pdf.form import (
    AnnotationFlag,
    Field,
    PdfForm,
    StrayWidget,
    Widget,
    field_names_by_page,
    form_of,
    read_pdf_form,
)
from brokerage.pdf.objects import Rect, rectangle, resolve, text_value
from brokerage.pdf.reader import (
    OUR_FORM,
    READ_ERRORS,
    RETURNED_FORM,
    Advice,
    FieldTreeError,
    TooManyFieldsError,
    label,
    open_pdf,
    reading,
    too_large,
)
from brokerage.pdf.write import file_id, pdf_bytes, stamped_bytes

__all__ = [
    "MAX_DEPTH",
    "MAX_NODES",
    "OUR_FORM",
    "READ_ERRORS",
    "RETURNED_FORM",
    "Advice",
    "AnnotationFlag",
    "Field",
    "FieldFlag",
    "FieldKind",
    "FieldNode",
    "FieldTreeError",
    "PdfForm",
    "Rect",
    "StrayWidget",
    "TooManyFieldsError",
    "Widget",
    "add_object",
    "catalog",
    "choice_options",
    "document_info",
    "field_kind",
    "field_names_by_page",
    "field_value",
    "file_id",
    "form_of",
    "full_name",
    "label",
    "object_numbers",
    "on_states",
    "open_pdf",
    "parent_chain",
    "pdf_bytes",
    "read_pdf_form",
    "reading",
    "rectangle",
    "resolve",
    "stamped_bytes",
    "text_value",
    "too_large",
    "walk_fields",
]
