"""Rules that read free text: names (point 5), transport (4), data protection (7), a specific provider (9)."""

from __future__ import annotations

import pytest
from rules_support import example, run_rule

from brokerage.rules.names import names_in
from brokerage.rules.provider import only_familiarity
from brokerage.schema import Severity

CHILD = "/part_a/children/0"


@pytest.mark.parametrize("name", ["referral-two-children", "referral-domiciliary-only", "referral-summer-scheme"])
def test_examples_name_nobody_else(name: str) -> None:
    assert run_rule("guidance-5-names", example(name)) == []


def test_other_names_are_listed() -> None:
    instance = example("referral-summer-scheme")
    instance["part_a"]["children"][0]["likes_and_interests"] = (
        "Swimming with her sister Chloe on Saturdays. Mrs Patel at school says she loves music. Zoë likes Lego."
    )
    [problem] = run_rule("guidance-5-names", instance)
    assert (problem.rule, problem.pointer, problem.severity) == (
        "guidance-5-names", f"{CHILD}/likes_and_interests", Severity.warning
    )
    assert "Mrs Patel, Chloe" in problem.message
    assert "best-effort" in problem.message
    assert "Zoë" not in problem.message.split(":", 2)[-1].split("Refer")[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Goes to Birch Wood School on weekdays and likes Peppa.", ["Peppa"]),
        ("Has Down's syndrome and uses Makaton with Mum and Dad.", []),
        ("Dr Jones reviews her epilepsy; Ms Anna Nguyễn is the contact.", ["Dr Jones"]),
        ("Lives with Mum. Sibling Tom is at college in Leicester.", ["Tom"]),
        ("Getting ready: see NHS and CAMHS letters.", []),
    ],
)
def test_names_in_best_effort(text: str, expected: list[str]) -> None:
    allowed = frozenset({"anna", "nguyễn", "zoë"})
    assert names_in(text, allowed) == expected


def test_transport_requests() -> None:
    instance = example("referral-summer-scheme")  # "reachable by taxi" as a travel restriction is fine
    assert run_rule("guidance-4-transport", instance) == []
    instance["part_a"]["services"]["short_break"]["additional_notes"] = "Provider to pick her up from school by taxi."
    [problem] = run_rule("guidance-4-transport", instance)
    assert (problem.rule, problem.pointer, problem.severity) == (
        "guidance-4-transport", "/part_a/services/short_break/additional_notes", Severity.warning
    )
    assert "'pick her up'" in problem.message and "'taxi'" in problem.message


def test_public_transport_restriction_is_not_a_request() -> None:
    instance = example("referral-summer-scheme")
    instance["part_a"]["services"]["short_break"]["travel_restrictions"] = "No car: must use public transport."
    assert run_rule("guidance-4-transport", instance) == []
    instance["part_a"]["services"]["short_break"]["travel_restrictions"] = "Transport needed to the setting."
    [problem] = run_rule("guidance-4-transport", instance)
    assert problem.pointer == "/part_a/services/short_break/travel_restrictions"


def test_identifiers_are_not_relevant() -> None:
    instance = example("referral-two-children")
    assert run_rule("guidance-7-relevant-only", instance) == []
    instance["part_a"]["children"][1]["health_and_medication"] = "Asthma. NHS number 943 476 5919; NI AB123456C."
    [problem] = run_rule("guidance-7-relevant-only", instance)
    assert (problem.pointer, problem.severity) == ("/part_a/children/1/health_and_medication", Severity.warning)
    assert "National Insurance" in problem.message and "NHS number" in problem.message


def specific(reasons: str) -> dict:
    instance = example("referral-domiciliary-only")
    instance["part_a"]["services"]["specific_provider"] = {
        "requested": "Yes", "provider_name": "Bright Days Play Ltd", "reasons": reasons
    }
    return instance


def test_specific_provider_reason_about_impact_passes() -> None:
    instance = specific(
        "A change of carers caused self-harm and three weeks off school last year; the child's behaviour plan "
        "needs staff trained in the same positive handling approach."
    )
    assert run_rule("guidance-9-specific-provider-reason", instance) == []


@pytest.mark.parametrize(
    "reasons",
    [
        "The provider knows the child and family and support works well.",
        "They already know him well. It has worked well.",
        "Mum is happy with the current provider.",
        "Good relationship with the family; familiar with his needs.",
    ],
)
def test_specific_provider_familiarity_only_fails(reasons: str) -> None:
    [problem] = run_rule("guidance-9-specific-provider-reason", specific(reasons))
    assert (problem.rule, problem.pointer, problem.severity) == (
        "guidance-9-specific-provider-reason", "/part_a/services/specific_provider/reasons", Severity.error
    )
    assert "will not be acceptable" in problem.message


def test_only_familiarity_needs_a_familiarity_phrase() -> None:
    assert not only_familiarity("Needs a carer who speaks Polish.")
    assert only_familiarity("The provider knows the child.")
