"""Summer play scheme rules (general point 6 and Annex 1), with the policy's dates."""

from __future__ import annotations

from datetime import date

from rules_support import example, run_rule

from brokerage.schema import Severity

ANNEX = "/annex_1/children"
BASIS = "/part_a/services/short_break/summer_scheme_basis"


def test_annex_without_approved_scheme() -> None:
    instance = example("referral-summer-scheme")
    assert run_rule("guidance-summer-annex-1", instance) == []
    instance["part_a"]["services"]["short_break"]["summer_scheme_approved"] = "No"
    [problem] = run_rule("guidance-summer-annex-1", instance)
    assert (problem.pointer, problem.severity) == (
        "/part_a/services/short_break/summer_scheme_approved", Severity.warning
    )


def test_annex_child_matches_part_a() -> None:
    instance = example("referral-two-children")
    assert run_rule("guidance-summer-child-details-match", instance) == []
    instance["annex_1"]["children"][1]["date_of_birth"] = "2018-01-31"
    instance["annex_1"]["children"][0]["mosaic_id"] = "9999999"
    found = run_rule("guidance-summer-child-details-match", instance)
    assert [(p.rule, p.pointer, p.severity) for p in found] == [
        ("guidance-summer-child-details-match", f"{ANNEX}/0/mosaic_id", Severity.error),
        ("guidance-summer-child-details-match", f"{ANNEX}/1/date_of_birth", Severity.error),
    ]


def test_annex_name_compared_without_case_or_spacing() -> None:
    instance = example("referral-summer-scheme")
    instance["annex_1"]["children"][0]["name"] = "  zoë łukasz-o’brien  nguyễn"
    assert run_rule("guidance-summer-child-details-match", instance) == []
    instance["annex_1"]["children"][0]["name"] = "Zoe Nguyen"
    [problem] = run_rule("guidance-summer-child-details-match", instance)
    assert problem.pointer == f"{ANNEX}/0/name"


def test_day_cap_counts_preferred_dates() -> None:
    instance = example("referral-summer-scheme")  # 3 preferred, 1 not required
    assert run_rule("guidance-6-day-cap", instance) == []
    instance["annex_1"]["children"][0]["dates"] = [
        {"date": f"2026-08-{day:02d}", "preference": "Preferred"} for day in range(3, 9)
    ]
    [problem] = run_rule("guidance-6-day-cap", instance)
    assert (problem.rule, problem.pointer) == ("guidance-6-day-cap", f"{ANNEX}/0/dates")
    assert problem.severity is Severity.warning
    assert "6 days are requested; the maximum for 2026 is 5" in problem.message


def test_day_cap_without_preferences_counts_dates_not_marked_not_required() -> None:
    instance = example("referral-summer-scheme")
    dates = [{"date": f"2026-08-{day:02d}"} for day in range(3, 10)]
    dates[0]["preference"] = "Not required"
    instance["annex_1"]["children"][0]["dates"] = dates
    [problem] = run_rule("guidance-6-day-cap", instance)
    assert "6 days are requested" in problem.message
    dates[1]["preference"] = "Not required"
    assert run_rule("guidance-6-day-cap", instance) == []


def test_kept_on_file_until_january() -> None:
    instance = example("referral-summer-scheme")
    assert run_rule("guidance-6-kept-on-file", instance, received=date(2026, 1, 2)) == []
    [problem] = run_rule("guidance-6-kept-on-file", instance, received=date(2025, 11, 20))
    assert (problem.rule, problem.pointer) == ("guidance-6-kept-on-file", "/annex_1")
    assert problem.severity is Severity.warning
    assert "kept on file until Friday 02/01/2026, the first working day of January" in problem.message


def test_kept_on_file_only_for_scheme_requests() -> None:
    assert run_rule("guidance-6-kept-on-file", example("referral-domiciliary-only"), received=date(2025, 11, 20)) == []


def test_closing_date_for_open_cases() -> None:
    instance = example("referral-summer-scheme")  # "Case already open"
    assert run_rule("guidance-6-closing-date-open-cases", instance, received=date(2026, 3, 1)) == []
    [problem] = run_rule("guidance-6-closing-date-open-cases", instance, received=date(2026, 3, 2))
    assert (problem.pointer, problem.severity) == ("/annex_1", Severity.warning)
    instance["part_a"]["services"]["short_break"]["summer_scheme_case"] = "New case"
    assert run_rule("guidance-6-closing-date-open-cases", instance, received=date(2026, 3, 2)) == []


def test_open_case_guessed_only_when_the_question_is_unanswered() -> None:
    instance = example("referral-summer-scheme")
    del instance["part_a"]["services"]["short_break"]["summer_scheme_case"]  # current support: an open case
    assert len(run_rule("guidance-6-closing-date-open-cases", instance, received=date(2026, 3, 2))) == 1
    instance["part_a"]["children"][0]["current_support"] = "None"
    assert run_rule("guidance-6-closing-date-open-cases", instance, received=date(2026, 3, 2)) == []


def test_new_case_cut_off() -> None:
    instance = example("referral-summer-scheme")
    assert run_rule("guidance-6-new-case-cut-off", instance, received=date(2026, 6, 15)) == []
    [problem] = run_rule("guidance-6-new-case-cut-off", instance, received=date(2026, 6, 16))
    assert (problem.rule, problem.pointer, problem.severity) == (
        "guidance-6-new-case-cut-off", "/annex_1", Severity.warning
    )
    assert "15/06/2026" in problem.message


def test_care_plan_route_early_in_the_year_only() -> None:
    instance = example("referral-summer-scheme")
    instance["part_a"]["services"]["short_break"]["summer_scheme_basis"] = "Care plan reviewed in the last 6 months"
    assert run_rule("guidance-6-care-plan-route", instance, received=date(2026, 2, 3)) == []
    [problem] = run_rule("guidance-6-care-plan-route", instance, received=date(2026, 4, 1))
    assert (problem.rule, problem.pointer, problem.severity) == ("guidance-6-care-plan-route", BASIS, Severity.error)
    assert "Resource Allocation Panel" in problem.message


def test_care_plan_reviewed_within_six_months() -> None:
    instance = example("referral-summer-scheme")
    short_break = instance["part_a"]["services"]["short_break"]
    short_break["summer_scheme_basis"] = "Care plan reviewed in the last 6 months"
    short_break["care_plan_review_date"] = "2025-08-03"
    assert run_rule("guidance-6-care-plan-route", instance, received=date(2026, 2, 3)) == []
    short_break["care_plan_review_date"] = "2025-08-02"
    [problem] = run_rule("guidance-6-care-plan-route", instance, received=date(2026, 2, 3))
    assert (problem.rule, problem.pointer, problem.severity) == (
        "guidance-6-care-plan-route", "/part_a/services/short_break/care_plan_review_date", Severity.error
    )
    assert "02/08/2025" in problem.message


def test_care_plan_review_date_required_on_the_care_plan_route() -> None:
    from brokerage.rules import schema_problems

    instance = example("referral-summer-scheme")
    instance["part_a"]["services"]["short_break"]["summer_scheme_basis"] = "Care plan reviewed in the last 6 months"
    pointers = {p.pointer for p in schema_problems(instance)}
    assert "/part_a/services/short_break/care_plan_review_date" in pointers


def test_scheme_dates_in_the_season() -> None:
    instance = example("referral-summer-scheme")
    assert run_rule("guidance-6-scheme-dates", instance) == []
    instance["annex_1"]["children"][0]["dates"][3]["date"] = "2025-08-04"
    [problem] = run_rule("guidance-6-scheme-dates", instance)
    assert (problem.pointer, problem.severity) == (f"{ANNEX}/0/dates/3/date", Severity.warning)


def next_years_request() -> dict:
    instance = example("referral-summer-scheme")
    for row in instance["annex_1"]["children"][0]["dates"]:
        row["date"] = row["date"].replace("2026", "2027")
    return instance


def test_next_years_scheme_is_kept_on_file_until_its_january() -> None:
    instance = next_years_request()
    [problem] = run_rule("guidance-6-kept-on-file", instance, received=date(2026, 11, 25))
    assert "kept on file until Monday 04/01/2027, the first working day of January" in problem.message
    assert "received before 01/01/2027" in problem.message
    assert run_rule("guidance-6-kept-on-file", instance, received=date(2027, 1, 4)) == []


def test_this_years_dates_do_not_apply_to_next_years_scheme() -> None:
    instance = next_years_request()
    instance["part_a"]["services"]["short_break"]["summer_scheme_basis"] = "Care plan reviewed in the last 6 months"
    received = date(2026, 11, 25)
    assert run_rule("guidance-6-new-case-cut-off", instance, received=received) == []
    assert run_rule("guidance-6-closing-date-open-cases", instance, received=received) == []
    assert run_rule("guidance-6-care-plan-route", instance, received=received) == []
