"""The batch end to end on a realistic inbox built here (filled through PDFium and pdftk).

Proves: the expected verdict for every kind of file; a second run gives identical outputs; the
originals are never touched; a run killed mid-way and started again completes with no loss and no
duplicates; a hung file is stopped and reported while the batch carries on.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import engines
import pytest
from pipeline_inputs import (
    encrypted,
    engine_values,
    example,
    foreign_form_pdf,
    form_pdf,
    kind_of,
    scan_like_pdf,
    text_named_pdf,
    truncated,
    with_values,
)

from brokerage.errors import InputFileError, OutputError
from brokerage.processor.batch import BatchOptions, Tasks, run_batch
from brokerage.processor.pipeline import Settings, check
from brokerage.processor.results import Status

TODAY = date(2026, 2, 2)
SETTINGS = Settings(today=TODAY)
LEDGER_FILES = re.compile(
    r"^(ledger\.sqlite3(-wal|-shm|-journal|\.lock)?|brokerage-output\.json|\.brokerage-output\.lock)$"
)
"""The ledger, and OUT's record of which ledger owns it (its id differs from one ledger to another) with its lock."""
SAFE_OUTPUT = re.compile(
    r"^(summary\.(json|csv|xlsx|html)"
    r"|cases/BRK-[0-9]{4}-[0-9]{4}/[a-z0-9/._-]+"
    r"|returned/(BRK-[0-9]{4}-[0-9]{4}/)?[0-9a-f]{12}-letter\.(html|pdf))$"
)

INVALID_REFERRAL = with_values(
    example("referral-domiciliary-only"),
    {
        "/part_a/children/0/behaviours_that_challenge": None,
        "/part_a/children/0/date_of_birth": "31/02/2015",
    },
)

EXPECTED = {
    "01-referral-pdfium.pdf": ("referral", "accepted", "BRK-2026-0001"),
    "02-referral-pdftk-invalid.pdf": ("referral", "returned", "BRK-2026-0002"),
    "03-referral-summer.pdf": ("referral", "accepted", "BRK-2026-0003"),
    "04-referral-empty-password.pdf": ("referral", "accepted", "BRK-2026-0004"),
    "05-copy-of-01.pdf": ("referral", "duplicate", None),
    "06-summer-saved-again-pdftk.pdf": ("referral", "duplicate", None),
    "10-response-pdfium.pdf": ("provider-response", "accepted", "BRK-2026-0001"),
    "11-response-unknown-reference.pdf": ("provider-response", "returned", None),
    "12-ipa.pdf": ("ipa", "accepted", "BRK-2026-0001"),
    "20-scan-rotated.pdf": (None, "rejected", None),
    "21-email-text.pdf": (None, "rejected", None),
    "22-truncated.pdf": (None, "rejected", None),
    "23-locked.pdf": (None, "rejected", None),
    "24-another-form.pdf": (None, "rejected", None),
}
REJECTION_RULES = {
    "20-scan-rotated.pdf": "file:flattened",
    "21-email-text.pdf": "file:not-a-pdf",
    "22-truncated.pdf": "file:damaged",
    "23-locked.pdf": "file:encrypted",
    "24-another-form.pdf": "file:not-our-form",
}


def build_inbox(folder: Path, work: Path) -> Path:
    """The realistic inbox (see EXPECTED); ``work`` holds blanks and engine scratch files."""
    folder.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)

    def blank_file(kind: str) -> Path:
        from pipeline_inputs import blank

        path = work / f"blank-{kind}.pdf"
        path.write_bytes(blank(kind))
        return path

    two_children = example("referral-two-children")
    engines.fill_with_pdfium(blank_file("referral"), engine_values(two_children), folder / "01-referral-pdfium.pdf")
    engines.fill_with_pdftk(blank_file("referral"), engine_values(INVALID_REFERRAL), work / "02.pdf")
    shutil.copyfile(work / "02.pdf", folder / "02-referral-pdftk-invalid.pdf")
    summer = example("referral-summer-scheme")
    (folder / "03-referral-summer.pdf").write_bytes(form_pdf(summer))
    domiciliary = example("referral-domiciliary-only")
    (folder / "04-referral-empty-password.pdf").write_bytes(encrypted(form_pdf(domiciliary), ""))
    shutil.copyfile(folder / "01-referral-pdfium.pdf", folder / "05-copy-of-01.pdf")
    engines.fill_with_pdftk(blank_file("referral"), engine_values(summer), work / "06.pdf")
    shutil.copyfile(work / "06.pdf", folder / "06-summer-saved-again-pdftk.pdf")
    response = example("provider-response")
    engines.fill_with_pdfium(
        blank_file("provider-response"), engine_values(response), folder / "10-response-pdfium.pdf"
    )
    unknown = with_values(response, {"/part_b/referral_reference": "BRK-2026-0999"})
    (folder / "11-response-unknown-reference.pdf").write_bytes(form_pdf(unknown))
    (folder / "12-ipa.pdf").write_bytes(form_pdf(example("ipa")))
    (folder / "20-scan-rotated.pdf").write_bytes(scan_like_pdf())
    (folder / "21-email-text.pdf").write_bytes(text_named_pdf())
    (folder / "22-truncated.pdf").write_bytes(truncated(form_pdf(domiciliary)))
    (folder / "23-locked.pdf").write_bytes(encrypted(form_pdf(response), "s3cret"))
    (folder / "24-another-form.pdf").write_bytes(foreign_form_pdf())
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    """Every output file's bytes by relative path (the ledger database is not an output)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not LEDGER_FILES.match(p.name)
    }


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    engines.require_tool("pdftk")
    engines.require_pdfium()
    root = tmp_path_factory.mktemp("e2e")
    return build_inbox(root / "inbox", root / "work")


@pytest.fixture(scope="module")
def first_run(inbox: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("out")
    before = snapshot(inbox)
    report = run_batch(inbox, out, SETTINGS, BatchOptions(jobs=2))
    return out, report, before


def test_every_file_gets_the_expected_verdict(first_run) -> None:
    out, report, _ = first_run
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    got = {f["source"]: (f["kind"], f["status"], f["reference"]) for f in summary["files"]}
    assert got == EXPECTED
    assert report.complete
    by_source = {r.source: r for r in report.results}
    for source, rule in REJECTION_RULES.items():
        (problem,) = by_source[source].problems
        assert problem.rule == rule
        assert f"'{source}'" in problem.message
    assert by_source["05-copy-of-01.pdf"].duplicate_of == "01-referral-pdfium.pdf"
    assert by_source["06-summer-saved-again-pdftk.pdf"].duplicate_of == "03-referral-summer.pdf"
    returned = by_source["02-referral-pdftk-invalid.pdf"]
    pointers = {p.pointer for p in returned.errors}
    assert "/part_a/children/0/date_of_birth" in pointers
    assert "/part_a/children/0/behaviours_that_challenge" in pointers
    assert all(p.page for p in returned.problems if p.pointer)
    unknown = by_source["11-response-unknown-reference.pdf"]
    assert [p.rule for p in unknown.errors] == ["route:unknown-reference"]
    assert by_source["01-referral-pdfium.pdf"].data == example("referral-two-children")
    assert by_source["01-referral-pdfium.pdf"].response_due == date(2026, 2, 9)


def test_outputs_are_named_by_reference_and_fixed_words_only(first_run) -> None:
    out, report, _ = first_run
    files = tree(out)
    assert files
    for path in files:
        assert SAFE_OUTPUT.match(path), path
    for result in report.results:
        for path in result.outputs:
            assert (out / path).is_file()
        if result.status in (Status.rejected, Status.duplicate):
            assert result.outputs == ()
        else:
            assert result.outputs
    assert any(p.startswith("cases/BRK-2026-0001/") for p in files)
    assert not any(p.startswith("cases/BRK-2026-0002/") for p in files)  # returned: a letter instead


def test_originals_are_never_modified_or_moved(first_run, inbox: Path) -> None:
    _, _, before = first_run
    assert snapshot(inbox) == before


def test_second_run_gives_identical_outputs_and_keeps_verdicts(first_run, inbox: Path) -> None:
    out, report, _ = first_run
    before = tree(out)
    again = run_batch(inbox, out, SETTINGS, BatchOptions(jobs=2))
    assert tree(out) == before
    assert [(r.source, r.status, r.reference) for r in again.results] == [
        (r.source, r.status, r.reference) for r in report.results
    ]
    with sqlite3.connect(out / "ledger.sqlite3") as db:
        files = db.execute("SELECT COUNT(*), COUNT(DISTINCT sha256 || source) FROM files").fetchone()
        referrals = db.execute("SELECT COUNT(*) FROM referrals").fetchone()[0]
    assert files == (len(EXPECTED), len(EXPECTED))
    assert referrals == 4


def test_a_later_day_keeps_accepted_verdicts_and_checks_the_others_again(first_run, inbox: Path) -> None:
    """Accepted files are final: same verdict, same day received, same outputs. A returned, rejected or duplicate
    file is checked again on the later day (issue 13, item 4: its verdict may depend on the day or the ledger)."""
    out, report, _ = first_run
    before = tree(out)
    later = run_batch(inbox, out, Settings(today=date(2026, 3, 2)), BatchOptions(jobs=1))
    for first, again in zip(report.results, later.results, strict=True):
        assert (again.source, again.status, again.reference) == (first.source, first.status, first.reference)
        if first.status is Status.accepted:
            assert again.received == first.received
        else:
            assert again.received == date(2026, 3, 2), again.source
    after = tree(out)
    filed = {name for name in before if name.startswith("cases/")}
    assert {name: after[name] for name in filed} == {name: before[name] for name in filed}


def test_a_later_run_with_the_same_forms_under_new_names_finds_duplicates(
    first_run, inbox: Path, tmp_path: Path
) -> None:
    out, _, _ = first_run
    later = tmp_path / "later"
    later.mkdir()
    shutil.copyfile(inbox / "03-referral-summer.pdf", later / "resent.pdf")
    report = run_batch(later, out, Settings(today=date(2026, 2, 3)), BatchOptions(jobs=1))
    (result,) = report.results
    assert result.status is Status.duplicate
    assert result.duplicate_of == "03-referral-summer.pdf"
    assert "'03-referral-summer.pdf'" in result.problems[0].message


def test_run_killed_mid_way_completes_on_restart_with_no_loss_or_duplicates(tmp_path: Path, inbox: Path) -> None:
    # A bigger inbox of distinct referrals so the kill lands mid-batch.
    big = tmp_path / "big"
    big.mkdir()
    base = example("referral-summer-scheme")
    for n in range(12):
        changed = with_values(base, {"/part_a/allocated_worker/name": f"Worker {n:02d}"})
        (big / f"referral-{n:02d}.pdf").write_bytes(form_pdf(changed))
    for source in ("10-response-pdfium.pdf", "21-email-text.pdf", "05-copy-of-01.pdf", "01-referral-pdfium.pdf"):
        shutil.copyfile(inbox / source, big / source)
    killed = tmp_path / "killed"
    command = [
        sys.executable,
        "-c",
        "from brokerage.cli import main; main()",
        "process",
        str(big),
        "-o",
        str(killed),
        "--jobs",
        "1",
        "--today",
        "2026-02-02",
    ]
    # Run outside the checkout: from its root, `python -c` would import the source folder
    # `brokerage/` instead of the installed package.
    errors = tmp_path / "killed-run.stderr"
    with errors.open("wb") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, cwd=tmp_path)
    ledger = killed / "ledger.sqlite3"
    deadline = time.monotonic() + 120
    recorded = 0
    while time.monotonic() < deadline and process.poll() is None:
        if ledger.exists():
            try:
                with sqlite3.connect(f"file:{ledger}?mode=ro", uri=True) as db:
                    recorded = db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
            except sqlite3.Error:
                recorded = 0
            if recorded >= 3:
                break
        time.sleep(0.05)
    assert process.poll() is None, (
        f"the batch ended (exit {process.returncode}) before it could be killed: "
        f"{errors.read_text(errors='replace')[-2000:]}"
    )
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    # its workers notice the parent is gone and stop by themselves
    deadline = time.monotonic() + 30
    while processes_mentioning(str(killed)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_mentioning(str(killed)) == []
    assert not (killed / "summary.json").exists()
    assert 3 <= recorded < 16

    resumed = run_batch(big, killed, SETTINGS, BatchOptions(jobs=2))
    clean_dir = tmp_path / "clean"
    clean = run_batch(big, clean_dir, SETTINGS, BatchOptions(jobs=2))
    after_kill, from_clean = tree(killed), tree(clean_dir)
    assert sorted(set(after_kill) ^ set(from_clean)) == []
    assert [p for p in after_kill if after_kill[p] != from_clean[p]] == []
    assert [(r.source, r.status, r.reference) for r in resumed.results] == [
        (r.source, r.status, r.reference) for r in clean.results
    ]
    with sqlite3.connect(ledger) as db:
        assert db.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 16
        references = [r[0] for r in db.execute("SELECT reference FROM referrals ORDER BY reference")]
    assert references == [f"BRK-2026-{n:04d}" for n in range(1, 14)]


def processes_mentioning(text: str) -> list[int]:
    """PIDs whose command line contains ``text`` (Linux /proc; empty elsewhere)."""
    found = []
    proc = Path("/proc")
    for entry in proc.iterdir() if proc.is_dir() else ():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _hang_on_purpose(ctx):  # replaces the check task in forked workers for one file
    if ctx.source == "hang.pdf":
        time.sleep(120)
    return check(ctx)



def test_hung_file_is_stopped_reported_and_retried_next_time(tmp_path: Path, inbox: Path) -> None:
    small = tmp_path / "inbox"
    small.mkdir()
    shutil.copyfile(inbox / "12-ipa.pdf", small / "hang.pdf")
    shutil.copyfile(inbox / "21-email-text.pdf", small / "note.pdf")
    started = time.monotonic()
    options = BatchOptions(jobs=1, time_limit=2, tasks=Tasks(check=_hang_on_purpose))
    report = run_batch(small, tmp_path / "out", SETTINGS, options)
    assert time.monotonic() - started < 30
    by_source = {r.source: r for r in report.results}
    hung = by_source["hang.pdf"]
    assert hung.status is Status.rejected
    assert hung.problems[0].rule == "file:timeout"
    assert "'hang.pdf' took longer than 2 seconds" in hung.problems[0].message
    assert by_source["note.pdf"].status is Status.rejected
    assert report.restarts == 1
    with sqlite3.connect(tmp_path / "out" / "ledger.sqlite3") as db:
        sources = [r[0] for r in db.execute("SELECT source FROM files")]
    assert sources == ["note.pdf"]  # a time-out is not recorded: the next run tries again


def test_missing_inbox_and_unwritable_output_stop_the_run(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as missing:
        run_batch(tmp_path / "nope", tmp_path / "out", SETTINGS)
    assert "does not exist" in missing.value.message
    (tmp_path / "inbox").mkdir()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError) as unwritable:
        run_batch(tmp_path / "inbox", blocker / "out", SETTINGS)
    assert "cannot be written" in unwritable.value.message
    with pytest.raises(OutputError) as same:
        run_batch(tmp_path / "inbox", tmp_path / "inbox", SETTINGS)
    assert "is the inbox itself" in same.value.message


def test_empty_inbox_gives_an_empty_summary(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    report = run_batch(tmp_path / "inbox", tmp_path / "out", SETTINGS)
    assert report.results == ()
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["files"] == []


def test_kind_of_examples() -> None:
    assert kind_of(example("ipa")) == "ipa"
