"""Working days and bank holidays in England, from the holidays calendar."""

from __future__ import annotations

from datetime import date

import pytest

from brokerage.rules import add_working_days, bank_holidays_between, is_working_day, load_policy, response_deadline


def test_weekend_is_not_a_working_day() -> None:
    assert not is_working_day(date(2026, 2, 7))  # Saturday
    assert not is_working_day(date(2026, 2, 8))  # Sunday
    assert is_working_day(date(2026, 2, 9))


def test_plain_week() -> None:
    assert add_working_days(date(2026, 2, 2), 5) == date(2026, 2, 9)  # Monday → next Monday
    assert add_working_days(date(2026, 2, 6), 5) == date(2026, 2, 13)  # Friday → next Friday
    assert add_working_days(date(2026, 2, 7), 5) == date(2026, 2, 13)  # received Saturday
    assert add_working_days(date(2026, 2, 6), 0) == date(2026, 2, 6)


def test_negative_days_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 2, 6), -1)


def test_christmas_and_boxing_day_2026() -> None:
    # Christmas Day is a Friday; Boxing Day a Saturday, substituted by Monday 28 December.
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))
    assert add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 23), 5) == date(2027, 1, 4)  # 1 January 2027 (Friday) skipped too


def test_christmas_on_a_saturday_substitute_days_2027() -> None:
    # 25 and 26 December 2027 fall at the weekend: Monday 27 and Tuesday 28 are the bank holidays.
    assert not is_working_day(date(2027, 12, 27))
    assert not is_working_day(date(2027, 12, 28))
    assert add_working_days(date(2027, 12, 24), 1) == date(2027, 12, 29)
    assert add_working_days(date(2027, 12, 24), 2) == date(2027, 12, 30)


def test_easter_2026() -> None:
    assert not is_working_day(date(2026, 4, 3))  # Good Friday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert add_working_days(date(2026, 4, 1), 5) == date(2026, 4, 10)


def test_late_may_and_august_bank_holidays() -> None:
    assert add_working_days(date(2026, 5, 22), 1) == date(2026, 5, 26)  # Spring bank holiday 25 May
    assert add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 1)  # Late summer bank holiday 31 August
    assert add_working_days(date(2026, 5, 1), 1) == date(2026, 5, 5)  # May Day 4 May


def test_bank_holidays_between_lists_names_in_order() -> None:
    found = bank_holidays_between(date(2026, 12, 20), date(2027, 1, 5))
    # Boxing Day falls on Saturday 26/12/2026: the bank holiday is the substitute Monday (issue 13, item 14).
    assert found == [(date(2026, 12, 25), "Christmas Day"), (date(2026, 12, 28), "Boxing Day (substitute day)"),
                     (date(2027, 1, 1), "New Year's Day")]
    assert bank_holidays_between(date(2026, 2, 1), date(2026, 2, 28)) == []


def test_response_deadline_uses_policy_windows() -> None:
    policy = load_policy()
    assert response_deadline(date(2026, 2, 2), False, policy) == date(2026, 2, 9)
    assert response_deadline(date(2026, 2, 2), True, policy) == date(2026, 2, 4)
    # Urgent referral received on the Thursday before Easter: Good Friday and Easter Monday are skipped.
    assert response_deadline(date(2026, 4, 2), True, policy) == date(2026, 4, 8)
    assert response_deadline(date(2026, 4, 2), False, policy) == date(2026, 4, 13)
