"""The widget registry: the most specific tester wins, and ties are refused."""

from __future__ import annotations

import pytest

from brokerage.errors import SchemaError
from brokerage.generator.widgets import (
    CHECKBOX,
    CHOICE,
    DATE,
    MULTILINE,
    NUMBER,
    RADIO,
    REGISTRY,
    SIGNATURE,
    TEXT,
    TIME,
    Rank,
    rank_with,
    widget_for,
)
from brokerage.schema import default_catalogue


@pytest.mark.parametrize(
    ("node", "widget"),
    [
        ({"type": "string"}, TEXT),
        ({"type": "string", "x-widget": "multiline"}, MULTILINE),
        ({"type": "string", "format": "date"}, DATE),
        ({"type": "string", "format": "date", "x-widget": "date"}, DATE),
        ({"type": "string", "x-widget": "time"}, TIME),
        ({"type": "number"}, NUMBER),
        ({"type": "integer"}, NUMBER),
        ({"type": "boolean"}, CHECKBOX),
        ({"type": "boolean", "x-widget": "signature"}, SIGNATURE),
        ({"type": "string", "enum": ["Yes", "No"]}, RADIO),
        ({"type": "string", "enum": ["Morning", "Afternoon", "Evening", "Overnight"]}, CHOICE),
        ({"type": "string", "enum": ["Resource Allocation Panel", "Care plan reviewed in the last 6 months"]}, CHOICE),
    ],
)
def test_most_specific_widget_wins(node: dict, widget: object) -> None:
    assert widget_for(node) is widget


def test_a_tie_between_two_widgets_is_a_schema_error() -> None:
    registry = (*REGISTRY, (rank_with(Rank.hint, lambda n: n.get("x-widget") == "multiline"), TEXT))
    with pytest.raises(SchemaError, match="could be drawn as multiline, text"):
        widget_for({"type": "string", "x-widget": "multiline"}, "/part_x/notes", registry)


def test_a_node_nothing_can_draw_is_a_schema_error() -> None:
    with pytest.raises(SchemaError, match="No widget can draw"):
        widget_for({"type": "null"}, "/part_x/nothing")


def test_every_schema_leaf_has_a_widget() -> None:
    kinds = {widget_for(leaf.node, leaf.pointer).kind for leaf in default_catalogue().leaves}
    assert kinds == {"text", "multiline", "date", "time", "number", "checkbox", "radio", "choice", "signature"}
