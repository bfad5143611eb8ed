"""JSON Schema errors as Problems: the pointer of the field, its label and section, an actionable sentence."""

from __future__ import annotations

import pytest
from rules_support import EXAMPLES, example

from brokerage.rules import schema_problems
from brokerage.rules.schema_problems import MESSAGES
from brokerage.schema import Problem, Severity


def at(found: list[Problem], pointer: str) -> Problem:
    matches = [p for p in found if p.pointer == pointer]
    assert matches, f"no problem at {pointer}: {[p.pointer for p in found]}"
    assert len(matches) == 1, matches
    return matches[0]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_examples_have_no_schema_problems(path) -> None:
    assert schema_problems(example(path.stem)) == []


def test_missing_required_points_at_the_missing_box() -> None:
    instance = example("referral-two-children")
    del instance["part_a"]["children"][1]["behaviours_that_challenge"]
    problem = at(schema_problems(instance), "/part_a/children/1/behaviours_that_challenge")
    assert problem.rule == "schema:required"
    assert problem.severity is Severity.error
    assert problem.field == "Details of behaviours that challenge"
    assert problem.section == "Section 2 – Details of the child"
    assert problem.page is None
    assert problem.message == (
        "Details of the child (child 2): 'Details of behaviours that challenge' is blank. "
        "Behaviours the provider must be ready for, with triggers and what helps. "
        "Type None or N/A if there is nothing to add."
    )


def test_whitespace_only_is_blank_and_reported_once() -> None:
    instance = example("referral-domiciliary-only")
    instance["part_a"]["children"][0]["communication"] = ""
    problem = at(schema_problems(instance), "/part_a/children/0/communication")
    assert problem.rule == "schema:minLength"
    assert "is blank" in problem.message
    instance["part_a"]["children"][0]["communication"] = "   "
    assert at(schema_problems(instance), "/part_a/children/0/communication").rule == "schema:pattern"


def test_date_format() -> None:
    instance = example("referral-domiciliary-only")
    instance["part_a"]["children"][0]["date_of_birth"] = "2015-02-30"
    problem = at(schema_problems(instance), "/part_a/children/0/date_of_birth")
    assert problem.rule == "schema:format"
    assert problem.message.endswith("'Date of birth' must be a date like 14/06/2015.")


def test_mosaic_id_pattern() -> None:
    instance = example("referral-domiciliary-only")
    instance["part_a"]["children"][0]["mosaic_id"] = "12-AB"
    problem = at(schema_problems(instance), "/part_a/children/0/mosaic_id")
    assert problem.rule == "schema:pattern"
    assert problem.message.endswith("'Mosaic ID' must be 4 to 10 digits.")


def test_conditional_then_points_at_the_conditional_field() -> None:
    instance = example("referral-summer-scheme")
    del instance["part_a"]["children"][0]["mobility_equipment"]
    problem = at(schema_problems(instance), "/part_a/children/0/mobility_equipment")
    assert problem.rule == "schema:required"
    assert "'Equipment and when it is used' is blank" in problem.message
    assert "Only if mobility issues is Yes" in problem.message


def test_urgent_needs_a_reason() -> None:
    instance = example("referral-domiciliary-only")
    del instance["part_a"]["referral"]["urgent_reason"]
    problem = at(schema_problems(instance), "/part_a/referral/urgent_reason")
    assert problem.rule == "schema:required"
    assert "cannot wait 5 working days" in problem.message


def test_specific_provider_needs_reasons() -> None:
    instance = example("referral-domiciliary-only")
    instance["part_a"]["services"]["specific_provider"] = {"requested": "Yes", "provider_name": "Bright Days Play Ltd"}
    problem = at(schema_problems(instance), "/part_a/services/specific_provider/reasons")
    assert problem.rule == "schema:required"
    assert problem.field == "Why only this provider"


def test_annex_1_required_when_scheme_approved() -> None:
    """A missing Annex 1 is named box by box (issue 13, item 2), never as one section "is missing"."""
    instance = example("referral-summer-scheme")
    del instance["annex_1"]
    found = schema_problems(instance)
    for pointer in ("/annex_1/children/0/name", "/annex_1/children/0/dates/0/date", "/annex_1/parents_informed"):
        problem = at(found, pointer)
        assert problem.rule == "schema:required"
        assert "is missing" not in problem.message
    assert "/annex_1" not in {p.pointer for p in found}


def test_dependent_required_time_pair() -> None:
    instance = example("referral-two-children")
    del instance["part_a"]["services"]["short_break"]["timetable"]["saturday"]["to"]
    problem = at(schema_problems(instance), "/part_a/services/short_break/timetable/saturday/to")
    assert problem.rule == "schema:dependentRequired"
    assert "(Short break: days, times and hours, Saturday)" in problem.message
    assert "needed when 'From' is filled in" in problem.message


@pytest.mark.parametrize(
    ("change", "pointer", "rule", "words"),
    [
        (lambda i: i["part_a"]["children"][0].__setitem__("desired_outcomes", ["a", "b", "c", "d"]),
         "/part_a/children/0/desired_outcomes", "schema:maxItems", "at most 3 entries"),
        (lambda i: i["part_a"]["children"][0].__setitem__("school_holidays", []),
         "/part_a/children/0/school_holidays/0/from", "schema:required", "'From' (Holiday 1) is blank"),
        (lambda i: i["part_a"]["referral"].__setitem__("urgent", "Maybe"),
         "/part_a/referral/urgent", "schema:enum", "Answer Yes or No."),
        (lambda i: i["part_a"]["services"]["domiciliary_care"].__setitem__("term_time_weekly_hours", "six"),
         "/part_a/services/domiciliary_care/term_time_weekly_hours", "schema:type", "must be a number"),
        (lambda i: i["part_a"]["services"]["domiciliary_care"]["term_time"]["monday"].__setitem__("hours", 1.1),
         "/part_a/services/domiciliary_care/term_time/monday/hours", "schema:multipleOf", "quarter hours"),
        (lambda i: i["part_a"]["services"]["domiciliary_care"].__setitem__("holidays_weekly_hours", 200),
         "/part_a/services/domiciliary_care/holidays_weekly_hours", "schema:maximum", "between 0 and 168"),
        (lambda i: i["part_a"]["allocated_worker"].__setitem__("telephone", "call me"),
         "/part_a/allocated_worker/telephone", "schema:pattern", "telephone number"),
        (lambda i: i["part_a"]["services"]["domiciliary_care"]["term_time"]["wednesday"].__setitem__("from", "6.30pm"),
         "/part_a/services/domiciliary_care/term_time/wednesday/from", "schema:pattern", "24-hour time like 09:30"),
        (lambda i: i["part_a"]["allocated_worker"].__setitem__("fax", "1"),
         "/part_a/allocated_worker/fax", "schema:additionalProperties", "not on this form version"),
        (lambda i: i["part_a"]["services"]["domiciliary_care"].__setitem__("required", False),
         "/part_a/services/short_break/required", "schema:anyOf",
         "'Short Break (specialist play and leisure) under Lot 1' or 'Domiciliary"),
    ],
)
def test_keyword_messages(change, pointer: str, rule: str, words: str) -> None:
    instance = example("referral-domiciliary-only")
    change(instance)
    problem = at(schema_problems(instance), pointer)
    assert problem.rule == rule
    assert words in problem.message
    assert problem.severity is Severity.error


def test_parents_informed_const() -> None:
    instance = example("referral-summer-scheme")
    instance["annex_1"]["parents_informed"] = False
    problem = at(schema_problems(instance), "/annex_1/parents_informed")
    assert problem.rule == "schema:const"
    assert "'I have told the parents or carers the points on this annex' is not ticked. Tick to confirm" in (
        problem.message
    )


def test_provider_response_and_ipa_problems() -> None:
    response = example("provider-response")
    del response["part_b"]["hourly_rate"]
    response["part_b"]["referral_reference"] = "BRK-1"
    found = schema_problems(response)
    assert at(found, "/part_b/hourly_rate").rule == "schema:required"
    message = at(found, "/part_b/referral_reference").message
    assert "BRK-YYYY-NNNN" in message and "BRK-2026" not in message  # the format, never a live reference
    ipa = example("ipa")
    ipa["part_c"]["service"]["weekly_cost"] = 86.005
    assert "pounds and pence" in at(schema_problems(ipa), "/part_c/service/weekly_cost").message


def test_every_problem_is_complete() -> None:
    instance = example("referral-two-children")
    instance["part_a"]["children"][1] = {"name": "x"}
    instance["part_a"]["services"] = {"start_date": "soon"}
    found = schema_problems(instance)
    assert len(found) > 20
    for problem in found:
        assert problem.pointer.startswith("/part_a/")
        assert problem.field
        assert problem.section
        assert problem.message.endswith(".")
        assert problem.rule.removeprefix("schema:") in MESSAGES


def test_wrong_types_everywhere_do_not_crash() -> None:
    for value in (None, 1, "x", [], {"part_a": []}, {"part_a": {"children": "x"}}, {"annex_1": {"children": [1]}}):
        for problem in schema_problems(value):
            assert problem.rule.startswith("schema:")


def test_blank_hints_fit_the_box() -> None:
    instance = example("referral-summer-scheme")
    del instance["annex_1"]["parents_informed"]
    del instance["part_a"]["manager_approval"]["signature"]
    del instance["part_a"]["children"][0]["date_of_birth"]
    found = schema_problems(instance)
    assert at(found, "/annex_1/parents_informed").message.endswith(
        "'I have told the parents or carers the points on this annex' is not ticked. Tick to confirm the parents "
        "or carers know their responsibilities so the scheme is a positive experience for their child."
    )
    signature = at(found, "/part_a/manager_approval/signature").message
    assert "None or N/A" not in signature and "types their name" in signature
    assert at(found, "/part_a/children/0/date_of_birth").message.endswith("Enter a date like 14/06/2015.")
