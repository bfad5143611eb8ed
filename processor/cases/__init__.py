"""The brokerage case as pure code (issue 15, with the IPA states of issue 16): plain values in,
plain values out, so the ledger can store the events and replay them.

Public API::

    State, EventKind, RoundKind, RoundSpec, ROUND_SEQUENCE, Event, Round, Case, CaseError
    apply(case, event) -> Case                      # CaseError with a sentence if it does not fit
    replay(reference, events) -> Case               # Event.as_json() / Event.from_json() for storage
    send_out(case, day, actor, providers, policy) -> Event   # next round, deadline from the send-out day
    award(case, provider, responses, day, actor) -> Event    # only a positive response of the round
    chase(case, day, actor, providers) -> Event; hold(day, actor, until, reason) -> Event
    round_deadline(sent_on, urgent, policy) -> date; response_window(urgent, policy) -> int
    Answer, Response, responses_in(case, responses, round=None), not_answered(round, responses)
    Action, NextAction, next_action(case, responses, today, policy) -> NextAction
    working_days_left(today, deadline) -> int
    CaseFacts, case_facts(referral_data) -> CaseFacts   # lots, districts, urgency, worker, subject line
    providers_for_round(facts, register, spec, districts=None) -> tuple[Provider, ...]
"""

from brokerage.processor.cases.actions import Action, NextAction, next_action, working_days_left
from brokerage.processor.cases.facts import CaseFacts, case_facts, providers_for_round
from brokerage.processor.cases.model import (
    ROUND_SEQUENCE,
    Case,
    CaseError,
    Event,
    EventKind,
    Round,
    RoundKind,
    RoundSpec,
    State,
    apply,
    replay,
)
from brokerage.processor.cases.responses import Answer, Response, not_answered, responses_in
from brokerage.processor.cases.steps import award, chase, hold, response_window, round_deadline, send_out

__all__ = [
    "ROUND_SEQUENCE",
    "Action",
    "Answer",
    "Case",
    "CaseError",
    "CaseFacts",
    "Event",
    "EventKind",
    "NextAction",
    "Response",
    "Round",
    "RoundKind",
    "RoundSpec",
    "State",
    "apply",
    "award",
    "case_facts",
    "chase",
    "hold",
    "next_action",
    "not_answered",
    "providers_for_round",
    "replay",
    "response_window",
    "responses_in",
    "round_deadline",
    "send_out",
    "working_days_left",
]
