"""The ledger is versioned (``meta.ledger_version``): a ledger made by an older toolkit is migrated forward
and keeps working; one made by a newer toolkit is refused with a sentence.

``tests/data/ledger-v1-demo.sql`` is a real version 1 ledger: ``brokerage demo`` run on main at bb37636
(before cases had files and a history), dumped as SQL.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from pipeline_inputs import example, form_pdf, with_values

from brokerage.errors import OutputError
from brokerage.processor.batch import BatchOptions, run_batch
from brokerage.processor.ledger import LEDGER_VERSION, Ledger
from brokerage.processor.pipeline import Settings
from brokerage.processor.results import FileResult, Status

DUMP = Path(__file__).parent / "data" / "ledger-v1-demo.sql"
V1_REFERENCES = ["BRK-2026-0001", "BRK-2026-0002", "BRK-2026-0003", "BRK-2026-0004", "BRK-2026-0005"]


def v1_ledger(folder: Path) -> Path:
    path = folder / "ledger.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(DUMP.read_text(encoding="utf-8"))
    return path


def version_of(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT value FROM meta WHERE key = 'ledger_version'").fetchone()[0]


def test_a_version_1_ledger_is_migrated_and_keeps_everything(tmp_path: Path) -> None:
    path = v1_ledger(tmp_path)
    assert version_of(path) == "1"
    with sqlite3.connect(path) as db:
        files_before = db.execute("SELECT sha256, source, status, reference FROM files ORDER BY id").fetchall()
        cases_before = db.execute("SELECT reference, status, response_due FROM referrals ORDER BY reference").fetchall()
    with Ledger(path) as ledger:
        assert ledger.version == LEDGER_VERSION
        rows = ledger.cases()
        assert [(c.reference, c.status, c.response_due) for c in rows] == cases_before
        assert [c.reference for c in rows] == V1_REFERENCES
        assert [(f.sha256, f.source, f.status.value, f.reference) for f in ledger.files()] == files_before
        first = ledger.case("BRK-2026-0001")
        assert first is not None and first.status is Status.accepted
        assert [f.source for f in first.files] == [
            "01-referral-summer-scheme.pdf", "06-provider-response.pdf", "08-ipa.pdf",
        ]
        assert [e.event for e in first.history] == ["referral accepted", "provider-response accepted", "ipa accepted"]
        assert len(first.child_keys) == 1
        assert ledger.referral_reference(first.referral.sha256) == "BRK-2026-0001"
    assert version_of(path) == str(LEDGER_VERSION)
    with Ledger(path) as again:  # a second opening changes nothing
        assert len(again.case("BRK-2026-0001").history) == 3


def test_a_batch_on_a_migrated_ledger_continues_its_cases(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    v1_ledger(out)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # The child of the demo's returned referral BRK-2026-0004 (Mosaic ID 1357911, born 21/11/2014), corrected.
    corrected = with_values(example("referral-domiciliary-only"), {
        "/part_a/children/0/mosaic_id": "1357911", "/part_a/children/0/date_of_birth": "2014-11-21",
    })
    (inbox / "04-corrected.pdf").write_bytes(form_pdf(corrected))
    other = with_values(example("referral-domiciliary-only"), {"/part_a/children/0/mosaic_id": "5550001"})
    (inbox / "20-new-child.pdf").write_bytes(form_pdf(other))
    report = run_batch(inbox, out, Settings(today=date(2026, 2, 4)), BatchOptions(jobs=1))
    verdicts = {r.source: (r.status, r.reference) for r in report.results}
    assert verdicts == {
        "04-corrected.pdf": (Status.accepted, "BRK-2026-0004"),
        "20-new-child.pdf": (Status.accepted, "BRK-2026-0006"),
    }
    with Ledger(out / "ledger.sqlite3") as ledger:
        case = ledger.case("BRK-2026-0004")
        assert case.status is Status.accepted
        assert [e.source for e in case.history] == ["04-referral-with-mistakes.pdf", "04-corrected.pdf"]


def test_a_file_accepted_in_a_version_1_ledger_stays_final(tmp_path: Path) -> None:
    out, inbox = tmp_path / "out", tmp_path / "inbox"
    out.mkdir()
    inbox.mkdir()
    path = v1_ledger(out)
    pdf = form_pdf(example("referral-domiciliary-only"))
    (inbox / "kept.pdf").write_bytes(pdf)
    sha = hashlib.sha256(pdf).hexdigest()
    v1_result = {  # what bb37636 wrote in files.result_json (no held_until)
        "source": "kept.pdf", "sha256": sha, "kind": "referral", "status": "accepted", "reference": "BRK-2026-0009",
        "problems": [], "data": example("referral-domiciliary-only"), "outputs": [], "received": "2026-02-03",
        "response_due": "2026-02-05", "notes": [], "duplicate_of": None,
    }
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO files (sha256, source, data_hash, kind, status, reference, result_json, recorded_at) "
            "VALUES (?, 'kept.pdf', NULL, 'referral', 'accepted', 'BRK-2026-0009', ?, '2026-02-03T09:00:00+00:00')",
            (sha, json.dumps(v1_result)),
        )
    report = run_batch(inbox, out, Settings(today=date(2026, 3, 30)), BatchOptions(jobs=1))
    (result,) = report.results
    assert isinstance(result, FileResult)
    assert (result.status, result.reference, result.received) == (Status.accepted, "BRK-2026-0009", date(2026, 2, 3))


def test_a_ledger_from_a_newer_toolkit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    with Ledger(path):
        pass
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'ledger_version'")
    with pytest.raises(OutputError) as refused:
        Ledger(path)
    assert "newer version of the brokerage toolkit" in refused.value.message
    assert version_of(path) == "99", "left as it was"


def test_reading_an_old_ledger_without_migrating_is_refused(tmp_path: Path) -> None:
    path = v1_ledger(tmp_path)
    with pytest.raises(OutputError) as refused:
        Ledger(path, read_only=True)
    assert "Run 'brokerage process'" in refused.value.message
    assert version_of(path) == "1", "a read changes nothing"
