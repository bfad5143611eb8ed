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
