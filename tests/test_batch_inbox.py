"""Which files the batch takes from the inbox, and the progress it reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline_inputs import example, form_pdf, text_named_pdf

from brokerage.processor.batch import BatchOptions, inbox_files, run_batch
from brokerage.processor.pipeline import Settings
from brokerage.processor.results import FileResult, Status


def test_inbox_files_are_sorted_skip_hidden_links_and_the_output_folder(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "b.pdf").write_bytes(b"x")
    (inbox / "a.pdf").write_bytes(b"x")
    (inbox / "sub" / "c.pdf").write_bytes(b"x")
    (inbox / ".hidden.pdf").write_bytes(b"x")
    (inbox / "link.pdf").symlink_to(inbox / "a.pdf")
    (inbox / "out").mkdir()
    (inbox / "out" / "summary.json").write_text("{}")
    got = [source for source, _ in inbox_files(inbox, exclude=inbox / "out")]
    assert got == ["a.pdf", "b.pdf", "sub/c.pdf"]


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
