"""Policy settings: the shipped default, overrides, bad files, the outcome they change, the CLI command."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rules_support import example, only, problems
from typer.testing import CliRunner

from brokerage.cli import app
from brokerage.errors import ExitCode, PolicyError
from brokerage.rules import load_policy


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_has_the_guidance_values() -> None:
    policy = load_policy()
    assert policy.brokerage.duty_line == "0116 305 1145"
    assert policy.brokerage.email == "cfscommissioningservice@leics.gov.uk"
    assert (policy.response.working_days, policy.response.urgent_working_days) == (5, 2)
    scheme = policy.summer_scheme
    assert scheme.day_cap == 5
    # Issue 13, item 7: days of every scheme year, worked out in the year a referral asks about.
    for year in (policy.scheme_year, 2027, 2031):
        dates = scheme.dates(year)
        assert dates.closing_date_open_cases == date(year, 3, 1)
        assert dates.new_case_cut_off == date(year, 6, 15)
        assert dates.kept_on_file_before == date(year, 1, 1)
        assert dates.care_plan_route_until == date(year, 3, 1)
        assert dates.day_cap == 5
    assert scheme.dates(2026).season_start == date(2026, 7, 20)
    assert not scheme.dates(2027).has_season
    assert scheme.care_plan_review_months == 6
    assert policy.policy_version
    assert policy.path == "default"


def test_settings_rows_are_printable() -> None:
    rows = {row.key: row for row in load_policy().settings()}
    assert rows["summer_scheme.closing_date_open_cases"].value == "1 March every year"
    assert rows["summer_scheme.years.2026.season_start"].value == "20/07/2026"
    assert rows["summer_scheme.day_cap"].label == "Summer play scheme: maximum days per child"
    assert load_policy().template_values()["closing_date_open_cases"] == "1 March 2026"


def test_override_changes_only_named_keys(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, "[summer_scheme]\nday_cap = 10\n"))
    assert policy.summer_scheme.day_cap == 10
    assert policy.response.working_days == 5
    assert policy.path.endswith("policy.toml")


def test_cap_in_the_policy_changes_the_outcome(tmp_path: Path) -> None:
    instance = example("referral-summer-scheme")
    instance["annex_1"]["children"][0]["dates"] = [
        {"date": f"2026-08-{day:02d}", "preference": "Preferred"} for day in range(3, 10)
    ]
    assert only(problems(instance), "guidance-6-day-cap")
    relaxed = load_policy(write(tmp_path, "[summer_scheme]\nday_cap = 10\n"))
    assert not only(problems(instance, policy=relaxed), "guidance-6-day-cap")


def test_closing_date_in_the_policy_changes_the_outcome(tmp_path: Path) -> None:
    instance = example("referral-summer-scheme")  # child has current support: an open case
    received = date(2026, 3, 10)
    assert only(problems(instance, received=received), "guidance-6-closing-date-open-cases")
    later = load_policy(write(tmp_path, "[summer_scheme]\nclosing_date_open_cases = 2026-03-31\n"))
    assert not only(problems(instance, received=received, policy=later), "guidance-6-closing-date-open-cases")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[summer_scheme]\nday_cap = \"five\"\n", "'summer_scheme.day_cap' must be a whole number"),
        ("[summer_scheme]\nday_cap = -1\n", "'summer_scheme.day_cap'"),
        ("[summer_scheme]\nclosing_date_open_cases = \"1st March\"\n", "must be a date like"),
        ("[summer_scheme]\nclosing_date_open_cases = 2025-03-01\n", "must be in the scheme year"),
        ("[summer_scheme]\nnew_case_cut_off = 2026-02-01\n", "must not be after"),
        ("[summer_scheme]\ndaycap = 5\n", "unknown key 'summer_scheme.daycap'"),
        ("colour = \"blue\"\n", "unknown key 'colour'"),
        ("summer_scheme = 5\n", "must be a table"),
        ("[response]\nurgent_working_days = 9\n", "'response.urgent_working_days'"),
        ("[brokerage]\nemail = \"nobody\"\n", "'brokerage.email'"),
        ("scheme_year = 2027\n", "no summer play scheme dates for scheme_year 2027"),
        ("[summer_scheme]\nclosing_date_open_cases = \"13-01\"\n", "a day of every year like"),
        ("[summer_scheme.years.2027]\nseason_start = 2026-07-19\nseason_end = 2027-09-03\n", "must be a date in 2027"),
        ("[summer_scheme.years.2027]\nseason_start = 2027-07-19\n", "needs both season_start and season_end"),
        ("[summer_scheme.years.2027]\nseason_start = 2027-07-19\nseason_end = 2027-09-03\n"
         "new_case_cut_off = 2027-08-01\n", "must not be after 'summer_scheme.season_start' in 2027"),
        ("[summer_scheme.years.27]\nseason_start = 2027-07-19\n", "named by a year like 2026"),
        ("[summer_scheme\n", "not valid TOML"),
    ],
)
def test_bad_policy_file_names_file_and_key(tmp_path: Path, text: str, words: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(PolicyError) as raised:
        load_policy(path)
    assert str(path) in raised.value.message
    assert words in raised.value.message


def test_missing_policy_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="Cannot read the policy file"):
        load_policy(tmp_path / "nope.toml")


def test_a_whole_new_year(tmp_path: Path) -> None:
    text = (
        'policy_version = "2027.1"\nscheme_year = 2027\n[summer_scheme]\nkept_on_file_before = 2027-01-01\n'
        "closing_date_open_cases = 2027-03-01\nnew_case_cut_off = 2027-06-14\ncare_plan_route_until = 2027-03-01\n"
        "season_start = 2027-07-19\nseason_end = 2027-09-03\n"
    )
    policy = load_policy(write(tmp_path, text))
    assert policy.scheme_year == 2027
    assert policy.scheme.new_case_cut_off == date(2027, 6, 14)
    assert (policy.scheme.season_start, policy.scheme.season_end) == (date(2027, 7, 19), date(2027, 9, 3))


def test_a_year_added_keeps_the_shipped_years(tmp_path: Path) -> None:
    """Issue 13, item 7: a policy file adds a scheme year's season (and its own dates) to the shipped ones."""
    text = (
        "[summer_scheme.years.2027]\nseason_start = 2027-07-19\nseason_end = 2027-09-03\n"
        "new_case_cut_off = 2027-06-11\n"
    )
    policy = load_policy(write(tmp_path, text))
    assert policy.summer_scheme.dates(2026).season_start == date(2026, 7, 20)
    assert policy.summer_scheme.dates(2027).season_end == date(2027, 9, 3)
    assert policy.summer_scheme.dates(2027).new_case_cut_off == date(2027, 6, 11)
    assert policy.summer_scheme.dates(2028).new_case_cut_off == date(2028, 6, 15)


def test_cli_policy_prints_the_values() -> None:
    result = CliRunner().invoke(app, ["policy", "--json"])
    assert result.exit_code == 0, result.output
    assert '"summer_scheme.day_cap": "5"' in result.output
    assert "cfscommissioningservice@leics.gov.uk" in result.output
    table = CliRunner().invoke(app, ["policy"])
    assert table.exit_code == 0
    assert "0116 305 1145" in table.output


def test_cli_policy_override_and_bad_file(tmp_path: Path) -> None:
    good = write(tmp_path, "[summer_scheme]\nday_cap = 7\n")
    result = CliRunner().invoke(app, ["policy", "--json", "--policy", str(good)])
    assert result.exit_code == 0
    assert '"summer_scheme.day_cap": "7"' in result.output
    bad = write(tmp_path, "[summer_scheme]\nday_cap = \"x\"\n")
    result = CliRunner().invoke(app, ["policy", "--policy", str(bad)])
    assert result.exit_code == int(ExitCode.bad_arguments)
