"""The anonymised referral for providers holds no personal value anywhere in the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from outputs_support import (
    REFERRALS,
    accepted,
    example,
    filled,
    leaks,
    mutool_text,
    personal_needles,
    qpdf_inflated,
)
from pypdf import PdfReader

from brokerage.errors import OutputError
from brokerage.processor.outputs import providers, write_case
from brokerage.processor.outputs.anonymise import (
    anonymise_instance,
    child_summaries,
    find_strings,
    personal_strings,
    scrub_text,
)
from brokerage.processor.outputs.pdfscan import haystacks
from brokerage.processor.pdf_read import read_form

REFERENCE = "BRK-2026-0042"


@pytest.fixture(scope="module", params=[*REFERRALS, "03-referral-urgent-home-care"])
def anonymised(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    name = request.param
    out = tmp_path_factory.mktemp(name)
    pdf = filled(name)
    write_case(accepted(name, pdf, REFERENCE), pdf, out)
    return name, out / "cases" / REFERENCE


def test_needles_are_really_in_the_received_file(tmp_path: Path) -> None:
    # The search below finds these values when they are there: the filled form holds them.
    pdf = filled("referral-two-children")
    needles = personal_needles(example("referral-two-children"))
    found = leaks([qpdf_inflated(pdf, tmp_path)], needles) | {n for n in needles if n in mutool_text(pdf, tmp_path)}
    assert {"Zoë Łukasz-O’Brien Nguyễn", "1234567", "14/06/2015", "12 Example Street", "07700 900123"} <= found


def test_no_personal_value_in_the_decompressed_bytes(anonymised: tuple[str, Path], tmp_path: Path) -> None:
    name, folder = anonymised
    inflated = qpdf_inflated((folder / "anonymised-referral.pdf").read_bytes(), tmp_path)
    assert leaks([inflated], personal_needles(example(name))) == set()


def test_no_personal_value_drawn_on_any_page(anonymised: tuple[str, Path], tmp_path: Path) -> None:
    name, folder = anonymised
    text = mutool_text((folder / "anonymised-referral.pdf").read_bytes(), tmp_path)
    assert [n for n in personal_needles(example(name)) if n in text] == []
    assert f"Anonymised referral {REFERENCE}" in text
    assert "Child 1" in text


def test_no_personal_value_in_the_json(anonymised: tuple[str, Path]) -> None:
    name, folder = anonymised
    text = (folder / "anonymised-referral.json").read_text(encoding="utf-8")
    assert [n for n in personal_needles(example(name)) if n in text] == []
    assert json.loads(text)["reference"] == REFERENCE


def test_metadata_and_xmp_hold_only_the_reference(anonymised: tuple[str, Path]) -> None:
    _, folder = anonymised
    reader = PdfReader(folder / "anonymised-referral.pdf")
    assert "/Metadata" not in reader.trailer["/Root"]
    assert reader.metadata is not None
    assert reader.metadata.title == f"Anonymised referral {REFERENCE}"
    assert "/CreationDate" not in reader.metadata and "/ModDate" not in reader.metadata


def test_children_are_child_1_and_child_2_and_the_form_is_still_our_referral(anonymised: tuple[str, Path]) -> None:
    name, folder = anonymised
    form = read_form((folder / "anonymised-referral.pdf").read_bytes(), ours=True)
    assert form.form_id == "referral 1.0"
    count = len(example(name)["part_a"]["children"])
    names = [form.value(f"part_a__children__{i}__name") for i in range(count)]
    assert names == [f"Child {i + 1}" for i in range(count)]
    assert form.value("part_a__children__0__mosaic_id") is None
    assert form.value("part_a__children__0__date_of_birth") is None
    assert form.value("part_a__allocated_worker__name") is None
    assert form.value("part_a__children__0__principal_contact__relationship") == "Mum"


def test_free_text_is_scrubbed_of_names_numbers_and_addresses() -> None:
    instance = example("referral-summer-scheme")
    replacements = {"Zoë Łukasz-O’Brien Nguyễn": "Child 1", "Zoë": "Child 1", "Anna": "Mum"}
    text = "Zoë goes to Anna's sister; call 07700 900 123 or mail anna@example.org, LE1 1AA."
    assert scrub_text(text, replacements) == "Child 1 goes to Mum's sister; call [removed] or mail [removed], LE1 area."
    notes = "ZOË and Anna Nguyễn will prefer Saturdays; Priya will call Mum on 0116 305 0000 in week 03."
    instance["part_a"]["services"]["short_break"]["additional_notes"] = notes
    instance["part_a"]["allocated_worker"]["name"] = "Priya Will 03"
    out = anonymise_instance(instance)
    assert out["part_a"]["services"]["short_break"]["additional_notes"] == (
        "Child 1 and Mum will prefer Saturdays; the brokerage service will call Mum on [removed] in week 03."
    )
    assert out["annex_1"]["children"][0]["name"] == "Child 1"
    assert "date_of_birth" not in out["annex_1"]["children"][0]


def test_banner_gives_age_and_postcode_area_only() -> None:
    summaries = child_summaries(example("referral-two-children"))
    assert [s.sentence() for s in summaries] == [
        "Child 1, aged 10, postcode area LE1",
        "Child 2, aged 8, postcode area LE1",
    ]


def test_a_leak_stops_the_file_being_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(providers, "anonymise_instance", lambda data, catalogue: json.loads(json.dumps(data)))
    pdf = filled("referral-summer-scheme")
    with pytest.raises(OutputError, match="personal value"):
        write_case(accepted("referral-summer-scheme", pdf, REFERENCE), pdf, tmp_path)
    assert not (tmp_path / "cases" / REFERENCE / "anonymised-referral.pdf").exists()


def test_scanner_finds_values_in_every_place_a_pdf_keeps_them() -> None:
    pdf = filled("referral-summer-scheme")
    needles = personal_strings(example("referral-summer-scheme"))
    found = find_strings(haystacks(pdf), needles)
    # Field values (UTF-16 strings) and glyph-id appearance text (decoded with the form font).
    assert {"Zoë Łukasz-O’Brien Nguyễn", "1234567", "14/06/2015", "anna@example.org"} <= found


def test_other_peoples_names_in_free_text_are_removed() -> None:
    instance = example("referral-summer-scheme")
    child = instance["part_a"]["children"][0]
    child["behaviours_that_challenge"] = "Gets upset when Auntie Margaret visits; Mrs Khan at school knows her well."
    out = anonymise_instance(instance)["part_a"]["children"][0]
    assert out["behaviours_that_challenge"] == (
        "Gets upset when Auntie [name removed] visits; [name removed] at school knows her well."
    )
    assert out["communication"] == child["communication"], "text without names is left as typed"


def test_a_mosaic_id_inside_the_reference_is_not_taken_for_a_leak(tmp_path: Path) -> None:
    data = example("referral-domiciliary-only")
    data["part_a"]["children"][0]["mosaic_id"] = "2026"
    pdf = filled("x", data)
    written = write_case(accepted("referral-domiciliary-only", pdf, "BRK-2026-0001", data), pdf, tmp_path)
    assert "cases/BRK-2026-0001/anonymised-referral.pdf" in written
    form = read_form((tmp_path / "cases" / "BRK-2026-0001" / "anonymised-referral.pdf").read_bytes(), ours=True)
    assert form.value("part_a__children__0__mosaic_id") is None
