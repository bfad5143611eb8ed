"""The per-file pipeline: each step alone, then check → route for good and bad files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pipeline_inputs import (
    decompression_bomb,
    encrypted,
    example,
    foreign_form_pdf,
    form_pdf,
    scan_like_pdf,
    text_named_pdf,
    truncated,
    with_form_id,
    with_values,
)

from brokerage.processor.ledger import Ledger
from brokerage.processor.pdf_read import RawField, RawForm
from brokerage.processor.pipeline import (
    Checked,
    FileContext,
    Settings,
    check,
    extract,
    identify,
    page_of,
)
from brokerage.processor.results import Status
from brokerage.processor.routing import RouteContext, note_seen, route
from brokerage.schema import Severity

TODAY = date(2026, 2, 2)
SETTINGS = Settings(today=TODAY)


def ctx_for(tmp_path: Path, name: str, data: bytes, settings: Settings = SETTINGS) -> FileContext:
    path = tmp_path / name
    path.write_bytes(data)
    return FileContext(path=path, source=name, settings=settings)


@pytest.fixture(scope="module")
def referral_pdf() -> bytes:
    return form_pdf(example("referral-two-children"))


@pytest.fixture
def ledger(tmp_path: Path):
    with Ledger(tmp_path / "ledger.sqlite3") as opened:
        yield opened


def test_valid_referral_reads_back_exactly(tmp_path: Path, referral_pdf: bytes) -> None:
    checked = check(ctx_for(tmp_path, "a.pdf", referral_pdf))
    assert checked.kind == "referral"
    assert not checked.rejected
    assert checked.data == example("referral-two-children")
    assert not [p for p in checked.problems if p.is_error]
    assert all(p.page for p in checked.problems if p.pointer)


def test_typed_values_are_coerced_and_bad_ones_reported_with_pages(tmp_path: Path) -> None:
    typed = with_values(
        example("referral-domiciliary-only"),
        {
            "/part_a/referral/date_of_referral": "2 February 2026",
            "/part_a/services/start_date": "2/3/2026",
            "/part_a/children/0/date_of_birth": "31/02/2015",
            "/part_a/manager_approval/date_signed": "next Tuesday",
        },
    )
    checked = check(ctx_for(tmp_path, "typed.pdf", form_pdf(typed)))
    assert checked.data is not None
    assert checked.data["part_a"]["referral"]["date_of_referral"] == "2026-02-02"
    assert checked.data["part_a"]["services"]["start_date"] == "2026-03-02"
    rules = {p.pointer: p for p in checked.problems if p.rule.startswith("coerce:")}
    assert set(rules) == {"/part_a/children/0/date_of_birth", "/part_a/manager_approval/date_signed"}
    for problem in rules.values():
        assert problem.page is not None and problem.page >= 1
        assert problem.severity is Severity.error
    # the unreadable date is not also reported as blank by validation
    assert [p.pointer for p in checked.problems].count("/part_a/children/0/date_of_birth") == 1
    # coercion and validation problems come together in the order of the boxes on the form
    from brokerage.schema import default_catalogue

    form_order = default_catalogue().form_order

    keys = [form_order(p.pointer) for p in checked.problems]
    assert keys == sorted(keys)


def test_validation_problems_get_the_page_of_their_field(tmp_path: Path) -> None:
    blank_behaviours = with_values(
        example("referral-domiciliary-only"), {"/part_a/children/0/behaviours_that_challenge": None}
    )
    checked = check(ctx_for(tmp_path, "b.pdf", form_pdf(blank_behaviours)))
    problems = [p for p in checked.problems if p.pointer == "/part_a/children/0/behaviours_that_challenge"]
    assert problems and problems[0].is_error
    assert problems[0].page == checked.pages["/part_a/children/0/behaviours_that_challenge"]


def test_page_of_a_group_is_its_first_field() -> None:
    pages = {"/part_a/children/1/name": 3, "/part_a/children/1/school": 4, "/part_a/x": 1}
    assert page_of("/part_a/children/1", pages) == 3
    assert page_of("/part_a/children/1/name", pages) == 3
    assert page_of("/part_a/children/2", pages) is None
    assert page_of("", pages) is None


def test_extract_keeps_only_the_identified_forms_fields() -> None:
    form = RawForm(
        form_id="provider-response 1.0",
        fields={
            "form_id": RawField("form_id", "text", "provider-response 1.0", 1),
            "part_b__can_meet": RawField("part_b__can_meet", "choice", "All of the package", 1),
            "part_a__referral__urgent": RawField("part_a__referral__urgent", "radio", "Yes", 1),
            "Print": RawField("Print", "button", None, 1),
        },
        page_count=1,
    )
    ctx = FileContext(path=Path("x.pdf"), source="x.pdf", settings=SETTINGS)
    identity = identify(ctx, form)
    assert list(extract(form, identity)) == ["part_b__can_meet"]


@pytest.mark.parametrize(
    ("maker", "rule", "words"),
    [
        (lambda ref: text_named_pdf(), "file:not-a-pdf", "is not a PDF file"),
        (truncated, "file:damaged", "cut off"),
        (lambda ref: encrypted(ref, "secret"), "file:encrypted", "password"),
        (lambda ref: scan_like_pdf(), "file:flattened", "has no form fields"),
        (lambda ref: foreign_form_pdf(), "file:not-our-form", "not a brokerage form"),
    ],
)
def test_bad_files_are_rejected_with_a_sentence_naming_them(
    tmp_path: Path, referral_pdf: bytes, maker, rule: str, words: str
) -> None:
    checked = check(ctx_for(tmp_path, "in box/odd name.pdf".replace("/", "_"), maker(referral_pdf)))
    assert checked.rejected
    (problem,) = checked.problems
    assert problem.rule == rule
    assert "'in box_odd name.pdf'" in problem.message and words in problem.message
    assert problem.message.rstrip().endswith(".")


def test_empty_user_password_is_opened(tmp_path: Path, referral_pdf: bytes) -> None:
    checked = check(ctx_for(tmp_path, "locked.pdf", encrypted(referral_pdf, "")))
    assert not checked.rejected
    assert checked.data == example("referral-two-children")


def test_too_large_is_rejected_unread(tmp_path: Path, referral_pdf: bytes) -> None:
    small = Settings(today=TODAY, max_bytes=1000)
    checked = check(ctx_for(tmp_path, "big.pdf", referral_pdf, small))
    assert checked.rejected and checked.problems[0].rule == "file:too-large"
    assert "'big.pdf'" in checked.problems[0].message


def test_decompression_bomb_is_rejected_quickly(tmp_path: Path) -> None:
    import time

    bomb = decompression_bomb(form_pdf(example("provider-response")), "part_b__comments")
    started = time.monotonic()
    checked = check(ctx_for(tmp_path, "bomb.pdf", bomb))
    assert time.monotonic() - started < 10
    assert checked.rejected
    assert checked.problems[0].rule == "file:too-large"
    assert "'bomb.pdf' expands to far more data than a form holds" in checked.problems[0].message


def test_other_schema_version_is_rejected_saying_which_is_expected(tmp_path: Path, referral_pdf: bytes) -> None:
    old = with_form_id(referral_pdf, "referral 0.9")
    checked = check(ctx_for(tmp_path, "old.pdf", old))
    assert checked.rejected
    assert checked.problems[0].rule == "file:wrong-version"
    assert "version 1.0" in checked.problems[0].message


# --- route ---------------------------------------------------------------------------------------


def _checked(kind: str, data: dict, sha: str, source: str, problems=()) -> Checked:
    return Checked(source=source, sha256=sha, kind=kind, data=data, problems=problems)


def test_route_referral_gets_a_reference_and_a_deadline(ledger: Ledger) -> None:
    rc = RouteContext(ledger=ledger, settings=SETTINGS)
    data = example("referral-domiciliary-only")
    result = route(_checked("referral", data, "1" * 64, "r.pdf"), rc)
    assert result.status is Status.accepted
    assert result.reference == "BRK-2026-0001"
    assert result.response_due == date(2026, 2, 4)  # urgent: 2 working days after Monday 2 February
    calm = with_values(data, {"/part_a/referral/urgent": "No", "/part_a/referral/urgent_reason": None})
    assert route(_checked("referral", calm, "6" * 64, "s.pdf"), rc).response_due == date(2026, 2, 9)
    again = route(_checked("referral", data, "1" * 64, "r.pdf"), RouteContext(ledger=ledger, settings=SETTINGS))
    assert again.reference == "BRK-2026-0001"  # same file, same reference


def test_route_duplicates_by_bytes_and_by_data(ledger: Ledger) -> None:
    rc = RouteContext(ledger=ledger, settings=SETTINGS)
    data = example("referral-domiciliary-only")
    first = route(_checked("referral", data, "1" * 64, "a.pdf"), rc)
    note_seen(first, rc)
    same_bytes = route(_checked("referral", data, "1" * 64, "b.pdf"), rc)
    same_data = route(_checked("referral", data, "2" * 64, "c.pdf"), rc)
    for dup in (same_bytes, same_data):
        assert dup.status is Status.duplicate
        assert dup.duplicate_of == "a.pdf"
        assert dup.reference is None
        assert "'a.pdf'" in dup.problems[0].message
    ledger.record(first, data_hash=None)
    fresh = RouteContext(ledger=ledger, settings=SETTINGS)  # a later run: the ledger remembers
    assert route(_checked("referral", data, "1" * 64, "d.pdf"), fresh).status is Status.duplicate


def test_route_returned_referral_with_errors(ledger: Ledger) -> None:
    from brokerage.schema import Problem

    problem = Problem("/part_a/x", "X", "schema:required", Severity.error, "Fill it.")
    result = route(
        _checked("referral", example("referral-domiciliary-only"), "3" * 64, "r.pdf", (problem,)),
        RouteContext(ledger=ledger, settings=SETTINGS),
    )
    assert result.status is Status.returned
    assert result.reference == "BRK-2026-0001"
    assert result.response_due is None


def test_response_with_unknown_reference_is_returned_not_a_crash(ledger: Ledger) -> None:
    rc = RouteContext(ledger=ledger, settings=SETTINGS)
    response = example("provider-response")
    result = route(_checked("provider-response", response, "4" * 64, "resp.pdf"), rc)
    assert result.status is Status.returned
    (problem,) = [p for p in result.problems if p.rule == "route:unknown-reference"]
    assert problem.pointer == "/part_b/referral_reference"
    assert "says 'BRK-2026-0001'" in problem.message  # what the provider typed; the format, no other reference
    assert "BRK-YYYY-NNNN" in problem.message and problem.message.count("BRK-2026") == 1
    referral = route(_checked("referral", example("referral-domiciliary-only"), "5" * 64, "ref.pdf"), rc)
    note_seen(referral, rc)
    known = route(_checked("provider-response", response, "4" * 64, "resp.pdf"), rc)
    assert known.status is Status.accepted
    assert known.reference == "BRK-2026-0001"


def test_metadata_stripped_form_is_identified_by_field_names(tmp_path: Path, referral_pdf: bytes) -> None:
    checked = check(ctx_for(tmp_path, "stripped.pdf", with_form_id(referral_pdf, None)))
    assert not checked.rejected
    assert checked.kind == "referral"
    assert checked.data == example("referral-two-children")


def test_rejected_stays_rejected(ledger: Ledger, tmp_path: Path) -> None:
    checked = check(ctx_for(tmp_path, "n.pdf", text_named_pdf()))
    result = route(checked, RouteContext(ledger=ledger, settings=SETTINGS))
    assert result.status is Status.rejected
    assert result.kind is None and result.reference is None


def test_a_file_that_cannot_be_opened_is_rejected_not_a_crash(tmp_path: Path) -> None:
    ctx = FileContext(path=tmp_path / "gone.pdf", source="gone.pdf", settings=SETTINGS)
    checked = check(ctx)
    assert checked.rejected
    assert checked.problems[0].rule == "file:unreadable"
    assert "'gone.pdf' cannot be opened" in checked.problems[0].message


def _plain_types(value: object) -> set[type]:
    if isinstance(value, dict):
        return {dict} | {type(k) for k in value} | set().union(*(_plain_types(v) for v in value.values()))
    if isinstance(value, list | tuple):
        return {type(value)} | set().union(*(_plain_types(v) for v in value))
    return {type(value)}


def test_nothing_of_pypdfs_leaves_the_checking_steps(tmp_path: Path, referral_pdf: bytes) -> None:
    checked = check(ctx_for(tmp_path, "a.pdf", referral_pdf))
    found = _plain_types(checked.data) | _plain_types(dict(checked.pages))
    for problem in checked.problems:
        found |= {type(problem.message), type(problem.field), type(problem.pointer)}
    assert found <= {dict, list, str, int, float, bool}


def test_a_hash_the_caller_took_is_used_not_taken_again(tmp_path: Path, referral_pdf: bytes) -> None:
    import hashlib

    from brokerage.processor.pipeline import read

    path = tmp_path / "referral.pdf"
    path.write_bytes(referral_pdf)
    given = "f" * 64
    known = FileContext(path=path, source=path.name, settings=SETTINGS, sha256=given, size=len(referral_pdf))
    assert read(known).sha256 == given
    changed = FileContext(path=path, source=path.name, settings=SETTINGS, sha256=given, size=len(referral_pdf) - 1)
    assert read(changed).sha256 == hashlib.sha256(referral_pdf).hexdigest()  # the file changed since: hash it


def test_the_size_is_checked_once_before_anything_is_read(tmp_path: Path) -> None:
    from brokerage.errors import TooLargeError
    from brokerage.processor.pipeline import read

    never_opened = tmp_path / "not-there.pdf"
    ctx = FileContext(path=never_opened, source="big.pdf", settings=SETTINGS, sha256="0" * 64, size=60 * 1_048_576)
    with pytest.raises(TooLargeError, match=r"'big\.pdf' is 60 MB, more than the 50 MB"):
        read(ctx)
