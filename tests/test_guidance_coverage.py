"""docs/guidance-coverage.md names only pointers, rule ids and policy keys that exist, covers every general
point, and mentions every registered rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brokerage.rules import RULES, load_policy
from brokerage.rules.schema_problems import MESSAGES
from brokerage.schema import default_catalogue

DOC = Path(__file__).resolve().parents[1] / "docs" / "guidance-coverage.md"
TEXT = DOC.read_text(encoding="utf-8")
CODE = re.findall(r"`([^`]+)`", TEXT)


def _templates() -> set[str]:
    """Every leaf template and every container above one (``/part_a``, ``/part_a/children/*`` …)."""
    out: set[str] = set()
    for leaf in default_catalogue().leaves:
        steps = leaf.pointer.strip("/").split("/")
        out.update("/" + "/".join(steps[:n]) for n in range(1, len(steps) + 1))
    return out


def _template(pointer: str) -> str:
    return re.sub(r"/[0-9]+(?=/|$)", "/*", pointer)


POINTERS = [code for code in CODE if code.startswith(("/part_", "/annex_"))]
RULE_IDS = [code for code in CODE if code.startswith("guidance-")]


def test_the_doc_names_pointers_and_rules() -> None:
    assert len(POINTERS) > 40
    assert len(RULE_IDS) > 20


@pytest.mark.parametrize("pointer", sorted(set(POINTERS)))
def test_every_pointer_exists_in_the_schema(pointer: str) -> None:
    assert _template(pointer) in _templates(), f"{pointer} is not a field or container of the schema"


@pytest.mark.parametrize("rule_id", sorted(set(RULE_IDS)))
def test_every_rule_id_is_registered(rule_id: str) -> None:
    assert rule_id in RULES


def test_every_schema_keyword_named_has_a_message() -> None:
    for code in CODE:
        if code.startswith("schema:") and code != "schema:<keyword>" and code != "schema:*":
            assert code.removeprefix("schema:") in MESSAGES, code


def test_every_policy_key_named_exists() -> None:
    keys = {row.key for row in load_policy().settings()}
    sections = {key.split(".")[0] for key in keys if "." in key}
    for key in re.findall(r"policy `([^`]+)`", TEXT):
        if key.endswith(".*"):
            assert key[:-2] in sections, key
        else:
            assert key in keys, key
    for key in re.findall(r", `((?:summer_scheme|response|brokerage|service_dates)\.[a-z_*]+)`", TEXT):
        assert key in keys or key[:-2] in sections, key


def test_every_general_point_has_a_row() -> None:
    for number in range(1, 12):
        assert re.search(rf"^\| {number} \|", TEXT, re.MULTILINE), f"general point {number} has no row"


def test_every_registered_rule_is_mapped() -> None:
    assert sorted(set(RULES) - set(RULE_IDS)) == []


TESTS = re.findall(r"`(test_\w+\.py)::(test_\w+)`", TEXT)


def test_the_doc_names_its_tests() -> None:
    assert len(TESTS) > 60


@pytest.mark.parametrize(("module", "name"), sorted(set(TESTS)))
def test_every_test_named_exists(module: str, name: str) -> None:
    source = (Path(__file__).parent / module).read_text(encoding="utf-8")
    assert re.search(rf"^def {name}\(", source, re.MULTILINE), f"{module} has no {name}"


def test_every_row_says_its_stage_and_its_tests() -> None:
    stages = {"read", "schema", "rule", "route", "write", "policy", "–"}
    rows = [line for line in TEXT.splitlines() if line.startswith("| ") and not line.startswith(("| #", "| Guidance",
                                                                                                   "| detector"))]
    checked = 0
    for row in rows:
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        if len(cells) < 5 or "tests/data/detectors" in row:
            continue
        stage, tests = cells[-3], cells[-2]
        named = {part.strip() for part in stage.split(",")}
        assert named and named <= stages, row
        assert ("::" in tests) != (named == {"–"}), row
        checked += 1
    assert checked > 40
