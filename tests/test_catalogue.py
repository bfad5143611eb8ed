"""The schema model: a catalogue built from any schema document, each box's kind decided once from the
schema (never from a title), the form kinds and their facts, and nothing read or cached at import."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from engines import fill_with_pdfium
from pipeline_inputs import example

from brokerage.errors import SchemaError
from brokerage.generator import build_form, generate, list_fields
from brokerage.processor.coerce import coerce_value
from brokerage.processor.pipeline import FileContext, Settings, coerce, examine, extract, identify, read
from brokerage.schema import (
    BOX_KINDS,
    FORM_ID_INFO_KEY,
    KIND_FACTS,
    Catalogue,
    CoercionError,
    FormKind,
    default_catalogue,
    field_name,
    load_schema,
)
from brokerage.schema import boxes as box_kinds
from brokerage.schema.boxes import REGISTRY, Rank, box_kind_for, rank_with, widget_hint_is


def with_part_b(**properties: dict[str, Any]) -> Catalogue:
    """The shipped schema with more boxes in Part B: a catalogue of its own."""
    document = load_schema()
    document["properties"]["part_b"]["properties"].update(properties)
    return Catalogue(document)


def test_nothing_is_read_or_built_at_import() -> None:
    script = (
        "import importlib, pkgutil, brokerage\n"
        "from brokerage import schema\n"
        "for package in ('schema', 'rules', 'generator', 'processor', 'cli'):\n"
        "    module = importlib.import_module(f'brokerage.{package}')\n"
        "    for info in pkgutil.walk_packages(module.__path__, f'brokerage.{package}.'):\n"
        "        importlib.import_module(info.name)\n"
        "print(schema.default_catalogue.cache_info().currsize, hasattr(schema, 'FORMS'), "
        "hasattr(schema, 'SCHEMA_VERSION'))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    assert out.split() == ["0", "False", "False"]


def test_the_shipped_catalogue_is_built_once_and_knows_its_forms() -> None:
    catalogue = default_catalogue()
    assert default_catalogue() is catalogue
    assert catalogue.version == "1.0"
    assert [form.kind for form in catalogue.forms.values()] == list(FormKind)
    assert catalogue.forms["referral"].parts == ("part_a", "annex_1")
    assert catalogue.form(FormKind.ipa).form_id == "ipa 1.0"


def test_a_changed_schema_is_a_catalogue_of_its_own() -> None:
    document = load_schema()
    document["properties"]["part_b"]["properties"]["languages"] = {"type": "string", "title": "Languages"}
    changed = Catalogue(document)
    document["properties"]["part_b"]["properties"]["later"] = {"type": "string", "title": "Added afterwards"}
    assert changed.leaf("/part_b/languages") is not None
    assert changed.leaf("/part_b/later") is None  # the catalogue keeps the document it was built from
    assert default_catalogue().leaf("/part_b/languages") is None
    assert len(changed.leaves) == len(default_catalogue().leaves) + 1
    assert changed.memo("blank", lambda: b"ours") == b"ours"
    assert default_catalogue().memo("blank", lambda: b"shipped") == b"shipped"  # caches are per catalogue


def test_a_catalogue_crosses_into_a_worker_process() -> None:
    assert pickle.loads(pickle.dumps(default_catalogue())) is default_catalogue()
    changed = with_part_b(languages={"type": "string", "title": "Languages"})
    copy = pickle.loads(pickle.dumps(changed))
    assert copy is not changed
    assert [leaf.pointer for leaf in copy.leaves] == [leaf.pointer for leaf in changed.leaves]
    assert pickle.loads(pickle.dumps(Settings(today=date(2026, 2, 2), catalogue=changed))).catalogue.leaf(
        "/part_b/languages"
    )


@pytest.mark.parametrize(
    ("pointer", "kind"),
    [
        ("/part_a/referral/date_of_referral", "date"),
        ("/part_a/referral/urgent", "yes-no"),
        ("/part_a/referral/urgent_reason", "multiline"),
        ("/part_a/allocated_worker/name", "text"),
        ("/part_a/allocated_worker/telephone", "telephone"),
        ("/part_a/allocated_worker/email", "email"),
        ("/part_a/children/0/mosaic_id", "mosaic-id"),
        ("/part_a/children/2/current_support_funding", "choice"),
        ("/part_a/services/short_break/required", "tick"),
        ("/part_a/services/short_break/timetable/monday/from", "time"),
        ("/part_a/services/short_break/timetable/monday/hours", "hours"),
        ("/part_a/manager_approval/signature", "text"),  # typed, not a digital signature: its $defs say so
        ("/part_b/referral_reference", "reference"),
        ("/part_b/hourly_rate", "money"),
        ("/part_c/service/weekly_cost", "money"),
        ("/part_c/provider_signatory/signature", "signature"),
    ],
)
def test_each_shipped_box_has_its_kind(pointer: str, kind: str) -> None:
    leaf = default_catalogue().leaf(pointer)
    assert leaf is not None and leaf.box.name == kind


def test_the_kind_comes_from_the_definition_or_a_hint_never_from_the_title() -> None:
    catalogue = with_part_b(
        sleep_in={"$ref": "#/$defs/money", "title": "Sleep-in rate", "description": "Per night."},
        pounds={"type": "number", "title": "Mileage (£)", "description": "A number typed with a pound sign."},
        week={"type": "number", "minimum": 0, "maximum": 168, "title": "Hours a week", "description": "Any."},
        hinted={"type": "number", "x-widget": "hours", "title": "Travel time", "description": "Hours."},
    )
    kinds = {name: catalogue.leaf(f"/part_b/{name}").box.name for name in ("sleep_in", "pounds", "week", "hinted")}
    assert kinds == {"sleep_in": "money", "pounds": "number", "week": "number", "hinted": "hours"}
    assert coerce_value(catalogue.leaf("/part_b/sleep_in"), "£85.50") == 85.5
    with pytest.raises(CoercionError):  # a plain number box does not guess that "£" means pounds
        coerce_value(catalogue.leaf("/part_b/pounds"), "£12")
    assert coerce_value(catalogue.leaf("/part_b/hinted"), "1h 30m") == 1.5


def test_two_kinds_for_one_box_are_refused_not_guessed() -> None:
    tie = (*REGISTRY, (rank_with(Rank.hint, widget_hint_is("multiline")), box_kinds.TEXT))
    with pytest.raises(SchemaError, match="could be multiline, text: add an x-widget hint"):
        box_kind_for({"type": "string", "x-widget": "multiline"}, "/part_x/notes", tie)
    with pytest.raises(SchemaError, match="no kind of value"):
        box_kind_for({"type": "null"}, "/part_x/nothing")
    with pytest.raises(SchemaError, match="holds a boolean"):
        with_part_b(odd={"type": "string", "x-widget": "signature", "title": "Sign here"})


def test_every_kind_of_box_is_one_row_with_a_widget_and_a_reading() -> None:
    from brokerage.generator.widgets import WIDGETS

    names = [kind.name for kind in BOX_KINDS]
    assert len(names) == len(set(names))
    for kind in BOX_KINDS:
        assert kind.widget in WIDGETS, kind.name
        assert (kind.parse is None) == kind.ticked, kind.name
    used = {leaf.box for leaf in default_catalogue().leaves}
    assert used <= set(BOX_KINDS)


def test_an_unknown_form_kind_is_refused() -> None:
    document = load_schema()
    document["properties"]["part_c"]["x-form"] = "newsletter"
    with pytest.raises(SchemaError, match="'newsletter' the toolkit does not know"):
        Catalogue(document)


def test_form_kinds_keep_their_strings_and_every_kind_has_its_facts() -> None:
    from brokerage.processor.ledger import _CASE_ROWS
    from brokerage.processor.outputs.case_folder import CASE_WRITERS

    assert [kind.value for kind in FormKind] == ["referral", "provider-response", "ipa"]
    assert set(KIND_FACTS) == set(FormKind) == set(CASE_WRITERS) == set(_CASE_ROWS)
    assert [kind for kind in FormKind if kind.facts.opens_case] == [FormKind.referral]
    assert [kind for kind in FormKind if kind.facts.deferred] == [FormKind.provider_response, FormKind.ipa]
    catalogue = default_catalogue()
    for kind in FormKind:
        for pointer in (kind.facts.addressee, kind.facts.quoted_reference):
            if pointer is not None:
                leaf = catalogue.leaf(pointer)
                assert leaf is not None and leaf.part in catalogue.form(kind).parts, (kind, pointer)
    assert FormKind.provider_response.filename == "provider-response.pdf"
    assert json.dumps({"kind": FormKind.ipa}) == '{"kind": "ipa"}'


@pytest.mark.parametrize(
    ("pointer", "trail", "context", "place", "phrase"),
    [
        ("/part_a/children/1/school_holidays/0/from", ["Details of the child 2", "School holiday dates 1"],
         "Details of the child 2, School holiday dates 1", "Details of the child (child 2): ",
         "'From' (Holiday 1)"),
        ("/part_b/offer/monday/hours", ["Days and times you can offer", "Monday"],
         "Days and times you can offer, Monday", "Part B – Provider response: ",
         "'Hours' (Days and times you can offer, Monday)"),
        ("/part_a/children/0/desired_outcomes/2", ["Details of the child 1"],
         "Details of the child 1, Desired outcomes of the support 3", "Details of the child (child 1): ",
         "'Outcome 3'"),
        ("/part_a/allocated_worker/name", [], "", "Allocated worker details: ", "'Allocated worker's name'"),
    ],
)
def test_where_a_box_is_is_one_walk_said_for_each_reader(
    pointer: str, trail: list[str], context: str, place: str, phrase: str
) -> None:
    where = default_catalogue().where(pointer)
    assert (where.trail(), where.context(), where.place(), where.phrase()) == (trail, context, place, phrase)


def test_problems_are_listed_in_one_order() -> None:
    from brokerage.schema import Problem, Severity

    catalogue = default_catalogue()
    found = [
        catalogue.problem("/part_a/children/1/name", "schema:required", Severity.error, "b"),
        catalogue.problem("/part_a/children/0/name", "guidance-x", Severity.warning, "c"),
        catalogue.problem("/part_a/children/0/name", "coerce:text", Severity.error, "a"),
        Problem("", "", "schema:anyOf", Severity.error, "whole form"),
    ]
    ordered = catalogue.in_form_order(found)
    assert [(p.pointer, p.rule) for p in ordered] == [
        ("", "schema:anyOf"),
        ("/part_a/children/0/name", "coerce:text"),
        ("/part_a/children/0/name", "guidance-x"),
        ("/part_a/children/1/name", "schema:required"),
    ]
    assert (ordered[1].field, ordered[1].section) == ("Child's name", "Section 2 – Details of the child")


def test_one_extra_leaf_reaches_the_form_the_reader_and_the_guidance(tmp_path: Path) -> None:
    """The brief's proof: one leaf more in the schema, no other change, and the box is drawn, read back from
    a file filled by PDFium, validated, and explained in the guidance sheet."""
    catalogue = with_part_b(
        sleep_in_rate={"$ref": "#/$defs/money", "title": "Sleep-in rate",
                       "description": "Your rate for a night's sleep-in support, in pounds."},
    )
    written = generate(tmp_path / "forms", catalogue=catalogue)
    blank = tmp_path / "forms" / "provider-response.pdf"
    assert blank in written
    listed = {f.pointer: f for f in list_fields(blank.read_bytes(), catalogue=catalogue).fields}
    assert listed["/part_b/sleep_in_rate"].type == "number" and listed["/part_b/sleep_in_rate"].title == "Sleep-in rate"
    assert blank.read_bytes() == build_form(catalogue.form(FormKind.provider_response))
    guidance = (tmp_path / "forms" / "guidance-provider.html").read_text(encoding="utf-8")
    assert "Sleep-in rate" in guidance and "Your rate for a night&#39;s sleep-in support" in guidance

    values: dict[str, str | bool] = {
        field_name("/part_b/referral_reference"): "BRK-2026-0001",
        field_name("/part_b/provider/name"): "Bright Days Play Ltd",
        field_name("/part_b/sleep_in_rate"): "£85.50",
    }
    filled = tmp_path / "filled.pdf"
    fill_with_pdfium(blank, values, filled)
    ctx = FileContext(path=filled, source="filled.pdf", settings=Settings(today=date(2026, 2, 5), catalogue=catalogue))
    got = read(ctx)
    identity = identify(ctx, got.form)
    instance = coerce(extract(got.form, identity, catalogue), identity, catalogue).instance  # brokerage extract
    assert identity.kind is FormKind.provider_response
    assert instance["part_b"]["sleep_in_rate"] == 85.5  # a money box, by its $defs, read as pounds
    examined = examine(ctx)
    assert not [p for p in examined.problems if p.pointer == "/part_b/sleep_in_rate"]
    assert not [p for p in examined.problems if p.rule == "schema:additionalProperties"]

    shipped = FileContext(path=filled, source="filled.pdf", settings=Settings(today=date(2026, 2, 5)))
    assert "sleep_in_rate" not in coerce(extract(read(shipped).form, identity), identity).instance["part_b"]


def test_the_form_id_is_spelt_once() -> None:
    from brokerage.processor.outputs.providers import part_b_prefilled
    from brokerage.processor.pdf_read import read_form

    prefilled = read_form(part_b_prefilled("BRK-2026-0042", "seed"))
    assert prefilled.form_id == default_catalogue().form(FormKind.provider_response).form_id
    assert prefilled.value(field_name("/part_b/referral_reference")) == "BRK-2026-0042"
    assert FORM_ID_INFO_KEY == "/BrokerageForm"
    assert example("provider-response")["part_b"]["referral_reference"] == "BRK-2026-0001"
