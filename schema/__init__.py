"""The brokerage form's data model: the one JSON Schema, and the one place that answers
questions about its fields (pointers, titles, guidance, requiredness, form membership).

Imports only jsonschema and the standard library.
"""

from brokerage.schema.catalogue import (
    FORM_ID_FIELD,
    FORM_ID_INFO_KEY,
    FORMS,
    Form,
    Leaf,
    forms,
    leaf_for_pointer,
    leaves,
    part_leaves,
)
from brokerage.schema.loader import SCHEMA_VERSION, load_schema, resolve
from brokerage.schema.names import field_name, pointer_from_name
from brokerage.schema.pointers import get_at, set_at, split_pointer
from brokerage.schema.problems import Problem, Severity

__all__ = [
    "FORMS",
    "FORM_ID_FIELD",
    "FORM_ID_INFO_KEY",
    "SCHEMA_VERSION",
    "Form",
    "Leaf",
    "Problem",
    "Severity",
    "field_name",
    "forms",
    "get_at",
    "leaf_for_pointer",
    "leaves",
    "load_schema",
    "part_leaves",
    "pointer_from_name",
    "resolve",
    "set_at",
    "split_pointer",
]
