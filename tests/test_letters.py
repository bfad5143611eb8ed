"""The return letter: every problem in page order, addressed to the worker, safe as HTML, repeatable."""

from __future__ import annotations

import io
from pathlib import Path

from outputs_support import example, returned
from pypdf import PdfReader

from brokerage.processor.outputs import write_return_letter
from brokerage.processor.outputs.letters import build_letter, case_subject
from brokerage.processor.outputs.order import page_order
from brokerage.schema import Problem, Severity

HTML_PAYLOAD = '<script>alert("x")</script>'


def problem(pointer: str, page: int | None, message: str, severity: Severity = Severity.error) -> Problem:
    return Problem(pointer=pointer, field=f"Label of {pointer or 'form'}", rule="schema:required", severity=severity,
                   message=message, section="Section", page=page)


PROBLEMS = (
    problem("/part_a/manager_approval/date_signed", 9, "Sign and date the manager's approval."),
    problem("/part_a/children/1/name", 4, "Type the second child's name."),
    problem("/part_a/children/0/school", 2, "Type the school.", Severity.warning),
    problem("/part_a/children/0/name", 2, "Type the first child's name."),
    problem("", None, "This form is for another year."),
    problem("/part_a/referral/urgent_reason", 1, f"Say why it is urgent {HTML_PAYLOAD}"),
)
IN_PAGE_ORDER = [
    "This form is for another year.",
    f"Say why it is urgent {HTML_PAYLOAD}",
    "Type the first child's name.",
    "Type the school.",
    "Type the second child's name.",
    "Sign and date the manager's approval.",
]


def test_problems_are_listed_in_page_then_form_order() -> None:
    letter = build_letter(returned(example("referral-summer-scheme"), PROBLEMS))
    assert [item.message for item in letter.items] == IN_PAGE_ORDER
    assert [item.page for item in letter.items] == ["–", "1", "2", "2", "4", "9"]
    assert [item.must_fix for item in letter.items] == [True, True, True, False, True, True]


def test_letter_is_addressed_to_the_allocated_worker() -> None:
    letter = build_letter(returned(example("referral-summer-scheme"), PROBLEMS))
    assert letter.greeting == "Dear Priya Sharma,"
    assert letter.subject == "Returned referral: ZŁON 1234567"
    assert build_letter(returned(None, PROBLEMS)).greeting == "Dear colleague,"
    provider = build_letter(returned(example("provider-response"), PROBLEMS, kind="provider-response"))
    assert provider.greeting == "Dear Sam Carter,"


def test_subject_carries_initials_and_mosaic_ids_of_every_child() -> None:
    assert case_subject(example("referral-two-children")) == "ZŁON 1234567, TN 7654321"
    assert case_subject(example("ipa")) == "ZŁON 1234567"


def test_html_and_pdf_are_written_under_the_reference(tmp_path: Path) -> None:
    result = returned(example("referral-summer-scheme"), PROBLEMS)
    written = write_return_letter(result, tmp_path)
    stem = "returned/BRK-2026-0007/abababababab-letter"
    assert written == [f"{stem}.html", f"{stem}.pdf"]
    html = (tmp_path / written[0]).read_text(encoding="utf-8")
    positions = [html.index(m.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace("'", "&#39;"))
                 for m in IN_PAGE_ORDER]
    assert positions == sorted(positions)
    assert "<script>" not in html and "&lt;script&gt;" in html
    reader = PdfReader(io.BytesIO((tmp_path / written[1]).read_bytes()))
    pdf_text = "".join(page.extract_text() for page in reader.pages)
    assert "Dear Priya Sharma," in pdf_text
    pdf_positions = [pdf_text.index(m[:22]) for m in IN_PAGE_ORDER]
    assert pdf_positions == sorted(pdf_positions)


def test_without_a_real_reference_the_letter_goes_by_hash(tmp_path: Path) -> None:
    result = returned(None, PROBLEMS, reference="../../BRK-2026-0007", kind="provider-response")
    stem = "returned/abababababab-letter"
    assert write_return_letter(result, tmp_path) == [f"{stem}.html", f"{stem}.pdf"]


def test_rerun_writes_identical_bytes(tmp_path: Path) -> None:
    result = returned(example("referral-two-children"), PROBLEMS)
    one = {p: (tmp_path / "a" / p).read_bytes() for p in write_return_letter(result, tmp_path / "a")}
    two = {p: (tmp_path / "b" / p).read_bytes() for p in write_return_letter(result, tmp_path / "b")}
    assert one == two


def test_letter_pdf_carries_no_date_and_an_id_of_its_own(tmp_path: Path) -> None:
    one = write_return_letter(returned(example("referral-two-children"), PROBLEMS), tmp_path)[1]
    two = write_return_letter(returned(example("referral-two-children"), PROBLEMS, digest="cd" * 32), tmp_path)[1]
    readers = [PdfReader(tmp_path / path) for path in (one, two)]
    assert readers[0].trailer["/ID"] != readers[1].trailer["/ID"]
    for reader in readers:
        assert reader.metadata is not None
        assert "/CreationDate" not in reader.metadata and "/ModDate" not in reader.metadata
        assert reader.metadata.title == "Your referral has been returned"


def test_without_pages_problems_follow_the_form_child_by_child() -> None:
    pointers = [
        "/part_a/children/1/name",
        "/part_a/manager_approval/signature",
        "/part_a/children/0/principal_contact/telephone",
        "/part_a/referral/urgent_reason",
        "/part_a/children/0/name",
    ]
    ordered = page_order([problem(p, None, p) for p in pointers])
    assert [p.pointer for p in ordered] == [
        "/part_a/referral/urgent_reason",
        "/part_a/children/0/name",
        "/part_a/children/0/principal_contact/telephone",
        "/part_a/children/1/name",
        "/part_a/manager_approval/signature",
    ]
