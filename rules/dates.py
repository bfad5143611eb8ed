"""Service dates: the end after the start, and both within sensible bounds of the day the referral is received."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.text import SERVICES
from brokerage.rules.values import date_at, form_date
from brokerage.schema import Severity

# (start, end) pairs checked for order: the referral's service and the IPA's agreed service.
DATE_PAIRS = (
    (f"{SERVICES}/start_date", f"{SERVICES}/end_date"),
    ("/part_c/service/start_date", "/part_c/service/end_date"),
)


@rule(
    "guidance-services-end-after-start",
    point="Details of Service(s) Required",
    title="End of service after the start",
    guidance="Complete the dates for start of service and end of service; the end must be after the start.",
    severity=Severity.error,
)
def end_after_start(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    for start_pointer, end_pointer in DATE_PAIRS:
        start, end = date_at(instance, start_pointer), date_at(instance, end_pointer)
        if start and end and end <= start:
            yield Finding(
                end_pointer,
                f"{ctx.place(end_pointer)}{ctx.phrase(end_pointer)} ({form_date(end)}) is not after "
                f"{ctx.phrase(start_pointer)} ({form_date(start)}). Check both dates.",
            )


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@rule(
    "guidance-services-dates-in-bounds",
    point="Details of Service(s) Required",
    title="Service dates within sensible bounds",
    guidance=(
        "The start of service is not more than {start_max_days_past} days before the referral is received nor more "
        "than {start_max_days_ahead} days after it, and the end of service is not more than "
        "{max_years_after_start} years after the start."
    ),
)
def dates_in_bounds(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    bounds = ctx.policy.service_dates
    start_pointer, end_pointer = DATE_PAIRS[0]
    start, end = date_at(instance, start_pointer), date_at(instance, end_pointer)
    if start and start < ctx.received - timedelta(days=bounds.start_max_days_past):
        yield Finding(
            start_pointer,
            f"{ctx.place(start_pointer)}{ctx.phrase(start_pointer)} ({form_date(start)}) is more than "
            f"{bounds.start_max_days_past} days before the referral was received. Give the date support should start.",
        )
    if start and start > ctx.received + timedelta(days=bounds.start_max_days_ahead):
        yield Finding(
            start_pointer,
            f"{ctx.place(start_pointer)}{ctx.phrase(start_pointer)} ({form_date(start)}) is more than "
            f"{bounds.start_max_days_ahead} days after the referral was received. Check the year.",
        )
    if start and end and end > _years_later(start, bounds.max_years_after_start):
        yield Finding(
            end_pointer,
            f"{ctx.place(end_pointer)}{ctx.phrase(end_pointer)} ({form_date(end)}) is more than "
            f"{bounds.max_years_after_start} years after the start. Check the year.",
        )
