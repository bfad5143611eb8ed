"""Details of service(s) required: the relevant section only, days and times in the tables, the time of
day for every requirement, hours that agree with the times and weekly totals that add up."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.text import (
    DC_NOTES,
    DOM_CARE,
    HOLIDAY_TABLE,
    SB_NOTES,
    SB_TABLE,
    SHORT_BREAK,
    TERM_TABLE,
    mentions,
    quote_list,
)
from brokerage.rules.values import filled_text, minutes_at, number_at, rows_at, text_at
from brokerage.schema import Severity, get_at

PART_A_TABLES = (SB_TABLE, TERM_TABLE, HOLIDAY_TABLE)


@rule(
    "guidance-services-relevant-section-only",
    point="Details of Service(s) Required",
    title="Tick the service you complete",
    guidance=(
        "Only complete the section relevant to the support requirements: Short Break (specialist play and "
        "leisure) under Lot 1, Domiciliary Care, or both."
    ),
)
def relevant_section_only(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    for section in (SHORT_BREAK, DOM_CARE):
        value = get_at(instance, section)
        if not isinstance(value, Mapping):
            continue
        filled = [key for key, v in value.items() if key != "required" and v not in (None, "", {}, [])]
        if filled and value.get("required") is not True:
            pointer = f"{section}/required"
            yield Finding(
                pointer,
                f"{ctx.place(pointer)}boxes are filled in but {ctx.phrase(pointer)} is not ticked. Tick it if this "
                "support is needed, otherwise clear the boxes: only complete the section for the support required.",
            )


DAY_OR_TIME = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|\bweek[\s-]?(?:ends?|days?)\b"
    r"|\b\d{1,2}(?:[:.]\d{2})?\s*(?:-|–|to)\s*\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)\b"
    r"|\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)\b|\b(?:[01]?\d|2[0-3]):[0-5]\d\b"
    r"|\b\d+(?:\.\d+)?\s*(?:hours?|hrs?)\b|\bafter school\b",
    re.IGNORECASE,
)

# Text boxes and the table(s) their days and times belong in.
NOTES_AND_TABLES = (
    (SB_NOTES, (SB_TABLE,)),
    (DC_NOTES, (TERM_TABLE, HOLIDAY_TABLE)),
    (f"{DOM_CARE}/activities", (TERM_TABLE, HOLIDAY_TABLE)),
)


@rule(
    "guidance-services-times-in-tables",
    point="Details of Service(s) Required",
    title="Days, times and hours in the tables",
    guidance=(
        "Times, days, hours etc. of when the support is required must be completed in the tables and not typed "
        "within the text elsewhere on the form."
    ),
)
def times_in_tables(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    """Days or times in a text box while its table is empty; or weekdays named there with no row in the table."""
    for notes, tables in NOTES_AND_TABLES:
        text = text_at(instance, notes)
        words = mentions(DAY_OR_TIME, text)
        if not words:
            continue
        filled = {day for table in tables for day, _row in rows_at(instance, table)}
        table_names = " and ".join(f"'{ctx.catalogue.field_label(table)}'" for table in tables)
        if not filled:
            yield Finding(
                notes,
                f"{ctx.place(notes)}{ctx.phrase(notes)} gives days or times ({quote_list(words)}) but {table_names} "
                f"{'is' if len(tables) == 1 else 'are'} empty. Put the days, times and hours in the table.",
            )
            continue
        missing = [day for day in mentions(WEEKDAY, text) if _weekday(day) not in filled]
        if missing:
            yield Finding(
                notes,
                f"{ctx.place(notes)}{ctx.phrase(notes)} names {quote_list(missing)} but {table_names} "
                f"{'has' if len(tables) == 1 else 'have'} no row for {'it' if len(missing) == 1 else 'them'}. "
                "Put the days, times and hours in the table.",
            )


WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b", re.IGNORECASE)


def _weekday(word: str) -> str:
    return word.casefold().removesuffix("s")


@rule(
    "guidance-services-time-of-day",
    point="Details of Service(s) Required",
    title="Time of day and hours for every requirement",
    guidance=(
        "For all support requirements, indicate the time of day support is required: specific times, or the "
        "part of the day and the number of hours (for example morning, 3 hours), with a note under 'Additional "
        "notes' such as preferred mornings but can be flexible."
    ),
    severity=Severity.error,
)
def time_of_day(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    for table in PART_A_TABLES:
        for day, row in rows_at(instance, table):
            base = f"{table}/{day}"
            has_times = "from" in row or "to" in row
            has_part = bool(row.get("part_of_day"))
            if not has_times and not has_part:
                pointer = f"{base}/part_of_day"
                yield Finding(
                    pointer,
                    f"{ctx.place(pointer)}{ctx.phrase(pointer)} is blank and no times are given. Give the times "
                    "(from and to) or the part of the day.",
                )
            if "hours" not in row:
                pointer = f"{base}/hours"
                yield Finding(
                    pointer,
                    f"{ctx.place(pointer)}{ctx.phrase(pointer)} is blank. Give the number of hours needed that day.",
                )


def _hours(value: float) -> str:
    return f"{value:g}"


@rule(
    "guidance-services-hours-match-times",
    point="Details of Service(s) Required",
    title="Hours per day agree with the times",
    guidance="The hours per day in each table must agree with the times given (from 09:00 to 10:30 is 1.5 hours).",
    severity=Severity.error,
)
def hours_match_times(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    for table in PART_A_TABLES:
        for day, _row in rows_at(instance, table):
            base = f"{table}/{day}"
            start, end = minutes_at(instance, f"{base}/from"), minutes_at(instance, f"{base}/to")
            hours = number_at(instance, f"{base}/hours")
            if start is None or end is None or hours is None or start == end:
                continue
            span = ((end - start) % (24 * 60)) / 60
            if abs(span - hours) > 0.01:
                pointer = f"{base}/hours"
                yield Finding(
                    pointer,
                    f"{ctx.place(pointer)}{ctx.phrase(pointer)} is {_hours(hours)} but from "
                    f"{get_at(instance, base + '/from')} to {get_at(instance, base + '/to')} is {_hours(span)} hours. "
                    "Correct the hours or the times.",
                )


WEEKLY_TOTALS = (
    (TERM_TABLE, f"{DOM_CARE}/term_time_weekly_hours"),
    (HOLIDAY_TABLE, f"{DOM_CARE}/holidays_weekly_hours"),
)


@rule(
    "guidance-domcare-weekly-hours",
    point="For Domiciliary Care",
    title="Total weekly hours add up",
    guidance=(
        "Ensure the hours per day and the total weekly hours are completed; the total weekly hours are the sum "
        "of the hours per day, for term time and for school holidays separately."
    ),
    severity=Severity.error,
)
def weekly_hours(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    for table, total_pointer in WEEKLY_TOTALS:
        total = number_at(instance, total_pointer)
        if total is None:
            continue
        day_hours = [number_at(instance, f"{table}/{day}/hours") for day, _row in rows_at(instance, table)]
        if any(h is None for h in day_hours):
            continue  # a blank or wrong day is reported by its own rule; the sum would mislead
        added = sum(h for h in day_hours if h is not None)
        if abs(added - total) > 0.01:
            yield Finding(
                total_pointer,
                f"{ctx.place(total_pointer)}{ctx.phrase(total_pointer)} is {_hours(total)} but the hours per day in "
                f"'{ctx.catalogue.field_label(table)}' add up to {_hours(added)}. Correct the total or the hours "
                "per day.",
            )


@rule(
    "guidance-services-see-additional-notes",
    point="For Domiciliary Care",
    title="'See additional notes' needs the notes",
    guidance=(
        "For getting ready for school, give a time range in 'Additional notes' (for example 1 hour required "
        "between 7am and 8.30am), put 'See Additional Notes' in the box for the day and the hours per day in "
        "the table."
    ),
    severity=Severity.error,
)
def see_additional_notes(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    for tables, notes in (((SB_TABLE,), SB_NOTES), ((TERM_TABLE, HOLIDAY_TABLE), DC_NOTES)):
        asked = any(
            row.get("part_of_day") == "See additional notes"
            for table in tables
            for _day, row in rows_at(instance, table)
        )
        if asked and filled_text(instance, notes) is None:
            yield Finding(
                notes,
                f"{ctx.place(notes)}the table says 'See additional notes' but {ctx.phrase(notes)} is blank. Give the "
                "time range there (for example 1 hour between 7am and 8.30am).",
            )
