"""The generated forms: valid PDFs in every engine, one field per schema leaf, accessible metadata."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from engines import render_with_pdftoppm, require_pdfium, require_tool, write_blank_forms
from pypdf import PdfReader

from brokerage.errors import SchemaError
from brokerage.generator import FORM_ID_FIELD, build_form, list_fields, part_pages
from brokerage.generator import build as build_module
from brokerage.generator.font import RESOURCE_NAME, font_bytes, form_font
from brokerage.generator.layout import PageLayout
from brokerage.schema import Form, default_catalogue, field_name

FORMS = default_catalogue().forms
SCHEMA_VERSION = default_catalogue().version

KINDS = tuple(FORMS)


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_blank_forms(tmp_path_factory.mktemp("forms"))


def _widgets(reader: PdfReader):  # type: ignore[no-untyped-def]
    for number, page in enumerate(reader.pages, start=1):
        for ref in page.get("/Annots") or []:
            widget = ref.get_object()
            if widget.get("/Subtype") == "/Widget":
                yield number, widget


@pytest.mark.parametrize("kind", KINDS)
def test_qpdf_finds_no_errors(forms: dict[str, Path], kind: str) -> None:
    qpdf = require_tool("qpdf")
    result = subprocess.run([qpdf, "--check", str(forms[kind])], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


@pytest.mark.parametrize("kind", KINDS)
def test_opens_in_pypdf_pdfium_and_poppler(forms: dict[str, Path], kind: str, tmp_path: Path) -> None:
    pages = len(PdfReader(forms[kind]).pages)
    pdfium = require_pdfium()
    document = pdfium.PdfDocument(str(forms[kind]))
    assert len(document) == pages
    document.close()
    png = render_with_pdftoppm(forms[kind], 1, tmp_path / "page1.png", dpi=30)
    assert png.stat().st_size > 1000


@pytest.mark.parametrize("kind", KINDS)
def test_every_schema_leaf_has_exactly_one_field(forms: dict[str, Path], kind: str) -> None:
    listed = list_fields(forms[kind].read_bytes())
    pointers = [f.pointer for f in listed.fields]
    expected = [p for leaf in FORMS[kind].leaves() for p in leaf.concrete()]
    assert None not in pointers, [f.name for f in listed.fields if f.pointer is None]
    assert sorted(pointers) == sorted(expected)
    assert len(set(pointers)) == len(pointers)
    assert listed.form_id == f"{kind} {SCHEMA_VERSION}"
    assert FORM_ID_FIELD not in [f.name for f in listed.fields]


@pytest.mark.parametrize("kind", KINDS)
def test_form_is_identified_and_described(forms: dict[str, Path], kind: str) -> None:
    reader = PdfReader(forms[kind])
    root = reader.trailer["/Root"]
    assert reader.metadata["/BrokerageForm"] == f"{kind} {SCHEMA_VERSION}"
    assert reader.metadata.title == FORMS[kind].title
    assert reader.metadata.subject
    assert root["/Lang"] == "en-GB"
    fields = reader.get_fields()
    assert fields[FORM_ID_FIELD]["/V"] == f"{kind} {SCHEMA_VERSION}"
    assert int(fields[FORM_ID_FIELD]["/Ff"]) & 1  # read-only
    assert all(page["/Tabs"] == "/S" for page in reader.pages)


@pytest.mark.parametrize("kind", KINDS)
def test_every_widget_speaks_and_nothing_is_cut(forms: dict[str, Path], kind: str) -> None:
    reader = PdfReader(forms[kind])
    for _, widget in _widgets(reader):
        field = widget if "/T" in widget else widget["/Parent"].get_object()
        assert widget.get("/TU") or field.get("/TU"), field["/T"]
        assert "/MaxLen" not in field, field["/T"]
        if field.get("/FT") == "/Btn":
            assert int(field.get("/Ff", 0)) & 2 == 0, f"{field['/T']} marked required by the PDF"
        if field.get("/FT") in ("/Tx", "/Ch"):
            assert field["/DA"].startswith(f"/{RESOURCE_NAME} "), field["/DA"]


def test_multiline_boxes_use_automatic_font_size(forms: dict[str, Path]) -> None:
    reader = PdfReader(forms["referral"])
    multiline = [w for _, w in _widgets(reader) if int(w.get("/Ff", 0)) & (1 << 12)]
    assert len(multiline) > 30
    assert all(w["/DA"] == f"/{RESOURCE_NAME} 0 Tf 0 g" for w in multiline)


def test_date_boxes_carry_the_date_format_action(forms: dict[str, Path]) -> None:
    reader = PdfReader(forms["referral"])
    fields = reader.get_fields()
    box = fields[field_name("/part_a/referral/date_of_referral")]
    widget = box.indirect_reference.get_object() if box.indirect_reference else None
    widget = widget or next(w for _, w in _widgets(reader) if w.get("/T") == "part_a__referral__date_of_referral")
    assert 'AFDate_FormatEx("dd/mm/yyyy")' in widget["/AA"]["/F"]["/JS"]


def test_ipa_has_two_real_signature_fields_beside_name_and_date(forms: dict[str, Path]) -> None:
    listed = list_fields(forms["ipa"].read_bytes())
    signatures = [f for f in listed.fields if f.type == "signature"]
    assert [f.pointer for f in signatures] == [
        "/part_c/provider_signatory/signature",
        "/part_c/countersignature/signature",
    ]
    reader = PdfReader(forms["ipa"])
    sig_widgets = [(n, w) for n, w in _widgets(reader) if w.get("/FT") == "/Sig"]
    assert len(sig_widgets) == 2
    by_name = {w["/T"]: (n, [float(v) for v in w["/Rect"]]) for n, w in _widgets(reader) if "/T" in w}
    for group in ("provider_signatory", "countersignature"):
        sig_page, sig_rect = by_name[f"part_c__{group}__signature"]
        date_page, date_rect = by_name[f"part_c__{group}__date"]
        assert sig_page == date_page
        assert abs(sig_rect[3] - date_rect[3]) < 120, "signature box far from its date box"


def test_annex_is_on_its_own_pages_at_the_end(forms: dict[str, Path]) -> None:
    reader = PdfReader(forms["referral"])
    parts = part_pages(reader)
    assert parts["part_a"] and parts["annex_1"]
    assert max(parts["part_a"]) < min(parts["annex_1"])
    assert max(parts["annex_1"]) == len(reader.pages)
    for number, widget in _widgets(reader):
        name = str(widget.get("/T") or widget["/Parent"]["/T"])
        if name == FORM_ID_FIELD:
            continue
        expected = "annex_1" if number in parts["annex_1"] else "part_a"
        assert name.startswith(expected + "__"), (number, name)


def test_yes_no_questions_are_radio_buttons_and_long_lists_are_choices(forms: dict[str, Path]) -> None:
    listed = {f.pointer: f for f in list_fields(forms["referral"].read_bytes()).fields}
    urgent = listed["/part_a/referral/urgent"]
    assert (urgent.type, urgent.options) == ("radio", ("Yes", "No"))
    funding = listed["/part_a/children/0/current_support_funding"]
    assert funding.type == "choice"
    assert funding.options == (
        "Direct payment", "Commissioned service", "Direct payment and commissioned service", "N/A"
    )
    assert listed["/part_a/services/short_break/required"].type == "checkbox"
    assert listed["/part_a/referral/date_of_referral"].type == "date"
    assert listed["/part_a/services/short_break/timetable/monday/from"].type == "time"
    assert listed["/part_a/services/domiciliary_care/term_time_weekly_hours"].type == "number"


def test_children_start_on_new_pages(forms: dict[str, Path]) -> None:
    listed = {f.pointer: f.page for f in list_fields(forms["referral"].read_bytes()).fields}
    pages = [listed[f"/part_a/children/{i}/name"] for i in range(3)]
    assert len(set(pages)) == 3
    assert listed["/part_a/referral/date_of_referral"] not in pages


def test_form_font_is_embedded_and_covers_the_names_councils_see(forms: dict[str, Path]) -> None:
    font = form_font()
    for text in ("Zoë Łukasz-O’Brien Nguyễn", "ș ț Ș Ț", "ŵ ŷ ẁ ẃ ẅ ỳ", "– — “ ” ‘ ’ … £ €", "Ğ ı ş ø å æ ß"):
        assert not font.missing(text), font.missing(text)
    reader = PdfReader(forms["provider-response"])
    dr_font = reader.trailer["/Root"]["/AcroForm"]["/DR"]["/Font"][f"/{RESOURCE_NAME}"]
    descendant = dr_font["/DescendantFonts"][0].get_object()
    embedded = descendant["/FontDescriptor"]["/FontFile2"].get_data()
    assert embedded == font_bytes()
    assert len(font_bytes()) < 100_000


def test_generating_is_deterministic() -> None:
    form = FORMS["provider-response"]
    first, second = build_form(form), build_form(form)
    assert len(first) == len(second)
    assert PdfReader(io.BytesIO(first)).get_fields().keys() == PdfReader(io.BytesIO(second)).get_fields().keys()


def test_a_field_placed_twice_on_one_page_is_a_schema_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_layout = build_module.layout_form

    def doubled(form: Form) -> list[PageLayout]:
        pages = real_layout(form)
        placements = pages[0].placements
        first_text = next(i for i, p in enumerate(placements) if p.widget.kind == "text")
        placements.insert(first_text, placements[first_text])
        return pages

    monkeypatch.setattr(build_module, "layout_form", doubled)
    with pytest.raises(SchemaError, match="twice on one page"):
        build_form(FORMS["referral"])
