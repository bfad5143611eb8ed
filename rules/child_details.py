"""Details of the child: diagnosis only in the SEN box, mobility equipment only in its box, the top 3
outcomes, how current support is funded, school holiday dates, a plausible date of birth."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.text import SERVICES, mentions, quote_list
from brokerage.rules.values import answer_at, date_at, date_ranges_at, filled_text, form_date, items_at, text_at
from brokerage.schema import Severity

CHILDREN = "/part_a/children"

BEHAVIOUR_WORDS = re.compile(
    r"\b(?:hit(?:s|ting)?|kick(?:s|ing|ed)?|bit(?:es|ing|e)?|scratch(?:es|ing)?|pinch(?:es|ing)?|punch(?:es|ing)?"
    r"|spit(?:s|ting)?|head[\s-]?butt(?:s|ing)?|hair[\s-]?pull(?:ing|s)?|self[\s-]?harm(?:s|ing)?"
    r"|head[\s-]?bang(?:s|ing)?|runs? off|running off|abscond(?:s|ing)?|bolt(?:s|ing)?|meltdowns?|tantrums?"
    r"|aggressi(?:ve|on)|violen(?:t|ce)|throws? (?:things|objects|items)|smash(?:es|ing)?|destructive"
    r"|challenging behaviou?rs?|lash(?:es|ing)? out)\b",
    re.IGNORECASE,
)

MOBILITY_PROBLEM_WORDS = re.compile(
    r"\b(?:cannot|can't|can not|unable to|struggles? to|difficulty|difficulties) "
    r"(?:walk|stand|weight[\s-]?bear|climb)\w*"
    r"|\bunsteady\b|\bfalls?\b|\bwobbly\b|\bpoor balance\b|\btires? (?:easily|quickly)\b|\bnon[\s-]?ambulant\b",
    re.IGNORECASE,
)


@rule(
    "guidance-child-sen-diagnosis-only",
    point="Details of the Child",
    title="Behaviours go under 'Details of behaviours that challenge'",
    guidance=(
        "'Details of SEN and/or Disability' is for diagnosis information only; any details of behavioural issues "
        "go under 'Details of behaviours that challenge'."
    ),
)
def sen_is_diagnosis_only(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    for index, _child in items_at(instance, CHILDREN):
        words = mentions(BEHAVIOUR_WORDS, text_at(instance, f"{CHILDREN}/{index}/sen_disability"))
        if words:
            pointer = f"{CHILDREN}/{index}/behaviours_that_challenge"
            yield Finding(
                pointer,
                f"{ctx.place(pointer)}'Details of SEN and/or Disability' describes behaviour ({quote_list(words)}). "
                "It is for diagnosis only: move behaviours to 'Details of behaviours that challenge'.",
            )


@rule(
    "guidance-child-mobility-equipment-only",
    point="Details of the Child",
    title="Only equipment and when it is used next to mobility issues",
    guidance=(
        "If you answer Yes to mobility issues, give only the equipment and when it is used in the box next to it; "
        "the actual problems with mobility go under 'Details of SEN and/or Disability'."
    ),
)
def mobility_equipment_only(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    for index, child in items_at(instance, CHILDREN):
        pointer = f"{CHILDREN}/{index}/mobility_equipment"
        equipment = answer_at(instance, pointer)
        if equipment is None:
            continue
        if child.get("mobility_issues") == "No":
            yield Finding(
                pointer,
                f"{ctx.place(pointer)}'Mobility issues' is No but {ctx.phrase(pointer)} is filled in. "
                "Check the answer: equipment is only given when there are mobility issues.",
            )
        words = mentions(MOBILITY_PROBLEM_WORDS, equipment)
        if words:
            target = f"{CHILDREN}/{index}/sen_disability"
            yield Finding(
                target,
                f"{ctx.place(target)}{ctx.phrase(pointer)} describes mobility problems ({quote_list(words)}). "
                "Give only the equipment and when it is used there; describe the problems themselves under "
                "'Details of SEN and/or Disability'.",
            )


LIST_ITEM = re.compile(r"(?:^|\n|;)\s*(?:\d+[.)]|[-•*])\s+\S")


@rule(
    "guidance-child-top-3-outcomes",
    point="Details of the Child",
    title="Only the top 3 desired outcomes",
    guidance=(
        "Select only the top 3 'Desired outcomes of the support', one in each box, so the impact of the support "
        "can be monitored."
    ),
)
def top_three_outcomes(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    """An outcome box that holds a list of several outcomes (numbered, bulleted or one per line)."""
    for index, child in items_at(instance, CHILDREN):
        outcomes = child.get("desired_outcomes")
        if not isinstance(outcomes, list):
            continue
        for number, outcome in enumerate(outcomes):
            if not isinstance(outcome, str):
                continue
            listed = len(LIST_ITEM.findall(outcome)) or len([line for line in outcome.splitlines() if line.strip()])
            if listed > 1:
                pointer = f"{CHILDREN}/{index}/desired_outcomes/{number}"
                yield Finding(
                    pointer,
                    f"{ctx.place(pointer)}{ctx.phrase(pointer)} lists {listed} outcomes. Give one outcome per box "
                    "and only the top 3, so the impact of the support can be monitored.",
                )


@rule(
    "guidance-child-current-support-funding",
    point="Details of the Child",
    title="Say how current support is funded",
    guidance=(
        "Support already provided that is being amended or replaced goes under 'Current support being provided "
        "by LCC', with how it is funded: a direct payment (DP) or a commissioned service."
    ),
    severity=Severity.error,
)
def current_support_funding(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    for index, child in items_at(instance, CHILDREN):
        support = answer_at(instance, f"{CHILDREN}/{index}/current_support")
        funding = child.get("current_support_funding")
        pointer = f"{CHILDREN}/{index}/current_support_funding"
        if support is not None and funding == "N/A":
            yield Finding(
                pointer,
                f"{ctx.place(pointer)}current support is described but {ctx.phrase(pointer)} is N/A. "
                "Say whether it is funded by a direct payment, a commissioned service or both.",
            )
        elif support is None and filled_text(instance, f"{CHILDREN}/{index}/current_support") and funding in (
            "Direct payment", "Commissioned service", "Direct payment and commissioned service"
        ):
            yield Finding(
                pointer,
                f"{ctx.place(pointer)}'Current support being provided by LCC' is None but {ctx.phrase(pointer)} "
                "names a funding type. Describe the current support, or choose N/A.",
            )


@rule(
    "guidance-child-school-holidays",
    point="Details of the Child",
    title="School holiday dates",
    guidance=(
        "The holiday dates of the child's school are required: schools set their own dates and providers need "
        "them to plan term-time and holiday support. The May Day bank holiday need not be included."
    ),
)
def school_holidays(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    """Each holiday ends on or after its first day (error); some holiday falls in a service period longer
    than six weeks (warning)."""
    start, end = date_at(instance, f"{SERVICES}/start_date"), date_at(instance, f"{SERVICES}/end_date")
    for index, _child in items_at(instance, CHILDREN):
        ranges = []
        for base, first, last in date_ranges_at(instance, f"{CHILDREN}/{index}/school_holidays"):
            if first and last and last < first:
                yield Finding(
                    f"{base}/to",
                    f"{ctx.place(base)}{ctx.phrase(f'{base}/to')} is before {ctx.phrase(f'{base}/from')}. "
                    "Check the holiday dates.", severity=Severity.error,
                )
            if first and last:
                ranges.append((first, last))
        long_service = bool(start and end and end - start > timedelta(weeks=6))
        if ranges and long_service and not any(first <= end and last >= start for first, last in ranges):
            pointer = f"{CHILDREN}/{index}/school_holidays"
            yield Finding(
                pointer,
                f"{ctx.place(pointer)}none of the school holiday dates fall between the start and end of service "
                f"({form_date(start)} to {form_date(end)}). Give the school's holidays for the period of "
                "support: providers need them to plan term-time and holiday support.",
            )


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@rule(
    "guidance-child-date-of-birth",
    point="Details of the Child",
    title="A child's date of birth",
    guidance="The referral is for a child: the date of birth is before the referral and less than 18 years before it.",
)
def date_of_birth(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    for base in (CHILDREN, "/annex_1/children"):
        for index, _child in items_at(instance, base):
            pointer = f"{base}/{index}/date_of_birth"
            born = date_at(instance, pointer)
            if born is None:
                continue
            if born > ctx.received:
                yield Finding(
                    pointer,
                    f"{ctx.place(pointer)}{ctx.phrase(pointer)} is after the day the referral was received. "
                    "Check the date (dd/mm/yyyy).",
                )
            elif _age(born, ctx.received) >= 18:
                yield Finding(
                    pointer,
                    f"{ctx.place(pointer)}{ctx.phrase(pointer)} makes the child 18 or over. "
                    "Check the date (dd/mm/yyyy): these services are for children.",
                )
