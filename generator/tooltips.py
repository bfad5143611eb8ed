"""Tooltips (``/TU``): what a screen reader says for each box, from the schema alone.

The tooltip is the field's question with its place in repeats and tables ("Details of the child 2,
School holiday dates 1: From"), then the guidance hint (the schema's description).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from brokerage.schema import Leaf, load_schema, resolve


def context(pointer: str) -> list[str]:
    """Titles that place a concrete pointer: each array slot (numbered) and each table row."""
    node: Mapping[str, Any] = resolve(load_schema())
    out: list[str] = []
    for token in pointer.strip("/").split("/")[:-1]:
        if token.isdigit():
            out.append(f"{node.get('title', '')} {int(token) + 1}".strip())
            node = resolve(node.get("items", {}))
            continue
        child = resolve(node.get("properties", {}).get(token, {}))
        if node.get("x-widget") == "timetable":
            out.extend([node.get("title", ""), child.get("title", token)])
        node = child
    return [c for c in out if c]


def tooltip(pointer: str, leaf: Leaf) -> str:
    """The ``/TU`` text of the box at ``pointer``: its question, then its guidance."""
    where = ", ".join(context(pointer))
    question = f"{where}: {leaf.title}" if where else leaf.title
    if leaf.description:
        return f"{question}. {leaf.description}" if not question.endswith("?") else f"{question} {leaf.description}"
    return question
