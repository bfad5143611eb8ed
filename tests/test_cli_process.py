"""The processing commands through Typer's CliRunner: exit codes and what a person reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pipeline_inputs import example, form_pdf, text_named_pdf, with_values
from typer.testing import CliRunner

from brokerage.cli import app

runner = CliRunner()
TODAY = ["--today", "2026-02-02"]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("cli")
    inbox = root / "inbox"
    inbox.mkdir()
    good = inbox / "good-referral.pdf"
    good.write_bytes(form_pdf(example("referral-summer-scheme")))
    bad = inbox / "bad-referral.pdf"
    bad.write_bytes(
        form_pdf(with_values(example("referral-domiciliary-only"), {"/part_a/children/0/school": None}))
    )
    response = inbox / "response.pdf"
    response.write_bytes(form_pdf(example("provider-response")))
    note = inbox / "email.pdf"
    note.write_bytes(text_named_pdf())
    return {"inbox": inbox, "root": root, "good": good, "bad": bad, "note": note, "response": response}


def test_process_prints_verdicts_and_summary_paths(files: dict[str, Path]) -> None:
    out = files["root"] / "out"
    result = runner.invoke(app, ["process", str(files["inbox"]), "-o", str(out), "--jobs", "2", *TODAY])
    assert result.exit_code == 0, result.output
    text = result.stdout
    for column in ("file", "kind", "status", "reference", "errors", "warnings"):
        assert column in text
    lines = {line.split("│")[1].strip(): line for line in text.splitlines() if line.count("│") > 5}
    assert "accepted" in lines["good-referral.pdf"] and "BRK-2026-0002" in lines["good-referral.pdf"]
    assert "returned" in lines["bad-referral.pdf"] and "BRK-2026-0001" in lines["bad-referral.pdf"]
    assert "rejected" in lines["email.pdf"]
    assert "returned" in lines["response.pdf"]  # BRK-2026-0001 was returned, never sent to providers
    assert "2 returned" in text and "1 rejected" in text
    assert "rejected: 'email.pdf' is not a PDF file." in " ".join(text.split())
    assert f"Summary: {out / 'summary.json'}" in text
    assert (out / "summary.json").is_file()
    status = runner.invoke(app, ["status", "-o", str(out)])
    assert status.exit_code == 0, status.output
    assert "BRK-2026-0001" in status.stdout and "BRK-2026-0002" in status.stdout
    as_json = json.loads(runner.invoke(app, ["status", "--ledger", str(out / "ledger.sqlite3"), "--json"]).stdout)
    assert [(c["reference"], c["status"]) for c in as_json] == [
        ("BRK-2026-0001", "returned"),
        ("BRK-2026-0002", "accepted"),
    ]


def test_process_missing_inbox_is_exit_3(tmp_path: Path) -> None:
    result = runner.invoke(app, ["process", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 3
    assert "does not exist" in result.stderr


def test_process_unwritable_output_is_exit_5(files: dict[str, Path], tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = runner.invoke(app, ["process", str(files["inbox"]), "-o", str(blocker / "out")])
    assert result.exit_code == 5
    assert "cannot be written" in result.stderr


def test_process_bad_today_is_exit_2(files: dict[str, Path], tmp_path: Path) -> None:
    result = runner.invoke(app, ["process", str(files["inbox"]), "-o", str(tmp_path), "--today", "1/3/2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_validate_valid_form(files: dict[str, Path]) -> None:
    result = runner.invoke(app, ["validate", str(files["good"]), *TODAY])
    assert result.exit_code == 0, result.output
    assert "good-referral.pdf: referral, 0 error(s)" in result.stdout


def test_validate_form_with_errors_is_exit_1_with_pages(files: dict[str, Path]) -> None:
    result = runner.invoke(app, ["validate", str(files["bad"]), "--json", *TODAY])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["kind"] == "referral" and payload["valid"] is False
    school = [p for p in payload["problems"] if p["pointer"] == "/part_a/children/0/school"]
    assert school and school[0]["severity"] == "error" and school[0]["page"] >= 1


def test_validate_not_a_pdf_is_exit_3_with_a_sentence(files: dict[str, Path]) -> None:
    result = runner.invoke(app, ["validate", str(files["note"])])
    assert result.exit_code == 3
    assert "'email.pdf' is not a PDF file" in result.stderr


def test_extract_prints_the_coerced_instance(files: dict[str, Path]) -> None:
    result = runner.invoke(app, ["extract", str(files["good"])])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == example("referral-summer-scheme")


def test_status_without_a_ledger(tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", "-o", str(tmp_path)])
    assert result.exit_code == 3
    assert "no case ledger" in result.stderr


def test_file_names_with_markup_are_printed_as_typed(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "[bold]draft[red].pdf").write_bytes(text_named_pdf())
    result = runner.invoke(app, ["process", str(inbox), "-o", str(tmp_path / "out"), "--jobs", "1", *TODAY])
    assert result.exit_code == 0, result.output
    assert "[bold]draft[red].pdf" in result.stdout
