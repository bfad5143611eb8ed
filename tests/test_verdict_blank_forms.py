"""Issue 13, items 1 and 2: no blank form is accepted, and what is missing is named box by box.

Blank forms of every kind, a referral with only Annex 1, a referral with one box filled and ``{}`` for
every kind: each is refused with one problem per missing box (its label and page), never a section
("'About this referral' is missing") and never twice. ``brokerage validate`` and ``brokerage process``
say the same about the same file.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pipeline_inputs import blank, example, form_pdf
from typer.testing import CliRunner

from brokerage.cli import app
from brokerage.rules import load_policy, validate
from brokerage.schema import FormKind, default_catalogue

runner = CliRunner()
TODAY = "2026-02-03"
KINDS = [kind.value for kind in FormKind]

# A few boxes each blank form must name, with the page they are on in the generated form.
MUST_NAME = {
    "referral": ("/part_a/referral/date_of_referral", "/part_a/allocated_worker/name", "/part_a/children/0/name",
                 "/part_a/children/0/school_holidays/0/from", "/part_a/children/0/desired_outcomes/0",
                 "/part_a/manager_approval/signature"),
    "provider-response": ("/part_b/referral_reference", "/part_b/provider/name", "/part_b/can_meet",
                          "/part_b/responder/date"),
    "ipa": ("/part_c/reference", "/part_c/child/name", "/part_c/service/weekly_cost", "/part_c/provider/name"),
}


def _validate_json(path: Path) -> tuple[int, dict]:
    result = runner.invoke(app, ["validate", str(path), "--json", "--today", TODAY])
    return result.exit_code, json.loads(result.stdout)


def _is_a_box(pointer: str) -> bool:
    """A pointer names a box on the form: a leaf, or a table drawn as one group of boxes."""
    catalogue = default_catalogue()
    node = catalogue.node(pointer)
    return node is not None and (node.leaf is not None or node.is_table)


@pytest.fixture(scope="module")
def blanks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("blanks")
    out = {}
    for kind in KINDS:
        path = folder / f"blank-{kind}.pdf"
        path.write_bytes(blank(kind))
        out[kind] = path
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_a_blank_form_is_refused_box_by_box_with_pages(blanks: dict[str, Path], kind: str) -> None:
    code, payload = _validate_json(blanks[kind])
    assert code == 1, payload
    assert payload["valid"] is False
    errors = [p for p in payload["problems"] if p["severity"] == "error"]
    pointers = [p["pointer"] for p in errors]
    assert len(pointers) == len(set(pointers)), "a box is named once"
    for problem in errors:
        assert _is_a_box(problem["pointer"]), problem
        assert problem["page"] is not None and problem["field"], problem
        assert "is missing" not in problem["message"], problem
    for pointer in MUST_NAME[kind]:
        assert pointer in pointers, (pointer, pointers)


def test_a_referral_with_one_box_filled_names_every_other_box(tmp_path: Path) -> None:
    path = tmp_path / "one-box.pdf"
    path.write_bytes(form_pdf({"part_a": {"allocated_worker": {"name": "Priya Sharma"}}}))
    code, payload = _validate_json(path)
    assert code == 1
    messages = [p["message"] for p in payload["problems"]]
    assert not any("is missing" in m for m in messages), messages
    pointers = [p["pointer"] for p in payload["problems"] if p["severity"] == "error"]
    assert len(pointers) == len(set(pointers))
    assert {"/part_a/referral/date_of_referral", "/part_a/referral/urgent", "/part_a/referral/panel_approved",
            "/part_a/allocated_worker/telephone", "/part_a/services/start_date"} <= set(pointers)
    assert "/part_a/allocated_worker/name" not in pointers
    assert all(_is_a_box(p) for p in pointers), pointers


def test_a_referral_with_only_annex_1_is_refused(tmp_path: Path) -> None:
    only_annex = {"annex_1": example("referral-summer-scheme")["annex_1"]}
    path = tmp_path / "annex-only.pdf"
    path.write_bytes(form_pdf(only_annex))
    code, payload = _validate_json(path)
    assert code == 1
    pointers = {p["pointer"] for p in payload["problems"] if p["severity"] == "error"}
    assert "/part_a/children/0/name" in pointers and "/part_a/manager_approval/signature" in pointers


@pytest.mark.parametrize("kind", list(FormKind))
def test_empty_data_validates_for_no_kind(kind: FormKind) -> None:
    found = validate({}, policy=load_policy(), received=date(2026, 2, 3), kind=kind)
    errors = [p for p in found if p.is_error]
    assert errors, kind
    assert all(_is_a_box(p.pointer) for p in errors), [p.pointer for p in errors]


def test_empty_data_without_a_kind_is_refused() -> None:
    found = validate({}, policy=load_policy(), received=date(2026, 2, 3))
    assert any(p.is_error for p in found)


def test_blank_forms_in_a_batch_are_returned_and_validate_agrees(blanks: dict[str, Path], tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for path in blanks.values():
        (inbox / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    result = runner.invoke(app, ["process", str(inbox), "-o", str(out), "--jobs", "1", "--today", TODAY])
    assert result.exit_code == 0, result.output
    summary = {f["source"]: f for f in json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"]}
    for kind, path in blanks.items():
        entry = summary[path.name]
        assert entry["status"] == "returned", entry
        assert not any(p["rule"].startswith("file:") for p in entry["problems"]), entry
        assert not (out / "cases").exists() or not any((out / "cases").iterdir()), "nothing filed"
        _code, payload = _validate_json(path)
        assert _said(payload["problems"]) == _said(entry["problems"]), kind


def _said(problems: list[dict]) -> list[tuple]:
    """What a person reads about each problem, in one order."""
    return sorted((p["pointer"], p["page"], p["rule"], p["severity"], p["message"]) for p in problems)
