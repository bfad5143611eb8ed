"""Case folders: named by the reference only, the right files for each kind, identical on re-run."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from outputs_support import accepted, example, filled, returned, sha
from pypdf import PdfReader, PdfWriter

from brokerage.errors import OurOutputError, OutputError
from brokerage.generator.build import part_pages
from brokerage.pdf import read_pdf_form
from brokerage.processor.outputs import write_case
from brokerage.processor.pdf_read import read_form

REFERENCE = "BRK-2026-0001"
REFERRAL_FILES = [
    f"cases/{REFERENCE}/{name}"
    for name in (
        "annex-1.json", "annex-1.pdf", "anonymised-referral.json", "anonymised-referral.pdf", "part-a.pdf",
        "part-b-prefilled.pdf", "referral.json",
    )
]


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_referral_with_summer_scheme_gets_every_file(tmp_path: Path) -> None:
    pdf = filled("referral-summer-scheme")
    written = write_case(accepted("referral-summer-scheme", pdf, REFERENCE), pdf, tmp_path)
    assert written == REFERRAL_FILES
    assert sorted(_tree(tmp_path)) == REFERRAL_FILES, "nothing else (no temporary files) is left"
    folder = tmp_path / "cases" / REFERENCE
    assert json.loads((folder / "referral.json").read_text(encoding="utf-8")) == example("referral-summer-scheme")
    assert json.loads((folder / "annex-1.json").read_text(encoding="utf-8")) == {
        "annex_1": example("referral-summer-scheme")["annex_1"]
    }


def test_referral_without_summer_scheme_has_no_annex(tmp_path: Path) -> None:
    pdf = filled("referral-domiciliary-only")
    written = write_case(accepted("referral-domiciliary-only", pdf, REFERENCE), pdf, tmp_path)
    assert [w for w in written if "annex" in w] == []
    assert f"cases/{REFERENCE}/part-a.pdf" in written


def test_part_b_is_prefilled_with_the_reference(tmp_path: Path) -> None:
    pdf = filled("referral-summer-scheme")
    write_case(accepted("referral-summer-scheme", pdf, REFERENCE), pdf, tmp_path)
    form = read_form((tmp_path / "cases" / REFERENCE / "part-b-prefilled.pdf").read_bytes())
    assert form.form_id == "provider-response 1.0"
    assert form.value("part_b__referral_reference") == REFERENCE
    assert form.value("part_b__provider__name") is None


def test_rerun_writes_identical_bytes(tmp_path: Path) -> None:
    pdf = filled("referral-two-children")
    result = accepted("referral-two-children", pdf, REFERENCE)
    first_run = write_case(result, pdf, tmp_path / "one")
    again = write_case(result, pdf, tmp_path / "one")
    elsewhere = write_case(result, pdf, tmp_path / "two")
    assert first_run == again == elsewhere
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


def test_names_come_from_the_reference_never_from_typed_text(tmp_path: Path) -> None:
    data = example("referral-summer-scheme")
    data["part_a"]["children"][0]["name"] = "../../etc/passwd"
    data["annex_1"]["children"][0]["name"] = "../../etc/passwd"
    pdf = filled("x", data)
    written = write_case(accepted("referral-summer-scheme", pdf, REFERENCE, data), pdf, tmp_path)
    assert all(path.startswith(f"cases/{REFERENCE}/") and ".." not in path for path in written)


@pytest.mark.parametrize("reference", ["../BRK-2026-0001", "Zoë", "BRK-2026-0001/..", None, "brk-2026-0001"])
def test_a_case_folder_needs_a_real_reference(tmp_path: Path, reference: str | None) -> None:
    pdf = filled("referral-domiciliary-only")
    result = accepted("referral-domiciliary-only", pdf, "BRK-2026-0001")
    with pytest.raises(OutputError, match="brokerage reference"):
        write_case(result.__class__(**{**result.__dict__, "reference": reference}), pdf, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_only_accepted_forms_are_filed(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="Only accepted"):
        write_case(returned(example("referral-summer-scheme"), ()), b"%PDF-", tmp_path)


def test_provider_responses_are_numbered_and_filed_once(tmp_path: Path) -> None:
    first = example("provider-response")
    second = example("provider-response")
    second["part_b"]["provider"]["name"] = "=cmd|' /C calc'!A0"
    pdf_one, pdf_two = filled("provider-response"), filled("x", second)
    one = accepted("provider-response", pdf_one, REFERENCE, first)
    two = accepted("provider-response", pdf_two, REFERENCE, second)
    received_one = f"cases/{REFERENCE}/received/{sha(pdf_one)[:12]}-provider-response.pdf"
    assert write_case(one, pdf_one, tmp_path) == [received_one, f"cases/{REFERENCE}/responses/1-response.json",
                                                    f"cases/{REFERENCE}/responses/1-response.pdf"]
    assert write_case(two, pdf_two, tmp_path)[1] == f"cases/{REFERENCE}/responses/2-response.json"
    assert write_case(one, pdf_one, tmp_path)[1] == f"cases/{REFERENCE}/responses/1-response.json", "kept its number"
    folder = tmp_path / "cases" / REFERENCE / "responses"
    assert sorted(p.name for p in folder.iterdir()) == [
        "1-response.json", "1-response.pdf", "2-response.json", "2-response.pdf"
    ]
    # issue 14: the filed response is made from the checked data, the received bytes are kept as evidence
    assert (tmp_path / received_one).read_bytes() == pdf_one
    filed = read_pdf_form((folder / "1-response.pdf").read_bytes()).by_name()
    assert filed["part_b__provider__name"].value == first["part_b"]["provider"]["name"]


def test_ipa_is_kept_untouched_as_received(tmp_path: Path) -> None:
    data = example("ipa")
    for role in ("provider_signatory", "countersignature"):
        del data["part_c"][role]["signature"]  # signed in a PDF reader, not filled
    pdf = filled("x", data)
    written = write_case(accepted("ipa", pdf, REFERENCE, data), pdf, tmp_path)
    received = f"cases/{REFERENCE}/received/{sha(pdf)[:12]}-ipa.pdf"
    assert written == [f"cases/{REFERENCE}/ipa.json", f"cases/{REFERENCE}/ipa.pdf", received]
    copy = (tmp_path / received).read_bytes()
    assert copy == pdf and sha(copy) == sha(pdf), "a signed agreement must never be rewritten"
    filed = (tmp_path / "cases" / REFERENCE / "ipa.pdf").read_bytes()  # made from the data, marked as ours
    assert filed != pdf
    with pytest.raises(OurOutputError, match="a document the brokerage toolkit made"):
        read_form(filed, source="ipa.pdf")


def test_key_order_of_the_data_does_not_change_a_byte(tmp_path: Path) -> None:
    # Fresh from the reader the data is in form order; read back from the ledger its keys are sorted.
    pdf = filled("referral-summer-scheme")
    data = example("referral-summer-scheme")
    resorted = json.loads(json.dumps(data, sort_keys=True))
    write_case(accepted("referral-summer-scheme", pdf, REFERENCE, data), pdf, tmp_path / "form-order")
    write_case(accepted("referral-summer-scheme", pdf, REFERENCE, resorted), pdf, tmp_path / "sorted")
    assert _tree(tmp_path / "form-order") == _tree(tmp_path / "sorted")
    assert list(json.loads((tmp_path / "sorted" / "cases" / REFERENCE / "referral.json").read_text())["part_a"]) == [
        "referral", "allocated_worker", "children", "services", "manager_approval"
    ]


def test_annex_is_made_afresh_when_the_worker_removed_its_pages(tmp_path: Path) -> None:
    pdf = filled("referral-summer-scheme")
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    writer.append(reader, pages=[n - 1 for n in part_pages(reader)["part_a"]])
    buffer = io.BytesIO()
    writer.write(buffer)
    part_a_only = buffer.getvalue()
    written = write_case(accepted("referral-summer-scheme", part_a_only, REFERENCE), part_a_only, tmp_path)
    assert f"cases/{REFERENCE}/annex-1.pdf" in written
    fields = read_pdf_form((tmp_path / "cases" / REFERENCE / "annex-1.pdf").read_bytes()).by_name()
    assert {name.split("__")[0] for name in fields} == {"annex_1"}
    assert fields["annex_1__children__0__name"].value == "Zoë Łukasz-O’Brien Nguyễn"
    assert fields["annex_1__children__0__dates__2__preference"].value == "Not required"
