"""The referral as providers get it: no personal value of the child, the family or the worker in any byte
(decompressed, drawn, extracted, metadata), what a provider needs to answer, and the mark that lets a
copy sent back by mistake be recognised."""

from __future__ import annotations

import copy
import io
import subprocess
from pathlib import Path

import pytest
from casework_support import REFERENCE, SCHOOL, needles_for_providers, richest_referral, sending
from engines import require_pdfium, require_tool
from outputs_support import REFERRALS, example, leaks, mutool_text, qpdf_inflated
from pypdf import PdfReader, PdfWriter

from brokerage.errors import OutputError
from brokerage.generator.flowing import DOCUMENT_INFO_KEY
from brokerage.generator.printout import full_print
from brokerage.processor.outputs import provider_referral
from brokerage.processor.outputs.forms import blank_form
from brokerage.processor.outputs.provider_referral import (
    PROVIDER_COPY_MARK,
    provider_referral_pdf,
    recognise_provider_copy,
    shown_to_providers,
)


@pytest.fixture(scope="module")
def richest() -> dict:
    return richest_referral()


@pytest.fixture(scope="module")
def pdf(richest: dict) -> bytes:
    return provider_referral_pdf(richest, sending())


def poppler_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "p.pdf"
    path.write_bytes(data)
    return subprocess.run([require_tool("pdftotext"), str(path), "-"], capture_output=True, check=True).stdout.decode()


def poppler_info(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "p.pdf"
    path.write_bytes(data)
    return subprocess.run([require_tool("pdfinfo"), str(path)], capture_output=True, check=True).stdout.decode()


def pdfium_text(data: bytes) -> str:
    pdfium = require_pdfium()
    doc = pdfium.PdfDocument(data)
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def test_the_needles_are_found_where_they_are(richest: dict, tmp_path: Path) -> None:
    """The searches below find every needle in the officer's full print of the same data: they can fail."""
    printed = full_print(richest, "referral", REFERENCE)
    needles = needles_for_providers(richest)
    found = {n for n in needles if n in poppler_text(printed, tmp_path)}
    missing = set(needles) - found - {"going into hospital", "Dad works nights", "Sunrise Carers"}
    assert {"Zoë Łukasz-O’Brien Nguyễn", "1234567", "14/06/2015", "12 Example Street", "07700 900123", SCHOOL,
            "Siân", "Wróbel"} <= found
    assert "going into hospital" in poppler_text(printed, tmp_path)
    assert missing <= {"2015-06-14", "2018-01-30", "30/01/2018"}, missing  # ISO dates print in words


def test_no_personal_value_in_the_decompressed_bytes(pdf: bytes, richest: dict, tmp_path: Path) -> None:
    assert leaks([qpdf_inflated(pdf, tmp_path)], needles_for_providers(richest)) == set()


def test_no_personal_value_in_the_text_any_reader_extracts(pdf: bytes, richest: dict, tmp_path: Path) -> None:
    needles = needles_for_providers(richest)
    for text in (poppler_text(pdf, tmp_path), mutool_text(pdf, tmp_path), pdfium_text(pdf)):
        assert [n for n in needles if n in text] == []
        assert [n for n in needles if n.upper() in text.upper() and len(n) > 4] == []


def test_no_personal_value_in_the_metadata(pdf: bytes, richest: dict, tmp_path: Path) -> None:
    info = poppler_info(pdf, tmp_path)
    metadata = " ".join(str(v) for v in PdfReader(io.BytesIO(pdf)).metadata.values())
    needles = needles_for_providers(richest)
    assert [n for n in needles if n in info or n in metadata] == []
    assert "Metadata Stream: no" in info  # no XMP at all


@pytest.mark.parametrize("name", REFERRALS)
def test_no_personal_value_for_every_example(name: str, tmp_path: Path) -> None:
    data = example(name)
    made = provider_referral_pdf(data, sending(urgent=False))
    needles = needles_for_providers(data)
    assert [n for n in needles if n in poppler_text(made, tmp_path)] == []
    assert leaks([qpdf_inflated(made, tmp_path)], needles) == set()


def test_what_a_provider_needs_is_there(pdf: bytes, tmp_path: Path) -> None:
    text = poppler_text(pdf, tmp_path)
    flat = " ".join(text.split())
    for words in (
        "URGENT – Referral for providers BRK-2026-0042",
        "Reply by the end of Wednesday 4 February 2026",
        "to cfscommissioningservice@leics.gov.uk",
        "duty line on 0116 305 1145",
        "Aged 10 · Female · postcode district LE1",
        "Aged 8 · Male · postcode district LE1",
        "Short breaks (specialist play and leisure, Lot 1); Domiciliary care",
        "Uses short sentences and Makaton signs",
        "Lightweight wheelchair",
        "Enjoys time with other children outside the home",
        "16 February 2026 20 February 2026",  # school holidays, without the school
        "Day From To Saturday 10:00 15:00",  # poppler reads the empty "Time of day" column after
        "Term time: total weekly hours 6",
        "27 July 2026 Preferred",
        "Child 1 asks for Mum ([removed]) when she is at the child's school.",
        f"{PROVIDER_COPY_MARK} {REFERENCE}",
    ):
        assert words in flat, words


def test_what_a_provider_does_not_need_is_not(pdf: bytes, tmp_path: Path) -> None:
    flat = " ".join(poppler_text(pdf, tmp_path).split())
    for words in ("School or setting", "Details of principal contact", "Mosaic ID", "Date of birth", "Allocated worker",
                  "Manager", "Why is it urgent", "Current support", "How the current support is funded",
                  "Specific provider", "Resource Allocation Panel approved", "Child's home address"):
        assert words not in flat, words


def test_a_single_child_is_the_child(tmp_path: Path) -> None:
    made = provider_referral_pdf(example("referral-summer-scheme"), sending(urgent=False))
    flat = " ".join(poppler_text(made, tmp_path).split())
    assert "The child Age, gender and where the child lives Aged 10 · Female · postcode district LE1" in flat
    assert "Child 1" not in flat and "URGENT" not in flat
    assert "Reply by the end of Monday 9 February 2026" in flat


def test_contact_details_come_from_the_policy(richest: dict, tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[brokerage]\nduty_line = "0116 496 0999"\nemail = "brokerage@county.example"\n',
                      encoding="utf-8")
    flat = " ".join(poppler_text(provider_referral_pdf(richest, sending(policy_path=policy)), tmp_path).split())
    assert "to brokerage@county.example" in flat and "duty line on 0116 496 0999" in flat
    assert "leics.gov.uk" not in flat and "305 1145" not in flat


@pytest.mark.parametrize(
    ("template", "shown"),
    [
        ("/part_a/children/*/name", False),
        ("/part_a/children/*/date_of_birth", False),
        ("/part_a/children/*/mosaic_id", False),
        ("/part_a/children/*/address", False),
        ("/part_a/children/*/school", False),
        ("/part_a/children/*/principal_contact", False),
        ("/part_a/children/*/principal_contact/relationship", False),
        ("/part_a/children/*/current_support", False),
        ("/part_a/services/specific_provider/reasons", False),
        ("/annex_1/children/*/mosaic_id", False),
        ("/part_a/children/*/communication", True),
        ("/part_a/children/*/school_holidays", True),
        ("/part_a/services/short_break/timetable", True),
        ("/part_a/services/domiciliary_care/additional_notes", True),
    ],
)
def test_which_boxes_providers_see(template: str, shown: bool) -> None:
    assert shown_to_providers(template) is shown


def test_a_leak_stops_the_file(richest: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(provider_referral, "provider_instance", lambda data: copy.deepcopy(dict(data)))
    with pytest.raises(OutputError, match=r"BRK-2026-0042 would have held \d+ personal value"):
        provider_referral_pdf(richest, sending())


def test_same_data_same_bytes(pdf: bytes, richest: dict) -> None:
    assert provider_referral_pdf(richest, sending()) == pdf
    assert provider_referral_pdf(richest, sending(urgent=False)) != pdf


def test_a_copy_sent_back_is_recognised(pdf: bytes, richest: dict) -> None:
    assert PdfReader(io.BytesIO(pdf)).metadata[DOCUMENT_INFO_KEY] == f"provider-referral {REFERENCE}"
    assert recognise_provider_copy(pdf) == REFERENCE
    # a viewer that saved it afresh and dropped the document information: the printed mark still tells
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.metadata = None
    stripped = io.BytesIO()
    writer.write(stripped)
    assert DOCUMENT_INFO_KEY not in (PdfReader(io.BytesIO(stripped.getvalue())).metadata or {})
    assert recognise_provider_copy(stripped.getvalue()) == REFERENCE
    # ours but not a provider copy, a blank form, not a PDF at all
    assert recognise_provider_copy(full_print(richest, "referral", REFERENCE)) is None
    assert recognise_provider_copy(blank_form("referral")) is None
    assert recognise_provider_copy(b"%PDF-1.7 truncated") is None
    assert recognise_provider_copy(b"From: someone\r\n\r\nan email saved as .pdf") is None


def test_qpdf_finds_the_file_sound(pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    done = subprocess.run([require_tool("qpdf"), "--check", str(path)], capture_output=True, check=False)
    assert done.returncode == 0, done.stdout.decode()


def test_names_that_are_also_our_words_do_not_stop_the_file(tmp_path: Path) -> None:
    """A child called May Day, a manager called Will Day: the dates ("26 May 2026") and the timetable's
    "Day" column are the toolkit's words, not a leak; the names typed into free text are still removed."""
    data = copy.deepcopy(example("referral-two-children"))
    data["part_a"]["children"][0]["name"] = "May Day"
    data["part_a"]["children"][0]["likes_and_interests"] = "May Day loves the swings; May likes music."
    data["part_a"]["manager_approval"]["manager_name"] = "Will Day"
    made = provider_referral_pdf(data, sending(urgent=False))
    flat = " ".join(poppler_text(made, tmp_path).split())
    assert "26 May 2026 29 May 2026" in flat and "Day From To" in flat
    assert "Child 1 loves the swings; Child 1 likes music." in flat
    assert "May Day" not in flat and "Will" not in flat
