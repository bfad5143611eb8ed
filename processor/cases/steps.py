"""Events built with their checks: the round's deadline counted from the send-out day, an award only
to a provider that answered yes. Each returns an :class:`Event` for :func:`apply`; none touches a file."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from brokerage.processor.cases.model import Case, CaseError, Event, EventKind, State
from brokerage.processor.cases.responses import Response, responses_in
from brokerage.rules.policy import Policy
from brokerage.rules.workdays import add_working_days


def response_window(urgent: bool, policy: Policy) -> int:
    """Working days providers have to answer: 5, or 2 if urgent (the policy's values)."""
    return policy.response.urgent_working_days if urgent else policy.response.working_days


def round_deadline(sent_on: date, urgent: bool, policy: Policy) -> date:
    """The response deadline of a round sent on ``sent_on``: that many working days later (weekends and
    bank holidays in England skipped). Every round, the second ones too, uses the same window."""
    return add_working_days(sent_on, response_window(urgent, policy))


def send_out(case: Case, day: date, actor: str, providers: Sequence[str], policy: Policy, reason: str = "") -> Event:
    """The next round of ``case`` to ``providers`` on ``day``, with its deadline."""
    spec = case.next_round()
    if spec is None:
        raise CaseError(f"{case.reference} has been round the framework and off-framework twice: there is no "
                        "further round. Record that no provider was found, or withdraw it.")
    if not providers:
        # Nobody to send it to: the round is recorded as tried on the day, so the next action moves on.
        return Event(EventKind.SENT_OUT, day, actor, reason or f"no active {spec.kind.value} provider covers the "
                     "case's lots and area: round recorded as tried", round=spec, deadline=day, providers=())
    return Event(EventKind.SENT_OUT, day, actor, reason or f"{spec.label} sent to {len(providers)} provider(s)",
                 round=spec, deadline=round_deadline(day, case.urgent, policy), providers=tuple(providers))


def award(case: Case, provider: str, responses: Iterable[Response], day: date, actor: str, reason: str = "") -> Event:
    """Award ``case`` to ``provider``: only to a provider whose response in the current round can meet all
    or part of the package."""
    if case.state is not State.OUT or case.current_round is None:
        raise CaseError(f"{case.reference} is {case.state.value if case.state else 'not in the ledger'}: only a "
                        "case out with providers can be awarded.")
    mine = responses_in(case, responses)
    positive = [r for r in mine if r.positive]
    match = next((r for r in positive if " ".join(r.provider.split()).casefold()
                  == " ".join(provider.split()).casefold()), None)
    if match is None:
        offered = ", ".join(r.provider for r in positive) or "none yet"
        raise CaseError(f"{provider!r} has no positive response to {case.reference} in "
                        f"{case.current_round.spec.label}. Positive responses: {offered}.")
    return Event(EventKind.AWARDED, day, actor, reason or f"awarded to {match.provider} ({match.answer.value})",
                 provider=match.provider)


def chase(case: Case, day: date, actor: str, providers: Sequence[str]) -> Event:
    return Event(EventKind.CHASED, day, actor, f"reminded {len(providers)} provider(s) of the deadline",
                 providers=tuple(providers))


def hold(day: date, actor: str, until: date, reason: str) -> Event:
    return Event(EventKind.HELD, day, actor, reason, until=until)
