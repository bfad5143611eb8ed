"""Working days and bank holidays in England, from the maintained ``holidays`` calendar.

A working day is Monday to Friday and not a bank holiday in England (substitute days included:
when Christmas Day falls on a Saturday, the following Monday is not a working day). No dates are
typed in here: the calendar comes from ``holidays.country_holidays("GB", subdiv="ENG")``.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING

import holidays

if TYPE_CHECKING:
    from brokerage.rules.policy import Policy


@cache
def _calendar(year: int) -> dict[date, str]:
    """The bank holidays in England in ``year``: the days off work. A holiday that falls on a Saturday or Sunday
    (Boxing Day on Saturday 26/12/2026) is not itself a bank holiday: its substitute weekday is (Monday
    28/12/2026, named "Boxing Day (substitute day)")."""
    days = holidays.country_holidays("GB", subdiv="ENG", years=year, observed=True)
    return {
        day: name.replace("(observed)", "(substitute day)").replace("(Observed)", "(substitute day)")
        for day, name in sorted(days.items())
        if day.weekday() < 5
    }


def bank_holiday_name(day: date) -> str | None:
    """The name of the bank holiday in England on ``day`` (``None`` if it is not one)."""
    return _calendar(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and bank_holiday_name(day) is None


def bank_holidays_between(first: date, last: date) -> list[tuple[date, str]]:
    """Bank holidays in England from ``first`` to ``last`` inclusive, in date order, with their names."""
    out: list[tuple[date, str]] = []
    for year in range(first.year, last.year + 1):
        out.extend((day, name) for day, name in _calendar(year).items() if first <= day <= last)
    return sorted(out)


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted; ``n`` = 0 gives ``start``).

    Received on a Friday, 5 working days is the next Friday; received on a Saturday, it is the Friday after.
    """
    if n < 0:
        raise ValueError("add_working_days counts forwards: n must be 0 or more")
    day = start
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def response_deadline(received: date, urgent: bool, policy: Policy) -> date:
    """When provider responses (Part B) are due: received + 5 working days, or 2 if urgent (policy values)."""
    window = policy.response.urgent_working_days if urgent else policy.response.working_days
    return add_working_days(received, window)
