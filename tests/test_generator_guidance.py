"""Guidance sheets come from the schema and the policy; a new schema leaf reaches the form, the
guidance and the reader with no code change."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
from itertools import groupby
from pathlib import Path

import pytest
from engines import require_tool
from markupsafe import escape
from pypdf import PdfReader

from brokerage.generator import build_form, generate, guidance_text, list_fields
from brokerage.generator import guidance as guidance_module
from brokerage.generator.guidance import build_guidance, render_html, render_pdf
from brokerage.processor.pdf_read import read_form
from brokerage.rules import Policy, RuleInfo, load_policy
from brokerage.rules import catalogue as rule_catalogue
from brokerage.schema import Catalogue, default_catalogue, load_schema

part_leaves = default_catalogue().part_leaves

# A year's policy unlike the shipped one in every value the guidance prints.
POLICY_2031 = """\
scheme_year = 2031

[brokerage]
duty_line = "0116 000 9999"
email = "brokerage@example.gov.uk"

[response]
working_days = 7
urgent_working_days = 3

[summer_scheme]
day_cap = 9
kept_on_file_before = 2031-01-01
closing_date_open_cases = 2031-03-02
new_case_cut_off = 2031-06-16
care_plan_route_until = 2031-03-01
care_plan_review_months = 6
season_start = 2031-07-21
season_end = 2031-09-05
"""

SEVERITY_WORDS = {"error": "must be put right before the referral is accepted", "warning": "checked and pointed out"}


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    path = tmp_path_factory.mktemp("policy") / "policy-2031.toml"
    path.write_text(POLICY_2031, encoding="utf-8")
    return load_policy(path)


def referral_rules(policy: Policy) -> list[RuleInfo]:
    """Every rule of the referral guidance's points: all but the IPA's ("The brokerage process")."""
    return [info for info in rule_catalogue(policy) if info.point != "The brokerage process"]


def provider_rules(policy: Policy) -> list[RuleInfo]:
    """The rules the provider sheet lists: the IPA's stages and sums, and dates that could be right."""
    return [info for info in rule_catalogue(policy) if info.point in ("The brokerage process",
                                                                       "Completing the Brokerage Form")]


def normalised(text: str) -> str:
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    """The PDF's text as poppler extracts it, whitespace normalised (pdftotext breaks lines where the PDF does)."""
    pdftotext = require_tool("pdftotext")
    result = subprocess.run([pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return normalised(result.stdout.decode("utf-8"))


def test_referral_guidance_lists_every_question_and_the_policy_values(policy: Policy) -> None:
    html = render_html(build_guidance("referral", policy))
    for leaf in part_leaves("part_a") + part_leaves("annex_1"):
        assert leaf.description.replace("'", "&#39;") in html, leaf.pointer
    for text in ("0116 000 9999", "brokerage@example.gov.uk", "7 working days", "3 working days", "9 days",
                 "2 March 2031", "16 June 2031", "21 July 2031 to 5 September 2031"):
        assert text in html, text
    assert "Points to tell the parents or carers" in html


def test_provider_guidance_covers_parts_b_and_c(policy: Policy) -> None:
    g = build_guidance("provider", policy)
    assert [p.title for p in g.parts] == ["Part B – Provider response", "Part C – Individual Placement Agreement (IPA)"]
    html = render_html(g)
    assert "within 7 working days" in html
    # The provider sheet lists the rules about its forms: dates that could be right, the IPA's stages and sums.
    assert [(group.label, [c.id for c in group.checks]) for group in g.checks] == [
        (point, [info.id for info in infos])
        for point, infos in groupby(provider_rules(policy), key=lambda info: info.point_label)
    ]
    assert guidance_text.CHECKS_TITLE in html
    for info in provider_rules(policy):
        assert f"<p>{escape(info.guidance)}</p>" in html, info.id


def test_html_is_escaped() -> None:
    default = load_policy()
    policy = dataclasses.replace(default, brokerage=dataclasses.replace(default.brokerage,
                                                                        email="<script>alert(1)</script>"))
    html = render_html(build_guidance("referral", policy))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_guidance_pdf_is_a_readable_pdf_with_the_policy_values(policy: Policy) -> None:
    data = render_pdf(build_guidance("referral", policy))
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "0116 000 9999" in text and "Details of SEN and/or Disability" in text
    assert reader.metadata.title == "Guidance: making a referral to the brokerage service"


def test_default_policy_is_used_when_none_is_given() -> None:
    g = build_guidance("referral")
    assert ("Brokerage duty line", "0116 305 1145") in g.facts


# The rules in the sheet, in their own words ----------------------------------------------------

def test_referral_sheet_lists_every_rule_by_guidance_point_in_catalogue_order(policy: Policy) -> None:
    g = build_guidance("referral", policy)
    rules = referral_rules(policy)
    expected = [(label, [info.id for info in infos]) for label, infos in groupby(rules, key=lambda i: i.point_label)]
    assert [(group.label.split(":")[0], [c.id for c in group.checks]) for group in g.checks] == expected
    assert [group.label for group in g.checks][:2] == ["General point 2: New or increased support",
                                                       "General point 3: Urgent cases"]
    by_id = {c.id: c for group in g.checks for c in group.checks}
    for info in rules:
        check = by_id[info.id]
        assert (check.title, check.guidance) == (info.title, info.guidance)
        assert check.severity_words == SEVERITY_WORDS[info.severity.value]


def test_every_part_a_rule_is_in_the_referral_html_in_its_own_words(policy: Policy) -> None:
    html = render_html(build_guidance("referral", policy))
    assert "<h2 id=\"checks\">What the brokerage service checks</h2>" in html
    for info in referral_rules(policy):
        assert f"<p>{escape(info.guidance)}</p>" in html, info.id
        assert f"<strong>{escape(info.title)}</strong>" in html, info.id
        assert f"({SEVERITY_WORDS[info.severity.value]})" in html, info.id
        assert f'<h3 id="{guidance_module._anchor(info.point_label)}">{escape(info.point_label)}' in html, info.id


def test_every_part_a_rule_is_in_the_referral_pdf_in_its_own_words(policy: Policy, tmp_path: Path) -> None:
    path = tmp_path / "guidance-referral.pdf"
    path.write_bytes(render_pdf(build_guidance("referral", policy)))
    text = pdf_text(path)
    assert "What the brokerage service checks" in text
    for info in referral_rules(policy):
        assert normalised(info.guidance) in text, info.id
        assert normalised(f"{info.title} ({SEVERITY_WORDS[info.severity.value]})") in text, info.id


def test_general_points_refer_to_their_rules_instead_of_rewording_them(policy: Policy) -> None:
    g = build_guidance("referral", policy)
    ruled = {info.point for info in referral_rules(policy) if info.point.isdigit()}
    assert [p.number for p in g.points] == list(range(1, 12))
    for point in g.points:
        assert bool(point.checks_anchor) == (str(point.number) in ruled), point.number
    # Points that are wholly rules keep no words of their own; the rules' sentences say them.
    for number in (2, 3, 4, 5, 6, 7, 8):
        assert g.points[number - 1].text == "", number


def test_provider_points_quote_the_rules_words(policy: Policy) -> None:
    g = build_guidance("provider", policy)
    sentences = {info.id: info.guidance for info in rule_catalogue(policy)}
    texts = {p.title: p.text for p in g.points}
    quoted = [(p.title, rule_id) for p in guidance_text.PROVIDER_POINTS for rule_id in p.quotes]
    assert quoted
    for title, rule_id in quoted:
        assert sentences[rule_id] in texts[title]


def test_a_policy_file_changes_the_cap_in_the_facts_and_in_the_rule(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text("[summer_scheme]\nday_cap = 8\n", encoding="utf-8")
    generate(tmp_path / "out", policy_path=path)
    cap = next(info for info in rule_catalogue(load_policy(path)) if info.id == "guidance-6-day-cap")
    assert "a maximum of 8 days given in 2026" in cap.guidance
    html = (tmp_path / "out" / "guidance-referral.html").read_text(encoding="utf-8")
    pdf = pdf_text(tmp_path / "out" / "guidance-referral.pdf")
    fact = "Summer play scheme 2026: most days per child"
    assert f"<tr><th scope=\"row\">{fact}</th><td>8</td></tr>" in html
    assert f"{fact} 8" in pdf
    assert str(escape(cap.guidance)) in html and cap.guidance in pdf
    assert "maximum of 5 days" not in html and "maximum of 5 days" not in pdf


def test_generate_loads_the_policy_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "policy.toml"
    path.write_text("[summer_scheme]\nday_cap = 8\n", encoding="utf-8")
    calls: list[object] = []

    def counting(policy_path: Path | None = None) -> Policy:
        calls.append(policy_path)
        return original(policy_path)

    original = load_policy
    for name, module in list(sys.modules.items()):
        if name.startswith("brokerage") and getattr(module, "load_policy", None) is original:
            monkeypatch.setattr(module, "load_policy", counting)
    generate(tmp_path / "out", policy_path=path)
    assert calls == [path]


@pytest.fixture
def schema_with_a_new_box() -> Catalogue:
    """The shipped schema with one more leaf in Part B: a catalogue of its own, nothing cached to clear."""
    schema = load_schema()
    properties = schema["properties"]["part_b"]["properties"]
    properties["languages"] = {"type": "string", "title": "Languages your staff speak",
                               "description": "For example Polish, Urdu, British Sign Language."}
    return Catalogue(schema)


def test_a_new_schema_leaf_reaches_form_guidance_and_reader(schema_with_a_new_box: Catalogue) -> None:
    catalogue = schema_with_a_new_box
    pdf = build_form(catalogue.forms["provider-response"])
    fields = {f.pointer: f for f in list_fields(pdf, catalogue=catalogue).fields}
    assert fields["/part_b/languages"].type == "text"
    html = render_html(build_guidance("provider", catalogue=catalogue))
    assert "Languages your staff speak" in html
    assert "part_b__languages" in read_form(pdf).fields
    shipped = render_html(build_guidance("provider"))  # the shipped catalogue never saw the new box
    assert "Languages your staff speak" not in shipped
    assert "/part_b/languages" not in {f.pointer for f in list_fields(pdf).fields}
