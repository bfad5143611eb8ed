"""The rules registry stamps what every problem of a rule has in common: a rule yields where and what."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pipeline_inputs import example, form_pdf
from rules_support import RECEIVED

from brokerage.processor.pipeline import FileContext, Settings, examine
from brokerage.rules import RULES, Finding, RuleContext, RuleInfo, load_policy, validate
from brokerage.rules.registry import Rule
from brokerage.schema import Catalogue, FormKind, Severity, load_schema

RULES_FOLDER = Path(__file__).resolve().parents[1] / "rules"


CONTEXT = RuleContext(policy=load_policy(), received=RECEIVED, kind=FormKind.referral)


def _info(severity: Severity = Severity.warning) -> RuleInfo:
    return RuleInfo("guidance-test-rule", "8", "A test rule", "Said for the test.", severity)


def test_a_finding_becomes_a_complete_problem() -> None:
    def find(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
        pointer = "/part_a/children/1/school_holidays/0/to"
        yield Finding(pointer, f"{ctx.place(pointer)}{ctx.phrase(pointer)} is odd.")

    (problem,) = Rule(_info(), find).check({}, CONTEXT)
    assert problem.rule == "guidance-test-rule" and problem.severity is Severity.warning
    assert problem.field == "To"
    assert problem.section == "Section 2 – Details of the child"
    assert problem.message == "Details of the child (child 2): 'To' (Holiday 1) is odd."
    assert problem.page is None  # the processor knows the page, from the file


def test_a_finding_may_carry_the_other_severity() -> None:
    def find(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
        yield Finding("/part_a/referral/urgent", "a warning")
        yield Finding("/part_a/referral/urgent", "an error", severity=Severity.error)

    found = list(Rule(_info(), find).check({}, CONTEXT))
    assert [(p.message, p.severity) for p in found] == [("a warning", Severity.warning), ("an error", Severity.error)]


def test_labels_come_from_the_catalogue_in_force() -> None:
    document = load_schema()
    document["properties"]["part_a"]["properties"]["referral"]["properties"]["urgent"]["title"] = "Urgent?"
    renamed = Catalogue(document)

    def find(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
        yield Finding("/part_a/referral/urgent", f"{ctx.phrase('/part_a/referral/urgent')} is No.")

    ctx = RuleContext(policy=load_policy(), received=RECEIVED, kind=FormKind.referral, catalogue=renamed)
    (problem,) = Rule(_info(), find).check({}, ctx)
    assert (problem.field, problem.message) == ("Urgent?", "'Urgent?' is No.")


def test_no_rule_spells_its_id_or_severity_twice() -> None:
    """Rules yield findings; the registry stamps id and severity (no rule builds a Problem itself)."""
    for path in sorted(RULES_FOLDER.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            assert node.func.id not in ("Problem", "make_problem"), f"{path.name}:{node.lineno}"
            if node.func.id == "Finding":
                spelt = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                assert not [s for s in spelt if s.startswith("guidance-")], f"{path.name}:{node.lineno}"


def test_the_rule_context_carries_the_form_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []

    def find(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
        seen.append(ctx.kind)
        return iter(())

    monkeypatch.setitem(RULES, "guidance-test-rule", Rule(_info(), find))
    validate(example("ipa"), policy=load_policy(), received=RECEIVED, kind=FormKind.ipa)
    path = tmp_path / "response.pdf"
    path.write_bytes(form_pdf(example("provider-response")))
    examine(FileContext(path=path, source=path.name, settings=Settings(today=date(2026, 2, 5))))
    assert seen == [FormKind.ipa, FormKind.provider_response]
    assert all(isinstance(kind, FormKind) for kind in seen)
