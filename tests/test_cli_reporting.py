"""Library errors reach the person as one sentence and an exit code, whatever the file is called."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from brokerage.cli import app
from brokerage.errors import ExitCode


def test_error_sentence_names_the_file_even_with_markup_like_characters(tmp_path: Path) -> None:
    odd = tmp_path / "[red]referral[bold].pdf"
    odd.write_text("From: social.worker@example.org\nSubject: referral\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["fields", str(odd)])
    assert result.exit_code == ExitCode.input_file
    text = " ".join(result.output.split())
    assert "[red]referral[bold].pdf" in text
    assert "is not a PDF file" in text
    assert "Traceback" not in result.output


def test_a_fault_in_any_command_is_one_sentence_and_exit_15(tmp_path: Path, monkeypatch) -> None:
    import tempfile

    from brokerage.cli import schema_cmd

    def broken(catalogue=None):  # a bug deep in the toolkit, as a command meets it
        raise KeyError("/part_z/oops")

    monkeypatch.setattr(schema_cmd, "catalogue_rows", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = CliRunner().invoke(app, ["schema", "--json"])
    assert result.exit_code == ExitCode.internal == 15
    text = " ".join(result.stderr.split())
    assert "'brokerage schema' stopped because of a fault in the toolkit (KeyError)" in text
    assert "please report it" in text
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert result.stdout == ""
    (details,) = tmp_path.glob("brokerage-schema-fault-*.txt")
    assert str(details) in text
    assert "Traceback" in details.read_text(encoding="utf-8") and "/part_z/oops" in details.read_text(encoding="utf-8")
    assert details.stat().st_mode & 0o077 == 0  # the traceback may quote a form's values: private to the user


def test_a_fault_is_still_reported_when_no_details_can_be_written(monkeypatch) -> None:
    from brokerage.cli import reporting, schema_cmd

    monkeypatch.setattr(schema_cmd, "catalogue_rows", lambda catalogue=None: 1 / 0)
    monkeypatch.setattr(reporting, "write_fault_details", lambda command, error: None)
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == ExitCode.internal
    assert "(ZeroDivisionError)" in result.stderr and "no details could be written" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_command_is_guarded_and_usage_errors_keep_their_exit_code() -> None:
    from brokerage.cli import COMMANDS

    registered = {info.name: info.callback for info in app.registered_commands}
    assert set(registered) == set(COMMANDS)
    assert all(getattr(callback, "guarded", False) for callback in registered.values())
    result = CliRunner().invoke(app, ["process", "inbox", "-o", "out", "--today", "yesterday"])
    assert result.exit_code == ExitCode.bad_arguments  # a bad option is the command line's, not a fault
