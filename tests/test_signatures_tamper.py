"""A signed or countersigned IPA changed afterwards: by an incremental update (a value edited), by a
program that writes the whole file again (Chrome's save, ``qpdf in.pdf out.pdf``), and by bytes
changed in place. :func:`verify` must name which signature no longer holds and what changed, and
:func:`countersign` must refuse a provider's signature that no longer holds."""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from engines import require_pdfium, require_tool
from signatures_support import (
    COUNTERSIGN_DAY,
    OFFICER,
    Certificates,
    issued_ipa,
    make_certificates,
    pyhanko_statuses,
    sign_as_acrobat,
    type_with_mupdf,
)

from brokerage.processor.signatures import (
    CERTIFICATION_FIELD,
    OFFICER_SIGNATURE,
    PROVIDER_SIGNATURE,
    BrokenSignatureError,
    TrustRoots,
    certify,
    countersign,
    load_trust_roots,
    verify,
)

PROVIDER_REWRITTEN = (
    "The provider's signature by Sam Carter, made on {when}, is no longer intact: the file was saved again by a "
    "program that rewrites the whole file (for example Chrome, Edge or Preview). Ask the provider to sign again in "
    "Adobe Acrobat Reader, or to type their name and date and return it without signing digitally."
)
HOURLY_RATE = "part_c__service__hourly_rate"


@dataclass(frozen=True)
class Signed:
    folder: Path
    certs: Certificates
    trust: TrustRoots
    provider_signed: bytes
    countersigned: bytes


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Signed:
    folder = tmp_path_factory.mktemp("tamper")
    certs = make_certificates(folder / "certificates")
    certified = certify(issued_ipa(), certs.signer(certs.service))
    provider_signed = sign_as_acrobat(type_with_mupdf(certified, folder), certs.provider)
    countersigned = countersign(provider_signed, OFFICER, COUNTERSIGN_DAY, certs.signer(certs.officer))
    return Signed(folder, certs, load_trust_roots(certs.ca_pem), provider_signed, countersigned)


def edit_hourly_rate(pdf: bytes) -> bytes:
    """The hourly rate set to 35 in an incremental update that changes nothing else (pyHanko's writer)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for ref in writer.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field.get("/T") == HOURLY_RATE:
            field[generic.pdf_name("/V")] = generic.TextStringObject("35")
            writer.update_container(field)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def reports(pdf: bytes, trust: TrustRoots):  # type: ignore[no-untyped-def]
    result = verify(pdf, trust=trust)
    return result, {s.field: s for s in result.signatures}


def test_a_value_edited_after_the_countersignature_is_named_although_pyhanko_counts_it_form_filling(
        signed: Signed) -> None:
    """Changing a box's value is "form filling" to pyHanko, which the certification's permission and an
    approval signature allow: pyHanko's bottom line stays true. Our verdict names the box."""
    edited = edit_hourly_rate(signed.countersigned)
    assert edited.startswith(signed.countersigned)

    result, by_field = reports(edited, signed.trust)
    assert not result.ok and not result.certified and not result.provider_signed and not result.countersigned
    officer = by_field[OFFICER_SIGNATURE]
    assert officer.intact and not officer.rewritten and not officer.ok
    assert officer.changed_fields == officer.forbidden_changes == (HOURLY_RATE,)
    named = "Changed after the countersignature, which is not allowed: Agreed service: Hourly rate (£)."
    assert named in officer.sentence
    for name in (CERTIFICATION_FIELD, PROVIDER_SIGNATURE):
        assert by_field[name].forbidden_changes == (HOURLY_RATE,) and not by_field[name].ok
    hanko = pyhanko_statuses(edited, signed.certs.ca_pem)
    assert all(s.intact and s.bottom_line and s.modification_level == "FORM_FILLING" for s in hanko.values())


def test_a_value_edited_by_another_program_incrementally_is_named_with_the_other_changes(signed: Signed) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(io.BytesIO(signed.countersigned), incremental=True)
    writer.update_page_form_field_values(writer.pages[0], {HOURLY_RATE: "35"}, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    edited = out.getvalue()
    assert edited.startswith(signed.countersigned)

    result, by_field = reports(edited, signed.trust)
    assert not result.ok
    for report in by_field.values():
        assert report.intact and not report.ok and report.changes_after == "other changes"
        assert report.forbidden_changes == (HOURLY_RATE,)
        assert "changed in ways that are not filling in the form or signing" in report.sentence
    hanko = pyhanko_statuses(edited, signed.certs.ca_pem)
    assert all(s.intact and not s.bottom_line and s.modification_level == "OTHER" for s in hanko.values())


def test_a_countersigned_file_rewritten_whole_names_every_signature(signed: Signed, tmp_path: Path) -> None:
    qpdf = require_tool("qpdf")
    source, out = tmp_path / "countersigned.pdf", tmp_path / "rewritten.pdf"
    source.write_bytes(signed.countersigned)
    subprocess.run([qpdf, str(source), str(out)], check=True, capture_output=True, timeout=60)
    result, by_field = reports(out.read_bytes(), signed.trust)
    assert not result.ok and not result.certified and not result.provider_signed and not result.countersigned
    assert all(r.rewritten and not r.intact for r in by_field.values())
    provider = by_field[PROVIDER_SIGNATURE]
    when = provider.sentence.split("made on ")[1].split(", is no")[0]
    assert provider.sentence == PROVIDER_REWRITTEN.format(when=when)
    assert when.endswith("(UK time)")
    assert by_field[OFFICER_SIGNATURE].sentence.endswith("Countersign the provider's returned copy again.")
    hanko = pyhanko_statuses(out.read_bytes(), signed.certs.ca_pem)
    assert not any(s.intact for s in hanko.values())


def test_a_provider_signed_file_saved_again_in_chrome_is_named_and_not_countersigned(signed: Signed,
                                                                                    tmp_path: Path) -> None:
    """Opened in PDFium and saved as Chrome saves (flags 0: the whole file written again), nothing typed."""
    pdfium = require_pdfium()
    document = pdfium.PdfDocument(signed.provider_signed)
    out = io.BytesIO()
    try:
        document.init_forms()
        document.save(out, flags=0)
    finally:
        document.close()
    resaved = out.getvalue()
    assert not resaved.startswith(signed.provider_signed[:5000])
    result, by_field = reports(resaved, signed.trust)
    provider = by_field[PROVIDER_SIGNATURE]
    assert provider.rewritten and not provider.intact and not result.provider_signed
    assert provider.sentence == PROVIDER_REWRITTEN.format(when=provider.sentence.split("made on ")[1].split(", is")[0])
    assert "The provider's digital signature (Sam Carter) does not hold: see below." in result.summary
    with pytest.raises(BrokenSignatureError) as caught:
        countersign(resaved, OFFICER, COUNTERSIGN_DAY, signed.certs.signer(signed.certs.officer),
                    source="returned.pdf", agreed_fields_checked=True)
    assert caught.value.rewritten
    assert str(caught.value).startswith("'returned.pdf' cannot be countersigned. The provider's signature by Sam")
    assert "Ask the provider to sign again in Adobe Acrobat Reader" in str(caught.value)


def test_bytes_changed_in_place_are_told_apart_from_a_rewrite(signed: Signed) -> None:
    data = bytearray(signed.countersigned)
    at = data.rindex(f"({OFFICER})".encode())
    assert at > len(signed.provider_signed), "the officer's name is in the countersignature's own update"
    data[at + 1:at + 1 + len(OFFICER)] = b"Pryia Shah"
    result, by_field = reports(bytes(data), signed.trust)
    officer = by_field[OFFICER_SIGNATURE]
    assert not officer.intact and not officer.rewritten and not result.countersigned
    assert "is no longer intact: the bytes it signed were changed afterwards." in officer.sentence
    assert by_field[PROVIDER_SIGNATURE].intact and by_field[CERTIFICATION_FIELD].intact
    hanko = pyhanko_statuses(bytes(data), signed.certs.ca_pem)
    assert not hanko[OFFICER_SIGNATURE].intact and hanko[PROVIDER_SIGNATURE].intact


def test_an_agreed_box_changed_after_issue_is_refused_even_when_the_caller_checked(signed: Signed) -> None:
    edited = edit_hourly_rate(signed.provider_signed)
    with pytest.raises(BrokenSignatureError) as caught:
        countersign(edited, OFFICER, COUNTERSIGN_DAY, None, agreed_fields_checked=True)
    message = str(caught.value)
    assert "The service's certification by Brokerage Service" in message
    assert "Changed after the certification, which is not allowed: Agreed service: Hourly rate (£). The agreed " \
           "terms were changed after the IPA was issued: do not countersign it" in message
