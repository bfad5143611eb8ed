"""What the signature tests share: certificates made by the test, an issued IPA, the provider's
reader (typing through PDFium or MuPDF, signing digitally as Acrobat does), and pyHanko's own
validation to compare our verdicts with.

The provider's digital signature is made with pyHanko directly, not with the library under test:
it stands for Acrobat Reader, which signs the provider's box with ``adbe.pkcs7.detached`` in an
incremental update.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brokerage.generator import build_form, fill_pdf
from brokerage.processor.signatures import PROVIDER_SIGNATURE, SelfSignedAuthority, SignerConfig, load_signer
from brokerage.schema import default_catalogue

ROOT = Path(__file__).resolve().parent
PASSWORD = "correct horse battery staple"

PROVIDER_TYPED = {
    "part_c__provider_signatory__name": "Sam Carter",
    "part_c__provider_signatory__position": "Service manager",
    "part_c__provider_signatory__date": "12/02/2026",
}
"""What the provider types (the values of ``tests/examples/ipa.json``, dates as a person types them)."""

OWN_BLOCKS = ("part_c__provider_signatory", "part_c__countersignature")
OFFICER = "Priya Shah"
COUNTERSIGN_DAY = dt.date(2026, 2, 13)


@dataclass(frozen=True)
class Certificates:
    """A test authority and three signers it issued, as ``.p12`` files with :data:`PASSWORD`."""

    folder: Path
    authority: SelfSignedAuthority
    ca_pem: Path
    service: Path
    provider: Path
    officer: Path

    def signer(self, p12: Path) -> SignerConfig:
        return load_signer(p12, environ={"BROKERAGE_P12_PASSWORD": PASSWORD})


def make_certificates(folder: Path) -> Certificates:
    folder.mkdir(parents=True, exist_ok=True)
    authority = SelfSignedAuthority.create("Brokerage test authority")
    ca_pem = folder / "authority.pem"
    ca_pem.write_bytes(authority.pem())
    paths = {}
    for key, name in (("service", "Brokerage Service"), ("provider", "Sam Carter"), ("officer", "Priya Shah")):
        paths[key] = folder / f"{key}.p12"
        paths[key].write_bytes(authority.issue(name, password=PASSWORD))
    return Certificates(folder=folder, authority=authority, ca_pem=ca_pem, **paths)


def issued_ipa(*, lock_agreed: bool = True) -> bytes:
    """A blank ``ipa.pdf`` filled with ``tests/examples/ipa.json`` without the provider's and the officer's
    blocks, the agreed boxes made read-only as the issuing filler will (``lock_agreed``)."""
    instance = json.loads((ROOT / "examples" / "ipa.json").read_text(encoding="utf-8"))
    del instance["part_c"]["provider_signatory"], instance["part_c"]["countersignature"]
    filled = fill_pdf(build_form(default_catalogue().form("ipa")), instance)
    return _lock_agreed(filled) if lock_agreed else filled


def _lock_agreed(pdf: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, NumberObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for ref in writer._root_object["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        name = str(field.get("/T", ""))
        if name.startswith("part_c__") and not name.startswith(OWN_BLOCKS):
            field[NameObject("/Ff")] = NumberObject(int(field.get("/Ff", 0)) | 1)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def type_with_pdfium(pdf: bytes, folder: Path, *, incremental: bool = False,
                     values: dict[str, str | bool] | None = None) -> bytes:
    """The provider types their block in PDFium (Chrome, Edge) and saves: as Chrome does (the whole file
    written again) or, with ``incremental``, as an update appended to the file."""
    from engines import fill_with_pdfium

    source = folder / "to-type.pdf"
    out = folder / ("typed-pdfium-incremental.pdf" if incremental else "typed-pdfium.pdf")
    source.write_bytes(pdf)
    fill_with_pdfium(source, dict(values or PROVIDER_TYPED), out, incremental=incremental)
    return out.read_bytes()


def type_with_mupdf(pdf: bytes, folder: Path, *, values: dict[str, str | bool] | None = None) -> bytes:
    """The provider types their block in a reader that saves signed files incrementally (MuPDF here, as
    Acrobat Reader and Okular do)."""
    from engines import fill_with_mupdf

    source, out = folder / "to-type-mupdf.pdf", folder / "typed-mupdf.pdf"
    source.write_bytes(pdf)
    fill_with_mupdf(source, dict(values or PROVIDER_TYPED), out, incremental=True)
    return out.read_bytes()


def sign_as_acrobat(pdf: bytes, p12: Path, *, field: str = PROVIDER_SIGNATURE) -> bytes:
    """A digital signature in ``field`` as Acrobat Reader makes one: ``adbe.pkcs7.detached``, incremental."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=PASSWORD.encode())
    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED,
                                        md_algorithm="sha256")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    return signers.PdfSigner(meta, signer=signer).sign_pdf(writer, existing_fields_only=True).getvalue()


@dataclass(frozen=True)
class HankoStatus:
    """pyHanko's own verdict on one signature, as plain values."""

    field: str
    intact: bool
    valid: bool
    trusted: bool
    coverage: str
    modification_level: str | None
    docmdp_ok: bool | None
    bottom_line: bool


def pyhanko_statuses(pdf: bytes, ca_pem: Path) -> dict[str, HankoStatus]:
    """``validate_pdf_signature`` with pyHanko's default difference policy, for every signature."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    out: dict[str, HankoStatus] = {}
    for sig in reader.embedded_signatures:
        context = ValidationContext(trust_roots=[load_cert_from_pemder(str(ca_pem))])
        status: Any = validate_pdf_signature(sig, context, key_usage_settings=KeyUsageConstraints(
            key_usage={"digital_signature", "non_repudiation"}))
        level = status.modification_level
        out[sig.field_name] = HankoStatus(
            field=sig.field_name, intact=status.intact, valid=status.valid, trusted=status.trusted,
            coverage=status.coverage.name if status.coverage is not None else "", bottom_line=status.bottom_line,
            modification_level=level.name if level is not None else None, docmdp_ok=status.docmdp_ok,
        )
    return out


def field_flags(pdf: bytes) -> dict[str, int]:
    """Every field's ``/Ff`` in the file as it is now (pypdf)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return {name: int(field.get("/Ff", 0)) for name, field in (reader.get_fields() or {}).items()}
