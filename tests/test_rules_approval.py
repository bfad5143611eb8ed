"""Rules for urgency (point 3), panel approval (point 2), the manager's approval and the service dates."""

from __future__ import annotations

from datetime import date

from rules_support import example, run_rule

from brokerage.schema import Severity

APPROVAL = "/part_a/manager_approval"


def test_panel_approval_needed() -> None:
    instance = example("referral-two-children")
    assert run_rule("guidance-2-panel-approval", instance) == []
    instance["part_a"]["referral"]["panel_approved"] = "No"
    [problem] = run_rule("guidance-2-panel-approval", instance)
    assert (problem.rule, problem.pointer, problem.severity) == (
        "guidance-2-panel-approval", "/part_a/referral/panel_approved", Severity.error
    )
    instance["part_a"]["manager_approval"]["approval_basis"] = "Child Protection plan (emergency)"
    assert run_rule("guidance-2-panel-approval", instance) == []


def test_urgency_marked() -> None:
    instance = example("referral-domiciliary-only")  # urgent with a reason
    assert run_rule("guidance-3-urgent-marked", instance) == []
    instance["part_a"]["referral"]["urgent"] = "No"
    [problem] = run_rule("guidance-3-urgent-marked", instance)
    assert (problem.rule, problem.pointer, problem.severity) == (
        "guidance-3-urgent-marked", "/part_a/referral/urgent", Severity.warning
    )
    assert "2 working days to respond instead of 5" in problem.message
    del instance["part_a"]["referral"]["urgent_reason"]
    instance["part_a"]["manager_approval"]["approval_basis"] = "Child in Need plan (emergency)"
    [problem] = run_rule("guidance-3-urgent-marked", instance)
    assert "emergency package" in problem.message


def test_approval_date_not_after_date_signed() -> None:
    instance = example("referral-two-children")
    assert run_rule("guidance-approval-date-not-after-signed", instance) == []
    instance["part_a"]["manager_approval"]["approval_date"] = "2026-01-31"
    [problem] = run_rule("guidance-approval-date-not-after-signed", instance)
    assert (problem.pointer, problem.severity) == (f"{APPROVAL}/approval_date", Severity.error)
    assert "31/01/2026" in problem.message and "30/01/2026" in problem.message


def test_signed_before_received() -> None:
    instance = example("referral-two-children")
    assert run_rule("guidance-approval-signed-before-sent", instance, received=date(2026, 1, 30)) == []
    [problem] = run_rule("guidance-approval-signed-before-sent", instance, received=date(2026, 1, 29))
    assert (problem.pointer, problem.severity) == (f"{APPROVAL}/date_signed", Severity.error)


def test_end_after_start() -> None:
    instance = example("referral-two-children")
    assert run_rule("guidance-services-end-after-start", instance) == []
    instance["part_a"]["services"]["end_date"] = "2026-03-02"
    [problem] = run_rule("guidance-services-end-after-start", instance)
    assert (problem.rule, problem.pointer, problem.severity) == (
        "guidance-services-end-after-start", "/part_a/services/end_date", Severity.error
    )


def test_ipa_end_after_start() -> None:
    instance = example("ipa")
    assert run_rule("guidance-services-end-after-start", instance) == []
    instance["part_c"]["service"]["end_date"] = "2026-01-01"
    [problem] = run_rule("guidance-services-end-after-start", instance)
    assert problem.pointer == "/part_c/service/end_date"


def test_service_dates_in_bounds() -> None:
    instance = example("referral-two-children")
    assert run_rule("guidance-services-dates-in-bounds", instance) == []
    instance["part_a"]["services"]["start_date"] = "2025-03-02"
    instance["part_a"]["services"]["end_date"] = "2028-03-02"
    found = run_rule("guidance-services-dates-in-bounds", instance)
    assert [(p.pointer, p.severity) for p in found] == [
        ("/part_a/services/start_date", Severity.warning),
        ("/part_a/services/end_date", Severity.warning),
    ]
    instance["part_a"]["services"]["start_date"] = "2027-06-01"
    instance["part_a"]["services"]["end_date"] = "2027-09-01"
    [problem] = run_rule("guidance-services-dates-in-bounds", instance)
    assert "more than 365 days after" in problem.message


def test_the_signature_is_the_managers_name() -> None:
    instance = example("referral-two-children")
    assert run_rule("guidance-approval-signature-is-a-name", instance) == []
    instance["part_a"]["manager_approval"]["signature"] = "Signed"
    [problem] = run_rule("guidance-approval-signature-is-a-name", instance)
    assert (problem.pointer, problem.severity) == (f"{APPROVAL}/signature", Severity.error)
    assert "does not look like a name" in problem.message
    instance["part_a"]["manager_approval"]["signature"] = "Sam Carter"
    [problem] = run_rule("guidance-approval-signature-is-a-name", instance)
    assert problem.severity is Severity.warning and "'Manager's name'" in problem.message


def test_dates_that_could_be_right() -> None:
    instance = example("referral-two-children")
    assert run_rule("guidance-dates-plausible", instance, received=date(2026, 2, 3)) == []
    instance["part_a"]["referral"]["date_of_referral"] = "2062-02-02"
    instance["part_a"]["children"][0]["school_holidays"][0]["from"] = "1926-02-16"
    found = run_rule("guidance-dates-plausible", instance, received=date(2026, 2, 3))
    assert [(p.pointer, p.severity) for p in found] == [
        ("/part_a/referral/date_of_referral", Severity.error),
        ("/part_a/children/0/school_holidays/0/from", Severity.error),
    ]
    assert "(02/02/2062) is after the day the form was received (03/02/2026)" in found[0].message
    assert "(16/02/1926) is more than 2 years before" in found[1].message
