"""A provider's offer (Part B) against the referral it answers: the days asked for and the days offered.

Plain functions of the two instances; the processor, which holds the referral in its ledger, uses them to
warn about an offer for days the referral never asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from brokerage.rules.text import HOLIDAY_TABLE, SB_TABLE, TERM_TABLE
from brokerage.rules.values import DAYS, date_at, items_at, rows_at

OFFER = "/part_b/offer"


def days_asked(referral: Mapping[str, Any]) -> tuple[str, ...]:
    """The weekdays a referral asks for (``monday`` …), in week order: the days of its timetables and the
    weekdays of its summer play scheme dates."""
    days = {day for table in (SB_TABLE, TERM_TABLE, HOLIDAY_TABLE) for day, _row in rows_at(referral, table)}
    for index, _child in items_at(referral, "/annex_1/children"):
        for number, row in items_at(referral, f"/annex_1/children/{index}/dates"):
            when = date_at(referral, f"/annex_1/children/{index}/dates/{number}/date")
            if when is not None and row.get("preference") != "Not required":
                days.add(DAYS[when.weekday()])
    return tuple(day for day in DAYS if day in days)


def days_offered(response: Mapping[str, Any]) -> tuple[str, ...]:
    """The weekdays a provider response offers, in week order."""
    return tuple(day for day, _row in rows_at(response, OFFER))


def in_words(days: Iterable[str]) -> str:
    """``("monday", "wednesday", "saturday")`` → "Monday, Wednesday and Saturday"."""
    names = [day.capitalize() for day in days]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
