"""``brokerage demo``: the bundled samples become an inbox, the batch gives the expected verdicts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brokerage.cli import app
from brokerage.errors import DataFileError
from brokerage.processor.demo import SAMPLES, expected_statuses, sample_instance
from brokerage.processor.outputs.forms import kind_of
from brokerage.schema import load_schema

runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("demo")
    result = runner.invoke(app, ["demo", str(folder), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return folder, result.output


def test_every_file_gets_the_expected_verdict(demo: tuple[Path, str]) -> None:
    folder, _ = demo
    summary = json.loads((folder / "processed" / "summary.json").read_text(encoding="utf-8"))
    assert {f["source"]: f["status"] for f in summary["files"]} == {k: v.value for k, v in expected_statuses().items()}


def test_the_table_and_summary_paths_are_printed(demo: tuple[Path, str]) -> None:
    folder, output = demo
    for name in expected_statuses():
        assert name in output
    assert "7 accepted, 4 returned, 2 rejected, 1 duplicate." in output
    for name in ("summary.csv", "summary.html", "summary.json", "summary.xlsx"):
        assert f"Summary: {folder / 'processed' / name}" in output


def test_the_forms_inbox_and_outputs_are_there(demo: tuple[Path, str]) -> None:
    folder, _ = demo
    assert {p.name for p in (folder / "forms").glob("*.pdf")} >= {"referral.pdf", "provider-response.pdf", "ipa.pdf"}
    assert len(list((folder / "inbox").iterdir())) == len(expected_statuses())
    case = folder / "processed" / "cases" / "BRK-2026-0001"
    assert {p.name for p in case.iterdir()} == {
        "annex-1.json", "annex-1.pdf", "anonymised-referral.json", "anonymised-referral.pdf", "part-a.pdf",
        "part-b-prefilled.pdf", "referral.json", "responses", "ipa.json", "ipa.pdf", "received",
    }
    assert (case / "responses" / "1-response.json").is_file()
    letters = sorted(p.relative_to(folder / "processed").as_posix() for p in (folder / "processed").rglob("*-letter.*"))
    assert len(letters) == 8, letters


def test_letter_for_the_referral_with_mistakes_lists_them_in_page_order(demo: tuple[Path, str]) -> None:
    folder, _ = demo
    summary = json.loads((folder / "processed" / "summary.json").read_text(encoding="utf-8"))
    entry = next(f for f in summary["files"] if f["source"] == "04-referral-with-mistakes.pdf")
    pages = [p["page"] for p in entry["problems"]]
    assert pages == sorted(pages) and len(pages) >= 4
    (html_path,) = [o for o in entry["outputs"] if o.endswith(".html")]
    html = (folder / "processed" / html_path).read_text(encoding="utf-8")
    assert "Dear Priya Sharma," in html
    positions = [html.index(p["message"].replace("'", "&#39;")) for p in entry["problems"]]
    assert positions == sorted(positions)


def test_the_flattened_referral_is_accepted_with_one_warning_naming_it(demo: tuple[Path, str]) -> None:
    """The demo's flattened return (flattened with our own code, no fields left) is read by the form's boxes,
    accepted with the one warning saying so, and files exactly the data of the sample it was filled from."""
    folder, _ = demo
    (sample,) = [s for s in SAMPLES if s.flattened]
    inbox_file = folder / "inbox" / f"{sample.name}.pdf"
    from pypdf import PdfReader

    assert not PdfReader(str(inbox_file)).get_fields()  # really flattened: no field left
    summary = json.loads((folder / "processed" / "summary.json").read_text(encoding="utf-8"))
    entry = next(f for f in summary["files"] if f["source"] == inbox_file.name)
    assert entry["status"] == "accepted" and not [p for p in entry["problems"] if p["severity"] == "error"]
    copies = [p for p in entry["problems"] if p["rule"] == "file:flattened-copy"]
    assert len(copies) == 1 and copies[0]["severity"] == "warning"
    assert copies[0]["message"].startswith(
        f"'{inbox_file.name}' is a flattened copy of the Brokerage referral (Part A and Annex 1), form version 1.0"
    )
    assert "every box was read" in copies[0]["message"]
    filed = folder / "processed" / "cases" / entry["reference"] / "referral.json"
    assert json.loads(filed.read_text(encoding="utf-8")) == sample_instance(sample.name)


def test_the_typed_formula_and_script_never_run(demo: tuple[Path, str]) -> None:
    folder, _ = demo
    processed = folder / "processed"
    for path in processed.rglob("*.html"):
        assert "<script>" not in path.read_text(encoding="utf-8"), path
    for row in csv.reader((processed / "summary.csv").read_text(encoding="utf-8-sig").splitlines()):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row


def test_samples_are_valid_json_for_the_schema_shape() -> None:
    parts = set(load_schema()["properties"])
    for sample in SAMPLES:
        assert set(sample_instance(sample.name)) <= parts, sample.name


def test_each_sample_fills_the_form_that_holds_its_parts() -> None:
    kinds = [kind_of(sample_instance(sample.name)) for sample in SAMPLES]
    assert kinds == ["referral"] * 5 + ["provider-response"] * 2 + ["ipa", "referral", "referral"]
    assert kind_of({"annex_1": {}}) == "referral"
    with pytest.raises(DataFileError, match="none of the form's parts"):
        kind_of({"notes": "no part at all"})


def test_rerun_into_the_same_folder_gives_the_same_outputs(demo: tuple[Path, str], tmp_path: Path) -> None:
    folder, _ = demo
    processed = folder / "processed"
    before = {p: p.read_bytes() for p in sorted(processed.rglob("*")) if p.is_file() and "ledger" not in p.name}
    result = runner.invoke(app, ["demo", str(folder), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    after = {p: p.read_bytes() for p in sorted(processed.rglob("*")) if p.is_file() and "ledger" not in p.name}
    paths = before.keys() | after.keys()
    changed = sorted(str(p.relative_to(processed)) for p in paths if before.get(p) != after.get(p))
    summary = (processed / "summary.json").read_text(encoding="utf-8")
    assert changed == [], f"changed on re-run: {changed}\n{result.output}\n{summary[:3000]}"


def test_demo_into_a_file_is_refused_with_a_sentence(tmp_path: Path) -> None:
    target = tmp_path / "not-a-folder"
    target.write_text("x")
    result = runner.invoke(app, ["demo", str(target)])
    assert result.exit_code == 2
    assert "is a file" in result.output


def test_the_blank_referral_is_returned_with_every_box_named(demo: tuple[Path, str]) -> None:
    """Issue 13, items 1 and 2, in the demo: a blank form is never accepted; its letter names each box once."""
    folder, _ = demo
    summary = json.loads((folder / "processed" / "summary.json").read_text(encoding="utf-8"))
    entry = next(f for f in summary["files"] if f["source"] == "13-blank-referral.pdf")
    assert entry["status"] == "returned"
    pointers = [p["pointer"] for p in entry["problems"] if p["severity"] == "error"]
    assert len(pointers) == len(set(pointers)) > 30
    assert all(p["page"] for p in entry["problems"])
    assert not any("is missing" in p["message"] for p in entry["problems"])


def test_the_resubmission_continues_its_case(demo: tuple[Path, str]) -> None:
    """Issue 13, item 5, in the demo: the corrected urgent referral is accepted under the first one's reference."""
    folder, _ = demo
    summary = {f["source"]: f for f in json.loads(
        (folder / "processed" / "summary.json").read_text(encoding="utf-8"))["files"]}
    first, again = summary["05-referral-urgent-no-reason.pdf"], summary["12-referral-resubmitted.pdf"]
    assert (first["status"], first["reference"]) == ("returned", "BRK-2026-0005")
    assert (again["status"], again["reference"]) == ("accepted", "BRK-2026-0005")
    assert (folder / "processed" / "cases" / "BRK-2026-0005" / "part-b-prefilled.pdf").is_file()
    status = runner.invoke(app, ["status", "-o", str(folder / "processed"), "--json"])
    cases = {case["reference"]: case["status"] for case in json.loads(status.stdout)}
    # no case beyond those the run's files were given (the flattened referral, 14, is BRK-2026-0007)
    assert cases["BRK-2026-0005"] == "accepted"
    assert set(cases) == {f["reference"] for f in summary.values() if f["kind"] == "referral" and f["reference"]}
