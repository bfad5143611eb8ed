"""Reading an instance defensively: every accessor returns ``None`` (or nothing) for a missing or
wrong-typed value, so a rule never crashes on partial data; the schema already reports the type."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from brokerage.schema import get_at
from brokerage.schema.answers import is_none_answer, is_placeholder

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def text_at(instance: Any, pointer: str) -> str | None:
    value = get_at(instance, pointer)
    return value if isinstance(value, str) else None


def filled_text(instance: Any, pointer: str) -> str | None:
    """The text at ``pointer`` when it has something other than whitespace."""
    value = text_at(instance, pointer)
    return value if value is not None and value.strip() else None


def answer_at(instance: Any, pointer: str) -> str | None:
    """Filled text that is an answer: not "None"/"N/A" and not a placeholder ("TBC", "?")."""
    value = filled_text(instance, pointer)
    return None if value is None or is_none_answer(value) or is_placeholder(value) else value


def date_at(instance: Any, pointer: str) -> date | None:
    value = get_at(instance, pointer)
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def number_at(instance: Any, pointer: str) -> float | None:
    value = get_at(instance, pointer)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def minutes_at(instance: Any, pointer: str) -> int | None:
    """Minutes after midnight for an ``hh:mm`` value."""
    value = get_at(instance, pointer)
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"([01][0-9]|2[0-3]):([0-5][0-9])", value)
    return int(match.group(1)) * 60 + int(match.group(2)) if match else None


def items_at(instance: Any, pointer: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """``(index, item)`` for every object in the array at ``pointer``."""
    value = get_at(instance, pointer)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, Mapping):
                yield index, item


def date_ranges_at(instance: Any, pointer: str) -> Iterator[tuple[str, date | None, date | None]]:
    """``(item pointer, from, to)`` for every object in the array at ``pointer`` (a list of ``from``/``to`` dates)."""
    for index, _item in items_at(instance, pointer):
        base = f"{pointer}/{index}"
        yield base, date_at(instance, f"{base}/from"), date_at(instance, f"{base}/to")


def rows_at(instance: Any, table: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """``(day, row)`` for every filled day row of the weekly timetable at ``table`` (a row with nothing but
    0 hours is empty)."""
    value = get_at(instance, table)
    if isinstance(value, Mapping):
        for day in DAYS:
            row = value.get(day)
            if isinstance(row, Mapping) and any(
                value not in (None, "") and not (key == "hours" and value == 0) for key, value in row.items()
            ):
                yield day, row


def ticked(instance: Any, pointer: str) -> bool:
    return get_at(instance, pointer) is True


def yes(instance: Any, pointer: str) -> bool:
    return get_at(instance, pointer) == "Yes"


def form_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")
