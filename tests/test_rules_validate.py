"""The entry point: schema problems plus every rule, one problem per box, in form order; the catalogue;
partial and wrong-typed instances never crash a rule."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rules_support import RECEIVED, example, problems

from brokerage.rules import RULES, catalogue, load_policy
from brokerage.rules.registry import POINTS
from brokerage.schema import Problem, Severity, default_catalogue, set_at

form_order = default_catalogue().form_order


def test_blank_required_box_reported_once() -> None:
    instance = example("referral-two-children")
    instance["part_a"]["children"][0]["communication"] = "   "  # schema pattern and completeness both see it
    instance["part_a"]["services"]["short_break"]["travel_restrictions"] = "   "  # only completeness sees it
    found = problems(instance)
    at_communication = [p for p in found if p.pointer == "/part_a/children/0/communication"]
    assert [p.rule for p in at_communication] == ["schema:pattern"]
    at_travel = [p for p in found if p.pointer == "/part_a/services/short_break/travel_restrictions"]
    assert [p.rule for p in at_travel] == ["guidance-child-none-or-na"]


def test_problems_in_form_order_then_rule() -> None:
    instance = example("referral-two-children")
    instance["part_a"]["manager_approval"]["approval_date"] = "2026-02-01"
    instance["part_a"]["children"][1]["sen_disability"] = "Kicks out."
    instance["part_a"]["children"][0]["school_holidays"][0]["to"] = "2026-02-01"
    del instance["part_a"]["children"][0]["gender"]
    found = problems(instance)
    pointers = [p.pointer for p in found]
    assert pointers.index("/part_a/children/0/gender") < pointers.index("/part_a/children/0/school_holidays/0/to")
    assert pointers.index("/part_a/children/0/school_holidays/0/to") < pointers.index(
        "/part_a/children/1/behaviours_that_challenge"
    )
    assert pointers.index("/part_a/children/1/behaviours_that_challenge") < pointers.index(
        "/part_a/manager_approval/approval_date"
    )
    assert found == sorted(found, key=lambda p: (form_order(p.pointer), p.rule))


def test_form_order_follows_the_leaves() -> None:
    templates = [leaf.pointer.replace("*", "0") for leaf in default_catalogue().leaves]
    assert templates == sorted(templates, key=form_order)


def test_a_box_named_with_a_superscript_digit_is_reported_not_a_crash() -> None:
    # '²'.isdigit() is true but int('²') fails: such a step is a name the form does not have, sorted last.
    instance = example("referral-two-children")
    instance["part_a"]["²"] = "x"
    found = problems(instance)
    assert [p.rule for p in found if p.pointer == "/part_a/²"] == ["schema:additionalProperties"]
    assert form_order("/part_a/²") > form_order("/part_a/manager_approval/approval_date")


def test_examples_carry_only_expected_warnings() -> None:
    for name in ("referral-summer-scheme", "ipa", "provider-response"):
        assert problems(example(name)) == [], name
    found = problems(example("referral-domiciliary-only"))
    assert [(p.rule, p.severity) for p in found] == [("guidance-8-bank-holidays", Severity.warning)]


@pytest.mark.parametrize(
    "instance",
    [
        {},
        {"part_a": {}},
        {"part_b": {"can_meet": "None of the package"}},
        {"part_c": {"service": {"start_date": "2026-03-01"}}},
        {"annex_1": {"children": [{"dates": [{"date": "2026-08-03"}]}]}},
    ],
)
def test_partial_instances(instance: dict[str, Any]) -> None:
    for problem in problems(instance):
        assert problem.rule.startswith(("schema:", "guidance-"))
        assert problem.message


def test_part_a_with_annex_only_and_part_b_only() -> None:
    instance = example("referral-summer-scheme")
    assert problems({"part_a": instance["part_a"], "annex_1": instance["annex_1"]}) == []
    assert problems({"part_b": example("provider-response")["part_b"]}) == []


WRONG_VALUES: tuple[Any, ...] = (None, 7, 1.5, True, "", "x", "2026-13-45", [], {}, [1], {"a": 1})


def _mutations(instance: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for leaf in default_catalogue().leaves:
        for pointer in leaf.concrete():
            for value in WRONG_VALUES:
                mutated = copy.deepcopy(instance)
                set_at(mutated, pointer, value)
                out.append(mutated)
    return out


@pytest.mark.parametrize("name", ["referral-two-children", "referral-domiciliary-only"])
def test_wrong_types_anywhere_never_crash_a_rule(name: str) -> None:
    policy = load_policy()
    base = example(name)
    from brokerage.rules import validate

    mutations = _mutations(base)
    assert len(mutations) > 1000
    for mutated in mutations[::7]:
        validate(mutated, policy=policy, received=RECEIVED)


@pytest.mark.parametrize("container", ["children", "services", "manager_approval", "referral"])
def test_wrong_container_types_never_crash(container: str) -> None:
    for value in WRONG_VALUES:
        instance = example("referral-two-children")
        instance["part_a"][container] = value
        for section in ("short_break", "domiciliary_care"):
            with_section = example("referral-domiciliary-only")
            with_section["part_a"]["services"][section] = value
            problems(with_section)
        problems(instance)
    problems({"part_a": [], "annex_1": "x", "part_b": 3, "part_c": None})


def test_problems_are_complete() -> None:
    instance = example("referral-two-children")
    instance["part_a"]["services"]["short_break"]["additional_notes"] = "Mrs Smith will pick him up by taxi."
    instance["part_a"]["services"]["specific_provider"] = {
        "requested": "Yes", "provider_name": "X", "reasons": "Knows him."
    }
    for problem in problems(instance, received=date(2026, 6, 20)):
        assert isinstance(problem, Problem)
        assert problem.pointer.startswith(("/part_a", "/annex_1"))
        assert problem.field and problem.section and problem.message.endswith((".", ".)"))
        assert problem.page is None


def test_catalogue_lists_every_rule_in_guidance_order() -> None:
    infos = catalogue()
    assert {info.id for info in infos} == set(RULES)
    assert [POINTS.index(i.point) for i in infos] == sorted(POINTS.index(i.point) for i in infos)
    for info in infos:
        assert info.title and info.guidance.endswith(".")
        assert "{" not in info.guidance, info.id
        assert info.id.startswith("guidance-")


def test_catalogue_fills_in_policy_values(tmp_path: Path) -> None:
    cap = next(info for info in catalogue() if info.id == "guidance-6-day-cap")
    assert "maximum of 5 days given in 2026" in cap.guidance
    path = tmp_path / "policy.toml"
    path.write_text("[summer_scheme]\nday_cap = 8\n", encoding="utf-8")
    cap = next(info for info in catalogue(load_policy(path)) if info.id == "guidance-6-day-cap")
    assert "maximum of 8 days" in cap.guidance


def test_every_rule_has_tests() -> None:
    text = "".join(path.read_text(encoding="utf-8") for path in Path(__file__).parent.glob("test_rules_*.py"))
    untested = [rule_id for rule_id in RULES if f'"{rule_id}"' not in text]
    assert untested == []
