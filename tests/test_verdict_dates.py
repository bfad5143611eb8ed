"""Issue 13, item 11 (its dates; the timetable's times and hours are the forms branch's): every date on a
form is a plausible one, and ``--today`` is a day forms could be received.
"""

from __future__ import annotations

from datetime import date

import pytest
from rules_support import example, problems
from typer.testing import CliRunner

from brokerage.cli import app
from brokerage.schema import set_at

RECEIVED = date(2026, 2, 3)
runner = CliRunner()

IMPLAUSIBLE = [
    ("referral-domiciliary-only", "/part_a/referral/date_of_referral", "2100-01-01"),
    ("referral-domiciliary-only", "/part_a/referral/date_of_referral", "1900-01-01"),
    ("referral-domiciliary-only", "/part_a/referral/date_of_referral", "2026-02-04"),  # after it was received
    ("referral-domiciliary-only", "/part_a/manager_approval/approval_date", "1900-01-01"),
    ("referral-domiciliary-only", "/part_a/manager_approval/approval_date", "2100-01-01"),
    ("referral-domiciliary-only", "/part_a/manager_approval/date_signed", "1900-01-01"),
    ("referral-domiciliary-only", "/part_a/manager_approval/date_signed", "2100-01-01"),
    ("referral-domiciliary-only", "/part_a/children/0/school_holidays/0/from", "1900-02-16"),
    ("referral-domiciliary-only", "/part_a/children/0/school_holidays/0/to", "2100-02-20"),
    ("referral-summer-scheme", "/part_a/services/short_break/care_plan_review_date", "1900-01-10"),
    ("referral-summer-scheme", "/part_a/services/short_break/care_plan_review_date", "2100-01-10"),
    ("provider-response", "/part_b/responder/date", "2100-01-01"),
    ("provider-response", "/part_b/proposed_start_date", "1900-03-07"),
    ("ipa", "/part_c/provider_signatory/date", "1900-02-12"),
    ("ipa", "/part_c/countersignature/date", "2100-02-13"),
]


@pytest.mark.parametrize(("name", "pointer", "value"), IMPLAUSIBLE, ids=[f"{p}={v}" for _n, p, v in IMPLAUSIBLE])
def test_an_implausible_date_is_an_error_at_its_box(name: str, pointer: str, value: str) -> None:
    instance = example(name)
    if "care_plan_review_date" in pointer:
        set_at(instance, "/part_a/services/short_break/summer_scheme_basis", "Care plan reviewed in the last 6 months")
    set_at(instance, pointer, value)
    found = [p for p in problems(instance, received=RECEIVED) if p.pointer == pointer and p.is_error]
    assert found, [p.message for p in problems(instance, received=RECEIVED) if p.pointer == pointer]


@pytest.mark.parametrize("name", ["referral-domiciliary-only", "referral-summer-scheme", "referral-two-children",
                                  "provider-response", "ipa"])
def test_the_examples_dates_are_plausible(name: str) -> None:
    assert not [p for p in problems(example(name), received=RECEIVED) if p.is_error]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "2100-01-01"])
@pytest.mark.parametrize("command", ["validate", "process"])
def test_an_impossible_today_is_refused_as_an_argument(day: str, command: str, tmp_path) -> None:
    target = tmp_path / "form.pdf"
    target.write_bytes(b"%PDF-1.7\n")
    args = [command, str(target), "--today", day] if command == "validate" else [
        command, str(tmp_path), "-o", str(tmp_path / "out"), "--today", day]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    words = " ".join(result.output.split())
    assert day in words and "2000" in words and "2099" in words
    assert not (tmp_path / "out").exists()
