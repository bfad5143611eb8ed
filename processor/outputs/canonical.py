"""Instances in schema order, whatever order their keys arrived in.

The same form can reach the outputs with its keys in form order (freshly read) or sorted (read
back from the ledger). Outputs are built from :func:`canonical` data so they are the same bytes
either way, and JSON files list the fields in the order they appear on the form.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from brokerage.schema import load_schema, resolve


def _ordered(value: Any, node: Mapping[str, Any]) -> Any:
    node = resolve(node) if node else {}
    if isinstance(value, Mapping):
        properties = node.get("properties", {})
        rank = {name: index for index, name in enumerate(properties)}
        keys = sorted(value, key=lambda k: (rank.get(str(k), len(rank)), str(k)))
        return {str(k): _ordered(value[k], properties.get(str(k), {})) for k in keys}
    if isinstance(value, list | tuple):
        items = node.get("items", {})
        return [_ordered(v, items if isinstance(items, Mapping) else {}) for v in value]
    return value


def canonical(instance: Mapping[str, Any] | None) -> dict[str, Any]:
    """A plain copy of ``instance`` (dicts and lists) with every object's keys in schema order."""
    return _ordered(instance or {}, load_schema())


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
