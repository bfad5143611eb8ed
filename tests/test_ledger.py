"""The case ledger: references stable by file hash, verdicts recorded once, cases listed."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from brokerage.errors import OutputError
from brokerage.processor.ledger import FirstCopy, Ledger, result_from_json, result_to_json
from brokerage.processor.references import format_reference, is_reference, normalise_quoted
from brokerage.processor.results import FileResult, Status
from brokerage.schema import Problem, Severity

SHA_A = "a" * 64
SHA_B = "b" * 64


def referral(sha: str, source: str, reference: str, status: Status = Status.accepted) -> FileResult:
    return FileResult(
        source=source,
        sha256=sha,
        kind="referral",
        status=status,
        reference=reference,
        problems=(Problem("/part_a/x", "X", "schema:required", Severity.warning, "Say more.", "S", 2),),
        data={
            "part_a": {
                "referral": {"urgent": "Yes"},
                "children": [{}, {}],
                "services": {"short_break": {"required": True}},
            }
        },
        received=date(2026, 2, 2),
        response_due=date(2026, 2, 4),
        notes=("note",),
    )


def test_references_are_sequential_per_year_and_stable_by_hash(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        assert ledger.reserve_reference(SHA_A, 2026) == "BRK-2026-0001"
        assert ledger.reserve_reference(SHA_B, 2026) == "BRK-2026-0002"
        assert ledger.reserve_reference(SHA_A, 2026) == "BRK-2026-0001"
        assert ledger.reserve_reference("c" * 64, 2027) == "BRK-2027-0001"
    with Ledger(tmp_path / "l.sqlite3") as again:  # survives reopening
        assert again.reserve_reference(SHA_B, 2026) == "BRK-2026-0002"
        assert again.reserve_reference("d" * 64, 2026) == "BRK-2026-0003"


def test_wal_mode(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.sqlite3"):
        mode = sqlite3.connect(tmp_path / "l.sqlite3").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_result_round_trips_through_json() -> None:
    result = referral(SHA_A, "in/a.pdf", "BRK-2026-0001")
    back = result_from_json(result_to_json(result))
    assert back == result
    assert back.data == result.data
    assert back.problems[0].severity is Severity.warning


def test_record_is_idempotent_and_lists_cases(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        first = referral(SHA_A, "a.pdf", "BRK-2026-0001")
        ledger.record(first, data_hash="h1")
        ledger.record(first, data_hash="h1")
        assert ledger.file_count() == 1
        assert ledger.recorded(SHA_A, "a.pdf") == first
        assert ledger.recorded(SHA_A, "other.pdf") is None
        copy = ledger.first_copy(sha256=SHA_A, other_than="copy.pdf")
        assert copy == FirstCopy("a.pdf", Status.accepted, date(2026, 2, 2))
        assert ledger.first_copy(sha256=SHA_A, other_than="a.pdf") is None
        assert ledger.first_copy(data_hash="h1", other_than="b.pdf").source == "a.pdf"
        assert ledger.first_copy(sha256=SHA_A, other_than="b.pdf", statuses=(Status.rejected,)) is None
        assert ledger.referral_status("BRK-2026-0001") == "accepted"
        assert ledger.referral_status("BRK-2026-0009") is None
        response = FileResult(
            source="r.pdf",
            sha256=SHA_B,
            kind="provider-response",
            status=Status.accepted,
            reference="BRK-2026-0001",
            data={"part_b": {"can_meet": "All of the package"}},
        )
        ledger.record(response)
        (case,) = ledger.cases()
    assert case.reference == "BRK-2026-0001"
    assert case.urgent and case.services == "Short break"
    assert (case.responses, case.positive_responses, case.ipa) == (1, 1, "")
    assert case.response_due == "2026-02-04"


def test_unwritable_ledger_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError) as caught:
        Ledger(blocker / "ledger.sqlite3")
    assert "--ledger" in caught.value.message


def test_reference_shapes() -> None:
    assert format_reference(2026, 7) == "BRK-2026-0007"
    assert is_reference("BRK-2026-0007")
    assert not is_reference("BRK-2026-7") and not is_reference("../etc")
    assert normalise_quoted(" brk 2026 0007 ") == "BRK-2026-0007"
    assert normalise_quoted("BRK/2026/7") == "BRK-2026-0007"
    assert normalise_quoted("Ref 12") is None
    assert normalise_quoted("BRK-2026-0000") is None
