"""Jinja2 for outputs: templates from ``brokerage.templates``, autoescape always on, and every value
made printable (:func:`brokerage.text.printable`) before it is escaped."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined

from brokerage.text import printable


def _load(name: str) -> str:
    return files("brokerage.templates").joinpath(name).read_text(encoding="utf-8")


@cache
def environment() -> Environment:
    # autoescape=True for every template, whatever its name: every value is escaped unless marked safe.
    return Environment(
        loader=FunctionLoader(_load),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_printable,
    )


def _printable(value: Any) -> Any:
    """What a ``{{ … }}`` prints: text with its control characters made visible (ESC → ␛)."""
    return printable(value) if isinstance(value, str) else value


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
