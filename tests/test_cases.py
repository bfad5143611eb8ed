"""The case model: rounds and deadlines across bank holidays and Christmas 2026, the allowed and the
refused transitions, replay from stored events, and the officer's next action for a table of situations."""

from __future__ import annotations

import json
from datetime import date

import pytest

from brokerage.errors import BrokerageError
from brokerage.processor.cases import (
    ROUND_SEQUENCE,
    Action,
    Answer,
    Case,
    CaseError,
    Event,
    EventKind,
    Response,
    RoundKind,
    RoundSpec,
    State,
    apply,
    award,
    chase,
    hold,
    next_action,
    replay,
    round_deadline,
    send_out,
    working_days_left,
)
from brokerage.rules import load_policy

POLICY = load_policy()
REF = "BRK-2026-0042"
OFFICER = "officer A. Khan"
FW1, OFF1, FW2, OFF2 = ROUND_SEQUENCE


def d(text: str) -> date:
    return date.fromisoformat(text)


def accepted(day: str, urgent: bool = False) -> Case:
    return apply(Case(REF), Event(EventKind.ACCEPTED, d(day), "brokerage process", "referral accepted", urgent=urgent))


def sent(case: Case, day: str, *providers: str) -> Case:
    return apply(case, send_out(case, d(day), OFFICER, providers or ("Alpha Play", "Gamma Both"), POLICY))


def no(provider: str, day: str) -> Response:
    return Response(provider, Answer.NONE, d(day))


def yes(provider: str, day: str, answer: Answer = Answer.ALL) -> Response:
    return Response(provider, answer, d(day))


@pytest.mark.parametrize(
    ("sent_on", "urgent", "deadline"),
    [
        ("2026-02-02", False, "2026-02-09"),  # Monday → next Monday
        ("2026-02-06", False, "2026-02-13"),  # Friday → next Friday
        ("2026-02-02", True, "2026-02-04"),
        ("2026-04-02", False, "2026-04-13"),  # Thursday before Good Friday 3/4 and Easter Monday 6/4
        ("2026-04-02", True, "2026-04-08"),
        ("2026-05-22", False, "2026-06-01"),  # Spring bank holiday Monday 25/5
        ("2026-08-28", True, "2026-09-02"),  # Late summer bank holiday Monday 31/8
        ("2026-12-23", False, "2027-01-04"),  # Christmas 25/12, Boxing Day observed Monday 28/12, New Year 1/1
        ("2026-12-23", True, "2026-12-29"),
        ("2026-12-24", True, "2026-12-30"),
        ("2026-12-31", False, "2027-01-08"),
    ],
)
def test_deadline_counts_working_days_from_the_send_out_day(sent_on: str, urgent: bool, deadline: str) -> None:
    assert round_deadline(d(sent_on), urgent, POLICY) == d(deadline)
    case = sent(accepted(sent_on, urgent), sent_on)
    assert case.current_round.deadline == d(deadline)
    assert case.current_round.spec == FW1


def test_the_whole_round_sequence_across_christmas_2026() -> None:
    """Framework → off-framework → flexibility → framework round 2 → off-framework round 2 → no provider,
    every deadline 5 working days from its send-out day, the officer told what to do at each step."""
    case = accepted("2026-12-21")
    assert next_action(case, [], d("2026-12-21"), POLICY).action is Action.SEND_OUT

    case = sent(case, "2026-12-21", "Alpha Play", "Gamma Both")
    assert case.current_round.deadline == d("2026-12-30")  # 22, 23, 24, 29, 30 (25 and 28 are bank holidays)
    responses = [no("Alpha Play", "2026-12-22")]
    step = next_action(case, responses, d("2026-12-24"), POLICY)
    assert step.action is Action.WAIT and step.waiting_for == ("Gamma Both",)
    step = next_action(case, responses, d("2026-12-29"), POLICY)  # the deadline is the next working day
    assert step.action is Action.CHASE and "remind Gamma Both" in step.sentence
    case = apply(case, chase(case, d("2026-12-29"), OFFICER, step.waiting_for))
    assert next_action(case, responses, d("2026-12-29"), POLICY).action is Action.WAIT
    responses.append(no("Gamma Both", "2026-12-30"))
    step = next_action(case, responses, d("2026-12-30"), POLICY)  # every provider said no before the end
    assert step.action is Action.GO_OFF_FRAMEWORK and not step.overdue

    case = sent(case, "2026-12-31", "Delta Off")
    assert case.current_round.spec == OFF1
    assert case.current_round.deadline == d("2027-01-08")  # New Year's Day skipped
    step = next_action(case, responses, d("2027-01-08"), POLICY)  # the December answers are not this round's
    assert step.action is Action.CHASE and step.waiting_for == ("Delta Off",)
    step = next_action(case, responses, d("2027-01-11"), POLICY)
    assert step.action is Action.ASK_FLEXIBILITY and step.due == d("2027-01-11") and not step.overdue
    step = next_action(case, responses, d("2027-01-13"), POLICY)
    assert step.action is Action.ASK_FLEXIBILITY and step.overdue and "Overdue since Monday 11 January 2027" in \
        step.sentence

    case = apply(case, Event(EventKind.FLEXIBILITY_ASKED, d("2027-01-13"), OFFICER, "no positive response"))
    assert next_action(case, responses, d("2027-01-14"), POLICY).action is Action.WAIT
    case = apply(case, Event(EventKind.ACCEPTED, d("2027-01-18"), "brokerage process", "revised referral"))
    assert case.state is State.READY
    step = next_action(case, responses, d("2027-01-18"), POLICY)
    assert step.action is Action.SEND_ROUND_2 and "framework round 2" in step.sentence

    case = sent(case, "2027-01-19", "Alpha Play", "Gamma Both")
    assert case.current_round.spec == FW2 and case.current_round.deadline == d("2027-01-26")
    assert next_action(case, responses, d("2027-01-27"), POLICY).action is Action.GO_OFF_FRAMEWORK
    case = sent(case, "2027-01-27", "Delta Off")
    assert case.current_round.spec == OFF2
    step = next_action(case, responses, d("2027-02-04"), POLICY)
    assert step.action is Action.TELL_NO_PROVIDER
    case = apply(case, Event(EventKind.NO_PROVIDER, d("2027-02-04"), OFFICER, "worker told"))
    assert next_action(case, responses, d("2027-02-04"), POLICY).action is Action.CLOSE
    case = apply(case, Event(EventKind.CLOSED, d("2027-02-05"), OFFICER, "no provider"))
    assert next_action(case, responses, d("2027-02-05"), POLICY).action is Action.NONE
    assert [r.spec for r in case.rounds] == list(ROUND_SEQUENCE)
    with pytest.raises(CaseError, match="there is no further round"):
        send_out(case, d("2027-02-05"), OFFICER, ["Alpha Play"], POLICY)


def test_award_and_the_ipa_states() -> None:
    case = sent(accepted("2026-03-02"), "2026-03-02", "Alpha Play", "Gamma Both", "Beta Care")
    responses = [no("Alpha Play", "2026-03-03"), yes("Gamma Both", "2026-03-04", Answer.PART)]
    step = next_action(case, responses, d("2026-03-10"), POLICY)  # deadline Monday 9 March
    assert step.action is Action.AWARD and step.positive == ("Gamma Both",) and step.waiting_for == ("Beta Care",)
    with pytest.raises(CaseError, match="'Alpha Play' has no positive response to BRK-2026-0042 in framework round 1"):
        award(case, "Alpha Play", responses, d("2026-03-10"), OFFICER)
    with pytest.raises(CaseError, match="Positive responses: Gamma Both"):
        award(case, "Beta Care", responses, d("2026-03-10"), OFFICER)
    case = apply(case, award(case, " gamma  both ", responses, d("2026-03-10"), OFFICER))
    assert case.state is State.AWARDED and case.awarded_to == "Gamma Both"
    assert next_action(case, responses, d("2026-03-11"), POLICY).action is Action.ISSUE_IPA
    assert next_action(case, responses, d("2026-03-12"), POLICY).overdue
    case = apply(case, Event(EventKind.IPA_ISSUED, d("2026-03-11"), OFFICER, "IPA issued", provider="Gamma Both"))
    assert next_action(case, responses, d("2026-03-18"), POLICY).action is Action.WAIT
    late = next_action(case, responses, d("2026-03-19"), POLICY)
    assert late.action is Action.CHASE and late.overdue and "chase Gamma Both" in late.sentence
    case = apply(case, Event(EventKind.IPA_SIGNED, d("2026-03-19"), "brokerage process", "signed IPA received"))
    assert next_action(case, responses, d("2026-03-19"), POLICY).action is Action.COUNTERSIGN
    case = apply(case, Event(EventKind.COUNTERSIGNED, d("2026-03-20"), OFFICER, "countersigned"))
    assert next_action(case, responses, d("2026-03-20"), POLICY).action is Action.CLOSE
    case = apply(case, Event(EventKind.CLOSED, d("2026-03-23"), OFFICER, "on Mosaic"))
    assert not case.is_open


@pytest.mark.parametrize(
    ("situation", "urgent", "responses", "today", "action", "overdue"),
    [
        ("just sent", False, [], "2026-03-03", Action.WAIT, False),
        ("two days before the deadline", False, [], "2026-03-05", Action.WAIT, False),
        ("deadline tomorrow, nobody answered", False, [], "2026-03-06", Action.CHASE, False),
        ("deadline tomorrow, everyone answered no", False, [no("A", "2026-03-03"), no("B", "2026-03-04")],
         "2026-03-06", Action.GO_OFF_FRAMEWORK, False),
        ("deadline tomorrow, everyone answered, one yes", False, [no("A", "2026-03-03"), yes("B", "2026-03-04")],
         "2026-03-06", Action.AWARD, False),
        ("deadline today, one not answered", False, [yes("A", "2026-03-03")], "2026-03-09", Action.CHASE, False),
        ("after the deadline, one yes", False, [yes("A", "2026-03-03")], "2026-03-10", Action.AWARD, False),
        ("two days after the deadline, one yes", False, [yes("A", "2026-03-03")], "2026-03-11", Action.AWARD, True),
        ("after the deadline, only no", False, [no("A", "2026-03-03")], "2026-03-10", Action.GO_OFF_FRAMEWORK,
         False),
        ("after the deadline, nobody answered", False, [], "2026-03-16", Action.GO_OFF_FRAMEWORK, True),
        ("late yes still counts", False, [yes("B", "2026-03-10")], "2026-03-10", Action.AWARD, False),
        ("a changed answer counts by the latest", False, [yes("A", "2026-03-03"), no("A", "2026-03-04")],
         "2026-03-10", Action.GO_OFF_FRAMEWORK, False),
        ("urgent, sent Monday, Tuesday", True, [], "2026-03-03", Action.CHASE, False),
        ("urgent, after the deadline with a part offer", True, [yes("A", "2026-03-04", Answer.PART)],
         "2026-03-05", Action.AWARD, False),
    ],
)
def test_next_action_for_a_round_out(situation: str, urgent: bool, responses: list[Response], today: str,
                                     action: Action, overdue: bool) -> None:
    case = sent(accepted("2026-03-02", urgent), "2026-03-02", "A", "B")  # Monday; deadline Mon 9 (urgent Wed 4)
    step = next_action(case, responses, d(today), POLICY)
    assert (step.action, step.overdue) == (action, overdue), (situation, step.sentence)
    assert step.sentence


@pytest.mark.parametrize(
    ("events", "today", "action", "overdue"),
    [
        ([Event(EventKind.RETURNED, d("2026-03-02"), "brokerage process", "3 errors")], "2026-03-03", Action.WAIT,
         False),
        ([Event(EventKind.ACCEPTED, d("2026-03-02"), "brokerage process", "ok")], "2026-03-03", Action.SEND_OUT,
         False),
        ([Event(EventKind.ACCEPTED, d("2026-03-02"), "brokerage process", "ok")], "2026-03-04", Action.SEND_OUT, True),
        ([Event(EventKind.ACCEPTED, d("2026-03-02"), "brokerage process", "ok", urgent=True)], "2026-03-03",
         Action.SEND_OUT, True),  # urgent: send the same day
        ([hold(d("2025-11-20"), "brokerage process", d("2026-01-02"), "summer scheme before January")],
         "2025-12-01", Action.WAIT, False),
        ([hold(d("2025-11-20"), "brokerage process", d("2026-01-02"), "summer scheme before January")],
         "2026-01-02", Action.SEND_OUT, False),
        ([Event(EventKind.ACCEPTED, d("2026-03-02"), "brokerage process", "ok"),
          Event(EventKind.WITHDRAWN, d("2026-03-03"), OFFICER, "support no longer required")], "2026-03-04",
         Action.NONE, False),
    ],
)
def test_next_action_outside_a_round(events: list[Event], today: str, action: Action, overdue: bool) -> None:
    step = next_action(replay(REF, events), [], d(today), POLICY)
    assert (step.action, step.overdue) == (action, overdue), step.sentence


def test_a_round_with_no_provider_is_recorded_and_moves_on() -> None:
    case = accepted("2026-03-02")
    case = apply(case, send_out(case, d("2026-03-02"), OFFICER, [], POLICY))
    assert case.current_round.providers == () and case.current_round.deadline == d("2026-03-02")
    step = next_action(case, [], d("2026-03-02"), POLICY)
    assert step.action is Action.GO_OFF_FRAMEWORK and not step.overdue


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda: apply(sent(accepted("2026-03-02"), "2026-03-02"), Event(EventKind.ACCEPTED, d("2026-03-03"),
         "brokerage process")), "Cannot accept a referral for it: BRK-2026-0042 is out with providers "
         "(framework round 1); award it, chase providers or send the next round."),
        (lambda: apply(accepted("2026-03-02"), Event(EventKind.AWARDED, d("2026-03-03"), OFFICER, provider="X")),
         "Cannot award it: BRK-2026-0042 is ready; send it out first."),
        (lambda: apply(sent(accepted("2026-03-02"), "2026-03-02"), Event(EventKind.FLEXIBILITY_ASKED,
         d("2026-03-10"), OFFICER)), "the worker is asked about flexibility after off-framework round 1, and this "
         "is framework round 1."),
        (lambda: apply(sent(accepted("2026-03-02"), "2026-03-02"), Event(EventKind.NO_PROVIDER, d("2026-03-10"),
         OFFICER)), "no provider is recorded after off-framework round 2"),
        (lambda: apply(accepted("2026-03-02"), Event(EventKind.SENT_OUT, d("2026-03-02"), OFFICER,
         round=RoundSpec(1, RoundKind.OFF_FRAMEWORK), deadline=d("2026-03-09"), providers=("X",))),
         "the next round is framework round 1, not off-framework round 1."),
        (lambda: apply(accepted("2026-03-02"), Event(EventKind.SENT_OUT, d("2026-03-02"), OFFICER,
         round=RoundSpec(1, RoundKind.FRAMEWORK), deadline=d("2026-03-01"), providers=("X",))),
         "a round needs a response deadline on or after the day it is sent."),
        (lambda: sent(sent(sent(accepted("2026-03-02"), "2026-03-02"), "2026-03-10"), "2026-03-18"),
         "after the off-framework round the worker is asked about flexibility"),
        (lambda: apply(accepted("2026-03-05"), Event(EventKind.WITHDRAWN, d("2026-03-04"), OFFICER)),
         "the event is dated 2026-03-04, before the case's last event (2026-03-05)"),
        (lambda: apply(apply(accepted("2026-03-02"), Event(EventKind.WITHDRAWN, d("2026-03-03"), OFFICER)),
         Event(EventKind.ACCEPTED, d("2026-03-04"), "brokerage process")), "a withdrawn case takes no further steps."),
        (lambda: apply(Case(REF), Event(EventKind.SENT_OUT, d("2026-03-02"), OFFICER)),
         "BRK-2026-0042 is not in the ledger yet; the referral must be processed first."),
        (lambda: apply(accepted("2026-03-02"), Event(EventKind.HELD, d("2026-03-02"), OFFICER)),
         "say until when it is kept on file."),
        (lambda: apply(accepted("2026-03-02"), Event(EventKind.WITHDRAWN, d("2026-03-02"), "  ")),
         "every event must say who or what caused it."),
        (lambda: award(accepted("2026-03-02"), "X", [], d("2026-03-02"), OFFICER),
         "only a case out with providers can be awarded."),
    ],
)
def test_illegal_transitions_are_refused_with_a_sentence(build, words: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CaseError) as caught:
        build()
    assert words in str(caught.value)
    assert isinstance(caught.value, BrokerageError)


def test_withdrawal_is_possible_from_every_open_state_and_tells_who_was_sent_it() -> None:
    case = sent(sent(accepted("2026-03-02"), "2026-03-02", "Alpha Play"), "2026-03-10", "Delta Off", "Alpha Play")
    assert case.sent_to() == ("Alpha Play", "Delta Off")
    done = apply(case, Event(EventKind.WITHDRAWN, d("2026-03-11"), OFFICER, "support no longer required",
                             providers=case.sent_to()))
    assert done.state is State.WITHDRAWN and not done.is_open
    assert done.events[-1].providers == ("Alpha Play", "Delta Off")
    opened = {s for s in State if s.is_open}
    assert opened == set(State) - {State.WITHDRAWN, State.CLOSED}


def test_events_store_as_json_and_replay_to_the_same_case() -> None:
    case = accepted("2026-12-21", urgent=True)
    case = sent(case, "2026-12-21", "Alpha Play", "Zoë’s Play & Co")
    case = apply(case, chase(case, d("2026-12-22"), OFFICER, ("Zoë’s Play & Co",)))
    case = apply(case, award(case, "Alpha Play", [yes("Alpha Play", "2026-12-22")], d("2026-12-24"), OFFICER))
    stored = json.loads(json.dumps([e.as_json() for e in case.events]))
    again = replay(REF, (Event.from_json(e) for e in stored))
    assert again == case
    assert again.rounds[0].chased_on == d("2026-12-22") and again.rounds[0].deadline == d("2026-12-23")
    assert stored[1] == {"kind": "sent-out", "day": "2026-12-21", "actor": OFFICER,
                         "reason": "framework round 1 sent to 2 provider(s)",
                         "round": {"number": 1, "kind": "framework"}, "deadline": "2026-12-23",
                         "providers": ["Alpha Play", "Zoë’s Play & Co"]}
    with pytest.raises(CaseError, match="cannot be read"):
        Event.from_json({"kind": "sent-out", "day": "yesterday", "actor": "x"})
    with pytest.raises(CaseError, match="cannot be read"):
        Event.from_json({"kind": "teleported", "day": "2026-01-01", "actor": "x"})
    with pytest.raises(CaseError, match="cannot be read"):
        Event.from_json({"kind": "chased", "day": "2026-01-01", "actor": "x", "providers": "Alpha Play"})


def test_answers_from_part_b() -> None:
    assert Answer.from_can_meet("All of the package") is Answer.ALL
    assert Answer.from_can_meet("Part of the package").positive
    assert not Answer.from_can_meet("None of the package").positive


def test_working_days_left() -> None:
    assert working_days_left(d("2026-12-23"), d("2027-01-04")) == 5
    assert working_days_left(d("2027-01-04"), d("2027-01-04")) == 0
    assert working_days_left(d("2027-01-06"), d("2027-01-04")) == -2


def test_case_facts_and_the_providers_of_each_round() -> None:
    import copy

    from outputs_support import example

    from brokerage.processor.cases import case_facts, providers_for_round
    from brokerage.processor.providers import Lot, sample_register

    register = sample_register()
    facts = case_facts(example("referral-two-children"))
    assert (facts.lots, facts.districts, facts.urgent, facts.children) == (frozenset({Lot.SHORT_BREAKS}), ("LE1",),
                                                                             False, 2)
    assert facts.worker_subject == "ZŁON 1234567, TN 7654321" and facts.summer_scheme
    framework = [p.name for p in providers_for_round(facts, register, FW1)]
    off = [p.name for p in providers_for_round(facts, register, OFF1)]
    assert framework == ["Bright Days Play Ltd", "Countywide Care Partnership"]
    assert off == ["Sence Valley Support", "Wreake Play & Leisure"]
    assert [p.name for p in providers_for_round(facts, register, FW2, districts=["LE13"])] == [
        "Countywide Care Partnership", "Melton Short Breaks Trust"]

    urgent = case_facts(example("referral-domiciliary-only"))
    assert urgent.urgent and urgent.lots == frozenset({Lot.DOMICILIARY_CARE})

    named = copy.deepcopy(example("referral-two-children"))
    named["part_a"]["services"]["specific_provider"] = {"requested": "Yes", "provider_name": "forest friends outdoor "
                                                        "play", "reasons": "The child's hoist is only there."}
    assert [p.name for p in providers_for_round(case_facts(named), register, FW1)] == ["Forest Friends Outdoor Play"]

    lost = copy.deepcopy(example("referral-two-children"))
    lost["part_a"]["children"][1]["address"] = "12 Example Street, Leicester"
    with pytest.raises(CaseError, match="has no full postcode"):
        providers_for_round(case_facts(lost), register, FW1)
    assert providers_for_round(case_facts(lost), register, FW1, districts=["LE1"])
