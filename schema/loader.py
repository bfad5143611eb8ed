"""Read the schema document shipped with the package, and resolve a node's local ``$ref`` chain.

Nothing here is cached or read at import time: :func:`brokerage.schema.default_catalogue` reads the
shipped document once per process, and a test builds a :class:`~brokerage.schema.Catalogue` from
any document it likes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

from brokerage.errors import SchemaError
from brokerage.schema.pointers import split_pointer

SCHEMA_FILE = "brokerage-form.schema.json"
DEFS_PREFIX = "#/$defs/"


def load_schema() -> dict[str, Any]:
    """A fresh copy of the brokerage form schema (Draft 2020-12) shipped with the package.

    Every call parses the file again, so a caller may change the copy it gets (a test adding a box)
    without touching anyone else's.
    """
    text = files("brokerage.schema").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


class Resolved(dict[str, Any]):
    """A schema node with its ``$ref`` chain merged in (see :func:`resolve`).

    It is the merged keywords as a plain mapping, plus :attr:`definitions`: the names of the
    ``$defs`` entries merged in, nearest first. What kind of value a box holds is decided from those
    names (:mod:`brokerage.schema.boxes`), never from its title.
    """

    definitions: tuple[str, ...] = ()

    def __init__(self, keywords: Mapping[str, Any] = (), definitions: tuple[str, ...] = ()) -> None:
        super().__init__(keywords)
        self.definitions = definitions

    def __reduce__(self) -> tuple[Any, ...]:
        return (Resolved, (dict(self), self.definitions))


def _lookup(root: Mapping[str, Any], ref: str) -> Mapping[str, Any]:
    if not ref.startswith("#/"):
        raise SchemaError(f"Only local references are supported in the form schema, not {ref!r}.")
    node: Any = root
    try:
        for token in split_pointer(ref[1:]):
            node = node[token]
    except (KeyError, IndexError, TypeError):
        raise SchemaError(f"The form schema refers to {ref!r}, which it does not define.") from None
    return node


def resolve(node: Mapping[str, Any], root: Mapping[str, Any]) -> Resolved:
    """``node`` with its ``$ref`` chain (looked up in ``root``) merged in; the node's own keywords win
    over the target's.

    Keeps annotation keywords (title, description, ``x-…``) of the referring node, which is how
    the schema gives a shared definition (a date, a person) its label at each place it is used.
    """
    chain: list[Mapping[str, Any]] = []
    definitions: list[str] = []
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
        if ref.startswith(DEFS_PREFIX):
            definitions.append(ref[len(DEFS_PREFIX):])
        current = _lookup(root, ref)
    merged: dict[str, Any] = {}
    for part in reversed(chain):
        merged.update({k: v for k, v in part.items() if k != "$ref"})
    return Resolved(merged, tuple(definitions))
