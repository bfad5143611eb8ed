"""A brokerage case as plain values: its state, the events that made it, and the rules for moving on.

A case is never edited: :func:`apply` returns a new :class:`Case` with one more :class:`Event`, or
raises :class:`CaseError` with a sentence when the event does not fit the case's state. The ledger
stores the events (:meth:`Event.as_json`) and rebuilds the case with :func:`replay`; nothing is
deleted, every change carries its day, who or what caused it and why.

States (issue 15, and the IPA states of issue 16)::

    returned ─accepted→ ready ─sent-out→ out (framework, round 1) ─sent-out→ out (off-framework, round 1)
      held ─released→ ready            out ─awarded→ awarded ─ipa-issued→ ipa-issued ─ipa-signed→ ipa-signed
    out (off-framework 1) ─flexibility-asked→ flexibility-asked ─accepted (revised referral)→ ready
      ─sent-out→ out (framework, round 2) ─sent-out→ out (off-framework, round 2) ─no-provider→ no-provider
    ipa-signed ─countersigned→ countersigned ─closed→ closed;  any open state ─withdrawn→ withdrawn
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from brokerage.errors import BrokerageError, ExitCode


class CaseError(BrokerageError):
    """An event that does not fit the case (sending out an awarded case, awarding a provider that did
    not answer yes): the sentence says what state the case is in and what can be done."""

    exit_code = ExitCode.bad_arguments


class State(StrEnum):
    RETURNED = "returned"
    HELD = "held"
    READY = "ready"
    OUT = "out"
    FLEXIBILITY_ASKED = "flexibility-asked"
    AWARDED = "awarded"
    IPA_ISSUED = "ipa-issued"
    IPA_SIGNED = "ipa-signed"
    COUNTERSIGNED = "countersigned"
    NO_PROVIDER = "no-provider"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        return self not in (State.WITHDRAWN, State.CLOSED)


class RoundKind(StrEnum):
    FRAMEWORK = "framework"
    OFF_FRAMEWORK = "off-framework"

    @property
    def framework(self) -> bool:
        """What the provider filter's ``framework`` argument is for this round."""
        return self is RoundKind.FRAMEWORK


@dataclass(frozen=True, order=True)
class RoundSpec:
    number: int
    kind: RoundKind

    @property
    def label(self) -> str:
        return f"{self.kind.value} round {self.number}"


ROUND_SEQUENCE: tuple[RoundSpec, ...] = (
    RoundSpec(1, RoundKind.FRAMEWORK),
    RoundSpec(1, RoundKind.OFF_FRAMEWORK),
    RoundSpec(2, RoundKind.FRAMEWORK),
    RoundSpec(2, RoundKind.OFF_FRAMEWORK),
)
"""The guidance's order: framework, off-framework, (the worker is asked about flexibility, and the
revised referral goes) framework a second time, off-framework a second time; then no provider."""
FLEXIBILITY_AFTER = ROUND_SEQUENCE[1]
NO_PROVIDER_AFTER = ROUND_SEQUENCE[-1]


class EventKind(StrEnum):
    ACCEPTED = "accepted"
    """The referral was accepted: the first time, as a corrected resubmission, or the revised referral."""
    RETURNED = "returned"
    HELD = "held"
    """Kept on file (a summer play scheme asked for before January) until :attr:`Event.until`."""
    RELEASED = "released"
    SENT_OUT = "sent-out"
    CHASED = "chased"
    """Providers that had not answered were reminded (:attr:`Event.providers`)."""
    FLEXIBILITY_ASKED = "flexibility-asked"
    AWARDED = "awarded"
    IPA_ISSUED = "ipa-issued"
    IPA_SIGNED = "ipa-signed"
    COUNTERSIGNED = "countersigned"
    NO_PROVIDER = "no-provider"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"
    NOTE = "note"
    """Something worth recording that changes nothing (a phone call, a late response noted)."""


@dataclass(frozen=True)
class Event:
    kind: EventKind
    day: date
    actor: str
    """Who or what caused it: ``brokerage process``, ``officer A. Khan``, ``allocated worker``."""
    reason: str = ""
    round: RoundSpec | None = None
    """``sent-out``: the round sent."""
    deadline: date | None = None
    """``sent-out``: the response deadline recorded against the round."""
    providers: tuple[str, ...] = ()
    """``sent-out``: who was sent it; ``chased``: who was reminded; ``withdrawn``: who was told."""
    provider: str | None = None
    """``awarded``: the provider awarded the package."""
    until: date | None = None
    """``held``: the day the referral comes off hold."""
    urgent: bool | None = None
    """``accepted``: whether the referral (as accepted this time) is urgent."""

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values, only the fields that are set (dates as ISO text)."""
        out: dict[str, Any] = {"kind": self.kind.value, "day": self.day.isoformat(), "actor": self.actor}
        if self.reason:
            out["reason"] = self.reason
        if self.round is not None:
            out["round"] = {"number": self.round.number, "kind": self.round.kind.value}
        for key in ("deadline", "until"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value.isoformat()
        if self.providers:
            out["providers"] = list(self.providers)
        if self.provider is not None:
            out["provider"] = self.provider
        if self.urgent is not None:
            out["urgent"] = self.urgent
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Event:
        """The event :meth:`as_json` wrote; raises :class:`CaseError` for anything else."""
        try:
            if not isinstance(data.get("providers", []), list):
                raise TypeError("providers must be a list")
            spec = data.get("round")
            return cls(
                kind=EventKind(data["kind"]),
                day=date.fromisoformat(data["day"]),
                actor=str(data["actor"]),
                reason=str(data.get("reason", "")),
                round=RoundSpec(int(spec["number"]), RoundKind(spec["kind"])) if spec else None,
                deadline=date.fromisoformat(data["deadline"]) if data.get("deadline") else None,
                providers=tuple(str(p) for p in data.get("providers", ())),
                provider=str(data["provider"]) if data.get("provider") is not None else None,
                until=date.fromisoformat(data["until"]) if data.get("until") else None,
                urgent=bool(data["urgent"]) if data.get("urgent") is not None else None,
            )
        except (KeyError, TypeError, ValueError) as error:
            raise CaseError(
                f"A recorded case event cannot be read ({error!r} in {dict(data)!r}). The ledger may have been "
                "edited by hand: restore it from its backup."
            ) from error


@dataclass(frozen=True)
class Round:
    spec: RoundSpec
    sent_on: date
    deadline: date
    providers: tuple[str, ...]
    chased_on: date | None = None


@dataclass(frozen=True)
class Case:
    reference: str
    state: State | None = None
    """``None`` before the first event."""
    events: tuple[Event, ...] = ()
    urgent: bool = False
    rounds: tuple[Round, ...] = ()
    held_until: date | None = None
    awarded_to: str | None = None
    since: date | None = None
    """The day the case entered its current state."""

    @property
    def is_open(self) -> bool:
        return self.state is not None and self.state.is_open

    @property
    def current_round(self) -> Round | None:
        """The round out with providers now (``None`` unless the case is ``out``)."""
        return self.rounds[-1] if self.state is State.OUT and self.rounds else None

    @property
    def last_round(self) -> Round | None:
        return self.rounds[-1] if self.rounds else None

    def next_round(self) -> RoundSpec | None:
        """The round the next send-out is (``None`` when all four have been sent)."""
        done = len(self.rounds)
        return ROUND_SEQUENCE[done] if done < len(ROUND_SEQUENCE) else None

    def sent_to(self) -> tuple[str, ...]:
        """Every provider sent the referral in any round, in the order first sent."""
        return tuple(dict.fromkeys(name for r in self.rounds for name in r.providers))


OPEN_NOT_TERMINAL = frozenset(s for s in State if s.is_open)

_TRANSITIONS: dict[EventKind, dict[State | None, State]] = {
    EventKind.ACCEPTED: {None: State.READY, State.RETURNED: State.READY, State.FLEXIBILITY_ASKED: State.READY},
    EventKind.RETURNED: {None: State.RETURNED, State.RETURNED: State.RETURNED, State.READY: State.RETURNED,
                         State.FLEXIBILITY_ASKED: State.RETURNED},
    EventKind.HELD: {None: State.HELD, State.RETURNED: State.HELD, State.READY: State.HELD},
    EventKind.RELEASED: {State.HELD: State.READY},
    EventKind.SENT_OUT: {State.READY: State.OUT, State.OUT: State.OUT},
    EventKind.CHASED: {State.OUT: State.OUT},
    EventKind.FLEXIBILITY_ASKED: {State.OUT: State.FLEXIBILITY_ASKED},
    EventKind.AWARDED: {State.OUT: State.AWARDED},
    EventKind.IPA_ISSUED: {State.AWARDED: State.IPA_ISSUED, State.IPA_ISSUED: State.IPA_ISSUED,
                           State.IPA_SIGNED: State.IPA_ISSUED},
    EventKind.IPA_SIGNED: {State.IPA_ISSUED: State.IPA_SIGNED},
    EventKind.COUNTERSIGNED: {State.IPA_SIGNED: State.COUNTERSIGNED},
    EventKind.NO_PROVIDER: {State.OUT: State.NO_PROVIDER, State.FLEXIBILITY_ASKED: State.NO_PROVIDER},
    EventKind.WITHDRAWN: {s: State.WITHDRAWN for s in OPEN_NOT_TERMINAL},
    EventKind.CLOSED: {State.COUNTERSIGNED: State.CLOSED, State.NO_PROVIDER: State.CLOSED,
                       State.RETURNED: State.CLOSED},
    EventKind.NOTE: {s: s for s in State},
}

_DOING = {
    EventKind.ACCEPTED: "accept a referral for it",
    EventKind.RETURNED: "return it to the worker",
    EventKind.HELD: "keep it on file",
    EventKind.RELEASED: "take it off hold",
    EventKind.SENT_OUT: "send it out",
    EventKind.CHASED: "chase providers",
    EventKind.FLEXIBILITY_ASKED: "ask the worker about flexibility",
    EventKind.AWARDED: "award it",
    EventKind.IPA_ISSUED: "issue the IPA",
    EventKind.IPA_SIGNED: "record the provider's signed IPA",
    EventKind.COUNTERSIGNED: "countersign the IPA",
    EventKind.NO_PROVIDER: "record that no provider was found",
    EventKind.WITHDRAWN: "withdraw it",
    EventKind.CLOSED: "close it",
    EventKind.NOTE: "add a note",
}


def _state_words(case: Case) -> str:
    if case.state is None:
        return "not in the ledger yet"
    if case.state is State.OUT and case.current_round:
        return f"out with providers ({case.current_round.spec.label})"
    return case.state.value


def _refuse(case: Case, event: Event, why: str) -> CaseError:
    return CaseError(f"Cannot {_DOING[event.kind]}: {case.reference} is {_state_words(case)}; {why}")


_NEXT_STEP_HINT = {
    State.RETURNED: "it waits for the worker's corrected referral.",
    State.HELD: "it is kept on file until it is taken off hold.",
    State.READY: "send it out first.",
    State.OUT: "award it, chase providers or send the next round.",
    State.FLEXIBILITY_ASKED: "it waits for the worker's answer or revised referral.",
    State.AWARDED: "issue the IPA next.",
    State.IPA_ISSUED: "it waits for the provider's signed IPA.",
    State.IPA_SIGNED: "countersign the IPA next.",
    State.COUNTERSIGNED: "close it when the copy is on the child's record.",
    State.NO_PROVIDER: "close it, or withdraw it if the worker says support is no longer needed.",
    State.WITHDRAWN: "a withdrawn case takes no further steps.",
    State.CLOSED: "a closed case takes no further steps.",
}


def _check(case: Case, event: Event) -> State:
    targets = _TRANSITIONS[event.kind]
    if case.state not in targets:
        hint = _NEXT_STEP_HINT.get(case.state, "the referral must be processed first.")  # type: ignore[arg-type]
        raise _refuse(case, event, hint)
    if case.events and event.day < case.events[-1].day:
        raise _refuse(case, event, f"the event is dated {event.day.isoformat()}, before the case's last event "
                                   f"({case.events[-1].day.isoformat()}); check the day given with --today.")
    if not event.actor.strip():
        raise _refuse(case, event, "every event must say who or what caused it.")
    if event.kind is EventKind.SENT_OUT:
        expected = case.next_round()
        if case.state is State.OUT and (expected is None or expected.kind is not RoundKind.OFF_FRAMEWORK):
            raise _refuse(case, event, "after the off-framework round the worker is asked about flexibility, "
                                       "or no provider is recorded.")
        if event.round != expected:
            wanted = expected.label if expected else "no further round"
            got = event.round.label if event.round else "no round"
            raise _refuse(case, event, f"the next round is {wanted}, not {got}.")
        if event.deadline is None or event.deadline < event.day:
            raise _refuse(case, event, "a round needs a response deadline on or after the day it is sent.")
    elif event.kind is EventKind.FLEXIBILITY_ASKED and case.last_round and case.last_round.spec != FLEXIBILITY_AFTER:
        raise _refuse(case, event, f"the worker is asked about flexibility after {FLEXIBILITY_AFTER.label}, "
                                   f"and this is {case.last_round.spec.label}.")
    elif event.kind is EventKind.NO_PROVIDER and case.state is State.OUT and (
        case.last_round is None or case.last_round.spec != NO_PROVIDER_AFTER
    ):
        raise _refuse(case, event, f"no provider is recorded after {NO_PROVIDER_AFTER.label} (or when "
                                   "the worker says the package cannot change); send the next round first.")
    elif event.kind is EventKind.AWARDED and not (event.provider or "").strip():
        raise _refuse(case, event, "name the provider awarded the package.")
    elif event.kind is EventKind.HELD and event.until is None:
        raise _refuse(case, event, "say until when it is kept on file.")
    return targets[case.state]  # type: ignore[index]


def apply(case: Case, event: Event) -> Case:
    """The case after ``event``; raises :class:`CaseError` when the event does not fit."""
    state = _check(case, event)
    changes: dict[str, Any] = {"state": state, "events": (*case.events, event)}
    if state is not case.state or event.kind is EventKind.SENT_OUT:
        changes["since"] = event.day
    if event.kind is EventKind.ACCEPTED and event.urgent is not None:
        changes["urgent"] = event.urgent
    elif event.kind is EventKind.HELD:
        changes["held_until"] = event.until
    elif event.kind is EventKind.RELEASED:
        changes["held_until"] = None
    elif event.kind is EventKind.SENT_OUT:
        assert event.round is not None and event.deadline is not None
        changes["rounds"] = (*case.rounds, Round(event.round, event.day, event.deadline, event.providers))
    elif event.kind is EventKind.CHASED and case.rounds:
        changes["rounds"] = (*case.rounds[:-1], replace(case.rounds[-1], chased_on=event.day))
    elif event.kind is EventKind.AWARDED:
        changes["awarded_to"] = event.provider
    return replace(case, **changes)


def replay(reference: str, events: Iterable[Event]) -> Case:
    """The case the ``events`` make, in order; raises :class:`CaseError` at the first that does not fit."""
    case = Case(reference)
    for event in events:
        case = apply(case, event)
    return case

