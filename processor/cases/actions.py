"""The officer's next action on a case, from its history, its responses and today.

Due dates: a decision on a round is due the working day after its deadline; a step the officer takes
after another (send out an accepted referral, issue the IPA after an award, countersign a signed IPA,
close) is due the next working day, or the same day for an urgent case. An action is *overdue* when
today is after its due day. Waiting on someone else (the worker, the provider) has a due day too, one
response window later, after which the action says to chase them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from brokerage.processor.cases.model import (
    FLEXIBILITY_AFTER,
    NO_PROVIDER_AFTER,
    Case,
    RoundKind,
    State,
)
from brokerage.processor.cases.responses import Response, not_answered, responses_in
from brokerage.processor.cases.steps import response_window
from brokerage.rules.policy import Policy
from brokerage.rules.workdays import add_working_days, is_working_day


class Action(StrEnum):
    WAIT = "wait"
    CHASE = "chase"
    SEND_OUT = "send-out"
    AWARD = "award"
    GO_OFF_FRAMEWORK = "go-off-framework"
    ASK_FLEXIBILITY = "ask-flexibility"
    SEND_ROUND_2 = "send-round-2"
    TELL_NO_PROVIDER = "tell-worker-no-provider"
    ISSUE_IPA = "issue-ipa"
    COUNTERSIGN = "countersign"
    CLOSE = "close"
    NONE = "none"


@dataclass(frozen=True)
class NextAction:
    action: Action
    sentence: str
    """What to do, for the officer, in one or two sentences."""
    due: date | None = None
    overdue: bool = False
    positive: tuple[str, ...] = ()
    """Providers that can meet all or part of the package in the current round."""
    waiting_for: tuple[str, ...] = ()
    """Providers sent the current round that have not answered."""

    def as_json(self) -> dict[str, object]:
        return {
            "action": self.action.value,
            "sentence": self.sentence,
            "due": self.due.isoformat() if self.due else None,
            "overdue": self.overdue,
            "positive": list(self.positive),
            "waiting_for": list(self.waiting_for),
        }


def working_days_left(today: date, deadline: date) -> int:
    """Working days after ``today`` up to and including ``deadline`` (0 on the deadline, negative after)."""
    if today <= deadline:
        count, day = 0, today
        while day < deadline:
            day = add_working_days(day, 1)
            count += 1
        return count
    count, day = 0, deadline
    while day < today:
        day = add_working_days(day, 1)
        if day <= today:
            count -= 1
    return count


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _names(names: Iterable[str]) -> str:
    names = list(names)
    return ", ".join(names) if names else "none"


def _after(day: date, urgent: bool) -> date:
    """Due day of a step that follows ``day``: the next working day, the same working day when urgent."""
    if urgent and is_working_day(day):
        return day
    return add_working_days(day, 1)


def _make(action: Action, sentence: str, due: date | None, today: date, **extra: tuple[str, ...]) -> NextAction:
    overdue = due is not None and today > due
    if overdue and due is not None:
        sentence += f" Overdue since {_long(due)}."
    return NextAction(action, sentence, due, overdue, **extra)


def _no_positive(case: Case, today: date, due: date, waiting: tuple[str, ...]) -> NextAction:
    spec = case.last_round.spec if case.last_round else None
    if spec == FLEXIBILITY_AFTER:
        return _make(Action.ASK_FLEXIBILITY, "No positive response in the off-framework round: ask the worker "
                     "whether the package can flex, so a revised referral can go round a second time.",
                     due, today, waiting_for=waiting)
    if spec == NO_PROVIDER_AFTER:
        return _make(Action.TELL_NO_PROVIDER, "No positive response in the second off-framework round: tell the "
                     "worker that no provider was found, and record it.", due, today, waiting_for=waiting)
    following = case.next_round()
    assert following is not None and following.kind is RoundKind.OFF_FRAMEWORK
    return _make(Action.GO_OFF_FRAMEWORK, f"No positive response from the framework: send {following.label} "
                 "to the off-framework providers.", due, today, waiting_for=waiting)


def _out(case: Case, responses: Iterable[Response], today: date) -> NextAction:
    current = case.current_round
    assert current is not None
    mine = responses_in(case, responses, current)
    positive = tuple(r.provider for r in mine if r.positive)
    waiting = not_answered(current, mine)
    deadline = current.deadline
    decide_by = add_working_days(deadline, 1)
    if today > deadline or not waiting:
        early = "" if today > deadline else " Every provider has answered before the deadline."
        due = decide_by if today > deadline else today
        if positive:
            return _make(Action.AWARD, f"Award the package ({current.spec.label}):{early} positive responses from "
                         f"{_names(positive)}. Compare them and choose one.", due, today,
                         positive=positive, waiting_for=waiting)
        return _no_positive(case, today, due, waiting)
    last_day = today == deadline or add_working_days(today, 1) >= deadline
    if last_day and current.chased_on is None:
        when = "today" if today == deadline else f"on {_long(deadline)}"
        return _make(Action.CHASE, f"Responses are due {when} and {len(waiting)} provider(s) have not answered: "
                     f"remind {_names(waiting)}.", today, today, positive=positive, waiting_for=waiting)
    left = working_days_left(today, deadline)
    return _make(Action.WAIT, f"Wait for responses to {current.spec.label}: due {_long(deadline)} "
                 f"({left} working day{'s' if left != 1 else ''} left); {len(mine)} of {len(current.providers)} "
                 "answered.", decide_by, today, positive=positive, waiting_for=waiting)


def next_action(case: Case, responses: Iterable[Response], today: date, policy: Policy) -> NextAction:
    """What the officer should do next on ``case`` (see the module's description)."""
    state, since = case.state, case.since or today
    window = response_window(case.urgent, policy)
    if state is State.OUT:
        return _out(case, responses, today)
    if state is State.READY:
        following = case.next_round()
        if following is None:
            return _make(Action.TELL_NO_PROVIDER, "Every round has been sent: record that no provider was found.",
                         _after(since, case.urgent), today)
        action = Action.SEND_OUT if following.number == 1 else Action.SEND_ROUND_2
        what = "Send the referral out" if following.number == 1 else "Send the revised referral round again"
        return _make(action, f"{what}: {following.label}.", _after(since, case.urgent), today)
    if state is State.HELD:
        until = case.held_until or since
        if today < until:
            return _make(Action.WAIT, f"Kept on file until {_long(until)}; nothing to do before then.", until, today)
        return _make(Action.SEND_OUT, f"The hold ended on {_long(until)}: take it off hold and send it out.",
                     until, today)
    if state is State.RETURNED:
        due = add_working_days(since, window)
        return _make(Action.WAIT, f"Returned to the worker on {_long(since)}; wait for the corrected referral"
                     + (", and call the worker: it has not come back." if today > due else "."), None, today)
    if state is State.FLEXIBILITY_ASKED:
        due = add_working_days(since, window)
        late = today > due
        return _make(Action.WAIT, f"The worker was asked about flexibility on {_long(since)}; wait for the answer"
                     + (" and chase the worker: it is late." if late else f" (expected by {_long(due)})."),
                     None, today)
    if state is State.AWARDED:
        return _make(Action.ISSUE_IPA, f"Issue the Individual Placement Agreement to {case.awarded_to}.",
                     _after(since, case.urgent), today)
    if state is State.IPA_ISSUED:
        due = add_working_days(since, window)
        if today > due:
            return _make(Action.CHASE, f"The IPA issued on {_long(since)} has not come back signed: chase "
                         f"{case.awarded_to}.", due, today, waiting_for=(case.awarded_to or "",))
        return _make(Action.WAIT, f"Wait for {case.awarded_to} to sign and return the IPA (expected by "
                     f"{_long(due)}).", due, today)
    if state is State.IPA_SIGNED:
        return _make(Action.COUNTERSIGN, f"Countersign the IPA signed by {case.awarded_to}, send the provider its "
                     "copy and put a copy on the child's record.", _after(since, case.urgent), today)
    if state is State.COUNTERSIGNED:
        return _make(Action.CLOSE, "Close the case once the countersigned IPA is on the child's record.",
                     _after(since, False), today)
    if state is State.NO_PROVIDER:
        return _make(Action.CLOSE, "No provider was found and the worker has been told: close the case.",
                     _after(since, False), today)
    return NextAction(Action.NONE, f"Nothing to do: the case is {state.value if state else 'not recorded'}.")
