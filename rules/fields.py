"""Where a pointer is on the form: its label, section, child slot and form order; and the Problem builder.

Messages name a child by slot ("child 2"), never by name, and quote field labels; typed values appear only
where a person needs them to act (see :mod:`brokerage.rules.registry`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from brokerage.schema import Leaf, Problem, Severity, leaf_for_pointer, leaves, load_schema, resolve
from brokerage.schema.catalogue import container_title, template

_SECTION_NUMBER = re.compile(r"^Section \d+ – ")


@cache
def _first_leaf_under(prefix: str) -> Leaf | None:
    for leaf in leaves():
        if leaf.pointer == prefix or leaf.pointer.startswith(prefix + "/"):
            return leaf
    return None


def field_label(pointer: str) -> str:
    """The label printed on the form: the leaf's title, or the container's title (a table, a part)."""
    leaf = leaf_for_pointer(pointer)
    if leaf is not None:
        return leaf.title
    return container_title(pointer) if pointer else "Whole form"


def section_of(pointer: str) -> str:
    leaf = leaf_for_pointer(pointer) or _first_leaf_under(template(pointer))
    return leaf.section if leaf is not None else ""


def short_section(section: str) -> str:
    return _SECTION_NUMBER.sub("", section)


def child_slot(pointer: str) -> int | None:
    """1-based child number for pointers under ``/part_a/children/N`` or ``/annex_1/children/N``."""
    match = re.match(r"^/(?:part_a|annex_1)/children/(\d+)(?:/|$)", pointer)
    return int(match.group(1)) + 1 if match else None


def place(pointer: str) -> str:
    """The start of a message: section, and the child's slot when there is one ("Details of the child (child 2): ")."""
    where = short_section(section_of(pointer) or section_of(pointer.rsplit("/", 1)[0]))
    slot = child_slot(pointer)
    if slot is not None:
        where += f" (child {slot})"
    return f"{where}: " if where else ""


def field_phrase(pointer: str) -> str:
    """The quoted label with the row or item it belongs to, e.g. ``'Hours' (Term time: days, times and hours, Monday)``.

    Children are not named here (see :func:`place`).
    """
    tokens = [t for t in pointer.strip("/").split("/") if t]
    context: list[str] = []
    node: Mapping[str, Any] = resolve(load_schema())
    parent_is_table = False
    for i, token in enumerate(tokens[:-1]):
        if token.isdigit():
            items = resolve(node.get("items") or {})
            if i == 0 or tokens[i - 1] != "children":
                item_title = items.get("title")
                context.append(f"{item_title} {int(token) + 1}" if item_title
                               else f"{node.get('title', 'item')}, row {int(token) + 1}")
            node, parent_is_table = items, False
            continue
        node = resolve(node.get("properties", {}).get(token) or {})
        if parent_is_table or node.get("x-widget") == "timetable":
            context.append(node.get("title", token))
        parent_is_table = node.get("x-widget") == "timetable"
    label = f"'{field_label(pointer)}'"
    if tokens and tokens[-1].isdigit():
        label = f"'{field_label(pointer)} {int(tokens[-1]) + 1}'"
    return f"{label} ({', '.join(context)})" if context else label


@cache
def _property_positions() -> dict[str, int]:
    """Position of every property name within its parent, keyed by parent template + name."""
    positions: dict[str, int] = {}

    def walk(node: Mapping[str, Any], at: str, depth: int) -> None:
        node = resolve(node)
        if depth > 12:
            return
        for i, (name, child) in enumerate(node.get("properties", {}).items()):
            positions[f"{at}/{name}"] = i
            walk(child, f"{at}/{name}", depth + 1)
        if isinstance(node.get("items"), Mapping):
            walk(node["items"], f"{at}/*", depth + 1)

    walk(load_schema(), "", 0)
    return positions


def form_order(pointer: str) -> tuple[int, ...]:
    """A sort key that puts pointers in the order their boxes appear on the form.

    Follows the schema's property order (the order of :func:`brokerage.schema.leaves`), with
    repeats in index order, so child 1's boxes all come before child 2's. A container sorts just
    before its first box; unknown steps sort last within their parent.
    """
    positions = _property_positions()
    key: list[int] = []
    at = ""
    for token in (t for t in pointer.strip("/").split("/") if t):
        if token.isascii() and token.isdigit():  # an index; not '²', which int() refuses
            key.append(int(token))
            at += "/*"
        else:
            at += f"/{token}"
            key.append(positions.get(at, 10_000))
    return tuple(key)


def make_problem(pointer: str, rule: str, severity: Severity, message: str) -> Problem:
    """A complete Problem for ``pointer``: label and section from the schema, page left to the processor."""
    parent = pointer.rsplit("/", 1)[0]
    return Problem(
        pointer=pointer,
        field=field_label(pointer) or pointer.rsplit("/", 1)[-1],
        rule=rule,
        severity=severity,
        message=message,
        section=section_of(pointer) or section_of(parent),
    )
