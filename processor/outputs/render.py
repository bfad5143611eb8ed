"""Jinja2 for outputs: templates from ``brokerage.templates``, autoescape always on."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined


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
    )


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
