"""General point 3: an urgent case is marked urgent (2 working days instead of 5) and has management approval."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from brokerage.rules.approval import EMERGENCY_BASES
from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.values import answer_at
from brokerage.schema import get_at

URGENT = "/part_a/referral/urgent"


@rule(
    "guidance-3-urgent-marked",
    point="3",
    title="Mark an urgent case urgent",
    guidance=(
        "If the case is urgent, call the duty line ({duty_line}) before sending the form and mark it urgent, with "
        "the reason: it goes to providers with a {urgent_working_days} working day response time instead of "
        "{working_days}. Management approval is needed before the search starts."
    ),
)
def urgent_marked(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    """Signs of urgency on a referral not marked urgent: a reason for urgency, or an emergency approval."""
    if get_at(instance, URGENT) != "No":
        return
    windows = ctx.policy.response
    consequence = (
        f"If the case is urgent, answer Yes and call the duty line ({ctx.policy.brokerage.duty_line}): providers "
        f"then have {windows.urgent_working_days} working days to respond instead of {windows.working_days}."
    )
    if answer_at(instance, "/part_a/referral/urgent_reason") is not None:
        yield Finding(
            URGENT,
            f"{ctx.place(URGENT)}a reason for urgency is given but {ctx.phrase(URGENT)} is No. {consequence}",
        )
    elif get_at(instance, "/part_a/manager_approval/approval_basis") in EMERGENCY_BASES:
        yield Finding(
            URGENT,
            f"{ctx.place(URGENT)}the approval is for an emergency package but {ctx.phrase(URGENT)} is No. "
            f"{consequence}",
        )
