"""Part C, the Individual Placement Agreement, checked stage by stage, and its sums.

The IPA passes through three hands in turn (the guidance's "For information" section): the brokerage
service completes it and issues it to the provider; the provider signs it and returns it; the duty
brokerage officer countersigns it. Each stage needs what that stage adds and nothing later: a provider's
signed return is not failed for the officer's countersignature still blank. The schema says which boxes
each stage needs (the agreement's own boxes always; a signatory block, once begun, complete; a
countersignature only after the provider's block); the rules here check the order of the signatures and
that the weekly hours and cost add up, to the penny.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from typing import Any

from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.values import date_at, form_date, number_at, rows_at
from brokerage.schema import Severity, get_at

IPA = "/part_c"
PROVIDER = f"{IPA}/provider_signatory"
OFFICER = f"{IPA}/countersignature"
SERVICE = f"{IPA}/service"
PENNY = Decimal("0.01")


class IpaStage(StrEnum):
    """How far an IPA has come."""

    issued = "issued"
    """Completed by the brokerage service; the provider has not signed it yet."""
    provider_signed = "provider-signed"
    """Signed by the provider (digitally, in its signature box); not yet countersigned."""
    countersigned = "countersigned"
    """Countersigned by the duty brokerage officer: the contract."""

    @property
    def next_step(self) -> str:
        """What the officer does next, as the batch notes it."""
        return {
            IpaStage.issued: "Not signed yet: send it to the provider to sign.",
            IpaStage.provider_signed: (
                "Signed by the provider, not yet countersigned: the duty brokerage officer countersigns it next."
            ),
            IpaStage.countersigned: (
                "Signed by the provider and countersigned: file the PDF on the child's record and send a copy "
                "to the provider."
            ),
        }[self]


def ipa_stage(data: Mapping[str, Any]) -> IpaStage | None:
    """The stage an IPA's data shows (``None`` for data without Part C)."""
    if not isinstance(get_at(data, IPA), Mapping):
        return None
    provider = get_at(data, f"{PROVIDER}/signature") is True
    officer = get_at(data, f"{OFFICER}/signature") is True
    if provider and officer:
        return IpaStage.countersigned
    return IpaStage.provider_signed if provider else IpaStage.issued


def _begun(data: Mapping[str, Any], block: str) -> bool:
    value = get_at(data, block)
    return isinstance(value, Mapping) and any(v not in (None, "", False) for v in value.values())


@rule(
    "guidance-ipa-signed-in-order",
    point="The brokerage process",
    title="The provider signs the IPA before the officer countersigns",
    guidance=(
        "Once the package is awarded, the IPA is issued to the provider to sign and return; once the signed IPA is "
        "received it is signed by the duty brokerage officer. The countersignature comes after the provider's "
        "signature, never before."
    ),
    severity=Severity.error,
)
def signed_in_order(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    """A countersignature signed while the provider's signature box is not; a countersignature dated before the
    provider signed. (A countersignature begun with the provider's block blank is the schema's: the block's boxes
    are required then.)"""
    if not _begun(instance, OFFICER):
        return
    if get_at(instance, f"{OFFICER}/signature") is True and get_at(instance, f"{PROVIDER}/signature") is not True:
        pointer = f"{OFFICER}/signature"
        yield Finding(
            pointer,
            f"{ctx.place(pointer)}the agreement is countersigned but {ctx.phrase(f'{PROVIDER}/signature')} is not "
            "signed. The provider signs first; the duty brokerage officer countersigns the signed agreement.",
        )
    signed, countersigned = date_at(instance, f"{PROVIDER}/date"), date_at(instance, f"{OFFICER}/date")
    if signed and countersigned and countersigned < signed:
        pointer = f"{OFFICER}/date"
        yield Finding(
            pointer,
            f"{ctx.place(pointer)}{ctx.phrase(pointer)} ({form_date(countersigned)}) is before the provider signed "
            f"({form_date(signed)}). The countersignature comes after the provider's signature: check both dates.",
        )


def _hours(value: Decimal | float) -> str:
    return f"{value:g}" if isinstance(value, float) else f"{value.normalize():f}"


def _money(value: Decimal) -> str:
    return f"£{value.quantize(PENNY):,}"


def _exact(number: float) -> Decimal:
    """A number as written (the shortest decimal that gives back the same float: what was typed)."""
    return Decimal(repr(number))


@rule(
    "guidance-ipa-weekly-hours",
    point="The brokerage process",
    title="The IPA's weekly hours are the sum of the days",
    guidance="The agreed total weekly hours are the sum of the hours per day in the agreed days, times and hours.",
    severity=Severity.error,
)
def weekly_hours(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    pointer = f"{SERVICE}/weekly_hours"
    total = number_at(instance, pointer)
    table = f"{SERVICE}/timetable"
    days = [number_at(instance, f"{table}/{day}/hours") for day, _row in rows_at(instance, table)]
    if total is None or not days or any(hours is None for hours in days):
        return  # a blank or wrong day is reported by its own check; the sum would mislead
    added = sum((_exact(hours) for hours in days if hours is not None), Decimal(0))
    if added != _exact(total):
        yield Finding(
            pointer,
            f"{ctx.place(pointer)}{ctx.phrase(pointer)} is {_hours(total)} but the hours per day in "
            f"'{ctx.catalogue.field_label(table)}' add up to {_hours(added)}. Correct the total or the hours per day.",
        )


def weekly_cost_of(hours: float, rate: float) -> tuple[Decimal, Decimal]:
    """The weekly cost of ``hours`` at ``rate`` to the penny: (rounded down, rounded up); both the same when the
    product is whole pence."""
    product = _exact(hours) * _exact(rate)
    low = product.quantize(PENNY, rounding=ROUND_FLOOR)
    return low, low if low == product else low + PENNY


@rule(
    "guidance-ipa-weekly-cost",
    point="The brokerage process",
    title="The IPA's weekly cost is the hours times the rate",
    guidance=(
        "The agreed weekly cost is the total weekly hours times the hourly rate, to the penny; any other agreed "
        "cost goes in 'Other agreed terms'."
    ),
    severity=Severity.error,
)
def weekly_cost(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    hours, rate = number_at(instance, f"{SERVICE}/weekly_hours"), number_at(instance, f"{SERVICE}/hourly_rate")
    pointer = f"{SERVICE}/weekly_cost"
    cost = number_at(instance, pointer)
    if hours is None or rate is None or cost is None:
        return
    low, high = weekly_cost_of(hours, rate)
    if _exact(cost) not in (low, high):
        yield Finding(
            pointer,
            f"{ctx.place(pointer)}{ctx.phrase(pointer)} is {_money(_exact(cost))} but {_hours(hours)} hours at "
            f"{_money(_exact(rate))} an hour is {_money(low if low == high else high)}. Correct the cost, the hours "
            "or the rate; put any other agreed cost in 'Other agreed terms'.",
        )
