"""Instances in schema order, whatever order their keys arrived in.

The same form can reach the outputs with its keys in form order (freshly read) or sorted (read
back from the ledger). Outputs are built from :func:`canonical` data so they are the same bytes
either way, and JSON files list the fields in the order they appear on the form.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from brokerage.schema import Catalogue, Node, default_catalogue


def _ordered(value: Any, node: Node | None) -> Any:
    if isinstance(value, Mapping):
        children = node.children if node is not None else ()
        rank = {child.name: index for index, child in enumerate(children)}
        keys = sorted(value, key=lambda k: (rank.get(str(k), len(rank)), str(k)))
        return {str(k): _ordered(value[k], node.child(str(k)) if node is not None else None) for k in keys}
    if isinstance(value, list | tuple):
        items = node.items if node is not None else None
        return [_ordered(v, items) for v in value]
    return value


def canonical(instance: Mapping[str, Any] | None, catalogue: Catalogue | None = None) -> dict[str, Any]:
    """A plain copy of ``instance`` (dicts and lists) with every object's keys in schema order."""
    return _ordered(instance or {}, (catalogue or default_catalogue()).root)


def plain(value: Any) -> Any:
    """``value`` as plain JSON types (mappings to dicts, sequences to lists)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def json_bytes(value: Any) -> bytes:
    """``value`` as indented UTF-8 JSON with a final newline (non-ASCII kept as typed)."""
    return (json.dumps(plain(value), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
