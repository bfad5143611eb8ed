"""``brokerage.pdf.flatten.flatten_form``: our own flattening (the demo's), judged by real engines.

The richest referral filled by our filler, flattened by ``flatten_form`` and by ``qpdf
--flatten-annotations=all``: both render the same picture on every page (poppler), the flattened file has
no fields and no ``/AcroForm`` left but keeps the document information, an unchosen radio button stays
unchosen (pypdf's own flatten draws every button chosen), and the flattened reader reads it back exact.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from engines import require_pdfium, require_tool
from flattened_support import fill, flatten, richest_referral

from brokerage.pdf.flatten import flatten_form
from brokerage.processor.flattened import as_raw_form, read_flattened
from brokerage.processor.pdf_read import read_form
from brokerage.schema import FORM_ID_FIELD


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_pdfium()
    work = tmp_path_factory.mktemp("flatten")
    filled = fill("ours", work, richest_referral())
    ours = work / "ours-flat.pdf"
    ours.write_bytes(flatten_form(filled.read_bytes()))
    return {"filled": filled, "ours": ours, "qpdf": flatten("qpdf", filled, work / "qpdf-flat.pdf")}


def pictures(path: Path, dpi: int = 40) -> list[bytes]:
    from PIL import Image

    stem = path.with_suffix("")
    subprocess.run([require_tool("pdftoppm"), "-gray", "-r", str(dpi), str(path), str(stem)], check=True,
                   capture_output=True, timeout=300)
    return [Image.open(p).tobytes() for p in sorted(path.parent.glob(stem.name + "-*.pgm"))]


def test_our_flattening_draws_what_qpdf_draws_on_every_page(files: dict[str, Path]) -> None:
    ours, theirs = pictures(files["ours"]), pictures(files["qpdf"])
    assert len(ours) == len(theirs) == 17
    differing = [i + 1 for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
    assert differing == []


def test_the_form_is_gone_and_the_document_information_kept(files: dict[str, Path]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(str(files["ours"]))
    assert not reader.get_fields() and "/AcroForm" not in reader.trailer["/Root"]
    assert all(
        annot.get_object().get("/Subtype") != "/Widget" for page in reader.pages for annot in page.get("/Annots", [])
    )
    assert reader.metadata is not None and reader.metadata["/BrokerageForm"] == "referral 1.0"
    assert flatten_form(files["filled"].read_bytes()) == files["ours"].read_bytes()  # same input, same bytes


def test_the_flattened_reader_reads_our_flattening_back_exact(files: dict[str, Path]) -> None:
    truth = read_form(files["filled"].read_bytes())
    read = read_flattened(files["ours"].read_bytes(), source="ours-flat.pdf")
    raw = as_raw_form(read)
    assert read.recognised_by == "document marker" and not read.unreadable
    assert {n: raw.value(n) for n in truth.fields if n != FORM_ID_FIELD} == {
        n: f.value for n, f in truth.fields.items() if n != FORM_ID_FIELD
    }
    # the third child's radio groups were left empty: no button is drawn chosen
    assert read.boxes["part_a__children__2__mobility_issues"].value is None
    assert read.boxes["part_a__children__0__mobility_issues"].value == "Yes"
