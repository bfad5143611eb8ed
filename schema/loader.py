"""Load the schema shipped with the package and resolve its local ``$ref``s."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from brokerage.errors import SchemaError
from brokerage.schema.pointers import split_pointer

SCHEMA_FILE = "brokerage-form.schema.json"


@cache
def load_schema() -> dict[str, Any]:
    """The brokerage form schema (Draft 2020-12), parsed once per process."""
    text = files("brokerage.schema").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


SCHEMA_VERSION: str = load_schema()["x-schema-version"]


def _lookup(root: Mapping[str, Any], ref: str) -> Mapping[str, Any]:
    if not ref.startswith("#/"):
        raise SchemaError(f"Only local references are supported in the form schema, not {ref!r}.")
    node: Any = root
    for token in split_pointer(ref[1:]):
        node = node[token]
    return node


def resolve(node: Mapping[str, Any], root: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``node`` with its ``$ref`` chain merged in; the node's own keywords win over the target's.

    Keeps annotation keywords (title, description, ``x-…``) of the referring node, which is how
    the schema gives a shared definition (a date, a person) its label at each place it is used.
    """
    root = load_schema() if root is None else root
    merged: dict[str, Any] = {}
    chain: list[Mapping[str, Any]] = []
    current: Mapping[str, Any] | None = node
    seen: set[str] = set()
    while current is not None:
        chain.append(current)
        ref = current.get("$ref")
        if ref is None:
            break
        if ref in seen:
            raise SchemaError(f"The form schema has a reference loop at {ref!r}.")
        seen.add(ref)
        current = _lookup(root, ref)
    for part in reversed(chain):
        merged.update({k: v for k, v in part.items() if k != "$ref"})
    return merged
