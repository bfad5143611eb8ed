"""Issue 13, item 12: the IPA is checked stage by stage (issued, signed by the provider, countersigned), and its
weekly hours and cost must add up.
"""

from __future__ import annotations

from typing import Any

import pytest
from pipeline_inputs import with_values
from rules_support import example, problems

IPA = example("ipa")  # provider signed 12/02/2026, countersigned 13/02/2026; 4 hours at £21.50 = £86.00


def errors(instance: dict[str, Any]) -> list[str]:
    return [f"{p.pointer}: {p.message}" for p in problems(instance) if p.is_error]


def test_an_issued_ipa_needs_no_signature_yet() -> None:
    issued = with_values(IPA, {"/part_c/provider_signatory": None, "/part_c/countersignature": None})
    assert errors(issued) == []


def test_a_providers_signed_return_is_not_failed_for_the_blank_countersignature() -> None:
    returned = with_values(IPA, {"/part_c/countersignature": None})
    assert errors(returned) == []


def test_a_countersigned_ipa_passes() -> None:
    assert errors(IPA) == []


def test_the_stage_and_what_the_officer_does_next() -> None:
    from brokerage.rules.ipa import IpaStage, ipa_stage

    issued = with_values(IPA, {"/part_c/provider_signatory": None, "/part_c/countersignature": None})
    returned = with_values(IPA, {"/part_c/countersignature": None})
    assert [ipa_stage(d) for d in (issued, returned, IPA)] == [
        IpaStage.issued, IpaStage.provider_signed, IpaStage.countersigned,
    ]
    assert "countersigns it next" in IpaStage.provider_signed.next_step


def test_a_begun_block_must_be_complete() -> None:
    half = with_values(IPA, {"/part_c/countersignature": {"name": "Duty Brokerage Officer"}})
    assert any(e.startswith("/part_c/countersignature/date") for e in errors(half))
    unsigned = with_values(IPA, {"/part_c/provider_signatory": {"name": "Sam Carter"},
                                 "/part_c/countersignature": None})
    assert {e.split(":")[0] for e in errors(unsigned)} == {
        "/part_c/provider_signatory/position", "/part_c/provider_signatory/date",
    }


def test_countersigned_before_the_provider_signed_is_an_error() -> None:
    nobody = with_values(IPA, {"/part_c/provider_signatory": None})
    assert any(e.startswith("/part_c/provider_signatory/name") for e in errors(nobody))
    unsigned = with_values(IPA, {"/part_c/provider_signatory/signature": None})
    assert any(e.startswith("/part_c/countersignature/signature") for e in errors(unsigned))
    early = with_values(IPA, {"/part_c/countersignature/date": "2026-02-10"})
    assert any(e.startswith("/part_c/countersignature/date") and "before the provider signed" in e
               for e in errors(early))


def test_a_blank_ipa_is_refused() -> None:
    assert len(errors({"part_c": {}})) >= 10


def test_weekly_hours_are_the_sum_of_the_days() -> None:
    wrong = with_values(IPA, {"/part_c/service/weekly_hours": 5, "/part_c/service/weekly_cost": 107.5})
    (problem,) = [e for e in errors(wrong) if e.startswith("/part_c/service/weekly_hours")]
    assert "is 5 but the hours per day" in problem and "add up to 4" in problem


@pytest.mark.parametrize("cost", [85.99, 86.01, 860.0, 0])
def test_weekly_cost_is_the_hours_times_the_rate(cost: float) -> None:
    wrong = with_values(IPA, {"/part_c/service/weekly_cost": cost})
    (problem,) = [e for e in errors(wrong) if e.startswith("/part_c/service/weekly_cost")]
    assert "4 hours at £21.50 an hour is £86.00" in problem


@pytest.mark.parametrize(("hours", "rate", "cost"), [(1.25, 19.99, 24.99), (1.25, 19.99, 24.98), (37.5, 19.56, 733.5),
                                                     (0.25, 0.07, 0.02), (0.25, 0.07, 0.01)])
def test_a_cost_to_the_penny_either_way_is_accepted(hours: float, rate: float, cost: float) -> None:
    from brokerage.rules.ipa import weekly_cost_of

    low, high = weekly_cost_of(hours, rate)
    assert f"{cost:.2f}" in (f"{low}", f"{high}")
    day = {"monday": {"part_of_day": "Morning", "hours": hours}}
    ok = with_values(IPA, {"/part_c/service/timetable": day, "/part_c/service/weekly_hours": hours,
                           "/part_c/service/hourly_rate": rate, "/part_c/service/weekly_cost": cost})
    assert errors(ok) == []
