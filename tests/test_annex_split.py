"""Annex 1 separated from Part A: only its pages, only its fields, still fillable."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from engines import fill_with_pdfium
from outputs_support import filled
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from brokerage.errors import OutputError
from brokerage.generator.build import part_pages
from brokerage.processor.outputs.annex_split import annex_pages, split_referral
from brokerage.processor.outputs.forms import blank_form, fill_form
from brokerage.processor.pdf_read import read_form


@pytest.fixture(scope="module")
def source() -> bytes:
    return filled("referral-two-children")


@pytest.fixture(scope="module")
def split(source: bytes):  # type: ignore[no-untyped-def]
    return split_referral(source, "seed", "referral 1.0")


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_pages_are_classified_as_the_generator_laid_them_out(source: bytes) -> None:
    reader = PdfReader(io.BytesIO(source))
    layout = part_pages(reader)
    part_a, annex = annex_pages(reader)
    assert [i + 1 for i in part_a] == layout["part_a"]
    assert [i + 1 for i in annex] == layout["annex_1"]


def test_annex_pdf_holds_only_the_annex_pages(source: bytes, split) -> None:  # type: ignore[no-untyped-def]
    layout = part_pages(PdfReader(io.BytesIO(source)))
    annex_texts = _page_texts(split.annex)
    source_texts = _page_texts(source)
    assert annex_texts == [source_texts[n - 1] for n in layout["annex_1"]]
    assert "Annex 1" in annex_texts[0]
    assert not any("Part A – Referral" in text and "About this referral" in text for text in annex_texts)


def test_annex_pdf_carries_the_childrens_details_and_dates(split) -> None:  # type: ignore[no-untyped-def]
    form = read_form(split.annex)
    assert {name.split("__")[0] for name in form.fields} == {"annex_1"}
    assert form.value("annex_1__children__0__name") == "Zoë Łukasz-O’Brien Nguyễn"
    assert form.value("annex_1__children__0__date_of_birth") == "14/06/2015"
    assert form.value("annex_1__children__0__mosaic_id") == "1234567"
    assert form.value("annex_1__children__1__name") == "Tomás Nguyễn"
    assert form.value("annex_1__children__1__dates__1__preference") == "Not required"
    assert form.value("annex_1__parents_informed") is True


def test_annex_pdf_has_every_annex_field_of_the_blank_form(split) -> None:  # type: ignore[no-untyped-def]
    blank = read_form(blank_form("referral"))
    expected = {name for name in blank.fields if name.startswith("annex_1__")}
    assert set(read_form(split.annex).fields) == expected


def test_annex_pdf_is_still_fillable(split) -> None:  # type: ignore[no-untyped-def]
    new_date = {"date": "2026-08-10", "preference": "Preferred"}
    again = fill_form(split.annex, {"annex_1": {"children": [{"dates": [new_date]}]}})
    form = read_form(again)
    assert form.value("annex_1__children__0__dates__0__date") == "10/08/2026"
    assert form.value("annex_1__children__0__name") == "Zoë Łukasz-O’Brien Nguyễn"
    reader = PdfReader(io.BytesIO(again))
    assert "/AcroForm" in reader.trailer["/Root"]
    assert "/DR" in reader.trailer["/Root"]["/AcroForm"], "the form font resources came along"


def test_part_a_pdf_has_no_annex_pages_or_fields(source: bytes, split) -> None:  # type: ignore[no-untyped-def]
    layout = part_pages(PdfReader(io.BytesIO(source)))
    form = read_form(split.part_a)
    assert form.page_count == len(layout["part_a"])
    assert not [name for name in form.fields if name.startswith("annex_1__")]
    assert form.value("part_a__children__1__name") == "Tomás Nguyễn"
    assert form.form_id == "referral 1.0"
    blank = read_form(blank_form("referral"))
    assert set(form.fields) == {n for n in blank.fields if not n.startswith("annex_1__")}


def test_split_is_byte_for_byte_repeatable(source: bytes, split) -> None:  # type: ignore[no-untyped-def]
    again = split_referral(source, "seed", "referral 1.0")
    assert (again.part_a, again.annex) == (split.part_a, split.annex)
    assert split_referral(source, "other", "referral 1.0").part_a != split.part_a, "/ID follows the seed"


def test_referral_without_annex_pages_gives_no_annex() -> None:
    source = filled("referral-domiciliary-only")
    reader = PdfReader(io.BytesIO(source))
    layout = part_pages(reader)
    only_part_a = io.BytesIO()
    writer = PdfWriter()
    writer.append(reader, pages=[n - 1 for n in layout["part_a"]])
    writer.write(only_part_a)
    assert split_referral(only_part_a.getvalue(), "seed").annex is None


def test_a_page_mixing_both_parts_cannot_be_split() -> None:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for y, name in ((700, "part_a__children__0__name"), (650, "annex_1__children__0__name")):
        c.acroForm.textfield(name=name, x=72, y=y, width=200, height=18, value="", maxlen=0, fieldFlags="")
    c.showPage()
    c.save()
    with pytest.raises(OutputError, match="own pages"):
        split_referral(buffer.getvalue(), "seed")


def test_annex_pdf_is_fillable_in_pdfium_as_chrome_fills_it(split, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source, target = tmp_path / "annex-1.pdf", tmp_path / "annex-1-pdfium.pdf"
    source.write_bytes(split.annex)
    fill_with_pdfium(source, {"annex_1__children__0__dates__5__date": "24/08/2026", "annex_1__parents_informed": False},
                     target)
    form = read_form(target.read_bytes())
    assert form.value("annex_1__children__0__dates__5__date") == "24/08/2026"
    assert form.value("annex_1__parents_informed") is False
    assert form.value("annex_1__children__0__name") == "Zoë Łukasz-O’Brien Nguyễn"
