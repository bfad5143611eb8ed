"""What kind of value each box holds, decided once per box from the schema.

A :class:`BoxKind` is a row of facts about one kind of box: the widget that draws it, the JSON type of
its value, how typed text becomes that value, the name its reading problems carry, and what a person
is told to put in it. :data:`BOX_KINDS` is the one table of them; adding a kind of box is one row.

Which kind a box is comes from the schema alone, by ranked testers as in JSON Forms: the JSON type
(weakest), a ``format``, an ``enum``, the ``$defs`` entry the node refers to (``#/$defs/hours`` makes an
hours box), and strongest an explicit ``x-widget`` hint naming a kind. Never from a title. A tie between
two kinds is a :class:`~brokerage.errors.SchemaError`: the schema adds a hint to choose.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, TypeVar

from brokerage.errors import SchemaError
from brokerage.schema.parsing import (
    parse_choice,
    parse_date,
    parse_hours,
    parse_money,
    parse_number,
    parse_time,
    parse_yes_no,
)

Node = Mapping[str, Any]
Tester = Callable[[Node], int]
T = TypeVar("T")
NOT_APPLICABLE = -1
EXAMPLE_DATE = "14/06/2015"
"""The date the toolkit's messages show as an example of how to write one."""


class Rank(IntEnum):
    """Named ranks: the more specific the evidence, the higher the rank."""

    type = 1
    """The JSON type alone (string, number, boolean)."""
    format = 2
    """A standard ``format`` (``date``)."""
    enum = 3
    """A list of allowed values."""
    definition = 4
    """The ``$defs`` entry the node refers to (``#/$defs/money``)."""
    hint = 5
    """An explicit ``x-widget`` hint in the schema."""


Parse = Callable[[str, tuple[str, ...]], Any]
"""Typed text (never blank) and the box's options → the schema value; raises ``CoercionError``."""


def _keep(text: str, options: tuple[str, ...]) -> str:
    return text


@dataclass(frozen=True)
class BoxKind:
    """One kind of box and everything the toolkit does differently for it."""

    name: str
    """Also the ``x-widget`` hint that asks for this kind."""
    widget: str
    """The generator's widget that draws it (:data:`brokerage.generator.widgets.WIDGETS`)."""
    value: str
    """JSON type of the value: ``string``, ``number``, ``integer`` or ``boolean``."""
    parse: Parse | None
    """Typed text → value; ``None`` for tick boxes, whose value is the button's state."""
    check: str
    """Problems reading it are ``coerce:<check>``."""
    definitions: tuple[str, ...] = ()
    """``$defs`` entries whose boxes are of this kind."""
    fix: str = ""
    """What to put in the box, said after a problem (``{options}`` lists a choice's options)."""
    must: str = ""
    """What a value must look like, said when its pattern is not met ("must be 4 to 10 digits")."""
    steps: str = ""
    """The unit its ``multipleOf`` stands for ("pounds and pence")."""
    text: bool = False
    """The value is kept as typed: a placeholder ("-", "TBC") is no answer."""
    default_for: tuple[str, ...] = ()
    """JSON types (``type``), ``format:…`` or ``enum`` for which this kind is the fallback."""

    @property
    def ticked(self) -> bool:
        """Its value is a button's state (ticked, signed), not typed text."""
        return self.value == "boolean"


TEXT = BoxKind("text", "text", "string", _keep, "text", text=True, default_for=("string",))
MULTILINE = BoxKind("multiline", "multiline", "string", _keep, "text", text=True)
DATE = BoxKind("date", "date", "string", lambda text, _: parse_date(text), "date", definitions=("date",),
               fix=f"Enter a date like {EXAMPLE_DATE}.", default_for=("format:date",))
TIME = BoxKind("time", "time", "string", lambda text, _: parse_time(text), "time", definitions=("time_of_day",),
               must="must be a 24-hour time like 09:30")
HOURS = BoxKind("hours", "number", "number", lambda text, _: parse_hours(text), "hours", definitions=("hours",),
                fix="Enter a number.", steps="quarter hours (for example 1.25 or 1.5)")
MONEY = BoxKind("money", "number", "number", lambda text, _: parse_money(text), "money", definitions=("money",),
                fix="Enter a number.", steps="pounds and pence")
NUMBER = BoxKind("number", "number", "number", lambda text, _: parse_number(text), "number",
                 fix="Enter a number.", default_for=("number",))
WHOLE_NUMBER = BoxKind("whole-number", "number", "integer", lambda text, _: parse_number(text, integer=True),
                       "number", default_for=("integer",))
YES_NO = BoxKind("yes-no", "choice", "string", parse_yes_no, "choice", definitions=("yes_no",),
                 fix="Answer Yes or No.")
CHOICE = BoxKind("choice", "choice", "string", parse_choice, "choice", fix="Choose one of: {options}.",
                 default_for=("enum",))
TICK = BoxKind("tick", "checkbox", "boolean", None, "boolean", default_for=("boolean",))
SIGNATURE = BoxKind("signature", "signature", "boolean", None, "boolean", definitions=("signature",))
TELEPHONE = BoxKind("telephone", "text", "string", _keep, "text", definitions=("telephone",), text=True,
                    must="must be a telephone number of 10 to 20 digits (spaces, brackets and a leading + are fine)")
EMAIL = BoxKind("email", "text", "string", _keep, "text", definitions=("email",), text=True,
                must="must be an email address like name@example.org")
MOSAIC_ID = BoxKind("mosaic-id", "text", "string", _keep, "text", definitions=("mosaic_id",), text=True,
                    must="must be 4 to 10 digits")
REFERENCE = BoxKind("reference", "text", "string", _keep, "text", definitions=("reference",), text=True,
                    must="must be a brokerage reference: BRK, the year and a four-digit number, written BRK-YYYY-NNNN")

BOX_KINDS: tuple[BoxKind, ...] = (
    TEXT, MULTILINE, DATE, TIME, HOURS, MONEY, NUMBER, WHOLE_NUMBER, YES_NO, CHOICE, TICK, SIGNATURE, TELEPHONE,
    EMAIL, MOSAIC_ID, REFERENCE,
)
"""Every kind of box. A new kind is one row here (and, if no widget draws it yet, one widget)."""


# --- the testers -------------------------------------------------------------------------------


def rank_with(rank: Rank, predicate: Callable[[Node], bool]) -> Tester:
    return lambda node: int(rank) if predicate(node) else NOT_APPLICABLE


def schema_type_is(*types: str) -> Callable[[Node], bool]:
    return lambda node: node.get("type") in types


def format_is(fmt: str) -> Callable[[Node], bool]:
    return lambda node: node.get("format") == fmt


def has_enum(node: Node) -> bool:
    return isinstance(node.get("enum"), list)


def refers_to(definition: str) -> Callable[[Node], bool]:
    """The node's ``$ref`` chain passes through ``#/$defs/<definition>`` (see ``Resolved.definitions``)."""
    return lambda node: definition in getattr(node, "definitions", ())


def widget_hint_is(hint: str) -> Callable[[Node], bool]:
    return lambda node: node.get("x-widget") == hint


def _fallback_tester(evidence: str) -> Tester:
    if evidence == "enum":
        return rank_with(Rank.enum, has_enum)
    if evidence.startswith("format:"):
        return rank_with(Rank.format, format_is(evidence.removeprefix("format:")))
    return rank_with(Rank.type, schema_type_is(evidence))


def registry(kinds: Sequence[BoxKind] = BOX_KINDS) -> tuple[tuple[Tester, BoxKind], ...]:
    """The ranked testers the rows of ``kinds`` stand for: their fallbacks, their ``$defs`` and their hint."""
    out: list[tuple[Tester, BoxKind]] = []
    for kind in kinds:
        out.extend((_fallback_tester(evidence), kind) for evidence in kind.default_for)
        out.extend((rank_with(Rank.definition, refers_to(name)), kind) for name in kind.definitions)
        out.append((rank_with(Rank.hint, widget_hint_is(kind.name)), kind))
    return tuple(out)


REGISTRY: tuple[tuple[Tester, BoxKind], ...] = registry()


def ranked(node: Node, entries: Sequence[tuple[Tester, T]]) -> list[T]:
    """The distinct values of ``entries`` whose testers give ``node`` the highest score, in registry
    order: one on a clear win, several on a tie, none when nothing applies."""
    best: list[T] = []
    top = NOT_APPLICABLE
    for tester, value in entries:
        score = tester(node)
        if score == NOT_APPLICABLE or score < top:
            continue
        if score > top:
            top, best = score, [value]
        elif value not in best:
            best.append(value)
    return best


def choose(node: Node, entries: Sequence[tuple[Tester, T]], pointer: str, name: Callable[[T], str],
           could_be: str, none: str) -> T:
    """The one value of ``entries`` that ranks highest for ``node``. Raises :class:`SchemaError` when nothing
    applies (``none``, completed with the field) or when two values tie ("could be ``could_be`` a, b")."""
    best = ranked(node, entries)
    if not best:
        raise SchemaError(none.format(field=pointer or dict(node)))
    if len(best) > 1:
        names = ", ".join(name(value) for value in best)
        raise SchemaError(f"The schema field {pointer} could be {could_be}{names}: add an x-widget hint to choose.")
    return best[0]


def box_kind_for(node: Node, pointer: str = "", entries: Sequence[tuple[Tester, BoxKind]] = REGISTRY) -> BoxKind:
    """The kind of box a resolved schema node is. Raises :class:`SchemaError` when nothing applies or when
    two kinds tie."""
    return choose(node, entries, pointer, lambda kind: kind.name, "",
                  "The schema field {field!r} holds no kind of value a box can take.")
