"""Issue 13, item 14: the examples the issue found wrong in the best-effort detectors, through the rules as a
worker's referral meets them. (The detectors are measured on a corpus in ``tests/test_detectors.py``.)"""

from __future__ import annotations

from datetime import date

import pytest
from rules_support import example, run_rule

from brokerage.rules.workdays import bank_holidays_between
from brokerage.schema import set_at

NOTES = "/part_a/services/domiciliary_care/additional_notes"


def with_notes(text: str) -> dict:
    instance = example("referral-domiciliary-only")
    set_at(instance, NOTES, text)
    return instance


@pytest.mark.parametrize("text", [
    "Provider to take her to the setting in their car.", "Please collect him after school.", "Staff to bring him home.",
])
def test_the_issues_transport_requests_are_found(text: str) -> None:
    [problem] = run_rule("guidance-4-transport", with_notes(text))
    assert problem.pointer == NOTES


def test_a_name_that_starts_a_sentence_is_found() -> None:
    found = run_rule("guidance-5-names", with_notes("Kevin will collect her on Fridays. Mum works late."))
    assert [p.pointer for p in found] == [NOTES] and "Kevin" in found[0].message


@pytest.mark.parametrize("text", ["Goals:\n- Makes friends\n- Learns to swim", "1. Makes friends 2. Learns to swim"])
def test_the_first_word_of_a_list_item_is_not_a_name(text: str) -> None:
    assert run_rule("guidance-5-names", with_notes(text)) == []


def test_the_bank_holiday_warning_names_the_substitute_monday_not_the_saturday() -> None:
    days = dict(bank_holidays_between(date(2026, 12, 20), date(2027, 1, 5)))
    assert date(2026, 12, 26) not in days
    assert days[date(2026, 12, 28)] == "Boxing Day (substitute day)"
    instance = with_notes("Prefers mornings.")
    services = instance["part_a"]["services"]
    services.update(start_date="2026-12-01", end_date="2027-01-31")
    week = {"saturday": {"part_of_day": "Morning", "hours": 2}, "monday": {"part_of_day": "Morning", "hours": 2}}
    services["domiciliary_care"].update(term_time=dict(week), holidays=dict(week), term_time_weekly_hours=4,
                                        holidays_weekly_hours=4)
    instance["part_a"]["children"][0]["school_holidays"] = [{"from": "2026-12-21", "to": "2027-01-04"}]
    [problem] = run_rule("guidance-8-bank-holidays", instance, received=date(2026, 11, 20))
    assert "28/12/2026 (Boxing Day (substitute day))" in problem.message
    assert "26/12/2026" not in problem.message


def test_notes_that_say_no_bank_holiday_support_do_not_silence_the_warning() -> None:
    instance = with_notes("No support is needed on bank holidays.")
    services = instance["part_a"]["services"]
    services.update(start_date="2026-12-01", end_date="2027-01-31")
    assert run_rule("guidance-8-bank-holidays", instance, received=date(2026, 11, 20))
