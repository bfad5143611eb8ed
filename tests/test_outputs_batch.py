"""Outputs through a real batch run: hostile names and typed payloads come out inert, re-runs are identical."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from outputs_support import example, filled

from brokerage.processor.batch import BatchOptions, run_batch
from brokerage.processor.pipeline import Settings

FORMULA_NAME = '=HYPERLINK("evil.example";"Click").pdf'
HTML_NAME = "<img src=x onerror=alert(1)>.pdf"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("batch")
    inbox = root / "inbox"
    inbox.mkdir()
    (inbox / "good.pdf").write_bytes(filled("referral-summer-scheme"))
    bad = example("referral-domiciliary-only")
    bad["part_a"]["allocated_worker"]["name"] = SCRIPT
    del bad["part_a"]["children"][0]["school"]
    (inbox / "bad.pdf").write_bytes(filled("x", bad))
    (inbox / FORMULA_NAME).write_bytes(b"not a pdf")
    (inbox / HTML_NAME).write_bytes(b"not a pdf either")
    run_batch(inbox, root / "out", Settings(today=date(2026, 2, 3)), BatchOptions(jobs=1))
    return root


def test_formula_file_name_is_inert_in_csv_and_xlsx(run: Path) -> None:
    out = run / "out"
    rows = list(csv.DictReader((out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert "'" + FORMULA_NAME in [row["source"] for row in rows]
    sheet = load_workbook(out / "summary.xlsx")["All files"]
    sources = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'" + FORMULA_NAME in sources
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert FORMULA_NAME in [f["source"] for f in json.loads((out / "summary.json").read_text())["files"]]


def test_html_payloads_are_escaped_everywhere(run: Path) -> None:
    out = run / "out"
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert "<img" not in summary and "&lt;img src=x onerror=alert(1)&gt;.pdf" in summary
    letters = list(out.rglob("*-letter.html"))
    assert letters
    for letter in letters:
        text = letter.read_text(encoding="utf-8")
        assert "<script>" not in text
    assert any("Dear &lt;script&gt;alert(1)&lt;/script&gt;," in p.read_text(encoding="utf-8") for p in letters)


def test_output_names_never_carry_typed_text_or_file_names(run: Path) -> None:
    out = run / "out"
    for path in out.rglob("*"):
        relative = path.relative_to(out).as_posix()
        assert "HYPERLINK" not in relative and "<" not in relative and "good" not in relative, relative


def test_second_run_writes_identical_outputs(run: Path) -> None:
    out = run / "out"
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and "ledger" not in p.name}
    run_batch(run / "inbox", out, Settings(today=date(2026, 2, 3)), BatchOptions(jobs=2))
    after = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and "ledger" not in p.name}
    assert after == before
