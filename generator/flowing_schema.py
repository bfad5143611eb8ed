"""From a checked instance to flowing blocks, following the schema: each titled object a heading, each
box its label and value, timetables and small repeats (holiday dates, scheme dates) as grids, lists
of short answers (desired outcomes) as bullets, each repeated item (a child) under its own heading.

This module is the one place the flowing documents read the schema (``load_schema``, ``resolve``):
a field added to the schema appears in the prints with no change here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from brokerage.generator.flowing import Block, Field, Grid, Heading, Items, Note
from brokerage.schema import load_schema, resolve

Show = Callable[[str], bool]
"""Whether the node at a template pointer (``/part_a/children/*/school``) is printed at all."""
ItemTitle = Callable[[str, int, int, str, Any], str]
"""Heading of one item of a repeat: (array template pointer, index, count, array title, item) → text."""

NOT_COMPLETED = "Not completed."


def _kind(node: Mapping[str, Any]) -> str | None:
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return kinds[0] if len(kinds) == 1 else None
    if kind is None and "enum" in node:
        return "string"
    return kind


def _scalar(node: Mapping[str, Any]) -> bool:
    return _kind(resolve(node)) in ("string", "number", "integer", "boolean")


def long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def format_value(value: Any, node: Mapping[str, Any]) -> str:
    """A value as printed: dates in words, yes/no for ticks, pounds and pence for money, hours without
    a trailing ``.0``; anything else as typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if node.get("format") == "date" and isinstance(value, str):
        try:
            return long_date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, int | float):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        if node.get("multipleOf") == 0.01 or "(£)" in str(node.get("title", "")):
            return f"£{number:,.2f}"
        return f"{number.normalize():f}"
    return str(value)


def _empty(value: Any) -> bool:
    if value is None or value == "" or value == [] or value == {}:
        return True
    if isinstance(value, Mapping):
        return all(_empty(v) for v in value.values())
    if isinstance(value, list):
        return all(_empty(v) for v in value)
    return False


def numbered_item_title(template: str, index: int, count: int, title: str, item: Any) -> str:
    """``Details of the child: 2 of 3`` (the title alone when there is one item)."""
    return f"{title}: {index + 1} of {count}" if count > 1 else title


class _Walker:
    def __init__(self, show: Show, blanks: bool, item_title: ItemTitle) -> None:
        self.show, self.blanks, self.item_title = show, blanks, item_title
        self.last_heading = ""

    def heading(self, text: str, level: int) -> Heading:
        self.last_heading = text
        return Heading(text, level)

    def node(self, node: Mapping[str, Any], template: str, value: Any, level: int) -> Iterator[Block]:
        if not self.show(template):
            return
        node = resolve(node)
        kind = _kind(node)
        # A section's heading is the form's own (``x-section``: "Section 1 – Allocated worker details").
        title = str((node.get("x-section") if kind == "object" else None) or node.get("title", ""))
        if kind == "object" and node.get("x-widget") == "timetable":
            yield from self.timetable(node, template, value)
        elif kind == "object":
            yield from self.object(node, template, value, level, title)
        elif kind == "array":
            yield from self.array(node, template, value, level, title)
        else:
            text = format_value(value, node)
            if text or self.blanks:
                yield Field(title, text)

    def object(self, node: Mapping[str, Any], template: str, value: Any, level: int, title: str) -> Iterator[Block]:
        value = value if isinstance(value, Mapping) else {}
        if _empty(value) and not self.blanks:
            return
        if title:
            yield self.heading(title, level)
        if _empty(value):
            yield Note(NOT_COMPLETED)
            return
        inner = level + 1 if title else level
        for name, child in node.get("properties", {}).items():
            yield from self.node(child, f"{template}/{name}", value.get(name), min(inner, 4))

    def array(self, node: Mapping[str, Any], template: str, value: Any, level: int, title: str) -> Iterator[Block]:
        values = [v for v in value if not _empty(v)] if isinstance(value, list) else []
        items = resolve(node.get("items", {}))
        if not values and not self.blanks:
            return
        if _scalar(items):
            yield Items(title, tuple(format_value(v, items) for v in values))
            return
        properties = items.get("properties", {})
        shown = {name: child for name, child in properties.items() if self.show(f"{template}/*/{name}")}
        if shown and all(_scalar(child) for child in shown.values()):
            header = tuple(str(resolve(child).get("title", name)) for name, child in shown.items())
            rows = tuple(
                tuple(format_value(v.get(name) if isinstance(v, Mapping) else None, resolve(child))
                      for name, child in shown.items())
                for v in values
            )
            yield Grid(title, header, rows)
            return
        section = str(node.get("x-section", ""))
        if section and section != self.last_heading and section != title:
            yield self.heading(section, level)  # "Section 2 – Details of the child", once, above the children
            level = min(level + 1, 4)
        if not values:
            yield self.heading(title, level)
            yield Note("None given.")
            return
        for index, item in enumerate(values):
            yield self.heading(self.item_title(template, index, len(values), title, item), level)
            for name, child in properties.items():
                yield from self.node(child, f"{template}/*/{name}", item.get(name) if isinstance(item, Mapping)
                                     else None, min(level + 1, 4))

    def timetable(self, node: Mapping[str, Any], template: str, value: Any) -> Iterator[Block]:
        value = value if isinstance(value, Mapping) else {}
        days = node.get("properties", {})
        columns: dict[str, Mapping[str, Any]] = {}
        for day in days.values():
            for name, child in resolve(day).get("properties", {}).items():
                columns.setdefault(name, resolve(child))
        rows = tuple(
            (str(resolve(day_node).get("title", day)),
             *(format_value((value.get(day) or {}).get(name), column) for name, column in columns.items()))
            for day, day_node in days.items()
            if not _empty(value.get(day))
        )
        if rows or self.blanks:
            header = ("Day", *(str(column.get("title", name)) for name, column in columns.items()))
            yield Grid(str(node.get("title", "")), header, rows, empty="No days given.")


def node_at(template: str) -> dict[str, Any]:
    """The resolved schema node at a template pointer (``/part_a/children/*``); empty when there is none."""
    node = resolve(load_schema())
    for token in (t for t in template.strip("/").split("/") if t):
        step = node.get("items") if token == "*" or token.isdigit() else node.get("properties", {}).get(token)
        node = resolve(step or {})
    return node


def subtree_blocks(
    template: str,
    value: Any,
    *,
    level: int = 2,
    show: Show = lambda template: True,
    blanks: bool = True,
    item_title: ItemTitle = numbered_item_title,
) -> list[Block]:
    """The blocks of one node of the schema (a section, a child, a table) holding ``value``; a titled node
    starts with its heading at ``level``."""
    return list(_Walker(show, blanks, item_title).node(node_at(template), template, value, level))


def schema_blocks(
    instance: Mapping[str, Any],
    parts: Sequence[str],
    *,
    show: Show = lambda template: True,
    blanks: bool = True,
    item_title: ItemTitle = numbered_item_title,
) -> list[Block]:
    """The blocks for ``parts`` of ``instance`` in form order.

    ``show`` leaves out nodes (and everything under them) by template pointer. ``blanks``: print
    empty boxes as "–" and empty sections as "Not completed." (a full print), or leave them out (a
    document for someone who needs only what was said).
    """
    walker = _Walker(show, blanks, item_title)
    root = load_schema()["properties"]
    out: list[Block] = []
    for part in parts:
        out.extend(walker.node(root[part], f"/{part}", instance.get(part), 1))
    return out
