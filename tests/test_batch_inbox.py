"""Which files the batch takes from the inbox, and the progress it reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline_inputs import example, form_pdf, text_named_pdf

from brokerage.processor import batch as batch_module
from brokerage.processor.batch import BatchOptions, SkipReason, Tasks, inbox_files, list_inbox, run_batch
from brokerage.processor.pipeline import Settings, check
from brokerage.processor.results import FileResult, Status


def test_inbox_files_are_sorted_and_links_hidden_files_and_the_output_folder_are_listed_as_skipped(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "b.pdf").write_bytes(b"x")
    (inbox / "a.pdf").write_bytes(b"x")
    (inbox / "sub" / "c.pdf").write_bytes(b"x")
    (inbox / ".hidden.pdf").write_bytes(b"x")
    (inbox / "link.pdf").symlink_to(inbox / "a.pdf")
    (inbox / "linked-folder").symlink_to(inbox / "sub")
    (inbox / "out").mkdir()
    (inbox / "out" / "summary.json").write_text("{}")
    got = [source for source, _ in inbox_files(inbox, exclude=inbox / "out")]
    assert got == ["a.pdf", "b.pdf", "sub/c.pdf"]  # issue 14: a link to a file is not followed either
    skipped = {s.source: s.reason for s in list_inbox(inbox, exclude=inbox / "out").skipped}
    assert skipped == {
        ".hidden.pdf": SkipReason.hidden,
        "link.pdf": SkipReason.link,
        "linked-folder": SkipReason.link,
        "out": SkipReason.output_folder,
    }


def test_output_folder_inside_the_inbox_is_not_read_back(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "note.pdf").write_bytes(text_named_pdf())
    (inbox / "response.pdf").write_bytes(form_pdf(example("provider-response")))
    seen: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, result: FileResult) -> None:
        seen.append((done, total, result.source))

    settings = Settings(today=date(2026, 2, 2))
    first = run_batch(inbox, inbox / "out", settings, BatchOptions(jobs=1), progress=progress)
    again = run_batch(inbox, inbox / "out", settings, BatchOptions(jobs=1))
    assert [r.source for r in first.results] == ["note.pdf", "response.pdf"]
    assert [r.source for r in again.results] == ["note.pdf", "response.pdf"]
    assert [s[:2] for s in seen] == [(1, 2), (2, 2)]
    assert {s[2] for s in seen} == {"note.pdf", "response.pdf"}
    assert first.results[1].status is Status.returned  # its reference is unknown to this ledger


def test_typed_payloads_never_reach_output_names(tmp_path: Path) -> None:
    from pipeline_inputs import with_values

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    evil = with_values(
        example("referral-summer-scheme"),
        {
            "/part_a/children/0/name": "../../../etc/passwd",
            "/part_a/children/0/school": '=HYPERLINK("http://x","y")',
            "/part_a/allocated_worker/name": "<script>alert(1)</script>",
        },
    )
    (inbox / "evil.pdf").write_bytes(form_pdf(evil))
    out = tmp_path / "out"
    report = run_batch(inbox, out, Settings(today=date(2026, 2, 2)), BatchOptions(jobs=1))
    (result,) = report.results
    assert result.outputs
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert all(p.startswith(("inbox/", "out/")) for p in written)
    for path in result.outputs:
        assert "passwd" not in path and "script" not in path and "HYPERLINK" not in path
        assert path.startswith(f"cases/{result.reference}/") or path.startswith("returned/")


def _crash_on_purpose(ctx):  # runs in a forked worker
    import os

    if ctx.source == "crash.pdf":
        os._exit(9)
    if ctx.source == "fault.pdf":
        raise KeyError("a bug")
    return check(ctx)


def _first_is_slowest(ctx):  # runs in a forked worker
    import time

    if ctx.source == "a-referral.pdf":
        time.sleep(1.5)
    return check(ctx)


def _fail_to_write(result, path, out_dir, settings):  # runs in a forked worker
    raise OSError(28, "No space left on device")


def _check_without_hashing(ctx):  # runs in a forked worker: hashing there again would be a fault
    import hashlib

    from brokerage.processor import pipeline

    assert ctx.sha256 and ctx.size == ctx.path.stat().st_size
    real = hashlib.sha256

    def refuse(*args, **kwargs):
        raise AssertionError("the worker hashed the file again")

    pipeline.hashlib.sha256 = refuse
    try:
        return check(ctx)
    finally:
        pipeline.hashlib.sha256 = real



def test_a_crashing_or_faulty_file_is_reported_and_the_batch_carries_on(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("crash.pdf", "fault.pdf", "note.pdf"):
        (inbox / name).write_bytes(text_named_pdf() + name.encode())
    options = BatchOptions(jobs=2, tasks=Tasks(check=_crash_on_purpose))
    report = run_batch(inbox, tmp_path / "out", Settings(today=date(2026, 2, 2)), options)
    by = {r.source: r for r in report.results}
    assert by["crash.pdf"].problems[0].rule == "file:crash"
    assert "'crash.pdf' stopped the PDF reader" in by["crash.pdf"].problems[0].message
    assert by["fault.pdf"].problems[0].rule == "file:internal-error"
    assert "KeyError" in by["fault.pdf"].problems[0].message
    assert by["note.pdf"].problems[0].rule == "file:not-a-pdf"
    assert all(r.status is Status.rejected for r in report.results)
    assert report.complete


def test_outputs_that_cannot_be_written_leave_nothing_recorded(tmp_path: Path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from brokerage.cli import app

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "referral.pdf").write_bytes(form_pdf(example("referral-summer-scheme")))
    out = tmp_path / "out"
    monkeypatch.setattr(batch_module, "DEFAULT_TASKS", Tasks(write=_fail_to_write))  # the CLI run's tasks
    result = CliRunner().invoke(app, ["process", str(inbox), "-o", str(out), "--jobs", "1", "--today", "2026-02-02"])
    assert result.exit_code == 5
    assert "No space left on device" in result.stderr
    monkeypatch.undo()
    report = run_batch(inbox, out, Settings(today=date(2026, 2, 2)), BatchOptions(jobs=1))
    assert report.complete
    (done,) = report.results
    assert done.status is Status.accepted and done.reference == "BRK-2026-0001" and done.outputs


def test_references_follow_inbox_order_not_worker_speed(tmp_path: Path) -> None:
    from pipeline_inputs import with_values

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    base = example("referral-summer-scheme")
    for name in ("a-referral.pdf", "b-referral.pdf", "c-referral.pdf"):
        (inbox / name).write_bytes(form_pdf(with_values(base, {"/part_a/allocated_worker/name": name})))
    (inbox / "0-response.pdf").write_bytes(form_pdf(example("provider-response")))  # sorts first
    finished: list[str] = []
    report = run_batch(
        inbox,
        tmp_path / "out",
        Settings(today=date(2026, 2, 2)),
        BatchOptions(jobs=2, tasks=Tasks(check=_first_is_slowest)),
        progress=lambda done, total, result: finished.append(result.source),
    )
    refs = {r.source: r.reference for r in report.results}
    assert refs == {
        "0-response.pdf": "BRK-2026-0001",  # routed after every referral, so its reference is known
        "a-referral.pdf": "BRK-2026-0001",
        "b-referral.pdf": "BRK-2026-0002",
        "c-referral.pdf": "BRK-2026-0003",
    }
    assert all(r.status is Status.accepted for r in report.results)
    assert sorted(finished) == sorted(refs)


def test_two_batches_never_share_a_ledger(tmp_path: Path) -> None:
    import subprocess
    import sys

    import pytest

    from brokerage.errors import OutputError

    (tmp_path / "inbox").mkdir()
    out = tmp_path / "out"
    out.mkdir()
    lock = out / "ledger.sqlite3.lock"
    # Another run, as another process would hold it: a POSIX record lock on the ledger's lock file.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\n"
            f"h = open({str(lock)!r}, 'a+b'); fcntl.lockf(h.fileno(), fcntl.LOCK_EX)\n"
            "print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        cwd=tmp_path,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        with pytest.raises(OutputError) as caught:
            run_batch(tmp_path / "inbox", out, Settings(today=date(2026, 2, 2)))
    finally:
        holder.kill()
        holder.wait()
    assert "Another 'brokerage process' is using the case ledger" in caught.value.message
    assert run_batch(tmp_path / "inbox", out, Settings(today=date(2026, 2, 2))).results == ()


def test_half_written_files_of_a_killed_run_are_cleared_but_never_the_inbox(tmp_path: Path) -> None:
    out = tmp_path / "out"
    stale = out / "cases" / "BRK-2026-0001" / ".part-a.pdf.k3j9x_2a.tmp"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half")
    inbox = out / "inbox"  # an odd layout: the inbox inside the output folder
    inbox.mkdir()
    original = inbox / ".scan.pdf.abc12345.tmp"
    original.write_bytes(b"someone's file")
    report = run_batch(inbox, out, Settings(today=date(2026, 2, 2)), BatchOptions(jobs=1))
    assert not stale.exists()
    assert original.read_bytes() == b"someone's file"
    assert report.results == ()  # hidden files are not read either


def test_each_file_is_hashed_once_by_the_batch(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "referral.pdf").write_bytes(form_pdf(example("referral-summer-scheme")))
    options = BatchOptions(jobs=1, tasks=Tasks(check=_check_without_hashing))
    report = run_batch(inbox, tmp_path / "out", Settings(today=date(2026, 2, 2)), options)
    (done,) = report.results
    assert done.status is Status.accepted, done.problems
