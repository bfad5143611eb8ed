"""Real PDF engines open the countersigned IPA: pdftk reads its boxes, PDFium and poppler draw it,
poppler's ``pdfsig`` finds every signature valid, ``qpdf --check`` finds no error."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from engines import render_with_pdfium, render_with_pdftoppm, require_tool
from signatures_support import (
    COUNTERSIGN_DAY,
    OFFICER,
    issued_ipa,
    make_certificates,
    sign_as_acrobat,
    type_with_mupdf,
    type_with_pdfium,
)

from brokerage.processor.signatures import (
    CERTIFICATION_FIELD,
    OFFICER_SIGNATURE,
    PROVIDER_SIGNATURE,
    certify,
    countersign,
)


@dataclass(frozen=True)
class Countersigned:
    digital: Path
    """Certified, typed incrementally, signed by the provider, countersigned with a certificate."""
    plain: Path
    """Issued without a certificate, typed in Chrome, countersigned without one."""


@pytest.fixture(scope="module")
def countersigned(tmp_path_factory: pytest.TempPathFactory) -> Countersigned:
    folder = tmp_path_factory.mktemp("engines")
    certs = make_certificates(folder / "certificates")
    certified = certify(issued_ipa(), certs.signer(certs.service))
    signed = sign_as_acrobat(type_with_mupdf(certified, folder), certs.provider)
    digital, plain = folder / "countersigned.pdf", folder / "countersigned-plain.pdf"
    digital.write_bytes(countersign(signed, OFFICER, COUNTERSIGN_DAY, certs.signer(certs.officer)))
    plain.write_bytes(countersign(type_with_pdfium(issued_ipa(), folder), OFFICER, COUNTERSIGN_DAY, None))
    return Countersigned(digital, plain)


def both(countersigned: Countersigned) -> list[Path]:
    return [countersigned.digital, countersigned.plain]


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, timeout=120).stdout.decode("utf-8", "replace")


def test_pdftk_reads_every_box_of_the_countersigned_file(countersigned: Countersigned) -> None:
    pdftk = require_tool("pdftk")
    for path in both(countersigned):
        dump = run(pdftk, str(path), "dump_data_fields_utf8")
        values = {}
        for block in dump.split("---"):
            lines = dict(line.split(": ", 1) for line in block.strip().splitlines() if ": " in line)
            if "FieldName" in lines:
                values[lines["FieldName"]] = (lines.get("FieldValue"), int(lines.get("FieldFlags", "0")))
        assert values["part_c__countersignature__name"] == (OFFICER, 1)
        assert values["part_c__countersignature__date"] == ("13/02/2026", 1)
        assert values["part_c__provider_signatory__name"][0] == "Sam Carter"
        assert values["part_c__service__hourly_rate"][0] == "21.5"


def test_poppler_finds_every_signature_valid(countersigned: Countersigned) -> None:
    pdfsig = require_tool("pdfsig")
    report = subprocess.run([pdfsig, str(countersigned.digital)], capture_output=True, timeout=120).stdout.decode()
    for name in (CERTIFICATION_FIELD, PROVIDER_SIGNATURE, OFFICER_SIGNATURE):
        assert f"Signature Field Name: {name}" in report
    assert report.count("Signature Validation: Signature is Valid.") == 3
    assert report.count("Total document signed") == 1, "only the countersignature covers the whole file"
    assert "Signer Certificate Common Name: Priya Shah" in report
    plain = subprocess.run([pdfsig, str(countersigned.plain)], capture_output=True, timeout=120).stdout.decode()
    assert plain.count("The signature form field is not signed.") == 2 and "Signature is Valid" not in plain


def test_poppler_and_pdfium_open_and_draw_it(countersigned: Countersigned, tmp_path: Path) -> None:
    pdfinfo = require_tool("pdfinfo")
    for path in both(countersigned):
        info = run(pdfinfo, str(path))
        assert "Pages:           2" in info and "Form:            AcroForm" in info
        for render, name in ((render_with_pdftoppm, "poppler"), (render_with_pdfium, "pdfium")):
            image = _image(render(path, 2, tmp_path / f"{path.stem}-{name}.png", dpi=50))
            assert image.size[0] > 300
            # the officer's signature box (lower left of page 2; 0.0 on a file not countersigned) shows the
            # signature's stamp or the countersignature
            assert _ink(image, (0.06, 0.50, 0.49, 0.56)) > 0.02, f"{name} draws nothing in the officer's box"


def test_qpdf_finds_no_error(countersigned: Countersigned) -> None:
    qpdf = require_tool("qpdf")
    for path in both(countersigned):
        check = subprocess.run([qpdf, "--check", str(path)], capture_output=True, timeout=120)
        assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()
        assert b"No syntax or stream encoding errors found" in check.stdout


def _image(path: Path):  # type: ignore[no-untyped-def]
    from PIL import Image

    return Image.open(path).convert("L")


def _ink(image, box: tuple[float, float, float, float]) -> float:  # type: ignore[no-untyped-def]
    """The share of dark pixels in ``box`` (fractions of width and height from the top left)."""
    w, h = image.size
    crop = image.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    histogram = crop.histogram()
    return sum(histogram[:128]) / max(1, sum(histogram))
