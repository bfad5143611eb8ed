"""The widget registry: which kind of box each schema node becomes.

As in JSON Forms, a registry entry is a *tester* (a small predicate over the resolved schema node,
scored with :func:`rank_with`) and the :class:`Widget` it selects. The highest score wins; a tie
between two entries is a schema error, not a silent choice. Adding a schema leaf therefore adds a
box with no code change, and adding a kind of box is one :class:`Widget` plus one registry line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from brokerage.errors import SchemaError

Node = Mapping[str, Any]
Tester = Callable[[Node], int]
NOT_APPLICABLE = -1


class Rank(IntEnum):
    """Named ranks: the more specific the evidence, the higher the rank."""

    type = 1
    """The JSON type alone (string, number, boolean)."""
    format = 2
    """A standard ``format`` (``date``)."""
    enum = 3
    """A list of allowed values."""
    short_enum = 4
    """A short list of short values: radio buttons read better than a drop-down."""
    hint = 5
    """An explicit ``x-widget`` hint in the schema."""


@dataclass(frozen=True)
class Widget:
    """A kind of box: what the PDF field is and how much room it takes."""

    kind: str
    """``text``, ``multiline``, ``date``, ``time``, ``number``, ``checkbox``, ``radio``, ``choice``, ``signature``."""
    pdf_type: str
    """``/Tx``, ``/Btn``, ``/Ch`` or ``/Sig``."""
    width: float
    """Share of the content width in a flowing layout (1.0: a row of its own)."""
    height: float
    """Height of the box in points."""
    cell_width: float
    """Width in points as a table cell (0: share the remaining width)."""
    placeholder: str = ""
    """How to write the value, printed beside the label (``dd/mm/yyyy``)."""


TEXT = Widget("text", "/Tx", 0.5, 18, 0)
MULTILINE = Widget("multiline", "/Tx", 1.0, 80, 0)
DATE = Widget("date", "/Tx", 0.5, 18, 78, "dd/mm/yyyy")
TIME = Widget("time", "/Tx", 0.5, 18, 52, "hh:mm, 24-hour")
NUMBER = Widget("number", "/Tx", 0.5, 18, 52, "a number")
CHECKBOX = Widget("checkbox", "/Btn", 0.5, 13, 16)
RADIO = Widget("radio", "/Btn", 0.5, 12, 0)
CHOICE = Widget("choice", "/Ch", 0.5, 18, 150)
SIGNATURE = Widget("signature", "/Sig", 0.5, 44, 0, "digital signature")

RADIO_MAX_OPTIONS = 3
RADIO_MAX_LABEL = 20


def schema_type_is(*types: str) -> Callable[[Node], bool]:
    return lambda node: node.get("type") in types


def format_is(fmt: str) -> Callable[[Node], bool]:
    return lambda node: node.get("format") == fmt


def widget_hint_is(hint: str) -> Callable[[Node], bool]:
    return lambda node: node.get("x-widget") == hint


def has_enum(node: Node) -> bool:
    return isinstance(node.get("enum"), list)


def has_short_enum(node: Node) -> bool:
    values = node.get("enum")
    return (
        isinstance(values, list)
        and len(values) <= RADIO_MAX_OPTIONS
        and all(len(str(v)) <= RADIO_MAX_LABEL for v in values)
    )


def rank_with(rank: Rank, predicate: Callable[[Node], bool]) -> Tester:
    return lambda node: int(rank) if predicate(node) else NOT_APPLICABLE


REGISTRY: tuple[tuple[Tester, Widget], ...] = (
    (rank_with(Rank.type, schema_type_is("string")), TEXT),
    (rank_with(Rank.type, schema_type_is("number", "integer")), NUMBER),
    (rank_with(Rank.type, schema_type_is("boolean")), CHECKBOX),
    (rank_with(Rank.format, format_is("date")), DATE),
    (rank_with(Rank.enum, has_enum), CHOICE),
    (rank_with(Rank.short_enum, has_short_enum), RADIO),
    (rank_with(Rank.hint, widget_hint_is("date")), DATE),
    (rank_with(Rank.hint, widget_hint_is("time")), TIME),
    (rank_with(Rank.hint, widget_hint_is("multiline")), MULTILINE),
    (rank_with(Rank.hint, widget_hint_is("signature")), SIGNATURE),
)


def widget_for(node: Node, pointer: str = "", registry: tuple[tuple[Tester, Widget], ...] = REGISTRY) -> Widget:
    """The widget with the highest rank for a resolved schema node.

    Raises :class:`SchemaError` when nothing applies or when two different widgets tie.
    """
    best: list[tuple[int, Widget]] = []
    for tester, widget in registry:
        score = tester(node)
        if score == NOT_APPLICABLE:
            continue
        if not best or score > best[0][0]:
            best = [(score, widget)]
        elif score == best[0][0] and widget not in [w for _, w in best]:
            best.append((score, widget))
    if not best:
        raise SchemaError(f"No widget can draw the schema field {pointer or node!r}.")
    if len(best) > 1:
        kinds = ", ".join(w.kind for _, w in best)
        raise SchemaError(f"The schema field {pointer} could be drawn as {kinds}: add an x-widget hint to choose.")
    return best[0][1]
