"""Coercion: what people type into a form becomes schema types, or a problem on that field."""

from __future__ import annotations

import pytest

from brokerage.processor.coerce import CoercionError, coerce_form, coerce_value
from brokerage.processor.pdf_read import RawField
from brokerage.schema import Catalogue, Severity, default_catalogue, field_name, load_schema
from brokerage.schema.parsing import parse_date, parse_hours, parse_money, parse_time

leaf_for_pointer = default_catalogue().leaf


def field_context(pointer: str) -> str:
    return default_catalogue().where(pointer).context()


def raw(
    pointer: str, value: str | bool | None, kind: str = "text", page: int | None = 2, max_length: int | None = None
):
    return RawField(name=field_name(pointer), kind=kind, value=value, page=page, max_length=max_length)


def fields(*items: RawField) -> dict[str, RawField]:
    return {item.name: item for item in items}


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("1/3/2026", "2026-03-01"),
        ("01/03/2026", "2026-03-01"),
        ("1.3.2026", "2026-03-01"),
        ("1-3-2026", "2026-03-01"),
        ("1 March 2026", "2026-03-01"),
        ("1 Mar 2026", "2026-03-01"),
        ("1st March 2026", "2026-03-01"),
        ("Sunday 1 March 2026", "2026-03-01"),
        ("March 1, 2026", "2026-03-01"),
        ("2026-03-01", "2026-03-01"),
        (" 29/02/2028 ", "2028-02-29"),
    ],
)
def test_uk_dates_become_iso(typed: str, iso: str) -> None:
    assert parse_date(typed) == iso


@pytest.mark.parametrize(
    "typed", ["31/02/2026", "13/13/2026", "next Tuesday", "1/3/26", "29/02/2026", "March", "3/2026"]
)
def test_impossible_or_ambiguous_dates_are_refused(typed: str) -> None:
    with pytest.raises(CoercionError):
        parse_date(typed)


@pytest.mark.parametrize(
    ("typed", "clock"),
    [
        ("9:30", "09:30"),
        ("09:30", "09:30"),
        ("9.30am", "09:30"),
        ("9.30 a.m.", "09:30"),
        ("2pm", "14:00"),
        ("2 PM", "14:00"),
        ("12pm", "12:00"),
        ("12am", "00:00"),
        ("14:00", "14:00"),
        ("1430", "14:30"),
        ("noon", "12:00"),
    ],
)
def test_times_become_hh_mm(typed: str, clock: str) -> None:
    assert parse_time(typed) == clock


@pytest.mark.parametrize("typed", ["9", "25:00", "13pm", "9:75", "morning", "9 or 10"])
def test_unreadable_times_are_refused(typed: str) -> None:
    with pytest.raises(CoercionError):
        parse_time(typed)


@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        ("3", 3),
        ("3.5", 3.5),
        ("3:30", 3.5),
        ("3½", 3.5),
        ("3 hours", 3),
        ("3h 30m", 3.5),
        ("45 mins", 0.75),
        (".5", 0.5),
    ],
)
def test_hours(typed: str, hours: float) -> None:
    assert parse_hours(typed) == hours


@pytest.mark.parametrize("typed", ["3 or 4", "3-4", "a few", "3:75"])
def test_hours_that_are_not_one_number(typed: str) -> None:
    with pytest.raises(CoercionError):
        parse_hours(typed)


@pytest.mark.parametrize(
    ("typed", "pounds"),
    [("£21.50", 21.5), ("21.5", 21.5), ("£1,200", 1200), ("£21.50 per hour", 21.5), ("21.50ph", 21.5)],
)
def test_money(typed: str, pounds: float) -> None:
    assert parse_money(typed) == pounds


@pytest.mark.parametrize("typed", ["£20-£25", "twenty pounds", "£21.505"])
def test_money_that_is_not_one_amount(typed: str) -> None:
    with pytest.raises(CoercionError):
        parse_money(typed)


def test_choices_and_ticks_by_leaf() -> None:
    urgent = leaf_for_pointer("/part_a/referral/urgent")
    ticked = leaf_for_pointer("/part_a/services/short_break/required")
    funding = leaf_for_pointer("/part_a/children/0/current_support_funding")
    assert urgent and ticked and funding
    assert coerce_value(urgent, "Yes") == "Yes"
    assert coerce_value(urgent, "no") == "No"
    assert coerce_value(urgent, None) is None
    assert coerce_value(ticked, True) is True
    assert coerce_value(ticked, False) is None
    assert coerce_value(funding, "direct payment") == "Direct payment"
    with pytest.raises(CoercionError):
        coerce_value(funding, "Grant")


def test_form_coercion_builds_the_instance_and_drops_blank_slots() -> None:
    got = coerce_form(
        fields(
            raw("/part_a/referral/date_of_referral", "2/2/2026", page=1),
            raw("/part_a/referral/urgent", "No", kind="radio", page=1),
            raw("/part_a/children/0/name", "Zoë Nguyễn"),
            raw("/part_a/children/0/address", "12 Example Street\r\nLeicester\rLE1 1AA"),
            raw("/part_a/children/0/desired_outcomes/0", ""),
            raw("/part_a/children/0/desired_outcomes/1", "Makes friends"),
            raw("/part_a/children/1/name", None),
            raw("/part_a/services/short_break/required", True, kind="checkbox", page=4),
            raw("/part_a/services/short_break/timetable/saturday/from", "10am", page=4),
            raw("/part_a/services/short_break/timetable/saturday/hours", "5", page=4),
            raw("/part_a/services/domiciliary_care/required", False, kind="checkbox", page=5),
            raw("/part_b/hourly_rate", "£20", page=1),
            RawField(name="form_id", kind="text", value="referral 1.0", page=1),
            RawField(name="Some Other Field", kind="text", value="x", page=1),
        ),
        "referral",
    )
    assert got.problems == ()
    assert got.instance == {
        "part_a": {
            "referral": {"date_of_referral": "2026-02-02", "urgent": "No"},
            "children": [
                {
                    "name": "Zoë Nguyễn",
                    "address": "12 Example Street\nLeicester\nLE1 1AA",
                    "desired_outcomes": ["Makes friends"],
                }
            ],
            "services": {"short_break": {"required": True, "timetable": {"saturday": {"from": "10:00", "hours": 5}}}},
        }
    }
    assert got.pages["/part_a/services/short_break/required"] == 4
    assert "/part_b/hourly_rate" not in got.pages  # not a field of a referral


def test_unreadable_value_is_a_problem_naming_field_section_and_page() -> None:
    got = coerce_form(
        fields(
            raw("/part_a/children/1/date_of_birth", "31/02/2015", page=3),
            raw("/part_a/services/short_break/timetable/monday/hours", "3 or 4", page=4),
        ),
        "referral",
    )
    assert "children" not in got.instance.get("part_a", {})  # never a guess
    by_pointer = {p.pointer: p for p in got.problems}
    dob = by_pointer["/part_a/children/1/date_of_birth"]
    assert dob.rule == "coerce:date"
    assert dob.severity is Severity.error
    assert dob.page == 3
    assert dob.field == "Date of birth"
    assert dob.section == "Section 2 – Details of the child"
    assert dob.message.startswith("Section 2 – Details of the child, page 3: 'Date of birth' (Details of the child 2)")
    assert "'31/02/2015', which is not a real date" in dob.message
    hours = by_pointer["/part_a/services/short_break/timetable/monday/hours"]
    assert hours.rule == "coerce:hours"
    assert "Monday" in hours.message and "'3 or 4'" in hours.message


def test_value_cut_by_the_box_length_is_reported_not_trimmed() -> None:
    text = "x" * 40
    got = coerce_form(fields(raw("/part_a/children/0/school", text, max_length=40)), "referral")
    assert got.instance["part_a"]["children"][0]["school"] == text
    (problem,) = got.problems
    assert problem.rule == "coerce:box-length"
    assert "40 characters" in problem.message


def test_long_text_is_kept_whole() -> None:
    text = "line\r\n" * 400
    got = coerce_form(fields(raw("/part_a/children/0/communication", text)), "referral")
    assert got.instance["part_a"]["children"][0]["communication"] == ("line\n" * 400).strip()


def test_field_context_names_repeat_and_row() -> None:
    assert (
        field_context("/part_a/children/1/school_holidays/0/from") == "Details of the child 2, School holiday dates 1"
    )
    assert field_context("/part_b/offer/monday/hours") == "Days and times you can offer, Monday"
    assert field_context("/part_a/allocated_worker/name") == ""


def test_value_longer_than_the_schema_allows_is_an_error_not_a_trim() -> None:
    document = load_schema()
    document["$defs"]["child"]["properties"]["gender"]["maxLength"] = 10
    short = Catalogue(document)
    got = coerce_form(fields(raw("/part_a/children/0/gender", "Prefers not to say")), "referral", short)
    assert got.instance["part_a"]["children"][0]["gender"] == "Prefers not to say"
    (problem,) = got.problems
    assert problem.rule == "coerce:max-length" and problem.is_error
    assert "18 characters long, more than the 10" in problem.message


def test_plain_numbers_refuse_a_decimal_comma() -> None:
    from brokerage.schema.parsing import parse_number

    assert parse_number("1,200") == 1200
    assert parse_number("3.5") == 3.5
    assert parse_number("4", integer=True) == 4
    for typed in ("1,5", "3 or 4", "three"):
        with pytest.raises(CoercionError):
            parse_number(typed)
    with pytest.raises(CoercionError):
        parse_number("2.5", integer=True)
