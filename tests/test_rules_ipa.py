"""Rules for Part C (the brokerage process): the signatures in order, the weekly hours and cost."""

from __future__ import annotations

from rules_support import example, run_rule

from brokerage.schema import Severity


def test_signed_in_order() -> None:
    ipa = example("ipa")
    assert run_rule("guidance-ipa-signed-in-order", ipa) == []
    ipa["part_c"]["countersignature"]["date"] = "2026-02-11"  # the provider signed on 12/02
    [problem] = run_rule("guidance-ipa-signed-in-order", ipa)
    assert (problem.pointer, problem.severity) == ("/part_c/countersignature/date", Severity.error)
    assert "(11/02/2026) is before the provider signed (12/02/2026)" in problem.message
    del ipa["part_c"]["provider_signatory"]["signature"]
    assert {p.pointer for p in run_rule("guidance-ipa-signed-in-order", ipa)} == {
        "/part_c/countersignature/signature", "/part_c/countersignature/date",
    }


def test_weekly_hours_and_cost() -> None:
    ipa = example("ipa")
    assert run_rule("guidance-ipa-weekly-hours", ipa) == []
    assert run_rule("guidance-ipa-weekly-cost", ipa) == []
    ipa["part_c"]["service"]["weekly_hours"] = 4.5
    [hours] = run_rule("guidance-ipa-weekly-hours", ipa)
    assert hours.pointer == "/part_c/service/weekly_hours" and "add up to 4." in hours.message
    [cost] = run_rule("guidance-ipa-weekly-cost", ipa)
    assert cost.pointer == "/part_c/service/weekly_cost"
    assert "is £86.00 but 4.5 hours at £21.50 an hour is £96.75" in cost.message
