"""From a checked instance to flowing blocks, following the schema: each titled object a heading, each
box its label and value, timetables and small repeats (holiday dates, scheme dates) as grids, lists
of short answers (desired outcomes) as bullets, each repeated item (a child) under its own heading.

The blocks follow the catalogue's tree of nodes (:class:`brokerage.schema.Catalogue`), and a box's
value is printed as its kind of box says (``leaf.box``): a field added to the schema appears in the
prints with no change here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from brokerage.generator.flowing import Block, Field, Grid, Heading, Items, Note
from brokerage.rules.policy import long_date
from brokerage.schema import BoxKind, Catalogue, Node, default_catalogue
from brokerage.schema.boxes import DATE, MONEY

Show = Callable[[str], bool]
"""Whether the node at a template pointer (``/part_a/children/*/school``) is printed at all."""
ItemTitle = Callable[[str, int, int, str, Any], str]
"""Heading of one item of a repeat: (array template pointer, index, count, array title, item) → text."""

NOT_COMPLETED = "Not completed."

def format_value(value: Any, box: BoxKind | None) -> str:
    """A value as printed: dates in words, yes/no for ticks, pounds and pence for money, hours without
    a trailing ``.0``; anything else as typed. ``box`` is the kind of box it was typed in."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if box is DATE and isinstance(value, str):
        try:
            return long_date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, int | float):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        if box is MONEY:
            return f"£{number:,.2f}"
        return f"{number.normalize():f}"
    return str(value)


def _box(node: Node) -> BoxKind | None:
    return node.leaf.box if node.leaf is not None else None


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


def _get(value: Any, name: str) -> Any:
    return value.get(name) if isinstance(value, Mapping) else None


class _Walker:
    def __init__(self, show: Show, blanks: bool, item_title: ItemTitle) -> None:
        self.show, self.blanks, self.item_title = show, blanks, item_title
        self.last_heading = ""

    def heading(self, text: str, level: int) -> Heading:
        self.last_heading = text
        return Heading(text, level)

    def node(self, node: Node, value: Any, level: int) -> Iterator[Block]:
        if not self.show(node.pointer):
            return
        # A section's heading is the form's own (``x-section``: "Section 1 – Allocated worker details").
        title = (node.own_section if node.is_object else "") or node.title
        if node.is_table:
            yield from self.timetable(node, value)
        elif node.is_object:
            yield from self.object(node, value, level, title)
        elif node.is_array:
            yield from self.array(node, value, level, title)
        else:
            text = format_value(value, _box(node))
            if text or self.blanks:
                yield Field(title, text)

    def object(self, node: Node, value: Any, level: int, title: str) -> Iterator[Block]:
        value = value if isinstance(value, Mapping) else {}
        if _empty(value) and not self.blanks:
            return
        if title:
            yield self.heading(title, level)
        if _empty(value):
            yield Note(NOT_COMPLETED)
            return
        inner = level + 1 if title else level
        for child in node.children:
            yield from self.node(child, value.get(child.name), min(inner, 4))

    def array(self, node: Node, value: Any, level: int, title: str) -> Iterator[Block]:
        values = [v for v in value if not _empty(v)] if isinstance(value, list) else []
        items = node.items
        if items is None or (not values and not self.blanks):
            return
        if items.leaf is not None:
            yield Items(title, tuple(format_value(v, items.leaf.box) for v in values))
            return
        shown = [child for child in items.children if self.show(child.pointer)]
        if shown and all(child.leaf is not None for child in shown):
            header = tuple(child.label for child in shown)
            rows = tuple(tuple(format_value(_get(v, child.name), _box(child)) for child in shown) for v in values)
            yield Grid(title, header, rows)
            return
        section = node.own_section
        if section and section != self.last_heading and section != title:
            yield self.heading(section, level)  # "Section 2 – Details of the child", once, above the children
            level = min(level + 1, 4)
        if not values:
            yield self.heading(title, level)
            yield Note("None given.")
            return
        for index, item in enumerate(values):
            yield self.heading(self.item_title(node.pointer, index, len(values), title, item), level)
            for child in items.children:
                yield from self.node(child, _get(item, child.name), min(level + 1, 4))

    def timetable(self, node: Node, value: Any) -> Iterator[Block]:
        value = value if isinstance(value, Mapping) else {}
        columns: dict[str, Node] = {}
        for day in node.children:
            for column in day.children:
                columns.setdefault(column.name, column)
        rows = tuple(
            (day.label, *(format_value(_get(value.get(day.name), name), _box(column))
                          for name, column in columns.items()))
            for day in node.children
            if not _empty(value.get(day.name))
        )
        if rows or self.blanks:
            header = ("Day", *(column.label for column in columns.values()))
            yield Grid(node.title, header, rows, empty="No days given.")


def subtree_blocks(
    template: str,
    value: Any,
    *,
    level: int = 2,
    show: Show = lambda template: True,
    blanks: bool = True,
    item_title: ItemTitle = numbered_item_title,
    catalogue: Catalogue | None = None,
) -> list[Block]:
    """The blocks of one node of the schema (a section, a child, a table) holding ``value``; a titled node
    starts with its heading at ``level``. Nothing for a pointer the schema does not have."""
    node = (catalogue or default_catalogue()).node(template)
    return list(_Walker(show, blanks, item_title).node(node, value, level)) if node is not None else []


def schema_blocks(
    instance: Mapping[str, Any],
    parts: Sequence[str],
    *,
    show: Show = lambda template: True,
    blanks: bool = True,
    item_title: ItemTitle = numbered_item_title,
    catalogue: Catalogue | None = None,
) -> list[Block]:
    """The blocks for ``parts`` of ``instance`` in form order.

    ``show`` leaves out nodes (and everything under them) by template pointer. ``blanks``: print
    empty boxes as "–" and empty sections as "Not completed." (a full print), or leave them out (a
    document for someone who needs only what was said).
    """
    found = catalogue or default_catalogue()
    walker = _Walker(show, blanks, item_title)
    out: list[Block] = []
    for part in parts:
        node = found.node(f"/{part}")
        if node is not None:
            out.extend(walker.node(node, instance.get(part), 1))
    return out
