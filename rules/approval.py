"""Panel approval (general point 2) and the manager's approval dates."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.summer_scheme import care_plan_route_taken
from brokerage.rules.text import DOM_CARE, word_set
from brokerage.rules.values import date_at, filled_text, form_date
from brokerage.schema import Severity, get_at
from brokerage.schema.answers import is_none_answer, is_placeholder

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
    """Panel approval answered No, unless the package is an emergency one approved on a CP or CIN plan, or the
    referral is only a summer play scheme on the care-plan route for a case already open (point 6 allows it
    early in the year without panel; ``guidance-6-care-plan-route`` checks the route). Domiciliary care on the
    same form still needs the panel."""
    pointer = "/part_a/referral/panel_approved"
    scheme_only_on_care_plan = care_plan_route_taken(instance) and get_at(instance, f"{DOM_CARE}/required") is not True
    if (
        get_at(instance, pointer) == "No"
        and get_at(instance, f"{APPROVAL}/approval_basis") not in EMERGENCY_BASES
        and not scheme_only_on_care_plan
    ):
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


SIGNATURE = f"{APPROVAL}/signature"
MANAGER = f"{APPROVAL}/manager_name"
NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
ALLOWED_MARKS = re.compile(r"[\s.,'’-]")
NOT_NAMES = word_set(
    "signed sign signature yes no ok okay approved approve agreed agree confirmed confirm manager supervisor "
    "electronically electronic e-signed esigned typed by see above below"
)


def looks_like_a_name(text: str) -> bool:
    """A typed signature that could be a person's name: letters (any script), spaces, hyphens, apostrophes and
    full stops only, with a word of two letters or more that is not a word like "Signed" or "Approved"."""
    if ALLOWED_MARKS.sub("", NAME_WORD.sub("", text)):
        return False  # digits, slashes, other marks
    words = [word.casefold() for word in NAME_WORD.findall(text)]
    return any(len(word) >= 2 for word in words) and not all(word in NOT_NAMES for word in words)


def _words(text: str) -> list[str]:
    return [word.casefold().replace("’", "'") for word in NAME_WORD.findall(text)]


def same_person(signature: str, name: str) -> bool:
    """Every word of the signature is a word of the name or the initial of one ("J. Bloggs" for "Jo Bloggs")."""
    named = _words(name)
    return all(word in named or (len(word) == 1 and any(n.startswith(word) for n in named))
               for word in _words(signature))


@rule(
    "guidance-approval-signature-is-a-name",
    point="Manager's Approval",
    title="The manager's signature is their name",
    guidance=(
        "A manager's signature must be included: the manager types their name as their signature. A mark, a "
        "word such as 'Signed' or a placeholder is not a signature; a name other than the manager's is queried."
    ),
    severity=Severity.error,
)
def signature_is_a_name(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    """An error for a signature that is not a name; a warning for one that is not the manager's name."""
    signature = filled_text(instance, SIGNATURE)
    if signature is None or is_placeholder(signature) or is_none_answer(signature):
        return  # blank: the schema's; a placeholder or "N/A": guidance-child-none-or-na
    if not looks_like_a_name(signature):
        yield Finding(
            SIGNATURE,
            f"{ctx.place(SIGNATURE)}{ctx.phrase(SIGNATURE)} does not look like a name. The manager signs by typing "
            "their own name here.",
        )
        return
    manager = filled_text(instance, MANAGER)
    if manager is not None and looks_like_a_name(manager) and not same_person(signature, manager):
        yield Finding(
            SIGNATURE,
            f"{ctx.place(SIGNATURE)}{ctx.phrase(SIGNATURE)} is not the name in {ctx.phrase(MANAGER)}. Check the "
            "manager named there signed the referral.",
            severity=Severity.warning,
        )
