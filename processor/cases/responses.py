"""Provider responses (Part B) as the case model needs them: who, what they can meet, when, and the
round they were filed against."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from brokerage.processor.cases.model import Case, Round, RoundSpec


class Answer(StrEnum):
    ALL = "all"
    PART = "part"
    NONE = "none"

    @classmethod
    def from_can_meet(cls, text: str) -> Answer:
        """Part B's "Can you meet the package?" choice → an answer."""
        return _CAN_MEET[text]

    @property
    def positive(self) -> bool:
        return self is not Answer.NONE


_CAN_MEET = {
    "All of the package": Answer.ALL,
    "Part of the package": Answer.PART,
    "None of the package": Answer.NONE,
}


@dataclass(frozen=True)
class Response:
    provider: str
    answer: Answer
    received: date
    round: RoundSpec | None = None
    """The round it was filed against; ``None``: by the day it came in."""

    @property
    def positive(self) -> bool:
        return self.answer.positive


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def responses_in(case: Case, responses: Iterable[Response], round_: Round | None = None) -> list[Response]:
    """The responses that belong to ``round_`` (the last round by default): filed against it, or,
    when not filed against a round, received from the day it was sent until the next round was sent.
    A provider that answered twice counts once, by its latest answer."""
    round_ = round_ or case.last_round
    if round_ is None:
        return []
    index = case.rounds.index(round_)
    until = case.rounds[index + 1].sent_on if index + 1 < len(case.rounds) else None
    chosen: dict[str, Response] = {}
    for response in sorted(responses, key=lambda r: r.received):
        if response.round is not None:
            belongs = response.round == round_.spec
        else:
            belongs = response.received >= round_.sent_on and (until is None or response.received < until)
        if belongs:
            chosen[_key(response.provider)] = response
    return list(chosen.values())


def not_answered(round_: Round, responses: Iterable[Response]) -> tuple[str, ...]:
    """Providers sent ``round_`` with no response among ``responses`` (of that round)."""
    answered = {_key(r.provider) for r in responses}
    return tuple(name for name in round_.providers if _key(name) not in answered)
