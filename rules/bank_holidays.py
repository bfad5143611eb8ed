"""General point 8: no support on bank holidays unless assessed and named in the additional notes."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.text import BANK_HOLIDAY_WORDS, DC_NOTES, HOLIDAY_TABLE, SB_NOTES, SB_TABLE, TERM_TABLE
from brokerage.rules.values import DAYS, date_at, date_ranges_at, form_date, items_at, text_at
from brokerage.rules.values import rows_at as _rows
from brokerage.rules.workdays import bank_holidays_between

MAX_SPAN_DAYS = 3 * 366  # longer periods are reported by the dates rules; do not list years of holidays

CLAUSE = re.compile(r"[^.;!?\n]+")
NOT_NEEDED = re.compile(
    r"\b(?:no|not|never|none|nothing|except|excluding|excluded|exclude|apart from|other than|without|off|closed|"
    r"stops?|away|covered by family|manage)\b|n['’]t\b",
    re.IGNORECASE,
)
NEEDED = re.compile(
    r"\b(?:need(?:s|ed)?|requir(?:e|es|ed)|assess(?:ed|ment)|includ(?:e|es|ed|ing)|cover|support|care|agreed|"
    r"continue|same|also|too|as well|run|provide|please)\b",
    re.IGNORECASE,
)


def names_bank_holiday_support(text: str | None) -> bool:
    """``text`` (an "Additional notes" box) names support on bank holidays as a need: a clause that mentions bank
    holidays says they are needed, included or assessed, and does not say they are not. Best effort: its
    precision and recall on a corpus of realistic notes are in ``docs/guidance-coverage.md``."""
    for clause in CLAUSE.finditer(text or ""):
        words = clause.group(0)
        if BANK_HOLIDAY_WORDS.search(words) and NEEDED.search(words) and not NOT_NEEDED.search(words):
            return True
    return False


def _weekdays(instance: Mapping[str, Any], table: str) -> set[int]:
    return {DAYS.index(day) for day, _row in _rows(instance, table)}


def _school_holidays(instance: Mapping[str, Any]) -> list[tuple[date, date]]:
    return [
        (first, last)
        for index, _child in items_at(instance, "/part_a/children")
        for _base, first, last in date_ranges_at(instance, f"/part_a/children/{index}/school_holidays")
        if first and last
    ]


def _in_school_holiday(day: date, ranges: list[tuple[date, date]]) -> bool:
    return any(first <= day <= last for first, last in ranges)


@rule(
    "guidance-8-bank-holidays",
    point="8",
    title="No support on bank holidays unless named",
    guidance=(
        "Support will not be provided on bank holidays unless it has been assessed as a need and specifically "
        "mentioned in the appropriate 'Additional notes' box."
    ),
)
def bank_holidays(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    """Days in the tables that fall on a bank holiday in England between the start and end of service.

    Domiciliary care uses the school-holiday table on bank holidays inside any child's school holidays and
    the term-time table on the others (both when no school holidays are given).
    """
    start = date_at(instance, "/part_a/services/start_date")
    end = date_at(instance, "/part_a/services/end_date")
    if not start or not end or end < start or (end - start).days > MAX_SPAN_DAYS:
        return
    holidays = bank_holidays_between(start, end)
    school = _school_holidays(instance)
    for tables, notes in (((SB_TABLE,), SB_NOTES), ((TERM_TABLE, HOLIDAY_TABLE), DC_NOTES)):
        if names_bank_holiday_support(text_at(instance, notes)):
            continue
        weekdays = {table: _weekdays(instance, table) for table in tables}
        hits: list[str] = []
        for day, name in holidays:
            if len(tables) == 1 or not school:
                applies = tables
            else:
                applies = (HOLIDAY_TABLE,) if _in_school_holiday(day, school) else (TERM_TABLE,)
            if any(day.weekday() in weekdays[table] for table in applies):
                hits.append(f"{form_date(day)} ({name})")
        if hits:
            yield Finding(
                notes,
                f"{ctx.place(notes)}support is asked for on days that are bank holidays in England between the start "
                f"and end of service: {', '.join(hits)}. Support is not provided on bank holidays unless it has been "
                f"assessed as a need and named in {ctx.phrase(notes)}.",
            )
