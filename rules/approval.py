"""Panel approval (general point 2) and the manager's approval dates."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.values import date_at, form_date
from brokerage.schema import Severity, get_at

APPROVAL = "/part_a/manager_approval"
EMERGENCY_BASES = ("Child Protection plan (emergency)", "Child in Need plan (emergency)")


@rule(
    "guidance-2-panel-approval",
    point="2",
    title="Panel approval first",
    guidance=(
        "Any new support requirements or increase in support must have been approved by the Resource Allocation "
        "Panel before being sent to the brokerage service."
    ),
    severity=Severity.error,
)
def panel_approval(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    """Panel approval answered No, unless the package is an emergency one approved on a CP or CIN plan."""
    pointer = "/part_a/referral/panel_approved"
    if get_at(instance, pointer) == "No" and get_at(instance, f"{APPROVAL}/approval_basis") not in EMERGENCY_BASES:
        yield Finding(
            pointer,
            f"{ctx.place(pointer)}the Resource Allocation Panel has not approved this support. New or increased "
            "support must be approved by the panel before the referral is sent (emergency packages: give the date the "
            "Child Protection or Child in Need plan was approved).",
        )


@rule(
    "guidance-approval-date-not-after-signed",
    point="Manager's Approval",
    title="Approval date not after the date signed",
    guidance=(
        "An approval date is required: normally the date the Resource Allocation Panel approved the support; for "
        "an emergency package, the date the Child Protection or Child in Need plan was approved. It comes before "
        "the manager signs."
    ),
    severity=Severity.error,
)
def approval_before_signature(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    approved, signed = date_at(instance, f"{APPROVAL}/approval_date"), date_at(instance, f"{APPROVAL}/date_signed")
    if approved and signed and approved > signed:
        pointer = f"{APPROVAL}/approval_date"
        yield Finding(
            pointer,
            f"{ctx.place(pointer)}{ctx.phrase(pointer)} ({form_date(approved)}) is after "
            f"{ctx.phrase(f'{APPROVAL}/date_signed')} ({form_date(signed)}). The support is approved before the "
            "manager signs: check both dates.",
        )


@rule(
    "guidance-approval-signed-before-sent",
    point="Manager's Approval",
    title="Signed before the brokerage process starts",
    guidance=(
        "A manager's signature must be included, with the date it was signed, before the brokerage process can "
        "commence."
    ),
    severity=Severity.error,
)
def signed_before_received(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    pointer = f"{APPROVAL}/date_signed"
    signed = date_at(instance, pointer)
    if signed and signed > ctx.received:
        yield Finding(
            pointer,
            f"{ctx.place(pointer)}{ctx.phrase(pointer)} ({form_date(signed)}) is after the day the referral was "
            f"received ({form_date(ctx.received)}). The manager signs before the referral is sent: check the date.",
        )
