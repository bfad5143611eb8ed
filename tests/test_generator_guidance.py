"""Guidance sheets come from the schema and the policy; a new schema leaf reaches the form, the
guidance and the reader with no code change."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from brokerage.generator import build_form, list_fields
from brokerage.generator import guidance as guidance_module
from brokerage.generator.guidance import build_guidance, render_html, render_pdf
from brokerage.processor.pdf_read import read_form
from brokerage.schema import FORMS, catalogue, load_schema, part_leaves

VALUES = {
    "scheme_year": "2031", "duty_line": "0116 000 9999", "email": "brokerage@example.gov.uk", "working_days": "7",
    "urgent_working_days": "3", "day_cap": "9", "kept_on_file_before": "1 January 2031",
    "closing_date_open_cases": "2 March 2031", "new_case_cut_off": "16 June 2031",
    "care_plan_route_until": "1 March 2031", "care_plan_review_months": "6", "season_start": "21 July 2031",
    "season_end": "5 September 2031", "start_max_days_past": "31", "start_max_days_ahead": "365",
    "max_years_after_start": "2",
}


def test_referral_guidance_lists_every_question_and_the_policy_values() -> None:
    html = render_html(build_guidance("referral", VALUES))
    for leaf in part_leaves("part_a") + part_leaves("annex_1"):
        assert leaf.description.replace("'", "&#39;") in html, leaf.pointer
    for text in ("0116 000 9999", "brokerage@example.gov.uk", "7 working days", "3 working days", "9 days",
                 "2 March 2031", "16 June 2031", "21 July 2031 to 5 September 2031"):
        assert text in html, text
    assert "Points to tell the parents or carers" in html


def test_provider_guidance_covers_parts_b_and_c() -> None:
    g = build_guidance("provider", VALUES)
    assert [p.title for p in g.parts] == ["Part B – Provider response", "Part C – Individual Placement Agreement (IPA)"]
    assert "within 7 working days" in render_html(g)


def test_html_is_escaped() -> None:
    values = dict(VALUES, email="<script>alert(1)</script>")
    html = render_html(build_guidance("referral", values))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_guidance_pdf_is_a_readable_pdf_with_the_policy_values() -> None:
    data = render_pdf(build_guidance("referral", VALUES))
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "0116 000 9999" in text and "Details of SEN and/or Disability" in text
    assert reader.metadata.title == "Guidance: making a referral to the brokerage service"


def test_default_policy_is_used_when_none_is_given() -> None:
    g = build_guidance("referral")
    assert ("Brokerage duty line", "0116 305 1145") in g.facts


@pytest.fixture
def schema_with_a_new_box() -> Iterator[None]:
    """Add a leaf to Part B in the loaded schema for one test, then take it out again."""
    schema = load_schema()
    properties = schema["properties"]["part_b"]["properties"]
    properties["languages"] = {"type": "string", "title": "Languages your staff speak",
                               "description": "For example Polish, Urdu, British Sign Language."}

    def clear() -> None:
        catalogue.leaves.cache_clear()
        catalogue._by_template.cache_clear()
        guidance_module.FORMS_BY_PART.cache_clear()

    clear()
    try:
        yield
    finally:
        del properties["languages"]
        clear()


def test_a_new_schema_leaf_reaches_form_guidance_and_reader(schema_with_a_new_box: None) -> None:
    pdf = build_form(FORMS["provider-response"])
    fields = {f.pointer: f for f in list_fields(pdf).fields}
    assert fields["/part_b/languages"].type == "text"
    html = render_html(build_guidance("provider", VALUES))
    assert "Languages your staff speak" in html
    assert "part_b__languages" in read_form(pdf).fields
