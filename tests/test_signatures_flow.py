"""Issue → certify → the provider types (and signs) in a real reader → countersign → verify, with
pyHanko's own validation as the second opinion on every signature.

The provider's readers: MuPDF saving incrementally (as Acrobat Reader and Okular save a signed
file), PDFium saving as Chrome and Edge do (the whole file written again), PDFium saving
incrementally, and a digital signature as Acrobat makes one.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from signatures_support import (
    COUNTERSIGN_DAY,
    OFFICER,
    PROVIDER_TYPED,
    Certificates,
    field_flags,
    issued_ipa,
    make_certificates,
    pyhanko_statuses,
    sign_as_acrobat,
    type_with_mupdf,
    type_with_pdfium,
)

from brokerage.processor.signatures import (
    CERTIFICATION_FIELD,
    OFFICER_SIGNATURE,
    PROVIDER_SIGNATURE,
    BrokenSignatureError,
    CertifyRefused,
    SelfSignedAuthority,
    TrustRoots,
    certify,
    countersign,
    load_trust_roots,
    verify,
)

REWRITTEN = "the file was saved again by a program that rewrites the whole file (for example Chrome, Edge or Preview)"


@dataclass(frozen=True)
class World:
    folder: Path
    certs: Certificates
    trust: TrustRoots
    issued: bytes
    certified: bytes


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("signatures")
    certs = make_certificates(folder / "certificates")
    issued = issued_ipa()
    return World(folder=folder, certs=certs, trust=load_trust_roots(certs.ca_pem), issued=issued,
                 certified=certify(issued, certs.signer(certs.service), source="ipa.pdf"))


def by_field(verification):  # type: ignore[no-untyped-def]
    return {s.field: s for s in verification.signatures}


def test_certification_allows_form_filling_and_signing_only_in_a_box_of_its_own(world: World) -> None:
    from pypdf import PdfReader

    assert world.certified.startswith(world.issued), "certified as an incremental update"
    result = verify(world.certified, trust=world.trust, source="ipa.pdf")
    (report,) = result.signatures
    assert (report.field, report.role, report.signer) == (CERTIFICATION_FIELD, "certification", "Brokerage Service")
    assert report.permission == "form filling and signing"
    assert report.intact and report.trusted and report.covers_whole_file and report.ok
    assert result.certified and result.certified_by == "Brokerage Service"
    assert not result.provider_block_complete and not result.countersigned
    hanko = pyhanko_statuses(world.certified, world.certs.ca_pem)[CERTIFICATION_FIELD]
    assert hanko.bottom_line and hanko.coverage == "ENTIRE_FILE"
    reader = PdfReader(io.BytesIO(world.certified))
    assert int(reader.trailer["/Root"]["/Perms"]["/DocMDP"]["/Reference"][0]["/TransformParams"]["/P"]) == 2
    fields = reader.get_fields()
    widgets = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    (widget,) = [w for w in widgets if w.get("/Parent", w).get_object().get("/T") == CERTIFICATION_FIELD]
    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    assert (x1 - x0) * (y1 - y0) == 0, "the certification is invisible"
    assert "/V" not in fields[PROVIDER_SIGNATURE] and "/V" not in fields[OFFICER_SIGNATURE]
    flags = field_flags(world.certified)
    assert flags["part_c__service__hourly_rate"] & 1, "the agreed boxes stay read-only"


def test_certify_refuses_a_file_that_is_already_signed(world: World) -> None:
    with pytest.raises(CertifyRefused, match=r"already signed .*a certification must be the first signature"):
        certify(world.certified, world.certs.signer(world.certs.service), source="ipa.pdf")


def test_typed_in_a_reader_that_saves_incrementally_then_countersigned(world: World) -> None:
    typed = type_with_mupdf(world.certified, world.folder)
    assert typed.startswith(world.certified)
    returned = verify(typed, trust=world.trust)
    assert returned.certified and returned.provider_block_complete and not returned.provider_signed
    (certification,) = returned.signatures
    assert certification.changes_after == "form filling"
    assert set(certification.changed_fields) == set(PROVIDER_TYPED)

    final = countersign(typed, OFFICER, COUNTERSIGN_DAY, world.certs.signer(world.certs.officer), source="ipa.pdf")
    assert final.startswith(typed), "countersigned as an incremental update"
    result = verify(final, trust=world.trust)
    assert result.ok and result.certified and result.countersigned and result.countersigned_digitally
    assert (result.officer, result.officer_date) == (OFFICER, "13/02/2026")
    reports = by_field(result)
    assert reports[CERTIFICATION_FIELD].changes_after == "form filling and signing"
    assert reports[OFFICER_SIGNATURE].changes_after == "nothing"
    assert reports[OFFICER_SIGNATURE].signer == "Priya Shah" and reports[OFFICER_SIGNATURE].covers_whole_file
    assert all(r.intact and r.trusted and r.ok for r in result.signatures)
    hanko = pyhanko_statuses(final, world.certs.ca_pem)
    assert all(s.bottom_line for s in hanko.values())
    assert hanko[CERTIFICATION_FIELD].modification_level == "FORM_FILLING"
    assert hanko[OFFICER_SIGNATURE].coverage == "ENTIRE_FILE"
    assert all(flag & 1 for flag in field_flags(final).values()), "every box locked"
    as_json = json.loads(json.dumps(result.as_dict()))
    assert as_json["ok"] and as_json["countersigned_digitally"] and len(as_json["signatures"]) == 2
    assert as_json["signatures"][1]["signer"] == "Priya Shah" and as_json["signatures"][1]["signed_at"]
    assert result.lines()[0] == "The file:" and len(result.lines()) == 1 + len(result.summary) + 2


def test_the_provider_typing_after_signing_is_not_covered_by_their_signature(world: World) -> None:
    signed_first = sign_as_acrobat(world.certified, world.certs.provider)
    typed_after = type_with_mupdf(signed_first, world.folder)
    report = by_field(verify(typed_after, trust=world.trust))[PROVIDER_SIGNATURE]
    assert report.intact and not report.ok
    assert report.forbidden_changes == tuple(PROVIDER_TYPED)
    assert "ask the provider to fill in their block first and sign last" in report.sentence
    with pytest.raises(BrokenSignatureError, match="Changed after the provider signed, which is not allowed"):
        countersign(typed_after, OFFICER, COUNTERSIGN_DAY, None)


def test_signed_digitally_by_the_provider_then_countersigned(world: World) -> None:
    signed = sign_as_acrobat(type_with_mupdf(world.certified, world.folder), world.certs.provider)
    returned = verify(signed, trust=world.trust)
    assert returned.provider_signed and returned.certified
    assert by_field(returned)[PROVIDER_SIGNATURE].signer == "Sam Carter"

    final = countersign(signed, OFFICER, COUNTERSIGN_DAY, world.certs.signer(world.certs.officer))
    assert final.startswith(signed)
    result = verify(final, trust=world.trust)
    assert result.ok and result.certified and result.provider_signed and result.countersigned_digitally
    reports = by_field(result)
    assert [r.role for r in result.signatures] == ["certification", "provider", "officer"]
    assert reports[PROVIDER_SIGNATURE].changes_after == "form filling and signing"
    assert set(reports[PROVIDER_SIGNATURE].changed_fields) == {
        "part_c__countersignature__name", "part_c__countersignature__date", OFFICER_SIGNATURE}
    hanko = pyhanko_statuses(final, world.certs.ca_pem)
    assert set(hanko) == {CERTIFICATION_FIELD, PROVIDER_SIGNATURE, OFFICER_SIGNATURE}
    for name, ours in reports.items():
        assert hanko[name].bottom_line and hanko[name].intact == ours.intact and hanko[name].trusted == ours.trusted
    assert hanko[PROVIDER_SIGNATURE].modification_level == "FORM_FILLING"


def test_trust_is_reported_apart_from_intact(world: World) -> None:
    signed = sign_as_acrobat(type_with_mupdf(world.certified, world.folder), world.certs.provider)
    nobody = by_field(verify(signed))[PROVIDER_SIGNATURE]
    assert nobody.intact and nobody.ok and not nobody.trusted
    assert nobody.trust_problem == (
        "not from a trusted certificate: no trusted authorities were given to check it against")
    other = SelfSignedAuthority.create("Another authority")
    stranger = TrustRoots((other.certificate,))
    report = by_field(verify(signed, trust=stranger))[PROVIDER_SIGNATURE]
    assert report.intact and report.ok and not report.trusted
    assert report.trust_problem == "not from a trusted certificate: no trusted authority vouches for it"
    assert "is intact" in report.sentence and "not from a trusted certificate" in report.sentence
    (world.folder / "another.pem").write_bytes(other.pem())
    hanko = pyhanko_statuses(signed, world.folder / "another.pem")[PROVIDER_SIGNATURE]
    assert hanko.intact and not hanko.trusted


def test_typed_in_chrome_rewrites_the_file_and_breaks_the_certification(world: World) -> None:
    typed = type_with_pdfium(world.certified, world.folder)
    assert not typed.startswith(world.certified[:-1000]), "Chrome's save writes the whole file again"
    result = verify(typed, trust=world.trust)
    (certification,) = result.signatures
    assert certification.rewritten and not certification.intact and not result.certified
    assert REWRITTEN in certification.sentence
    assert result.provider_block_complete
    assert not pyhanko_statuses(typed, world.certs.ca_pem)[CERTIFICATION_FIELD].intact

    officer = world.certs.signer(world.certs.officer)
    with pytest.raises(BrokenSignatureError) as caught:
        countersign(typed, OFFICER, COUNTERSIGN_DAY, officer, source="returned.pdf")
    assert caught.value.rewritten and REWRITTEN in str(caught.value)
    assert str(caught.value).startswith("'returned.pdf' cannot be countersigned. The service's certification by")
    assert str(caught.value).endswith("When every agreed box matches the IPA as issued (the case's record), it can "
                                      "be countersigned without the certification.")

    final = countersign(typed, OFFICER, COUNTERSIGN_DAY, officer, agreed_fields_checked=True)
    result = verify(final, trust=world.trust)
    reports = by_field(result)
    assert result.countersigned_digitally and reports[OFFICER_SIGNATURE].ok
    assert reports[CERTIFICATION_FIELD].rewritten and not result.ok
    hanko = pyhanko_statuses(final, world.certs.ca_pem)
    assert hanko[OFFICER_SIGNATURE].bottom_line and not hanko[CERTIFICATION_FIELD].intact


def test_pdfium_saving_incrementally_still_changes_more_than_form_filling(world: World) -> None:
    """Measured: PDFium's incremental save keeps the certified bytes but rewrites the old appearance
    streams of the boxes typed in and re-encodes the empty ones of both signature boxes, which no
    form-filling rule explains."""
    typed = type_with_pdfium(world.certified, world.folder, incremental=True)
    assert typed.startswith(world.certified)
    (certification,) = verify(typed, trust=world.trust).signatures
    assert certification.intact and not certification.rewritten
    assert certification.changes_after == "other changes" and not certification.ok
    assert "changed in ways that are not filling in the form or signing" in certification.sentence
    hanko = pyhanko_statuses(typed, world.certs.ca_pem)[CERTIFICATION_FIELD]
    assert hanko.intact and hanko.modification_level == "OTHER" and not hanko.bottom_line
    with pytest.raises(BrokenSignatureError) as caught:
        countersign(typed, OFFICER, COUNTERSIGN_DAY, None)
    assert not caught.value.rewritten


def test_issued_without_a_certificate_typed_in_chrome_countersigned_without_one(world: World) -> None:
    from engines import text_with_mutool

    typed = type_with_pdfium(world.issued, world.folder)
    final = countersign(typed, OFFICER, COUNTERSIGN_DAY, None)
    assert final.startswith(typed)
    result = verify(final, trust=world.trust)
    assert result.signatures == () and result.ok and not result.certified
    assert result.countersigned and not result.countersigned_digitally
    assert "Countersigned by Priya Shah on 13/02/2026, without a digital signature." in result.summary
    assert all(flag & 1 for flag in field_flags(final).values()), "every box locked"
    path = world.folder / "countersigned-no-certificate.pdf"
    path.write_bytes(final)
    text = " ".join(text_with_mutool(path, 2).split())
    assert "Countersigned by the duty brokerage officer Priya Shah 13/02/2026" in text


def test_countersigned_without_a_certificate_keeps_the_certification(world: World) -> None:
    from engines import text_with_mutool

    final = countersign(type_with_mupdf(world.certified, world.folder), OFFICER, COUNTERSIGN_DAY, None)
    result = verify(final, trust=world.trust)
    assert result.ok and result.certified and result.countersigned and not result.countersigned_digitally
    hanko = pyhanko_statuses(final, world.certs.ca_pem)[CERTIFICATION_FIELD]
    assert hanko.bottom_line and hanko.modification_level == "FORM_FILLING"
    path = world.folder / "countersigned-certified-no-certificate.pdf"
    path.write_bytes(final)
    text = " ".join(text_with_mutool(path, 2).split())
    assert "Priya Shah" in text and "Countersigned by the duty brokerage officer" not in text
