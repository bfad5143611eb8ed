"""The schema: valid Draft 2020-12, every example validates, every constraint and conditional bites."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from brokerage.schema import default_catalogue, field_name, load_schema, pointer_from_name, set_at
from brokerage.schema.names import is_valid_token

EXAMPLES = Path(__file__).parent / "examples"
VALIDATOR = jsonschema.Draft202012Validator(
    load_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def error_paths(instance: dict[str, Any]) -> set[tuple[str, str]]:
    """(JSON path of the failing value, keyword) for every error, conditionals included."""
    out: set[tuple[str, str]] = set()
    for error in VALIDATOR.iter_errors(instance):
        stack = [error]
        while stack:
            e = stack.pop()
            out.add(("/" + "/".join(str(p) for p in e.absolute_path), e.validator))
            stack.extend(e.context or [])
    return out


def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_top_level_parts_are_exactly_the_four_parts() -> None:
    assert list(load_schema()["properties"]) == ["part_a", "annex_1", "part_b", "part_c"]
    assert default_catalogue().version == "1.0"


def test_defs_cover_what_repeats() -> None:
    defs = load_schema()["$defs"]
    for name in ("child", "person", "date", "time_of_day", "timetable_row", "weekly_timetable", "date_range"):
        assert name in defs


@pytest.mark.parametrize(
    "name",
    [
        "referral-two-children.json",
        "referral-domiciliary-only.json",
        "referral-summer-scheme.json",
        "provider-response.json",
        "ipa.json",
    ],
)
def test_examples_validate(name: str) -> None:
    assert error_paths(example(name)) == set()


def test_two_child_example_has_two_children_and_annex() -> None:
    data = example("referral-two-children.json")
    assert len(data["part_a"]["children"]) == 2
    assert len(data["annex_1"]["children"]) == 2


# (example, pointer to set or delete, value or DELETE, expected (path, keyword) in the errors)
DELETE = object()
BREAKS = [
    # conditionals the guidance states
    ("referral-two-children.json", "/part_a/children/0/mobility_equipment", DELETE, ("/part_a/children/0", "required")),
    (
        "referral-two-children.json",
        "/part_a/children/0/mobility_equipment",
        "   ",
        ("/part_a/children/0/mobility_equipment", "pattern"),
    ),
    ("referral-two-children.json", "/annex_1", DELETE, ("/", "required")),
    ("referral-domiciliary-only.json", "/part_a/referral/urgent_reason", DELETE, ("/part_a/referral", "required")),
    (
        "referral-domiciliary-only.json",
        "/part_a/services/domiciliary_care/holidays",
        DELETE,
        ("/part_a/services/domiciliary_care", "required"),
    ),
    (
        "referral-domiciliary-only.json",
        "/part_a/services/domiciliary_care/term_time_weekly_hours",
        DELETE,
        ("/part_a/services/domiciliary_care", "required"),
    ),
    (
        "referral-two-children.json",
        "/part_a/services/specific_provider",
        {"requested": "Yes"},
        ("/part_a/services/specific_provider", "required"),
    ),
    (
        "referral-two-children.json",
        "/part_a/services/short_break/summer_scheme_basis",
        DELETE,
        ("/part_a/services/short_break", "required"),
    ),
    ("provider-response.json", "/part_b/proposed_start_date", DELETE, ("/part_b", "required")),
    # completeness: blank is not an answer
    (
        "referral-two-children.json",
        "/part_a/children/1/behaviours_that_challenge",
        "",
        ("/part_a/children/1/behaviours_that_challenge", "minLength"),
    ),
    (
        "referral-two-children.json",
        "/part_a/allocated_worker/telephone",
        DELETE,
        ("/part_a/allocated_worker", "required"),
    ),
    ("referral-two-children.json", "/part_a/services/family_not_available", DELETE, ("/part_a/services", "required")),
    (
        "referral-two-children.json",
        "/part_a/manager_approval/signature",
        DELETE,
        ("/part_a/manager_approval", "required"),
    ),
    # constraints
    (
        "referral-two-children.json",
        "/part_a/children/0/desired_outcomes/3",
        "A fourth outcome",
        ("/part_a/children/0/desired_outcomes", "maxItems"),
    ),
    ("referral-two-children.json", "/part_a/children/0/mosaic_id", "12AB", ("/part_a/children/0/mosaic_id", "pattern")),
    (
        "referral-two-children.json",
        "/part_a/children/0/date_of_birth",
        "14/06/2015",
        ("/part_a/children/0/date_of_birth", "format"),
    ),
    (
        "referral-two-children.json",
        "/part_a/children/0/mobility_issues",
        "Maybe",
        ("/part_a/children/0/mobility_issues", "enum"),
    ),
    (
        "referral-two-children.json",
        "/part_a/children/0/current_support_funding",
        "Cash",
        ("/part_a/children/0/current_support_funding", "enum"),
    ),
    (
        "referral-two-children.json",
        "/part_a/services/short_break/timetable/saturday/from",
        "10am",
        ("/part_a/services/short_break/timetable/saturday/from", "pattern"),
    ),
    (
        "referral-two-children.json",
        "/part_a/services/short_break/timetable/saturday/to",
        DELETE,
        ("/part_a/services/short_break/timetable/saturday", "dependentRequired"),
    ),
    (
        "referral-two-children.json",
        "/part_a/services/short_break/timetable/saturday/hours",
        2.1,
        ("/part_a/services/short_break/timetable/saturday/hours", "multipleOf"),
    ),
    (
        "referral-two-children.json",
        "/part_a/services/short_break/timetable/funday",
        {"hours": 1},
        ("/part_a/services/short_break/timetable", "additionalProperties"),
    ),
    (
        "referral-two-children.json",
        "/part_a/manager_approval/approval_basis",
        "Phone call",
        ("/part_a/manager_approval/approval_basis", "enum"),
    ),
    ("referral-two-children.json", "/part_a/children/3", None, ("/part_a/children", "maxItems")),
    ("referral-two-children.json", "/part_a/services/short_break/required", False, ("/part_a/services", "anyOf")),
    ("referral-two-children.json", "/annex_1/parents_informed", False, ("/annex_1/parents_informed", "const")),
    (
        "referral-two-children.json",
        "/annex_1/children/0/dates/0/preference",
        "Maybe",
        ("/annex_1/children/0/dates/0/preference", "enum"),
    ),
    (
        "referral-two-children.json",
        "/part_a/allocated_worker/email",
        "priya at council",
        ("/part_a/allocated_worker/email", "pattern"),
    ),
    ("provider-response.json", "/part_b/referral_reference", "REF-1", ("/part_b/referral_reference", "pattern")),
    ("provider-response.json", "/part_b/can_meet", "Most", ("/part_b/can_meet", "enum")),
    ("provider-response.json", "/part_b/hourly_rate", -1, ("/part_b/hourly_rate", "minimum")),
    ("ipa.json", "/part_c/service/weekly_cost", DELETE, ("/part_c/service", "required")),
    ("ipa.json", "/part_c/provider_signatory/signature", "signed", ("/part_c/provider_signatory/signature", "type")),
]


def _apply(data: dict[str, Any], pointer: str, value: Any) -> None:
    parent_pointer, _, last = pointer.rpartition("/")
    if value is DELETE:
        from brokerage.schema import get_at

        parent = get_at(data, parent_pointer) if parent_pointer else data
        del parent[last]
    elif pointer == "/part_a/children/3":
        child = copy.deepcopy(data["part_a"]["children"][0])
        data["part_a"]["children"].extend([child, copy.deepcopy(child)])
    else:
        set_at(data, pointer, value)


@pytest.mark.parametrize(("name", "pointer", "value", "expected"), BREAKS, ids=[b[1] + ":" + b[3][1] for b in BREAKS])
def test_each_constraint_bites_with_the_exact_path(
    name: str, pointer: str, value: Any, expected: tuple[str, str]
) -> None:
    data = example(name)
    _apply(data, pointer, value)
    assert expected in error_paths(data)


def test_property_names_make_reversible_field_names() -> None:
    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for name in node.get("properties", {}):
                assert is_valid_token(name), name
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(load_schema())
    for leaf in default_catalogue().leaves:
        for pointer in leaf.concrete():
            name = field_name(pointer)
            assert pointer_from_name(name) == pointer
            assert len(name) < 127


@pytest.mark.parametrize("bad", ["part_a.children", "Part_a__x", "part_a___x", "_part_a", "form id", "a/b"])
def test_names_not_made_by_field_name_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        pointer_from_name(bad)


def test_every_leaf_has_a_label_and_guidance() -> None:
    for leaf in default_catalogue().leaves:
        assert leaf.title.strip(), leaf.pointer
        assert leaf.description.strip() or leaf.type == "boolean" or leaf.pointer.endswith(("/from", "/to")), (
            leaf.pointer
        )


def test_repeats_give_one_slot_per_item() -> None:
    by_pointer = {leaf.pointer: leaf for leaf in default_catalogue().leaves}
    assert by_pointer["/part_a/children/*/name"].slots == (3,)
    assert by_pointer["/part_a/children/*/desired_outcomes/*"].slots == (3, 3)
    outcomes = list(by_pointer["/part_a/children/*/desired_outcomes/*"].concrete())
    assert outcomes[0] == "/part_a/children/0/desired_outcomes/0"
    assert outcomes[-1] == "/part_a/children/2/desired_outcomes/2"
    assert len(outcomes) == 9


def test_forms_group_the_parts() -> None:
    assert default_catalogue().forms["referral"].parts == ("part_a", "annex_1")
    assert default_catalogue().forms["provider-response"].parts == ("part_b",)
    assert default_catalogue().forms["ipa"].parts == ("part_c",)


def test_personal_fields_are_marked_for_anonymisation() -> None:
    personal = {leaf.pointer for leaf in default_catalogue().leaves if leaf.personal}
    for pointer in (
        "/part_a/children/*/name",
        "/part_a/children/*/date_of_birth",
        "/part_a/children/*/mosaic_id",
        "/part_a/children/*/address",
        "/part_a/children/*/principal_contact/name",
        "/part_a/children/*/principal_contact/telephone",
        "/annex_1/children/*/name",
    ):
        assert pointer in personal
