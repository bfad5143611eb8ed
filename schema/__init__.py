"""The brokerage form's data model: the one JSON Schema, and the one place that answers
questions about its fields (pointers, titles, guidance, requiredness, kinds of box, form membership).

:func:`default_catalogue` is the :class:`Catalogue` of the shipped schema; nothing is read at import.
Imports only jsonschema and the standard library.
"""

from brokerage.schema.boxes import BOX_KINDS, BoxKind, box_kind_for
from brokerage.schema.catalogue import Catalogue, Form, Leaf, Node, default_catalogue, template
from brokerage.schema.forms import (
    DOCUMENT_INFO_KEY,
    FORM_ID_FIELD,
    FORM_ID_INFO_KEY,
    KIND_FACTS,
    FormKind,
    KindFacts,
    form_kind,
)
from brokerage.schema.loader import Resolved, load_schema, resolve
from brokerage.schema.names import field_name, pointer_from_name
from brokerage.schema.parsing import CoercionError
from brokerage.schema.pointers import get_at, set_at, split_pointer
from brokerage.schema.problems import Problem, Severity
from brokerage.schema.where import Where

__all__ = [
    "BOX_KINDS",
    "DOCUMENT_INFO_KEY",
    "FORM_ID_FIELD",
    "FORM_ID_INFO_KEY",
    "KIND_FACTS",
    "BoxKind",
    "Catalogue",
    "CoercionError",
    "Form",
    "FormKind",
    "KindFacts",
    "Leaf",
    "Node",
    "Problem",
    "Resolved",
    "Severity",
    "Where",
    "box_kind_for",
    "default_catalogue",
    "field_name",
    "form_kind",
    "get_at",
    "load_schema",
    "pointer_from_name",
    "resolve",
    "set_at",
    "split_pointer",
    "template",
]
