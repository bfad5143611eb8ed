"""Dates: the end of service after the start, service dates within the policy's bounds of the day the referral
is received, and every other date on the forms within plausible reach of that day."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.text import SERVICES, concrete
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


# Dates a form gives, and how far from the day the form is received each may plausibly be (days before, days
# after; ``None``: that side is another rule's). Further is a typing slip (1900, 2100, the wrong year).
YEAR = 366
MONTH = 31
"""A provider's or an officer's signature may be dated a little ahead (the day it is meant to take effect)."""
PLAUSIBLE_DATES: tuple[tuple[str, int, int | None], ...] = (
    ("/part_a/referral/date_of_referral", YEAR, 0),
    ("/part_a/manager_approval/date_signed", YEAR, None),  # after receipt: guidance-approval-signed-before-sent
    ("/part_a/manager_approval/approval_date", 2 * YEAR, 0),
    ("/part_a/children/*/school_holidays/*/from", 2 * YEAR, 2 * YEAR),
    ("/part_a/children/*/school_holidays/*/to", 2 * YEAR, 2 * YEAR),
    ("/part_a/services/short_break/care_plan_review_date", 2 * YEAR, None),  # after receipt: the care-plan rule
    ("/part_b/responder/date", YEAR, MONTH),
    ("/part_b/proposed_start_date", YEAR, 2 * YEAR),
    ("/part_c/provider_signatory/date", YEAR, MONTH),
    ("/part_c/countersignature/date", YEAR, MONTH),
    ("/part_c/service/start_date", 2 * YEAR, 2 * YEAR),
    ("/part_c/service/end_date", 2 * YEAR, 6 * YEAR),
)


def _span(days: int) -> str:
    years = round(days / YEAR)
    return "a year" if years <= 1 else f"{years} years"


@rule(
    "guidance-dates-plausible",
    point="Completing the Brokerage Form",
    title="Dates that could be right",
    guidance=(
        "Responsibility is with you to ensure accuracy: each date is checked against the day the form is received "
        "(a referral is dated and signed before it is sent, an approval comes before it, school holidays are "
        "within two years of it), so that a date in the wrong year is put right before the referral goes out."
    ),
    severity=Severity.error,
)
def plausible_dates(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    received = ctx.received
    for template, before, after in PLAUSIBLE_DATES:
        for pointer in concrete(template, instance):
            day = date_at(instance, pointer)
            if day is None:
                continue
            if after is not None and day > received + timedelta(days=after):
                when = "after" if after == 0 else "more than a month after" if after == MONTH else (
                    f"more than {_span(after)} after")
                yield Finding(
                    pointer,
                    f"{ctx.place(pointer)}{ctx.phrase(pointer)} ({form_date(day)}) is {when} the day the form was "
                    f"received ({form_date(received)}). Check the date, and the year.",
                )
            elif day < received - timedelta(days=before):
                yield Finding(
                    pointer,
                    f"{ctx.place(pointer)}{ctx.phrase(pointer)} ({form_date(day)}) is more than {_span(before)} before "
                    f"the day the form was received ({form_date(received)}). Check the date, and the year.",
                )
