"""Issue 13, item 3: a placeholder is not an answer; "None" or "N/A" only where the schema says so.

One schema annotation (``x-none-answer``) marks the boxes where there may be nothing to say; the form's
hint, its tooltip, the guidance sheet and the check all follow it. Everywhere else "N/A" in a box that
needs an answer is an error naming the box, and "TBC", "?", "n/k", "ask mum", "see attached" are errors
in every box. A typed signature must look like a name.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pipeline_inputs import form_pdf
from rules_support import example, problems

from brokerage.generator.guidance import build_guidance
from brokerage.generator.tooltips import tooltip
from brokerage.processor.pipeline import FileContext, Settings, examine
from brokerage.schema import Problem, Severity, default_catalogue, set_at

NONE_HINT = "Type None or N/A if there is nothing to add."


def _with(instance: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    for pointer, value in changes.items():
        set_at(instance, pointer, value)
    return instance


def _errors_at(found: list[Problem], pointer: str) -> list[Problem]:
    return [p for p in found if p.pointer == pointer and p.is_error]


# Boxes the issue found accepting "N/A" although they need a real answer.
NEEDS_AN_ANSWER = [
    ("/part_a/manager_approval/signature", {}),
    ("/part_a/manager_approval/manager_name", {}),
    ("/part_a/referral/urgent_reason", {"/part_a/referral/urgent": "Yes"}),
    ("/part_a/services/specific_provider/reasons",
     {"/part_a/services/specific_provider/requested": "Yes",
      "/part_a/services/specific_provider/provider_name": "Bright Days Play Ltd"}),
    ("/part_a/allocated_worker/name", {}),
    ("/part_a/children/0/principal_contact/name", {}),
    ("/part_a/children/0/address", {}),
    ("/part_a/children/0/desired_outcomes/0", {"/part_a/children/0/desired_outcomes": ["x"]}),
]


@pytest.mark.parametrize(("pointer", "setting"), NEEDS_AN_ANSWER, ids=[p for p, _ in NEEDS_AN_ANSWER])
@pytest.mark.parametrize("typed", ["N/A", "n/a", "none", "None."])
def test_none_is_no_answer_where_a_real_one_is_needed(pointer: str, setting: dict[str, Any], typed: str) -> None:
    instance = _with(example("referral-domiciliary-only"), {**setting, pointer: typed})
    found = _errors_at(problems(instance), pointer)
    assert len(found) == 1, found
    label = default_catalogue().leaf(pointer).title
    assert label in found[0].message and "not an answer" in found[0].message


@pytest.mark.parametrize("typed", ["n/k", "ask mum", "Ask Mum for details", "see attached", "TBC", "tbc - school",
                                   "?", "-", "…", "...", "not known", "to be confirmed"])
@pytest.mark.parametrize("pointer", [
    "/part_a/children/0/health_and_medication", "/part_a/children/0/likes_and_interests",
    "/part_a/services/family_not_available", "/part_a/children/0/school",
])
def test_a_placeholder_is_no_answer_anywhere(pointer: str, typed: str) -> None:
    instance = _with(example("referral-domiciliary-only"), {pointer: typed})
    found = _errors_at(problems(instance), pointer)
    assert len(found) == 1, (typed, [p.message for p in problems(instance) if p.pointer == pointer])
    assert "not an answer" in found[0].message


@pytest.mark.parametrize("typed", ["None", "N/A", "n/a", "Not applicable", "None known"])
def test_none_is_an_answer_where_the_schema_allows_it(typed: str) -> None:
    catalogue = default_catalogue()
    instance = example("referral-domiciliary-only")
    allowed = [leaf.pointer.replace("*", "0") for leaf in catalogue.part_leaves("part_a") if leaf.accepts_none
               and leaf.box.text and "previous_reference" not in leaf.pointer and "short_break" not in leaf.pointer]
    assert len(allowed) >= 6, allowed
    _with(instance, dict.fromkeys(allowed, typed))
    found = problems(instance)
    assert not [p for p in found if p.pointer in allowed and p.is_error], [p.message for p in found if p.is_error]


def test_an_optional_box_may_say_none() -> None:
    instance = _with(example("referral-domiciliary-only"), {
        "/part_a/referral/urgent": "No", "/part_a/referral/urgent_reason": "N/A",
        "/part_a/children/0/principal_contact/email": "n/a",
    })
    found = problems(instance)
    assert not [p for p in found if p.is_error and p.pointer.endswith(("urgent_reason", "email"))], found


def test_a_resubmission_reference_of_none_is_no_reference(tmp_path: Path) -> None:
    """'N/A' typed in a box that takes None but holds a reference is read as no reference."""
    instance = _with(example("referral-domiciliary-only"), {"/part_a/referral/previous_reference": "N/A"})
    path = tmp_path / "referral.pdf"
    path.write_bytes(form_pdf(instance))
    examined = examine(FileContext(path=path, source=path.name, settings=Settings(today=date(2026, 2, 3))))
    assert "previous_reference" not in examined.coerced.instance["part_a"]["referral"]
    assert not [p for p in examined.problems if p.pointer.endswith("previous_reference")]


def test_the_hint_the_tooltip_and_the_guidance_sheet_follow_the_one_annotation() -> None:
    catalogue = default_catalogue()
    guides = {
        field.label: field.guidance
        for kind in ("referral", "provider")
        for part in build_guidance(kind).parts
        for section in part.sections
        for field in section.fields
    }
    marked = 0
    for leaf in catalogue.leaves:
        says = NONE_HINT in leaf.description
        assert says == leaf.accepts_none, leaf.pointer
        pointer = leaf.pointer.replace("*", "0")
        assert (NONE_HINT in tooltip(pointer, leaf, catalogue)) == leaf.accepts_none, pointer
        if leaf.accepts_none:
            marked += 1
            assert any(guidance.endswith(NONE_HINT) for label, guidance in guides.items() if leaf.title in label)
        assert "Type None" not in str(leaf.node.get("description", "")), f"{leaf.pointer}: say it with x-none-answer"
    assert marked >= 10


@pytest.mark.parametrize("typed", ["N/A", "x", "X", "Signed", "yes", "ok", "approved", "/s/", "1234", "J"])
def test_a_typed_signature_must_look_like_a_name(typed: str) -> None:
    instance = _with(example("referral-domiciliary-only"), {"/part_a/manager_approval/signature": typed})
    found = _errors_at(problems(instance), "/part_a/manager_approval/signature")
    assert len(found) == 1, [p.message for p in problems(instance) if "signature" in p.pointer]


@pytest.mark.parametrize("typed", ["Jo Bloggs", "J. Bloggs", "J Bloggs", "jo bloggs", "Jo  Bloggs"])
def test_the_managers_own_name_is_a_signature(typed: str) -> None:
    instance = _with(example("referral-domiciliary-only"), {"/part_a/manager_approval/signature": typed})
    assert not [p for p in problems(instance) if p.pointer == "/part_a/manager_approval/signature"]


def test_a_signature_in_another_name_is_a_warning() -> None:
    instance = _with(example("referral-domiciliary-only"), {"/part_a/manager_approval/signature": "Sam Carter"})
    found = [p for p in problems(instance) if p.pointer == "/part_a/manager_approval/signature"]
    assert [p.severity for p in found] == [Severity.warning], found
    assert "'Manager's name'" in found[0].message


def test_provider_boxes_need_answers_too() -> None:
    response = _with(example("provider-response"), {"/part_b/responder/name": "N/A", "/part_b/comments": "N/A",
                                                    "/part_b/staffing": "TBC"})
    found = problems(response)
    assert _errors_at(found, "/part_b/responder/name")
    assert not _errors_at(found, "/part_b/comments")
    assert _errors_at(found, "/part_b/staffing")
