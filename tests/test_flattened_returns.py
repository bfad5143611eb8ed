"""Flattened, printed and scanned returns through ``brokerage process``, ``validate`` and ``extract``.

One inbox, built here with real engines (see ``tests/data/README.md``, "made at test time"):

- ``01-pdftk-flattened.pdf``: two children, filled by ``pdftk fill_form``, then ``pdftk … flatten``: accepted,
  one warning;
- ``02-pdfium-qpdf.pdf``: summer scheme, filled through PDFium, ``qpdf --flatten-annotations=all``: accepted,
  one warning;
- ``03-ours-mutool.pdf``: home care, filled by our filler, ``mutool convert`` (no marker left): accepted, one
  warning;
- ``04-name-unreadable.pdf``: a qpdf copy with text running out of the worker's name box: returned, the
  letter asks for the fillable form;
- ``05-email-unreadable.pdf``: a qpdf copy with text running out of an optional box: accepted, the box named
  in a warning;
- ``06-scan-150.pdf``: a qpdf copy rendered at 150 dpi and rebuilt from the pictures: returned, the letter
  asks for the fillable form;
- ``07-foreign-flattened.pdf``: another organisation's form flattened by qpdf, ``08-letter.pdf``: a PDF letter
  with no fields: rejected, a sentence each;
- ``09-filled-pages-only.pdf``: a one-child home-care referral, flattened by qpdf, with only the pages the
  worker filled in (no other children's pages, no Annex 1), put together again by pypdf (no marker left):
  accepted, the missing pages named in one note;
- ``10-smudged-tick.pdf``: a home-care referral, flattened by qpdf, its "Domiciliary care required" tick rubbed
  out leaving a smudge: returned (a tick box not read is never taken as unticked).
"""

from __future__ import annotations

import copy
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from engines import fill_with_pdfium, fill_with_pdftk, require_pdfium, require_tool
from flattened_support import FONT, as_scan, flatten, overlay, typed_values
from pipeline_inputs import example, foreign_form_pdf
from typer.testing import CliRunner

from brokerage.cli import app
from brokerage.processor.batch import BatchOptions, run_batch
from brokerage.processor.flattened.box_map import form_map
from brokerage.processor.pipeline import Settings
from brokerage.processor.results import FileResult, Status

TODAY = date(2026, 2, 2)
REFERRAL = "Brokerage referral (Part A and Annex 1)"
runner = CliRunner()

EXPECTED = {
    "01-pdftk-flattened.pdf": Status.accepted,
    "02-pdfium-qpdf.pdf": Status.accepted,
    "03-ours-mutool.pdf": Status.accepted,
    "04-name-unreadable.pdf": Status.returned,
    "05-email-unreadable.pdf": Status.accepted,
    "06-scan-150.pdf": Status.returned,
    "07-foreign-flattened.pdf": Status.rejected,
    "08-letter.pdf": Status.rejected,
    "09-filled-pages-only.pdf": Status.accepted,
    "10-smudged-tick.pdf": Status.returned,
}
TICK = "part_a__services__domiciliary_care__required"
PAGES_ONLY = ("Jamie Black", "7000900")
"""The family name and first Mosaic ID of the referral in ``09-filled-pages-only.pdf``."""
FILED = {
    "01-pdftk-flattened.pdf": "referral-two-children",
    "02-pdfium-qpdf.pdf": "referral-summer-scheme",
    "03-ours-mutool.pdf": "referral-domiciliary-only",
}


def renamed_child(instance: dict[str, Any], family: str, mosaic_id: str) -> dict[str, Any]:
    """The same referral for other children (so two copies of one example are not the same form): child n is
    called ``family`` with its number, with Mosaic ID ``mosaic_id`` + n, in Part A and Annex 1 alike."""
    out = copy.deepcopy(instance)
    for part in ("part_a", "annex_1"):
        for index, child in enumerate(out.get(part, {}).get("children", [])):
            child["name"], child["mosaic_id"] = f"{family} {index + 1}", str(int(mosaic_id) + index)
    return out


def box_rect(name: str) -> tuple[float, float, float, float]:
    return next(b.rect for b in form_map("referral").boxes() if b.name == name)


def run_out_of(name: str) -> Any:
    """A drawing that types text from inside the box ``name`` past its right edge."""
    _, y0, x1, _ = box_rect(name)

    def draw(canvas: Any) -> None:
        canvas.setFont("Helvetica", 9)
        canvas.drawString(x1 - 25, y0 + 5, "and more besides")

    return draw


def letter_pdf(folder: Path) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    path = folder / "letter.pdf"
    canvas = Canvas(str(path), invariant=1)
    for line in range(30):
        canvas.drawString(72, 800 - line * 18, f"Dear colleague, line {line} of a letter about a referral.")
    canvas.save()
    return path


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_pdfium()
    for tool in ("pdftk", "qpdf", "mutool", "pdftoppm"):
        require_tool(tool)
    from brokerage.generator import build_form, fill_pdf
    from brokerage.schema import default_catalogue

    work = tmp_path_factory.mktemp("flattened-work")
    folder = tmp_path_factory.mktemp("flattened-inbox")
    blank = work / "referral.pdf"
    blank.write_bytes(build_form(default_catalogue().form("referral")))

    fill_with_pdftk(blank, typed_values(example("referral-two-children")), work / "01.pdf", replacement_font=FONT)
    flatten("pdftk", work / "01.pdf", folder / "01-pdftk-flattened.pdf")
    fill_with_pdfium(blank, typed_values(example("referral-summer-scheme")), work / "02.pdf")
    flatten("qpdf", work / "02.pdf", folder / "02-pdfium-qpdf.pdf")
    (work / "03.pdf").write_bytes(fill_pdf(blank.read_bytes(), example("referral-domiciliary-only")))
    flatten("mutool", work / "03.pdf", folder / "03-ours-mutool.pdf")

    for number, name, mosaic in (("04", "Casey Brown", "7000400"), ("05", "Robin Green", "7000500"),
                                 ("06", "Alex White", "7000600")):
        other = renamed_child(example("referral-two-children"), name, mosaic)
        (work / f"{number}.pdf").write_bytes(fill_pdf(blank.read_bytes(), other))
        flatten("qpdf", work / f"{number}.pdf", work / f"{number}-flat.pdf")
    worker = "part_a__allocated_worker__name"
    overlay(work / "04-flat.pdf", folder / "04-name-unreadable.pdf", 0, run_out_of(worker))
    email = "part_a__children__0__principal_contact__email"
    email_page = next(b.page for b in form_map("referral").boxes() if b.name == email)
    overlay(work / "05-flat.pdf", folder / "05-email-unreadable.pdf", email_page, run_out_of(email))
    as_scan(work / "06-flat.pdf", 150, folder / "06-scan-150.pdf")

    (work / "foreign.pdf").write_bytes(foreign_form_pdf())
    flatten("qpdf", work / "foreign.pdf", folder / "07-foreign-flattened.pdf")
    shutil.copyfile(letter_pdf(work), folder / "08-letter.pdf")

    from pypdf import PdfReader, PdfWriter

    one_child = renamed_child(example("referral-domiciliary-only"), *PAGES_ONLY)
    (work / "09.pdf").write_bytes(fill_pdf(blank.read_bytes(), one_child))
    flatten("qpdf", work / "09.pdf", work / "09-flat.pdf")
    filled_pages = [page.index for page in form_map("referral").pages if page.part == "part_a" and not any(
        "__children__1__" in box.name or "__children__2__" in box.name for box in page.boxes)]
    pages_only = PdfWriter()
    pages_only.append(PdfReader(str(work / "09-flat.pdf")), pages=filled_pages)
    pages_only.write(str(folder / "09-filled-pages-only.pdf"))

    smudged = renamed_child(example("referral-domiciliary-only"), "Morgan Grey", "7001000")
    (work / "10.pdf").write_bytes(fill_pdf(blank.read_bytes(), smudged))
    flatten("qpdf", work / "10.pdf", work / "10-flat.pdf")
    tick = next(b for b in form_map("referral").boxes() if b.name == TICK)

    def rub_out(canvas: Any) -> None:
        x0, y0, x1, y1 = tick.rect
        canvas.setFillGray(1)
        canvas.rect(x0 + 1, y0 + 1, x1 - x0 - 2, y1 - y0 - 2, fill=1, stroke=0)
        canvas.setFillGray(0)
        canvas.rect((x0 + x1) / 2 - 1.5, (y0 + y1) / 2 - 0.6, 3, 1.2, fill=1, stroke=0)

    overlay(work / "10-flat.pdf", folder / "10-smudged-tick.pdf", tick.page, rub_out)
    for leftover in folder.glob("*.png"):
        leftover.unlink()
    return folder


@pytest.fixture(scope="module")
def processed(inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, FileResult]]:
    out = tmp_path_factory.mktemp("flattened-out")
    report = run_batch(inbox, out, Settings(today=TODAY), BatchOptions(jobs=2))
    return out, {r.source: r for r in report.results}


def test_every_copy_gets_the_expected_verdict(processed: tuple[Path, dict[str, FileResult]]) -> None:
    _, results = processed
    assert {source: r.status for source, r in results.items()} == EXPECTED


@pytest.mark.parametrize("source", sorted(FILED))
def test_flattened_copies_are_accepted_with_one_warning_and_the_exact_data_filed(
    source: str, processed: tuple[Path, dict[str, FileResult]]
) -> None:
    out, results = processed
    result = results[source]
    assert result.status is Status.accepted and not result.errors
    copies = [p for p in result.problems if p.rule == "file:flattened-copy"]
    assert len(copies) == 1 and not copies[0].is_error
    assert copies[0].message.startswith(f"'{source}' is a flattened copy of the {REFERRAL}, form version 1.0:")
    assert "every box was read" in copies[0].message
    assert not [p for p in result.problems if p.rule.startswith("flattened:")]
    filed = json.loads((out / "cases" / str(result.reference) / "referral.json").read_text(encoding="utf-8"))
    assert filed == example(FILED[source])


def test_a_required_box_unreadable_returns_the_copy_with_a_letter_asking_for_the_fillable_form(
    processed: tuple[Path, dict[str, FileResult]],
) -> None:
    out, results = processed
    result = results["04-name-unreadable.pdf"]
    # the text runs out of the name box towards the telephone box beside it: neither is taken as read
    unreadable = {p.pointer: p for p in result.problems if p.rule == "flattened:unreadable"}
    assert set(unreadable) == {"/part_a/allocated_worker/name", "/part_a/allocated_worker/telephone"}
    unread = unreadable["/part_a/allocated_worker/name"]
    assert unread.is_error and unread.page == 1
    assert unread.message.startswith("Section 1 – Allocated worker details, page 1: 'Allocated worker's name' could "
                                     "not be read on the flattened copy (text runs past the edge of the box): please "
                                     "check it.")
    assert "The form needs this box: please send the fillable form itself" in unread.message
    # the box is not reported as blank as well: it is not blank, it could not be read
    assert not [p for p in result.problems if p.pointer == unread.pointer and p is not unread]
    (html,) = [o for o in result.outputs if o.endswith(".html")]
    letter = (out / html).read_text(encoding="utf-8")
    assert f"We received a flattened copy of the referral, form version 1.0 (&#39;{result.source}&#39;)" in letter
    assert "2 boxes the form needs could not be read on it" in letter
    assert "Please send the fillable referral itself" in letter
    assert "Allocated worker&#39;s name" in letter and "Allocated worker&#39;s telephone" in letter


def test_an_optional_box_unreadable_is_named_but_the_copy_is_accepted(
    processed: tuple[Path, dict[str, FileResult]],
) -> None:
    out, results = processed
    result = results["05-email-unreadable.pdf"]
    assert result.status is Status.accepted
    (unread,) = [p for p in result.problems if p.rule == "flattened:unreadable"]
    assert not unread.is_error and unread.pointer == "/part_a/children/0/principal_contact/email"
    assert unread.message.endswith("please check it: nothing was taken from this box.")
    copy_warning = next(p for p in result.problems if p.rule == "file:flattened-copy")
    assert "1 box could not be read (listed)" in copy_warning.message
    filed = json.loads((out / "cases" / str(result.reference) / "referral.json").read_text(encoding="utf-8"))
    assert "email" not in filed["part_a"]["children"][0]["principal_contact"]  # never guessed, never blank-filled
    assert filed["part_a"]["children"][0]["name"] == "Robin Green 1"


def test_a_scan_is_returned_with_a_letter_naming_the_form_and_asking_for_the_fillable_one(
    processed: tuple[Path, dict[str, FileResult]],
) -> None:
    out, results = processed
    result = results["06-scan-150.pdf"]
    assert result.kind == "referral" and result.status is Status.returned
    (scan,) = [p for p in result.problems if p.rule == "file:scanned-copy"]
    assert scan.message.startswith(f"'06-scan-150.pdf' is a scan of the {REFERRAL}, form version 1.0:")
    unread = [p for p in result.problems if p.rule == "flattened:unreadable"]
    assert unread and all("could not be read on the scanned copy" in p.message for p in unread)
    assert any(p.is_error and p.pointer == "/part_a/children/0/name" for p in unread)
    # ticks and radio choices are read from the picture: the urgent question's answer is filed, not asked for
    assert (result.data or {})["part_a"]["referral"]["urgent"] == "No"
    (html,) = [o for o in result.outputs if o.endswith(".html")]
    letter = (out / html).read_text(encoding="utf-8")
    assert "We received a scan of the referral, form version 1.0" in letter
    assert "Please send the fillable referral itself" in letter
    assert "Dear colleague," in letter  # the sender's name is typed text: not read without OCR


def test_a_copy_of_only_the_pages_filled_in_is_accepted_with_the_missing_pages_named(
    processed: tuple[Path, dict[str, FileResult]],
) -> None:
    out, results = processed
    result = results["09-filled-pages-only.pdf"]
    assert result.status is Status.accepted
    assert not [p for p in result.problems if p.rule == "flattened:unreadable"]
    (note,) = [p for p in result.problems if p.rule == "flattened:note"]
    assert note.message == (
        f"Pages 5, 6, 7, 8, 9, 10, 15, 16 and 17 of the {REFERRAL} form are not in '09-filled-pages-only.pdf', so "
        "nothing on them was read; a box there that the form needs is listed."
    )
    copy_warning = next(p for p in result.problems if p.rule == "file:flattened-copy")
    assert "every box was read" in copy_warning.message
    filed = json.loads((out / "cases" / str(result.reference) / "referral.json").read_text(encoding="utf-8"))
    assert filed == renamed_child(example("referral-domiciliary-only"), *PAGES_ONLY)


def test_a_smudged_tick_is_never_taken_as_unticked(processed: tuple[Path, dict[str, FileResult]]) -> None:
    _, results = processed
    result = results["10-smudged-tick.pdf"]
    (unread,) = [p for p in result.problems if p.rule == "flattened:unreadable"]
    assert unread.is_error and unread.pointer == "/part_a/services/domiciliary_care/required"
    assert "neither clearly ticked nor clearly empty" in unread.message
    assert "domiciliary_care" not in (result.data or {})["part_a"]["services"] or "required" not in (
        result.data or {})["part_a"]["services"]["domiciliary_care"]


@pytest.mark.parametrize(("source", "words"), [
    ("07-foreign-flattened.pdf", "has no form fields, and none of its pages is a page of a brokerage form"),
    ("08-letter.pdf", "has no form fields, and none of its pages is a page of a brokerage form"),
])
def test_files_that_are_not_our_forms_are_rejected_with_a_sentence(
    source: str, words: str, processed: tuple[Path, dict[str, FileResult]]
) -> None:
    _, results = processed
    result = results[source]
    assert result.status is Status.rejected and result.kind is None
    (problem,) = result.problems
    assert problem.rule == "file:flattened" and problem.message.startswith(f"'{source}' {words}")
    assert problem.message.endswith("Ask the sender to fill in the brokerage form itself and return that file.")


def test_validate_says_what_process_said_about_every_file(
    inbox: Path, processed: tuple[Path, dict[str, FileResult]]
) -> None:
    _, results = processed
    for source, result in results.items():
        outcome = runner.invoke(app, ["validate", str(inbox / source), "--json", "--today", TODAY.isoformat()])
        if result.status is Status.rejected:
            assert outcome.exit_code == 4, (source, outcome.output)
            assert result.problems[0].message in " ".join(outcome.output.split()), source
            continue
        assert outcome.exit_code == (1 if result.errors else 0), (source, outcome.output)
        shown = json.loads(outcome.output)["problems"]
        assert shown == [p.as_dict() for p in result.problems], source


def test_extract_json_says_where_each_value_came_from_and_how_sure(inbox: Path) -> None:
    outcome = runner.invoke(app, ["extract", str(inbox / "02-pdfium-qpdf.pdf"), "--json"])
    assert outcome.exit_code == 0, outcome.output
    payload = json.loads(outcome.stdout)
    assert payload["read_from"] == f"a flattened copy of the {REFERRAL}, form version 1.0"
    assert payload["data"] == example("referral-summer-scheme")
    boxes = {box["pointer"]: box for box in payload["boxes"]}
    name = boxes["/part_a/children/0/name"]
    assert name["source"] == "flattened text" and name["confidence"] >= 0.8 and name["value"] == name["read"]
    urgent = boxes["/part_a/referral/urgent"]
    assert urgent["source"] == "drawn mark" and urgent["value"] == "No" and urgent["confidence"] >= 0.8
    assert {box["source"] for box in payload["boxes"]} == {"flattened text", "drawn mark"}

    scan = json.loads(runner.invoke(app, ["extract", str(inbox / "06-scan-150.pdf"), "--json"]).stdout)
    unread = scan["boxes"][[b["pointer"] for b in scan["boxes"]].index("/part_a/children/0/name")]
    assert unread["confidence"] < 0.8 and unread["value"] is None and "without OCR" in unread["note"]


def test_extract_json_of_a_fillable_form_says_every_value_is_the_field(tmp_path: Path) -> None:
    from brokerage.generator import build_form, fill_pdf
    from brokerage.schema import default_catalogue

    path = tmp_path / "filled.pdf"
    path.write_bytes(fill_pdf(build_form(default_catalogue().form("referral")), example("referral-summer-scheme")))
    outcome = runner.invoke(app, ["extract", str(path), "--json"])
    payload = json.loads(outcome.stdout)
    assert payload["read_from"] == "the fillable form's fields"
    assert {(b["source"], b["confidence"]) for b in payload["boxes"]} == {("field", 1.0)}
    assert payload["data"] == example("referral-summer-scheme")


def test_running_the_batch_again_gives_the_same_verdicts_and_outputs(
    inbox: Path, processed: tuple[Path, dict[str, FileResult]], tmp_path: Path
) -> None:
    out, results = processed
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and "ledger" not in p.name}
    again = run_batch(inbox, out, Settings(today=TODAY), BatchOptions(jobs=1))
    assert {r.source: (r.status, r.reference, r.problems) for r in again.results} == {
        s: (r.status, r.reference, r.problems) for s, r in results.items()
    }
    after = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and "ledger" not in p.name}
    assert after == before
    fresh = run_batch(inbox, tmp_path / "fresh", Settings(today=TODAY), BatchOptions(jobs=1))
    assert {r.source: (r.status, r.problems) for r in fresh.results} == {
        s: (r.status, r.problems) for s, r in results.items()
    }


def test_ocr_asked_for_without_an_ocr_engine_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, inbox: Path) -> None:
    from brokerage.processor.flattened import ocr

    monkeypatch.setattr(ocr, "available", lambda: False)
    outcome = runner.invoke(app, ["validate", str(inbox / "06-scan-150.pdf"), "--ocr"])
    assert outcome.exit_code == 2
    assert "OCR needs tesseract and pytesseract" in " ".join(outcome.output.split())
