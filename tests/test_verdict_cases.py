"""Issue 13, items 4, 5 and 6: verdicts that are not frozen, a resubmission that continues its case, and no
live reference quoted back.

Each test runs ``brokerage process`` (``run_batch``) more than once on one output folder and ledger, as an
officer does day after day, and reads what the officer would: the verdicts, ``summary.json``, the case in
the ledger (its files and history) and the case folder.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pipeline_inputs import example, form_pdf, with_values

from brokerage.processor.batch import BatchOptions, BatchReport, run_batch
from brokerage.processor.ledger import Ledger
from brokerage.processor.pipeline import Settings
from brokerage.processor.results import FileResult, Status

TODAY = date(2026, 2, 3)
REFERRAL = example("referral-domiciliary-only")  # child 7654321, born 30/01/2018; signed 30/01/2026
MISTAKE = with_values(REFERRAL, {"/part_a/children/0/school": None})  # a required box left blank
RESPONSE = example("provider-response")  # quotes BRK-2026-0001; offers Saturday


class Office:
    """An inbox and an output folder used run after run."""

    def __init__(self, root: Path) -> None:
        self.inbox = root / "inbox"
        self.out = root / "out"
        self.inbox.mkdir()

    def put(self, name: str, instance: dict[str, Any] | bytes) -> Path:
        path = self.inbox / name
        path.write_bytes(instance if isinstance(instance, bytes) else form_pdf(instance))
        return path

    def remove(self, name: str) -> None:
        (self.inbox / name).unlink()

    def run(self, today: date = TODAY) -> dict[str, FileResult]:
        report: BatchReport = run_batch(self.inbox, self.out, Settings(today=today), BatchOptions(jobs=1))
        assert report.complete, report.unfinished
        return {result.source: result for result in report.results}

    def summary(self) -> dict[str, dict[str, Any]]:
        document = json.loads((self.out / "summary.json").read_text(encoding="utf-8"))
        return {entry["source"]: entry for entry in document["files"]}

    def ledger(self) -> Ledger:
        return Ledger(self.out / "ledger.sqlite3")


@pytest.fixture
def office(tmp_path: Path) -> Office:
    return Office(tmp_path)


def rules_of(result: FileResult) -> list[str]:
    return [p.rule for p in result.problems]


# --- item 4: returned and rejected verdicts are checked again ------------------------------------


def test_a_referral_returned_for_the_wrong_day_is_accepted_on_the_right_day(office: Office) -> None:
    office.put("referral.pdf", REFERRAL)
    wrong = office.run(today=date(2026, 1, 20))["referral.pdf"]  # before the manager signed it (30/01)
    assert wrong.status is Status.returned and "guidance-approval-signed-before-sent" in rules_of(wrong)
    right = office.run(today=TODAY)["referral.pdf"]
    assert right.status is Status.accepted, [p.message for p in right.errors]
    assert right.reference == wrong.reference
    assert office.summary()["referral.pdf"]["status"] == "accepted"


def test_a_response_before_its_referral_is_accepted_once_the_referral_is(office: Office) -> None:
    office.put("response.pdf", RESPONSE)
    early = office.run()["response.pdf"]
    assert early.status is Status.returned and "route:unknown-reference" in rules_of(early)
    office.put("referral.pdf", REFERRAL)
    later = office.run()
    assert later["referral.pdf"].reference == "BRK-2026-0001"
    assert later["response.pdf"].status is Status.accepted
    assert (office.out / "cases" / "BRK-2026-0001" / "responses" / "1-response.json").is_file()


def test_a_response_sent_again_under_a_new_name_is_not_a_duplicate_of_a_returned_one(office: Office) -> None:
    office.put("response.pdf", RESPONSE)
    assert office.run()["response.pdf"].status is Status.returned
    office.remove("response.pdf")
    office.put("response-again.pdf", RESPONSE)
    office.put("referral.pdf", REFERRAL)
    again = office.run()["response-again.pdf"]
    assert again.status is Status.accepted, again.problems


def test_a_returned_first_copy_never_makes_a_later_copy_a_duplicate(office: Office) -> None:
    pdf = form_pdf(MISTAKE)
    office.put("a.pdf", pdf)
    office.put("b.pdf", pdf)
    first = office.run()
    assert first["a.pdf"].status is Status.returned and first["b.pdf"].status is Status.returned
    office.put("c.pdf", pdf)
    assert office.run()["c.pdf"].status is Status.returned


def test_a_duplicate_names_the_first_copys_verdict(office: Office) -> None:
    pdf = form_pdf(REFERRAL)
    office.put("a.pdf", pdf)
    assert office.run()["a.pdf"].status is Status.accepted
    office.put("b.pdf", pdf)
    copy = office.run(today=date(2026, 2, 4))["b.pdf"]
    assert copy.status is Status.duplicate and copy.duplicate_of == "a.pdf"
    assert "'a.pdf', which was accepted and filed on 03/02/2026" in copy.problems[0].message
    office.put("note-1.pdf", b"Hello, the referral is attached.")
    office.put("note-2.pdf", b"Hello, the referral is attached.")
    results = office.run()
    assert results["note-1.pdf"].status is Status.rejected
    assert results["note-2.pdf"].status is Status.duplicate
    assert "which was rejected" in results["note-2.pdf"].problems[0].message


def test_accepted_files_stay_final(office: Office) -> None:
    office.put("referral.pdf", REFERRAL)
    first = office.run()["referral.pdf"]
    later = office.run(today=date(2026, 1, 20))["referral.pdf"]  # a day that would return it
    assert later.status is Status.accepted and later.received == first.received == TODAY


# --- item 5: a resubmission continues its case -----------------------------------------------------


def test_a_corrected_referral_quoting_its_reference_continues_the_case(office: Office) -> None:
    office.put("first.pdf", MISTAKE)
    first = office.run()["first.pdf"]
    assert first.status is Status.returned and first.reference == "BRK-2026-0001"
    office.put("corrected.pdf", with_values(REFERRAL, {"/part_a/referral/previous_reference": "BRK-2026-0001"}))
    corrected = office.run()["corrected.pdf"]
    assert corrected.status is Status.accepted and corrected.reference == "BRK-2026-0001"
    with office.ledger() as ledger:
        (case,) = ledger.cases()
        assert (case.reference, case.status) == ("BRK-2026-0001", "accepted")
        history = ledger.case("BRK-2026-0001").history
    assert [(event.source, event.status) for event in history] == [
        ("first.pdf", Status.returned), ("corrected.pdf", Status.accepted),
    ]


def test_a_corrected_referral_for_the_same_child_continues_the_case_without_the_reference(office: Office) -> None:
    office.put("first.pdf", MISTAKE)
    office.run()
    office.put("corrected.pdf", REFERRAL)
    corrected = office.run()["corrected.pdf"]
    assert corrected.reference == "BRK-2026-0001" and corrected.status is Status.accepted
    assert any("Mosaic ID and date of birth" in note for note in corrected.notes)
    with office.ledger() as ledger:
        assert [case.reference for case in ledger.cases()] == ["BRK-2026-0001"]


def test_another_childs_referral_opens_its_own_case(office: Office) -> None:
    office.put("first.pdf", MISTAKE)
    office.run()
    other = with_values(REFERRAL, {"/part_a/children/0/mosaic_id": "1112223"})
    office.put("other.pdf", other)
    assert office.run()["other.pdf"].reference == "BRK-2026-0002"


@pytest.mark.parametrize(
    ("quoted", "words"),
    [("BRK-2026-0042", "is not the reference of any referral"), ("BRK-2026-0001", "for another child")],
)
def test_a_wrong_resubmission_reference_is_returned_without_a_case(office: Office, quoted: str, words: str) -> None:
    office.put("first.pdf", MISTAKE)
    office.run()
    other = with_values(REFERRAL, {"/part_a/children/0/mosaic_id": "1112223",
                                   "/part_a/referral/previous_reference": quoted})
    office.put("other.pdf", other)
    result = office.run()["other.pdf"]
    assert result.status is Status.returned and result.reference is None
    (problem,) = [p for p in result.problems if p.rule == "route:unknown-reference"]
    assert problem.pointer == "/part_a/referral/previous_reference" and problem.page is not None
    assert words in problem.message
    assert problem.message.count("BRK-2026") == 1, "only what the worker typed; never another case's reference"


# --- item 6: never quote a live reference ----------------------------------------------------------


def test_the_unknown_reference_message_shows_the_format_only(office: Office) -> None:
    office.put("referral.pdf", REFERRAL)  # BRK-2026-0001 is live
    office.put("response.pdf", with_values(RESPONSE, {"/part_b/referral_reference": "BRK-2026-0077"}))
    result = office.run()["response.pdf"]
    (problem,) = [p for p in result.problems if p.rule == "route:unknown-reference"]
    assert "BRK-YYYY-NNNN" in problem.message
    assert "BRK-2026-0001" not in problem.message
    letters = list((office.out / "returned").rglob("*-letter.html"))
    assert letters and all("BRK-2026-0001" not in path.read_text(encoding="utf-8") for path in letters)


# --- the four-run story ----------------------------------------------------------------------------


def test_four_runs_end_with_one_case_its_history_and_the_response_filed(office: Office) -> None:
    """Part B first, then the referral (returned), then Part B again, then the corrected referral."""
    office.put("10-response.pdf", RESPONSE)
    one = office.run()
    assert one["10-response.pdf"].status is Status.returned

    office.put("01-referral.pdf", MISTAKE)
    two = office.run()
    assert two["01-referral.pdf"].status is Status.returned and two["01-referral.pdf"].reference == "BRK-2026-0001"
    assert two["10-response.pdf"].status is Status.returned  # the referral it answers went back to the worker

    office.put("11-response-again.pdf", (office.inbox / "10-response.pdf").read_bytes())
    three = office.run()
    assert three["11-response-again.pdf"].status is Status.returned  # not a duplicate of an unfiled copy

    office.put("02-referral-corrected.pdf", REFERRAL)
    four = office.run()
    assert four["02-referral-corrected.pdf"].status is Status.accepted
    assert four["02-referral-corrected.pdf"].reference == "BRK-2026-0001"
    assert four["10-response.pdf"].status is Status.accepted
    assert four["11-response-again.pdf"].status is Status.duplicate
    assert four["11-response-again.pdf"].duplicate_of == "10-response.pdf"

    with office.ledger() as ledger:
        (case,) = ledger.cases()
        assert (case.reference, case.status, case.responses) == ("BRK-2026-0001", "accepted", 1)
        full = ledger.case("BRK-2026-0001")
    assert {f.source for f in full.files} >= {"01-referral.pdf", "02-referral-corrected.pdf", "10-response.pdf"}
    events = [(event.source, event.status) for event in full.history]
    assert events[0] == ("01-referral.pdf", Status.returned)
    assert ("02-referral-corrected.pdf", Status.accepted) in events
    assert events[-1] == ("10-response.pdf", Status.accepted)
    filed = office.out / "cases" / "BRK-2026-0001" / "responses"
    assert sorted(p.name for p in filed.iterdir()) == ["1-response.json", "1-response.pdf"]
    shutil.rmtree(office.out / "cases")  # outputs lost: the next run writes them again from the ledger
    office.run()
    assert (filed / "1-response.json").is_file()


# --- validate and process agree ----------------------------------------------------------------------


def test_validate_against_the_ledger_says_what_process_said(office: Office) -> None:
    """For every form in a run: the same problems, the same verdict, and the ledger left as it was."""
    from pipeline_inputs import blank
    from typer.testing import CliRunner

    from brokerage.cli import app

    office.put("01-referral.pdf", REFERRAL)
    office.run()
    office.put("02-copy.pdf", (office.inbox / "01-referral.pdf").read_bytes())
    office.put("03-blank-response.pdf", blank("provider-response"))
    office.put("04-other-child.pdf", with_values(REFERRAL, {"/part_a/children/0/mosaic_id": "1112223",
                                                           "/part_a/referral/previous_reference": "BRK-2026-0001"}))
    office.put("10-response.pdf", RESPONSE)
    office.put("11-response-unknown.pdf", with_values(RESPONSE, {"/part_b/referral_reference": "BRK-2026-0077"}))
    office.put("12-ipa.pdf", with_values(example("ipa"), {"/part_c/service/weekly_cost": 85.0}))
    office.run()
    summary = office.summary()
    before = _ledger_rows(office)
    for name, entry in summary.items():
        result = CliRunner().invoke(app, ["validate", str(office.inbox / name), "--json", "--today", TODAY.isoformat(),
                                          "-o", str(office.out)])
        said = json.loads(result.stdout)
        assert said["status"] == entry["status"], name
        assert sorted((p["pointer"], p["rule"], p["message"], p["page"]) for p in said["problems"]) == sorted(
            (p["pointer"], p["rule"], p["message"], p["page"]) for p in entry["problems"]), name
        assert result.exit_code == (1 if any(p["severity"] == "error" for p in entry["problems"]) else 0), name
    assert {entry["status"] for entry in summary.values()} == {"accepted", "returned", "duplicate"}
    assert _ledger_rows(office) == before


def _ledger_rows(office: Office) -> list:
    import sqlite3

    with sqlite3.connect(office.out / "ledger.sqlite3") as db:
        return [db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in ("files", "references_issued", "referral_files", "case_events", "referrals")]
