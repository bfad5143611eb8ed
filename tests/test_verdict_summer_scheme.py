"""Issue 13, items 7, 8 and 9: the summer play scheme judged in its own year, the care-plan route against
panel approval, and a request completed before January held, not sent out.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pipeline_inputs import form_pdf, with_values
from rules_support import example, only, problems

from brokerage.processor.batch import BatchOptions, run_batch
from brokerage.processor.pipeline import Settings
from brokerage.processor.results import Status
from brokerage.rules import load_policy

CARE_PLAN = "Care plan reviewed in the last 6 months"
SB = "/part_a/services/short_break"


def shifted(instance: Any, years: int) -> Any:
    """``instance`` with every ISO date moved ``years`` later (the same referral, another year)."""
    text = json.dumps(instance)
    moved = re.sub(r'"(\d{4})-(\d{2})-(\d{2})"', lambda m: f'"{int(m[1]) + years}-{m[2]}-{m[3]}"', text)
    return json.loads(moved)


def next_year() -> dict[str, Any]:
    return shifted(example("referral-summer-scheme"), 1)


# --- item 7: the scheme year comes from the referral ----------------------------------------------


def test_next_years_scheme_is_not_judged_against_this_years_season() -> None:
    found = only(problems(next_year(), received=date(2027, 2, 3)), "guidance-6-scheme-dates")
    assert len(found) == 1, [p.message for p in found]
    assert "2027" in found[0].message and "policy" in found[0].message
    assert "outside" not in found[0].message


def test_a_policy_with_next_years_season_checks_next_years_dates(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text("[summer_scheme.years.2027]\nseason_start = 2027-07-26\nseason_end = 2027-09-03\n",
                    encoding="utf-8")
    policy = load_policy(path)
    found = only(problems(next_year(), received=date(2027, 2, 3), policy=policy), "guidance-6-scheme-dates")
    # 27/07/2027 and 28/07/2027 are in the 2027 season; none of the example's dates is before 26/07
    assert found == []
    early = with_values(next_year(), {"/annex_1/children/0/dates/0/date": "2027-07-21"})
    [outside] = only(problems(early, received=date(2027, 2, 3), policy=policy), "guidance-6-scheme-dates")
    assert "outside the 2027 summer play scheme (26/07/2027 to 03/09/2027)" in outside.message


@pytest.mark.parametrize(
    ("received", "rule", "day"),
    [
        (date(2027, 3, 10), "guidance-6-closing-date-open-cases", "01/03/2027"),
        (date(2027, 6, 21), "guidance-6-new-case-cut-off", "15/06/2027"),
    ],
)
def test_closing_date_and_cut_off_are_dates_in_the_schemes_year(received: date, rule: str, day: str) -> None:
    [problem] = only(problems(next_year(), received=received), rule)
    assert day in problem.message


def test_the_care_plan_window_is_in_the_schemes_year() -> None:
    instance = with_values(next_year(), {f"{SB}/summer_scheme_basis": CARE_PLAN,
                                         f"{SB}/care_plan_review_date": "2027-01-10"})
    assert not only(problems(instance, received=date(2027, 2, 3)), "guidance-6-care-plan-route")
    [late] = only(problems(instance, received=date(2027, 3, 10)), "guidance-6-care-plan-route")
    assert "01/03/2027" in late.message


# --- item 8: the care-plan route and panel approval -----------------------------------------------


def care_plan_referral(**changes: Any) -> dict[str, Any]:
    return with_values(example("referral-summer-scheme"), {
        f"{SB}/summer_scheme_basis": CARE_PLAN, f"{SB}/care_plan_review_date": "2026-01-10",
        "/part_a/referral/panel_approved": "No", **changes,
    })


def test_the_care_plan_route_needs_no_panel_for_an_open_case() -> None:
    found = problems(care_plan_referral(), received=date(2026, 2, 3))
    assert not only(found, "guidance-2-panel-approval")
    assert not [p for p in found if p.is_error], [p.message for p in found if p.is_error]


def test_a_new_case_on_the_care_plan_route_must_go_to_panel() -> None:
    instance = care_plan_referral(**{f"{SB}/summer_scheme_case": "New case"})
    [problem] = only(problems(instance, received=date(2026, 2, 3)), "guidance-6-care-plan-route")
    assert problem.is_error and problem.pointer == f"{SB}/summer_scheme_case"
    assert "panel" in problem.message.lower()


def test_other_new_support_on_the_same_form_still_needs_panel() -> None:
    home_care = example("referral-domiciliary-only")["part_a"]["services"]["domiciliary_care"]
    instance = care_plan_referral(**{"/part_a/services/domiciliary_care": home_care})
    assert only(problems(instance, received=date(2026, 2, 3)), "guidance-2-panel-approval")


# --- item 9: completed before January of the scheme year: the scheme is held ----------------------

AUTUMN = date(2025, 11, 10)
FIRST_WORKING_DAY = date(2026, 1, 2)  # 1 January 2026 is a Thursday and a bank holiday


def autumn_referral(**changes: Any) -> dict[str, Any]:
    return with_values(example("referral-summer-scheme"), {
        "/part_a/referral/date_of_referral": "2025-11-06", "/part_a/manager_approval/date_signed": "2025-11-05",
        "/part_a/manager_approval/approval_date": "2025-11-03", **changes,
    })


def run(tmp_path: Path, instance: dict[str, Any]) -> tuple[Any, Path]:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "referral.pdf").write_bytes(form_pdf(instance))
    report = run_batch(inbox, out, Settings(today=AUTUMN), BatchOptions(jobs=1))
    (result,) = report.results
    return result, out


def test_a_scheme_only_referral_before_january_is_held_with_no_deadline_and_no_pack(tmp_path: Path) -> None:
    result, out = run(tmp_path, autumn_referral())
    assert result.status is Status.accepted, [p.message for p in result.errors]
    assert result.held_until == FIRST_WORKING_DAY
    assert result.response_due is None
    names = {Path(p).name for p in result.outputs}
    assert {"referral.json", "part-a.pdf", "annex-1.pdf"} <= names
    assert not names & {"part-b-prefilled.pdf", "anonymised-referral.pdf", "anonymised-referral.json"}
    entry = json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"][0]
    assert entry["held_until"] == "2026-01-02" and entry["response_due"] is None
    assert any("02/01/2026" in note for note in result.notes)


def test_other_support_on_the_same_form_is_processed_now_without_the_scheme(tmp_path: Path) -> None:
    home_care = example("referral-domiciliary-only")["part_a"]["services"]["domiciliary_care"]
    instance = autumn_referral(**{
        "/part_a/services/domiciliary_care": home_care, "/part_a/services/start_date": "2025-12-01",
        "/part_a/services/end_date": "2026-11-30",
    })
    result, out = run(tmp_path, instance)
    assert result.status is Status.accepted, [p.message for p in result.errors]
    assert result.held_until == FIRST_WORKING_DAY
    assert result.response_due is not None
    case = out / "cases" / result.reference
    assert (case / "part-b-prefilled.pdf").is_file()
    anonymised = json.loads((case / "anonymised-referral.json").read_text(encoding="utf-8"))
    assert "annex_1" not in anonymised
    assert "summer_scheme_approved" not in json.dumps(anonymised)
    assert anonymised["part_a"]["services"]["domiciliary_care"]["required"] is True
