"""Rules for Part A section 3: the relevant section, tables, times, hours, totals and bank holidays."""

from __future__ import annotations

from rules_support import example, run_rule

from brokerage.schema import Severity

DC = "/part_a/services/domiciliary_care"
SB = "/part_a/services/short_break"


def test_relevant_section_ticked() -> None:
    instance = example("referral-domiciliary-only")
    assert run_rule("guidance-services-relevant-section-only", instance) == []
    instance["part_a"]["services"]["short_break"] = {"travel_restrictions": "Within 20 minutes of home."}
    [problem] = run_rule("guidance-services-relevant-section-only", instance)
    assert (problem.pointer, problem.severity) == (f"{SB}/required", Severity.warning)


def test_days_and_times_in_notes_with_empty_table() -> None:
    instance = example("referral-two-children")
    assert run_rule("guidance-services-times-in-tables", instance) == []
    services = instance["part_a"]["services"]["short_break"]
    services["timetable"] = {}
    services["additional_notes"] = "Mondays after school, 3-5pm, and Saturdays 9am for 2 hours."
    [problem] = run_rule("guidance-services-times-in-tables", instance)
    assert (problem.rule, problem.pointer, problem.severity) == (
        "guidance-services-times-in-tables", f"{SB}/additional_notes", Severity.warning
    )
    for words in ("'Mondays'", "'after school'", "'3-5pm'", "'9am'", "'2 hours'"):
        assert words in problem.message


def test_weekday_named_in_notes_without_a_row() -> None:
    instance = example("referral-two-children")  # "Preferred Saturdays" with a Saturday row
    instance["part_a"]["services"]["short_break"]["additional_notes"] = "Mondays and Saturdays, 3-5pm."
    [problem] = run_rule("guidance-services-times-in-tables", instance)
    assert (problem.pointer, problem.severity) == (f"{SB}/additional_notes", Severity.warning)
    assert "names 'Mondays' but" in problem.message


def test_notes_times_are_fine_when_the_table_is_filled() -> None:
    instance = example("referral-domiciliary-only")  # "1 hour required between 7am and 8.30am" with a table
    assert run_rule("guidance-services-times-in-tables", instance) == []
    instance["part_a"]["services"]["domiciliary_care"]["term_time"] = {}
    instance["part_a"]["services"]["domiciliary_care"]["holidays"] = {}
    [problem] = run_rule("guidance-services-times-in-tables", instance)
    assert problem.pointer == f"{DC}/additional_notes"


def test_every_row_has_a_time_of_day_and_hours() -> None:
    instance = example("referral-domiciliary-only")
    assert run_rule("guidance-services-time-of-day", instance) == []
    instance["part_a"]["services"]["domiciliary_care"]["term_time"]["monday"] = {"hours": 1}
    instance["part_a"]["services"]["domiciliary_care"]["holidays"]["monday"] = {"part_of_day": "Morning"}
    found = run_rule("guidance-services-time-of-day", instance)
    assert [(p.pointer, p.severity) for p in found] == [
        (f"{DC}/term_time/monday/part_of_day", Severity.error),
        (f"{DC}/holidays/monday/hours", Severity.error),
    ]


def test_hours_agree_with_times() -> None:
    instance = example("referral-domiciliary-only")
    assert run_rule("guidance-services-hours-match-times", instance) == []
    instance["part_a"]["services"]["domiciliary_care"]["term_time"]["wednesday"] = {
        "from": "09:00", "to": "10:30", "hours": 2
    }
    [problem] = run_rule("guidance-services-hours-match-times", instance)
    assert (problem.pointer, problem.severity) == (f"{DC}/term_time/wednesday/hours", Severity.error)
    assert "is 2 but from 09:00 to 10:30 is 1.5 hours" in problem.message


def test_overnight_times_wrap_midnight() -> None:
    instance = example("referral-domiciliary-only")
    instance["part_a"]["services"]["domiciliary_care"]["term_time"]["friday"] = {
        "from": "22:00", "to": "07:00", "hours": 9
    }
    assert run_rule("guidance-services-hours-match-times", instance) == []


def test_weekly_totals_are_the_sums_term_and_holidays_separately() -> None:
    instance = example("referral-domiciliary-only")
    assert run_rule("guidance-domcare-weekly-hours", instance) == []
    instance["part_a"]["services"]["domiciliary_care"]["term_time_weekly_hours"] = 7
    instance["part_a"]["services"]["domiciliary_care"]["holidays_weekly_hours"] = 3
    found = run_rule("guidance-domcare-weekly-hours", instance)
    assert [(p.rule, p.pointer, p.severity) for p in found] == [
        ("guidance-domcare-weekly-hours", f"{DC}/term_time_weekly_hours", Severity.error),
        ("guidance-domcare-weekly-hours", f"{DC}/holidays_weekly_hours", Severity.error),
    ]
    assert "is 7 but the hours per day in 'Term time: days, times and hours' add up to 6" in found[0].message
    assert "is 3 but" in found[1].message and "add up to 6" in found[1].message


def test_see_additional_notes_needs_notes() -> None:
    instance = example("referral-domiciliary-only")
    assert run_rule("guidance-services-see-additional-notes", instance) == []
    del instance["part_a"]["services"]["domiciliary_care"]["additional_notes"]
    [problem] = run_rule("guidance-services-see-additional-notes", instance)
    assert (problem.pointer, problem.severity) == (f"{DC}/additional_notes", Severity.error)


def test_bank_holidays_named_per_table() -> None:
    instance = example("referral-domiciliary-only")
    [problem] = run_rule("guidance-8-bank-holidays", instance)
    assert (problem.rule, problem.pointer, problem.severity) == (
        "guidance-8-bank-holidays", f"{DC}/additional_notes", Severity.warning
    )
    # Easter Monday and the August bank holiday fall in school holidays (holiday table has Mondays);
    # May Day, Spring bank holiday, Christmas, the Boxing Day substitute and New Year are term-time days.
    for day in ("06/04/2026 (Easter Monday)", "04/05/2026", "25/05/2026", "31/08/2026", "25/12/2026", "28/12/2026",
                "01/01/2027"):
        assert day in problem.message
    assert "03/04/2026" not in problem.message  # Good Friday: in the Easter holidays, no Friday in that table


def test_bank_holidays_mentioned_in_the_notes_pass() -> None:
    instance = example("referral-domiciliary-only")
    instance["part_a"]["services"]["domiciliary_care"]["additional_notes"] += " Support is needed on bank holidays."
    assert run_rule("guidance-8-bank-holidays", instance) == []


def test_short_break_on_days_without_bank_holidays_passes() -> None:
    instance = example("referral-summer-scheme")  # Mondays and Wednesdays, 27/07 to 28/08/2026
    assert run_rule("guidance-8-bank-holidays", instance) == []
    instance["part_a"]["services"]["end_date"] = "2026-09-04"
    [problem] = run_rule("guidance-8-bank-holidays", instance)
    assert problem.pointer == f"{SB}/additional_notes"
    assert "31/08/2026 (Late Summer Bank Holiday)" in problem.message


def test_a_row_with_zero_hours_only_is_empty() -> None:
    instance = example("referral-domiciliary-only")
    instance["part_a"]["services"]["domiciliary_care"]["holidays"]["friday"] = {"hours": 0}
    assert run_rule("guidance-services-time-of-day", instance) == []
