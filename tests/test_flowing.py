"""The flowing renderer and the full read-only print of a filled referral (issue 17, item 1): long answers
never clipped, every box with its label and value, names in any Latin script, fixed bytes, real readers."""

from __future__ import annotations

import copy
import io
import re
import subprocess
from pathlib import Path

import pytest
from engines import require_pdfium, require_tool
from outputs_support import REFERRALS, example
from pypdf import PdfReader

from brokerage.generator.flowing import DOCUMENT_INFO_KEY, Field, FlowingDocument, Grid, Heading, render_flowing
from brokerage.generator.flowing_schema import format_value, schema_blocks
from brokerage.generator.printout import full_print
from brokerage.schema import BOX_KINDS, default_catalogue, get_at
from brokerage.schema.boxes import DATE, MONEY, NUMBER, TICK

NAME = "Zoë Łukasz-O’Brien Nguyễn"


def long_answer(length: int = 6000) -> str:
    """Sentences that differ all the way through, so a missing line is noticed: numbered, with accents."""
    words, n = [], 0
    while len(" ".join(words)) < length:
        n += 1
        words.append(f"Sentence {n}: {NAME} gets upset when routines change (Ł{n}ễ).")
    return " ".join(words)[:length]


def pdftotext(pdf: bytes, tmp_path: Path, *args: str) -> str:
    tool = require_tool("pdftotext")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, *args, str(path), "-"], capture_output=True, check=True).stdout.decode("utf-8")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body_text(text: str) -> str:
    """The text without the page furniture (the footer and "Page n of m" sit between two pages' text)."""
    text = re.sub(r"Page \d+ of \d+", "", text)
    return re.sub(r"Brokerage referral \(Part A and Annex 1\) BRK-2026-0001 – printed from the checked data – "
                  r"form version [0-9.]+", "", text)


@pytest.fixture(scope="module")
def long_referral() -> dict:
    data = copy.deepcopy(example("referral-two-children"))
    data["part_a"]["children"][0]["behaviours_that_challenge"] = long_answer()
    notes = "First line.\n\nThird line, after a blank one.\n" + "x" * 700  # one long word: split at the margin
    data["part_a"]["services"]["short_break"]["additional_notes"] = notes
    return data


@pytest.fixture(scope="module")
def long_pdf(long_referral: dict) -> bytes:
    return full_print(long_referral, "referral", "BRK-2026-0001")


def test_a_6000_character_box_prints_every_character(long_pdf: bytes, long_referral: dict, tmp_path: Path) -> None:
    answer = long_referral["part_a"]["children"][0]["behaviours_that_challenge"]
    assert len(answer) == 6000
    text = body_text(pdftotext(long_pdf, tmp_path))
    assert squeeze(answer) in squeeze(text)
    assert "x" * 700 in squeeze(text)
    assert len(PdfReader(io.BytesIO(long_pdf)).pages) >= 4  # it flowed over pages instead of shrinking


def test_pdfium_reads_the_same_text(long_pdf: bytes, long_referral: dict) -> None:
    pdfium = require_pdfium()
    pdf = pdfium.PdfDocument(long_pdf)
    try:
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
    assert squeeze(long_referral["part_a"]["children"][0]["behaviours_that_challenge"]) in squeeze(body_text(text))
    assert NAME in text


def test_every_filled_box_is_printed_with_its_label(tmp_path: Path) -> None:
    for name in REFERRALS:
        data = example(name)
        text = squeeze(pdftotext(full_print(data, "referral", "BRK-2026-0001"), tmp_path))
        for leaf in default_catalogue().form("referral").leaves():
            for pointer in leaf.concrete():
                value = get_at(data, pointer)
                if value is None:
                    continue
                label = leaf.trail[-1] if leaf.pointer.endswith("/*") else leaf.title  # a list: its title
                assert squeeze(label) in text, (name, pointer)
                assert squeeze(format_value(value, leaf.box)) in text, (name, pointer, value)


def test_empty_boxes_and_sections_are_shown_as_empty() -> None:
    blocks = schema_blocks(example("referral-domiciliary-only"), ["part_a"])
    fields = {b.label: b.value for b in blocks if isinstance(b, Field)}
    assert fields["Why is it urgent?"].startswith("Mum is going into hospital")
    assert fields["Equipment and when it is used"] == ""  # printed as "–"
    headings = [b.text for b in blocks if isinstance(b, Heading)]
    assert "Short Break (specialist play and leisure) under Lot 1" in headings  # then "Not completed."
    grids = {b.label: b for b in blocks if isinstance(b, Grid)}
    term = grids["Term time: days, times and hours"]
    assert term.header == ("Day", "From", "To", "Time of day", "Hours")
    assert [row[0] for row in term.rows] == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    assert term.rows[2] == ("Wednesday", "18:30", "20:00", "", "1.5")


def test_children_are_named_on_their_own_headings(long_pdf: bytes, tmp_path: Path) -> None:
    text = pdftotext(long_pdf, tmp_path)
    assert f"Details of the child: 1 of 2 – {NAME}" in text
    assert "Details of the child: 2 of 2 – Tomás Nguyễn" in text
    assert re.search(r"Page 1 of \d+", text)


def test_file_is_read_only_marked_and_described(long_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(long_pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert "/AcroForm" not in root  # nothing to fill in
    info = reader.metadata
    assert info["/Title"] == "Brokerage referral (Part A and Annex 1) BRK-2026-0001"
    assert info[DOCUMENT_INFO_KEY] == "print-referral BRK-2026-0001"
    assert "/CreationDate" not in info and "/ModDate" not in info
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[0].startswith("Brokerage referral")
    titles = str(reader.outline)
    assert "Manager's approval" in titles and f"1 of 2 – {NAME}" in titles


def test_same_data_same_bytes_other_data_other_bytes(long_referral: dict, long_pdf: bytes) -> None:
    assert full_print(long_referral, "referral", "BRK-2026-0001") == long_pdf
    assert full_print(long_referral, "referral", "BRK-2026-0002") != long_pdf


def test_font_is_embedded_and_names_extract_exactly(long_pdf: bytes, tmp_path: Path) -> None:
    (tmp_path / "doc.pdf").write_bytes(long_pdf)
    fonts = subprocess.run([require_tool("pdffonts"), str(tmp_path / "doc.pdf")], capture_output=True, check=True)
    rows = [line for line in fonts.stdout.decode().splitlines()[2:] if line.strip()]
    # one font, the forms' DejaVu Sans subset, embedded (no Helvetica the reader must supply)
    assert len(rows) == 1 and "DejaVuSans" in rows[0] and " yes yes yes " in rows[0], fonts.stdout.decode()
    text = pdftotext(long_pdf, tmp_path)
    assert NAME in text and "Tomás Nguyễn" in text


def test_qpdf_finds_the_file_sound(long_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(long_pdf)
    done = subprocess.run([require_tool("qpdf"), "--check", str(path)], capture_output=True, check=False)
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()


def test_every_page_renders_with_ink(long_pdf: bytes, tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "doc.pdf"
    path.write_bytes(long_pdf)
    subprocess.run([require_tool("pdftoppm"), "-png", "-r", "40", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(io.BytesIO(long_pdf)).pages)
    for page in pages:
        grey = Image.open(page).convert("L")
        dark = sum(grey.histogram()[:128])
        assert dark > 500, page.name  # text on every page, not a blank sheet


def test_text_is_escaped_not_read_as_markup(tmp_path: Path) -> None:
    doc = FlowingDocument("Title <b>bold</b> & co", (Field("Label <i>", "<font size=40>big</font> & <br/> 5 < 6"),))
    text = pdftotext(render_flowing(doc), tmp_path)
    assert "<font size=40>big</font> & <br/> 5 < 6" in text
    assert "Title <b>bold</b> & co" in text


def test_every_leaf_kind_has_a_printed_form() -> None:
    samples = {"string": "text", "number": 1.5, "integer": 2, "boolean": True}
    for box in BOX_KINDS:
        assert format_value(samples[box.value] if box is not DATE else "2026-02-03", box), box.name
    assert format_value("2026-02-03", DATE) == "3 February 2026"
    assert format_value(21.5, MONEY) == "£21.50"
    assert format_value(6.0, NUMBER) == "6"
    assert format_value(False, TICK) == "No"
