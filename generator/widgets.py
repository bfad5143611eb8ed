"""The widget registry: how each kind of box is drawn.

What kind of value a box holds is the schema's decision (:mod:`brokerage.schema.boxes`, one ranked
registry of testers, JSON Forms style); each kind names the :class:`Widget` that draws it
(:data:`WIDGETS`). A choice with a few short options is drawn as radio buttons, a longer one as a
drop-down. Adding a schema leaf therefore adds a box with no code change; adding a kind of box is one
row of :data:`brokerage.schema.boxes.BOX_KINDS`, and one :class:`Widget` here only when no widget
draws it yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from brokerage.schema import Leaf
from brokerage.schema.boxes import REGISTRY as BOX_REGISTRY
from brokerage.schema.boxes import Rank, Tester, choose, rank_with

__all__ = ["REGISTRY", "WIDGETS", "Rank", "Widget", "rank_with", "widget_for", "widget_of"]

Node = Mapping[str, Any]


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

WIDGETS: dict[str, Widget] = {
    widget.kind: widget for widget in (TEXT, MULTILINE, DATE, TIME, NUMBER, CHECKBOX, CHOICE, SIGNATURE)
}
"""The widget each kind of box names (:attr:`brokerage.schema.BoxKind.widget`). ``radio`` is how a short
``choice`` is drawn."""

RADIO_MAX_OPTIONS = 3
RADIO_MAX_LABEL = 20


def has_short_enum(node: Node) -> bool:
    values = node.get("enum")
    return (
        isinstance(values, list)
        and len(values) <= RADIO_MAX_OPTIONS
        and all(len(str(v)) <= RADIO_MAX_LABEL for v in values)
    )


def _drawn(widget: Widget, node: Node) -> Widget:
    """A drop-down with a few short options is drawn as radio buttons instead."""
    return RADIO if widget is CHOICE and has_short_enum(node) else widget


REGISTRY: tuple[tuple[Tester, Widget], ...] = tuple((tester, WIDGETS[kind.widget]) for tester, kind in BOX_REGISTRY)
"""The schema's registry of box kinds, each entry naming the kind's widget: for a schema node that is not
(yet) a leaf of a catalogue."""


def widget_for(node: Node, pointer: str = "", registry: tuple[tuple[Tester, Widget], ...] = REGISTRY) -> Widget:
    """The widget with the highest rank for a resolved schema node.

    Raises :class:`SchemaError` when nothing applies or when two different widgets tie.
    """
    best = choose(node, registry, pointer, lambda widget: widget.kind, "drawn as ",
                  "No widget can draw the schema field {field!r}.")
    return _drawn(best, node)


def widget_of(leaf: Leaf) -> Widget:
    """The widget that draws a box of the catalogue: its kind's."""
    return _drawn(WIDGETS[leaf.box.widget], leaf.node)
