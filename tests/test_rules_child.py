"""Rules for Part A sections 1 and 2: every box answered and the details of each child."""

from __future__ import annotations

from datetime import date

from rules_support import example, run_rule

from brokerage.schema import Severity


def test_none_or_na_passes_and_placeholder_fails() -> None:
    instance = example("referral-two-children")
    assert run_rule("guidance-child-none-or-na", instance) == []
    instance["part_a"]["children"][1]["health_and_medication"] = "N/A"
    instance["part_a"]["services"]["short_break"]["travel_restrictions"] = "-"
    instance["part_a"]["services"]["short_break"]["additional_notes"] = "   "
    found = run_rule("guidance-child-none-or-na", instance)
    assert [(p.rule, p.pointer, p.severity) for p in found] == [
        ("guidance-child-none-or-na", "/part_a/services/short_break/travel_restrictions", Severity.error),
        ("guidance-child-none-or-na", "/part_a/services/short_break/additional_notes", Severity.error),
    ]
    assert "says '-', which is not an answer" in found[0].message
    assert "is blank" in found[1].message


def test_sen_box_holds_diagnosis_only() -> None:
    instance = example("referral-two-children")
    assert run_rule("guidance-child-sen-diagnosis-only", instance) == []
    instance["part_a"]["children"][1]["sen_disability"] = "Down's syndrome. Hits and bites when frustrated; runs off."
    [problem] = run_rule("guidance-child-sen-diagnosis-only", instance)
    assert problem.pointer == "/part_a/children/1/behaviours_that_challenge"
    assert problem.severity is Severity.warning
    assert "'Hits', 'bites', 'runs off'" in problem.message
    assert problem.message.startswith("Details of the child (child 2):")


def test_mobility_box_holds_equipment_only() -> None:
    instance = example("referral-summer-scheme")
    assert run_rule("guidance-child-mobility-equipment-only", instance) == []
    instance["part_a"]["children"][0]["mobility_equipment"] = "Unsteady and falls often; wheelchair for long trips."
    [problem] = run_rule("guidance-child-mobility-equipment-only", instance)
    assert (problem.pointer, problem.severity) == ("/part_a/children/0/sen_disability", Severity.warning)
    instance["part_a"]["children"][0]["mobility_equipment"] = "Wheelchair for trips."
    instance["part_a"]["children"][0]["mobility_issues"] = "No"
    [problem] = run_rule("guidance-child-mobility-equipment-only", instance)
    assert problem.pointer == "/part_a/children/0/mobility_equipment"


def test_top_three_outcomes_one_per_box() -> None:
    instance = example("referral-summer-scheme")
    assert run_rule("guidance-child-top-3-outcomes", instance) == []
    outcomes = "1. Make friends\n2. Try swimming\n3. Be calmer\n4. Sleep"
    instance["part_a"]["children"][0]["desired_outcomes"][1] = outcomes
    [problem] = run_rule("guidance-child-top-3-outcomes", instance)
    assert (problem.pointer, problem.severity) == ("/part_a/children/0/desired_outcomes/1", Severity.warning)
    assert "lists 4 outcomes" in problem.message
    assert "'Outcome 2'" in problem.message


def test_current_support_needs_its_funding() -> None:
    instance = example("referral-two-children")
    assert run_rule("guidance-child-current-support-funding", instance) == []
    instance["part_a"]["children"][0]["current_support_funding"] = "N/A"
    instance["part_a"]["children"][1]["current_support_funding"] = "Direct payment"
    found = run_rule("guidance-child-current-support-funding", instance)
    assert [(p.pointer, p.severity) for p in found] == [
        ("/part_a/children/0/current_support_funding", Severity.error),
        ("/part_a/children/1/current_support_funding", Severity.error),
    ]


def test_school_holiday_dates_in_order_and_in_the_service_period() -> None:
    instance = example("referral-domiciliary-only")
    assert run_rule("guidance-child-school-holidays", instance) == []
    instance["part_a"]["children"][0]["school_holidays"][1] = {"from": "2026-04-10", "to": "2026-03-30"}
    [problem] = run_rule("guidance-child-school-holidays", instance)
    assert (problem.pointer, problem.severity) == ("/part_a/children/0/school_holidays/1/to", Severity.error)
    instance = example("referral-domiciliary-only")
    instance["part_a"]["children"][0]["school_holidays"] = [{"from": "2025-07-22", "to": "2025-09-01"}]
    [problem] = run_rule("guidance-child-school-holidays", instance)
    assert (problem.pointer, problem.severity) == ("/part_a/children/0/school_holidays", Severity.warning)


def test_date_of_birth_is_a_child() -> None:
    instance = example("referral-summer-scheme")
    assert run_rule("guidance-child-date-of-birth", instance) == []
    instance["part_a"]["children"][0]["date_of_birth"] = "2007-01-01"
    instance["annex_1"]["children"][0]["date_of_birth"] = "2027-01-01"
    found = run_rule("guidance-child-date-of-birth", instance, received=date(2026, 2, 3))
    assert [(p.pointer, p.severity) for p in found] == [
        ("/part_a/children/0/date_of_birth", Severity.warning),
        ("/annex_1/children/0/date_of_birth", Severity.warning),
    ]
