"""General point 6 and the summer play scheme section: Annex 1, the children's details on it, the day cap,
the dates that decide how a request is handled (kept on file, closing date, cut-off, the care-plan route)
and scheme dates within the season. Every number and date comes from the policy, for the scheme year
the referral asks about (:func:`scheme_year`), never a year fixed in the policy."""

from __future__ import annotations

import calendar
import copy
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from brokerage.rules.policy import Policy, SchemeDates
from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.text import SERVICES, SHORT_BREAK
from brokerage.rules.values import answer_at, date_at, form_date, items_at, text_at
from brokerage.rules.workdays import is_working_day
from brokerage.schema import Severity, get_at

APPROVED = f"{SHORT_BREAK}/summer_scheme_approved"
BASIS = f"{SHORT_BREAK}/summer_scheme_basis"
CASE = f"{SHORT_BREAK}/summer_scheme_case"
REVIEW_DATE = f"{SHORT_BREAK}/care_plan_review_date"
CARE_PLAN = "Care plan reviewed in the last 6 months"
ANNEX_CHILDREN = "/annex_1/children"


def scheme_requested(instance: Mapping[str, Any]) -> bool:
    return get_at(instance, APPROVED) == "Yes" or isinstance(get_at(instance, "/annex_1"), Mapping)


def annex_dates(instance: Mapping[str, Any]) -> list[date]:
    """Every readable date on Annex 1, in form order."""
    return [
        day
        for index, _child in items_at(instance, ANNEX_CHILDREN)
        for number, _row in items_at(instance, f"{ANNEX_CHILDREN}/{index}/dates")
        if (day := date_at(instance, f"{ANNEX_CHILDREN}/{index}/dates/{number}/date")) is not None
    ]


def scheme_year(instance: Mapping[str, Any], received: date) -> int:
    """The year the summer play scheme is asked for: the year most Annex 1 dates fall in (the later one on a
    tie); without dates, the year the service ends; else the year of receipt, or the next one when the
    referral arrives from September (after the summer)."""
    counted = Counter(day.year for day in annex_dates(instance))
    if counted:
        return max(counted, key=lambda year: (counted[year], year))
    end = date_at(instance, f"{SERVICES}/end_date")
    if end is not None:
        return end.year
    return received.year + (1 if received.month >= 9 else 0)


def scheme_dates(instance: Mapping[str, Any], ctx: RuleContext) -> SchemeDates:
    """The policy's dates for the scheme year this referral asks about."""
    return ctx.policy.summer_scheme.dates(scheme_year(instance, ctx.received))


def first_working_day_from(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


SCHEME_ANSWERS = (APPROVED, BASIS, CASE, REVIEW_DATE)
"""Part A's answers about the summer play scheme (with Annex 1, the scheme request)."""


def without_scheme(instance: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a referral without its summer play scheme request (Annex 1 and Part A's answers about it): what
    providers are sent while the scheme is kept on file."""
    out = copy.deepcopy(dict(instance))
    out.pop("annex_1", None)
    for pointer in SCHEME_ANSWERS:
        holder = get_at(out, pointer.rsplit("/", 1)[0])
        if isinstance(holder, dict):
            holder.pop(pointer.rsplit("/", 1)[1], None)
    return out


def other_support_requested(instance: Mapping[str, Any], policy: Policy, received: date) -> bool:
    """Support on the referral besides its summer play scheme, processed on receipt even when the scheme is kept on
    file: domiciliary care, or a short break whose service starts before the scheme's season (regular sessions,
    not the scheme itself; 1 July when the policy lacks the year's season)."""
    if get_at(instance, f"{SERVICES}/domiciliary_care/required") is True:
        return True
    if get_at(instance, f"{SHORT_BREAK}/required") is not True:
        return False
    if not scheme_requested(instance):
        return True
    dates = policy.summer_scheme.dates(scheme_year(instance, received))
    season_start = dates.season_start or date(dates.year, 7, 1)
    start = date_at(instance, f"{SERVICES}/start_date")
    return start is not None and start < season_start


def scheme_held_until(instance: Mapping[str, Any], policy: Policy, received: date) -> date | None:
    """When a summer play scheme request received on ``received`` is kept on file until: the first working day
    of January of the scheme year (from the policy's ``kept_on_file_before`` day), for a referral that asks for
    a scheme and arrives before that day; ``None`` when the scheme is dealt with on receipt. General point 6:
    "kept on file by the Brokerage Officers and the summer play scheme dealt with at a later date"."""
    if not scheme_requested(instance):
        return None
    dates = policy.summer_scheme.dates(scheme_year(instance, received))
    if received >= dates.kept_on_file_before:
        return None
    return first_working_day_from(dates.kept_on_file_before)


def request_pointer(instance: Mapping[str, Any]) -> str:
    """Where a problem about the whole request points: Annex 1 when it is there, else the Part A question."""
    return "/annex_1" if isinstance(get_at(instance, "/annex_1"), Mapping) else APPROVED


def requested_days(dates: list[Any]) -> int:
    """"Preferred" dates; when none is marked Preferred, every date not marked "Not required"."""
    rows = [row for row in dates if isinstance(row, Mapping) and row.get("date")]
    preferred = [row for row in rows if row.get("preference") == "Preferred"]
    return len(preferred) if preferred else len([row for row in rows if row.get("preference") != "Not required"])


@rule(
    "guidance-summer-annex-1",
    point="For summer play schemes only",
    title="Annex 1 goes with an approved summer play scheme",
    guidance=(
        "If a summer play scheme has been assessed and approved, complete Annex 1 together with the referral, with "
        "the child's details on it: it is separated from the rest of the form early in the brokerage process."
    ),
)
def annex_matches_answer(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    """Annex 1 is there but Part A does not say a scheme was approved (a missing Annex 1 is the schema's)."""
    if isinstance(get_at(instance, "/part_a"), Mapping) and isinstance(get_at(instance, "/annex_1"), Mapping) and (
        get_at(instance, APPROVED) != "Yes"
    ):
        yield Finding(
            APPROVED,
            f"{ctx.place(APPROVED)}Annex 1 is completed but {ctx.phrase(APPROVED)} is not Yes. Answer Yes if the "
            "scheme was assessed and approved, or leave Annex 1 out.",
        )


def _same_text(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@rule(
    "guidance-summer-child-details-match",
    point="For summer play schemes only",
    title="Annex 1 child details match Part A",
    guidance="The child's details on Annex 1 (name, date of birth, Mosaic ID) are those of a child in Part A.",
    severity=Severity.error,
)
def annex_child_matches(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    part_a = [child for _index, child in items_at(instance, "/part_a/children")]
    if not part_a:
        return
    for index, child in items_at(instance, ANNEX_CHILDREN):
        base = f"{ANNEX_CHILDREN}/{index}"
        match = next((c for c in part_a if c.get("mosaic_id") and c.get("mosaic_id") == child.get("mosaic_id")), None)
        if match is None:
            pointer = f"{base}/mosaic_id"
            yield Finding(
                pointer,
                f"{ctx.place(pointer)}{ctx.phrase(pointer)} is not the Mosaic ID of any child in Part A. Copy the "
                "child's details from Part A.",
            )
            continue
        for key in ("name", "date_of_birth"):
            if not _same_text(text_at(child, f"/{key}"), text_at(match, f"/{key}")):
                pointer = f"{base}/{key}"
                yield Finding(
                    pointer,
                    f"{ctx.place(pointer)}{ctx.phrase(pointer)} differs from the child with the same Mosaic ID in "
                    "Part A. Copy the child's details from Part A.",
                )


@rule(
    "guidance-6-day-cap",
    point="6",
    title="Summer play scheme days within the cap",
    guidance=(
        "There will be a maximum of {day_cap} days given in {scheme_year}. Some children may have more days on their "
        "care plans; more may be possible for an identified need, or an alternative may be sought."
    ),
)
def day_cap(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    year = scheme_dates(instance, ctx)
    cap = year.day_cap
    for index, child in items_at(instance, ANNEX_CHILDREN):
        dates = child.get("dates")
        if not isinstance(dates, list):
            continue
        asked = requested_days(dates)
        if asked > cap:
            pointer = f"{ANNEX_CHILDREN}/{index}/dates"
            yield Finding(
                pointer,
                f"{ctx.place(pointer)}{asked} days are requested; the maximum for {year.year} is {cap}. "
                "More is possible only for an identified need: say what it is in 'Short break: additional notes', "
                "or an alternative may be sought.",
            )


@rule(
    "guidance-6-kept-on-file",
    point="6",
    title="Early requests kept on file until January",
    guidance=(
        "Referrals with a summer play scheme request completed before January of the scheme year are kept on file "
        "and the scheme dealt with from its first working day of January; any other support on the same form is "
        "processed on receipt."
    ),
)
def kept_on_file(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    """Not an error: a note (severity warning) that the scheme part waits while the rest is processed. The
    processor holds the scheme part (no deadline, no provider pack for it) until the day
    :func:`scheme_held_until` gives."""
    held = scheme_held_until(instance, ctx.policy, ctx.received)
    if held is not None:
        before = scheme_dates(instance, ctx).kept_on_file_before
        pointer = request_pointer(instance)
        yield Finding(
            pointer,
            f"{ctx.place(pointer)}received before {form_date(before)}: the summer play scheme request is kept on file "
            f"until {held:%A} {form_date(held)}, the first working day of January, and dealt with then. Any other "
            "support on this form is processed now.",
        )


def _open_case(instance: Mapping[str, Any]) -> bool:
    """The worker's answer to 'Is the child's case already open to you?'.

    Forms without the answer (it is required when a scheme is approved, so a schema error reports
    its absence) fall back to a best effort: a care-plan basis, or current LCC support.
    """
    answer = get_at(instance, CASE)
    if answer in ("Case already open", "New case"):
        return answer == "Case already open"
    if get_at(instance, BASIS) == CARE_PLAN:
        return True
    return any(
        answer_at(instance, f"/part_a/children/{index}/current_support") is not None
        for index, _child in items_at(instance, "/part_a/children")
    )


@rule(
    "guidance-6-closing-date-open-cases",
    point="6",
    title="Closing date for cases already open",
    guidance=(
        "The closing date for summer play scheme applications for cases already open to you is "
        "{closing_date_open_cases}."
    ),
)
def closing_date(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    scheme = scheme_dates(instance, ctx)
    after_closing = scheme.closing_date_open_cases < ctx.received <= scheme.new_case_cut_off
    if after_closing and scheme_requested(instance) and _open_case(instance):
        pointer = request_pointer(instance)
        yield Finding(
            pointer,
            f"{ctx.place(pointer)}received after {form_date(scheme.closing_date_open_cases)}, the closing date for "
            "cases already open, and the child's case is already open; only new "
            f"cases approved by panel are processed until {form_date(scheme.new_case_cut_off)}.",
        )


@rule(
    "guidance-6-new-case-cut-off",
    point="6",
    title="New cases processed until mid-June",
    guidance=(
        "New cases with a summer play scheme identified as a need must be approved by panel; they are processed "
        "until {new_case_cut_off} and places are awarded if there is availability."
    ),
)
def new_case_cut_off(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    cut_off = scheme_dates(instance, ctx).new_case_cut_off
    if scheme_requested(instance) and ctx.received > cut_off:
        pointer = request_pointer(instance)
        yield Finding(
            pointer,
            f"{ctx.place(pointer)}received after {form_date(cut_off)}: summer play scheme applications are processed "
            "only until then. A place can be awarded only if there is availability.",
        )


@rule(
    "guidance-6-care-plan-route",
    point="6",
    title="The care-plan route is for early in the year only",
    guidance=(
        "Early in the year (until {care_plan_route_until}) a summer play scheme can come direct to the brokerage "
        "service if it is part of an up-to-date care plan reviewed within the last {care_plan_review_months} months; "
        "otherwise it goes through the panel process."
    ),
    severity=Severity.error,
)
def care_plan_route(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    """The care-plan route is for a case already open, early in the scheme year, on a care plan reviewed within the
    policy's months before the referral arrived (and not after it); a new case goes to panel (point 6)."""
    if get_at(instance, BASIS) != CARE_PLAN or not scheme_requested(instance):
        return
    if get_at(instance, CASE) == "New case":
        yield Finding(
            CASE,
            f"{ctx.place(CASE)}the scheme is asked for on a care plan review, but this is a new case. New cases that "
            "had summer play schemes identified as a need must be approved by the Resource Allocation Panel.",
        )
        return
    dates = scheme_dates(instance, ctx)
    until = dates.care_plan_route_until
    if ctx.received > until:
        yield Finding(
            BASIS,
            f"{ctx.place(BASIS)}the scheme is approved on a care plan review, but direct referrals on a care plan are "
            f"accepted only until {form_date(until)}. The request must go through the Resource Allocation Panel.",
        )
        return
    reviewed = date_at(instance, REVIEW_DATE)
    months = dates.care_plan_review_months
    if reviewed is not None and reviewed > ctx.received:
        yield Finding(
            REVIEW_DATE,
            f"{ctx.place(REVIEW_DATE)}{ctx.phrase(REVIEW_DATE)} ({form_date(reviewed)}) is after the day the referral "
            f"was received ({form_date(ctx.received)}). Give the date of the last review.",
        )
    elif reviewed is not None and _months_before(ctx.received, months) > reviewed:
        yield Finding(
            REVIEW_DATE,
            f"{ctx.place(REVIEW_DATE)}the care plan was last reviewed on {form_date(reviewed)}, more than {months} "
            "months before this referral arrived. The summer play scheme must go through the Resource Allocation "
            "Panel, or the care plan be reviewed first.",
        )


def care_plan_route_taken(instance: Mapping[str, Any]) -> bool:
    """The referral asks for a scheme on the care-plan route for a case already open (point 6's alternative to
    panel approval, checked by ``guidance-6-care-plan-route``)."""
    return (
        scheme_requested(instance)
        and get_at(instance, BASIS) == CARE_PLAN
        and get_at(instance, CASE) != "New case"
    )


def _months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier (the month's last day when it has no such day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@rule(
    "guidance-6-scheme-dates",
    point="6",
    title="Scheme dates in the scheme year's summer holiday",
    guidance=(
        "A summer play scheme place is awarded for one year only: the dates on Annex 1 fall in that year's scheme "
        "(in {scheme_year}: {season_start} to {season_end}); a new referral is needed each year."
    ),
)
def dates_in_season(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    dates = scheme_dates(instance, ctx)
    if not annex_dates(instance):
        return
    if not dates.has_season:
        pointer = request_pointer(instance)
        yield Finding(
            pointer,
            f"{ctx.place(pointer)}the policy in force has no summer play scheme dates for {dates.year}, so the Annex 1 "
            f"dates were not checked against that year's season. The policy needs {dates.year}'s dates "
            f"([summer_scheme.years.{dates.year}] season_start and season_end).",
        )
        return
    assert dates.season_start is not None and dates.season_end is not None
    for index, _child in items_at(instance, ANNEX_CHILDREN):
        for number, _row in items_at(instance, f"{ANNEX_CHILDREN}/{index}/dates"):
            pointer = f"{ANNEX_CHILDREN}/{index}/dates/{number}/date"
            day = date_at(instance, pointer)
            if day and not dates.season_start <= day <= dates.season_end:
                yield Finding(
                    pointer,
                    f"{ctx.place(pointer)}{ctx.phrase(pointer)} ({form_date(day)}) is outside the "
                    f"{dates.year} summer play scheme ({form_date(dates.season_start)} to "
                    f"{form_date(dates.season_end)}). Check "
                    "the date: a place is for one year's scheme only.",
                )
