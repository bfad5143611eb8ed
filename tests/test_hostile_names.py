"""Issue 14, items 6, 7, 11 and 12: control characters made safe once for every writer, names that are
not UTF-8, links and special files, and ``brokerage validate`` with the batch's limits."""

from __future__ import annotations

import io
import json
import os
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from pipeline_inputs import example, form_pdf
from pypdf import PdfReader
from typer.testing import CliRunner

from brokerage.cli import app
from brokerage.processor import batch as batch_module
from brokerage.processor.batch import BatchOptions, SkipReason, run_batch
from brokerage.processor.outputs.letters import build_letter, letter_html, letter_pdf
from brokerage.processor.outputs.summary import summary_csv
from brokerage.processor.outputs.summary_html import summary_html
from brokerage.processor.outputs.summary_xlsx import summary_xlsx
from brokerage.processor.pipeline import Settings
from brokerage.processor.results import FileResult, Status
from brokerage.schema import Problem, Severity
from brokerage.text import file_name, json_printable, printable

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import make_corpus as corpus

CONTROLS = "\x1b[31m\x07\x0b\x00\x7f\x9b\u202e"
"""ESC (a colour escape), BEL, vertical tab, NUL, DEL, CSI (C1) and a right-to-left override."""
RAW = ("\x1b", "\x07", "\x0b", "\x00", "\x7f", "\x9b", "\u202e")
SHOWN = ("␛", "␇", "␋", "␀", "␡")


def _result() -> FileResult:
    message = f"Section 2, page 2: 'Date of birth' says '{CONTROLS}01/02/2015', which is not a date."
    problem = Problem(
        pointer="/part_a/children/0/date_of_birth", field="Date of birth", rule="coerce:date",
        severity=Severity.error, message=message, section="Section 2", page=2,
    )
    return FileResult(
        source=f"ref{CONTROLS}.pdf", sha256="ab" * 32, kind=None, status=Status.returned, problems=(problem,),
        received=date(2026, 2, 2),
    )


def test_printable_shows_every_control_and_keeps_every_letter() -> None:
    assert printable("Zoë Łukasz-O’Brien Nguyễn\nline\ttab\r\n") == "Zoë Łukasz-O’Brien Nguyễn\nline\ttab\r\n"
    shown = printable(CONTROLS)
    assert not any(c in shown for c in RAW)
    assert shown.startswith("␛[31m␇␋␀␡")
    assert json.loads(json_printable(json.dumps({"x": CONTROLS}, ensure_ascii=False))) == {"x": CONTROLS}
    assert not any(c in json_printable(json.dumps(CONTROLS, ensure_ascii=False)) for c in RAW)
    assert file_name(os.fsdecode(b"caf\xff.pdf")) == "caf\\xff.pdf"


def test_xlsx_writes_control_characters_shown() -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(summary_xlsx([_result()])))
    cells = [str(c.value) for row in book["All files"].iter_rows() for c in row if c.value is not None]
    text = "\n".join(cells)
    assert "␛[31m" in text and not any(c in text for c in RAW)


def test_csv_writes_control_characters_shown() -> None:
    text = summary_csv([_result()]).decode("utf-8-sig")
    assert "␛[31m" in text and not any(c in text for c in RAW)


def test_html_writes_control_characters_shown() -> None:
    text = summary_html([_result()], [(f"link{CONTROLS}", "a link")])
    assert text.count("␛[31m") >= 3 and not any(c in text for c in RAW)


def test_letters_write_control_characters_shown() -> None:
    letter = build_letter(_result())
    html = letter_html(letter)
    assert "␛[31m" in html and not any(c in html for c in RAW)
    pdf = PdfReader(io.BytesIO(letter_pdf(letter, "seed")))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "\\x1b[31m\\x07\\x0b\\x00\\x7f\\x9b\\u202e" in text, "the letter's font has no control pictures"
    assert not any(c in text for c in RAW)


def _inbox_with_bad_names(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    referral = form_pdf(example("referral-summer-scheme"))
    (inbox / "esc\x1b[31m-bel\x07.pdf").write_bytes(referral + b"%1")
    os.makedirs(os.fsencode(inbox) + b"/latin1-\xe9t\xe9", exist_ok=True)
    with open(os.fsencode(inbox) + b"/latin1-\xe9t\xe9/caf\xff.pdf", "wb") as handle:
        handle.write(corpus.control_characters())
    return inbox


def test_bad_names_and_typed_escapes_get_verdicts_and_never_reach_the_terminal(tmp_path: Path) -> None:
    inbox = _inbox_with_bad_names(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["process", str(inbox), "-o", str(out), "--jobs", "1", "--today", "2026-02-02"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    sources = [f["source"] for f in summary["files"]]
    assert sources == ["esc\x1b[31m-bel\x07.pdf", "latin1-\\xe9t\\xe9/caf\\xff.pdf"]
    assert {f["status"] for f in summary["files"]} == {"accepted", "returned"}
    assert "latin1-\\xe9t\\xe9/caf\\xff.pdf" in result.output
    for name in ("summary.csv", "summary.html"):
        text = (out / name).read_text(encoding="utf-8-sig")
        assert "esc␛[31m-bel␇.pdf" in text and "\x1b" not in text
    with zipfile.ZipFile(out / "summary.xlsx") as book:
        assert all(b"\x1b" not in book.read(n) for n in book.namelist())


def test_validate_prints_typed_escapes_shown_in_its_table_and_its_json(tmp_path: Path) -> None:
    path = tmp_path / "typed.pdf"
    path.write_bytes(corpus.control_characters())
    table = CliRunner().invoke(app, ["validate", str(path), "--today", "2026-02-02"])
    assert table.exit_code == 1
    assert "\x1b" not in table.output and "␛[2J01/02/2015" in table.output
    as_json = CliRunner().invoke(app, ["validate", str(path), "--json", "--today", "2026-02-02"])
    assert "\x1b" not in as_json.stdout
    messages = [p["message"] for p in json.loads(as_json.stdout)["problems"]]
    assert any("\x1b[2J01/02/2015" in m for m in messages), "the JSON value is what was typed, escaped"


def _hang(ctx):  # runs in the validate worker
    import time

    time.sleep(60)


def test_validate_runs_with_the_batchs_time_limit(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "slow.pdf"
    path.write_bytes(form_pdf(example("provider-response")))
    monkeypatch.setattr(batch_module, "examine", _hang)
    result = CliRunner().invoke(app, ["validate", str(path), "--time-limit", "1"])
    assert result.exit_code == 3
    assert "took longer than 1 seconds to read and was stopped" in result.stderr


def test_validate_of_a_huge_index_is_a_problem_not_gigabytes(tmp_path: Path) -> None:
    path = tmp_path / "huge-index.pdf"
    path.write_bytes(corpus.huge_index())
    result = CliRunner().invoke(app, ["validate", str(path), "--json", "--today", "2026-02-02"])
    assert result.exit_code == 1
    assert "file:extra-box" in {p["rule"] for p in json.loads(result.stdout)["problems"]}


# --- item 11: links and special files ---------------------------------------------------------


def test_links_and_special_files_are_never_read_and_each_is_listed(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "referral.pdf").write_bytes(form_pdf(example("referral-summer-scheme")))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "real.pdf").write_bytes(form_pdf(example("referral-two-children")))
    (inbox / "passwd.pdf").symlink_to("/etc/passwd")
    (inbox / "outside.pdf").symlink_to(outside / "referral.pdf")
    (inbox / "folder").symlink_to(outside)
    (inbox / "dangling.pdf").symlink_to(tmp_path / "nothing-here.pdf")
    (inbox / "zero.pdf").symlink_to("/dev/zero")
    os.mkfifo(inbox / "pipe.pdf")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["process", str(inbox), "-o", str(out), "--jobs", "1", "--today", "2026-02-02"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [f["source"] for f in summary["files"]] == ["real.pdf"]
    why = {s["source"]: s["why"] for s in summary["skipped"]}
    links = ("dangling.pdf", "folder", "outside.pdf", "passwd.pdf", "zero.pdf")
    assert why == {**dict.fromkeys(links, SkipReason.link.value), "pipe.pdf": SkipReason.special.value}
    line = next(line for line in result.stdout.splitlines() if line.startswith("Not read (6)"))
    assert "passwd.pdf" in line
    assert "root:" not in (out / "summary.json").read_text(encoding="utf-8")


def test_a_file_swapped_for_a_pipe_after_listing_does_not_hang_the_run(tmp_path: Path, monkeypatch) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.pdf").write_bytes(b"placeholder")
    listed = batch_module.list_inbox(inbox)
    (inbox / "a.pdf").unlink()
    os.mkfifo(inbox / "a.pdf")
    monkeypatch.setattr(batch_module, "list_inbox", lambda *args, **kwargs: listed)
    report = run_batch(inbox, tmp_path / "out", Settings(today=date(2026, 2, 2)), BatchOptions(jobs=1))
    (result,) = report.results
    assert result.status is Status.rejected and "not a regular file" in result.problems[0].message


@pytest.mark.parametrize("umask", [0o022])
def test_the_terminal_lists_what_was_skipped(tmp_path: Path, umask: int) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / ".DS_Store").write_bytes(b"x")
    result = CliRunner().invoke(app, ["process", str(inbox), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 0
    assert "Not read (1): .DS_Store (hidden (its name starts with a dot))" in result.stdout


def test_extract_never_prints_a_hidden_twins_value(tmp_path: Path) -> None:
    path = tmp_path / "dup.pdf"
    path.write_bytes((Path(__file__).parent / "hostile" / "hidden-duplicate.pdf").read_bytes())
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 0
    assert corpus.DECOY_NAME not in result.stdout and "is in this file twice" in result.stderr
