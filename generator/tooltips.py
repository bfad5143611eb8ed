"""Tooltips (``/TU``): what a screen reader says for each box, from the schema alone.

The tooltip is the field's question with its place in repeats and tables ("Details of the child 2,
School holiday dates 1: From"; :meth:`brokerage.schema.Where.trail`), then the guidance hint (the
schema's description).
"""

from __future__ import annotations

from brokerage.schema import Catalogue, Leaf


def tooltip(pointer: str, leaf: Leaf, catalogue: Catalogue) -> str:
    """The ``/TU`` text of the box at ``pointer``: its question, then its guidance."""
    where = ", ".join(catalogue.where(pointer).trail())
    question = f"{where}: {leaf.title}" if where else leaf.title
    if leaf.description:
        return f"{question}. {leaf.description}" if not question.endswith("?") else f"{question} {leaf.description}"
    return question
