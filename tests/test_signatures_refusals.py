"""What :func:`countersign` refuses, each with its sentence, and that a refusal leaves nothing half done."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from signatures_support import (
    COUNTERSIGN_DAY,
    OFFICER,
    PROVIDER_TYPED,
    Certificates,
    issued_ipa,
    make_certificates,
    type_with_mupdf,
)

from brokerage.errors import BrokerageError, DamagedPdfError, NotAPdfError
from brokerage.generator import build_form
from brokerage.processor.signatures import (
    AlreadyCountersignedError,
    CountersignRefused,
    NotAnIpaError,
    ProviderBlockIncomplete,
    certify,
    countersign,
    verify,
)
from brokerage.schema import default_catalogue


@dataclass(frozen=True)
class Files:
    folder: Path
    certs: Certificates
    certified: bytes
    typed: bytes


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    folder = tmp_path_factory.mktemp("refusals")
    certs = make_certificates(folder / "certificates")
    certified = certify(issued_ipa(), certs.signer(certs.service))
    return Files(folder, certs, certified, type_with_mupdf(certified, folder))


def test_a_file_the_provider_has_not_signed_is_refused(files: Files) -> None:
    with pytest.raises(ProviderBlockIncomplete) as caught:
        countersign(files.certified, OFFICER, COUNTERSIGN_DAY, files.certs.signer(files.certs.officer),
                    source="ipa-BRK-2026-0001.pdf")
    assert str(caught.value) == (
        "'ipa-BRK-2026-0001.pdf' cannot be countersigned: the provider has not filled in Signed for the provider: "
        "Name, Position, Date. Ask the provider to complete their block (name, position and date) and return it."
    )
    assert isinstance(caught.value, BrokerageError)


def test_a_partly_filled_provider_block_names_the_missing_boxes(files: Files) -> None:
    typed = type_with_mupdf(files.certified, files.folder,
                            values={"part_c__provider_signatory__name": "Sam Carter"})
    with pytest.raises(ProviderBlockIncomplete, match="has not filled in Signed for the provider: Position, Date\\."):
        countersign(typed, OFFICER, COUNTERSIGN_DAY, None)
    result = verify(typed)
    assert result.missing_provider_boxes == ("part_c__provider_signatory__position", "part_c__provider_signatory__date")


def test_blank_spaces_are_not_a_filled_box(files: Files) -> None:
    typed = type_with_mupdf(files.certified, files.folder,
                            values={**PROVIDER_TYPED, "part_c__provider_signatory__position": "   "})
    with pytest.raises(ProviderBlockIncomplete, match="Signed for the provider: Position\\."):
        countersign(typed, OFFICER, COUNTERSIGN_DAY, None)


@pytest.mark.parametrize("with_certificate", [True, False], ids=["certificate", "no-certificate"])
def test_countersigning_twice_is_refused(files: Files, with_certificate: bool) -> None:
    signer = files.certs.signer(files.certs.officer) if with_certificate else None
    once = countersign(files.typed, OFFICER, COUNTERSIGN_DAY, signer)
    with pytest.raises(AlreadyCountersignedError) as caught:
        countersign(once, "Another Officer", COUNTERSIGN_DAY, signer, source="countersigned.pdf")
    assert str(caught.value) == (
        "'countersigned.pdf' is already countersigned (Priya Shah on 13/02/2026). Countersign the provider's returned "
        "copy, not a countersigned one."
    )


def test_an_officer_name_is_needed(files: Files) -> None:
    with pytest.raises(CountersignRefused, match="Give the duty brokerage officer's name"):
        countersign(files.typed, "  ", COUNTERSIGN_DAY, None)


def test_another_form_or_no_pdf_at_all_is_refused(files: Files) -> None:
    with pytest.raises(NotAnIpaError, match=r"'referral\.pdf' is not an Individual Placement Agreement"):
        referral = build_form(default_catalogue().form("referral"))
        countersign(referral, OFFICER, COUNTERSIGN_DAY, None, source="referral.pdf")
    with pytest.raises(NotAPdfError, match=r"'notes\.txt' is not a PDF file"):
        verify(b"Dear brokerage team,\n", source="notes.txt")
    with pytest.raises(DamagedPdfError, match=r"'cut\.pdf' is damaged"):
        verify(files.typed[:2000], source="cut.pdf")


def test_officer_boxes_typed_by_someone_else_are_not_a_countersignature(files: Files) -> None:
    typed = type_with_mupdf(files.certified, files.folder,
                            values={**PROVIDER_TYPED, "part_c__countersignature__name": "Sam Carter"})
    result = verify(typed)
    assert not result.countersigned
    assert "Not countersigned: the officer's boxes hold 'Sam Carter' '' but were not locked by a countersignature." \
        in result.summary
    with pytest.raises(CountersignRefused) as caught:
        countersign(typed, OFFICER, COUNTERSIGN_DAY, None, source="returned.pdf")
    assert not isinstance(caught.value, AlreadyCountersignedError)
    assert str(caught.value) == (
        "'returned.pdf' cannot be countersigned: the officer's boxes already hold 'Sam Carter', typed by someone else "
        "(the brokerage service's countersignature locks them). Ask the provider to return the agreement with the "
        "officer's boxes empty."
    )


@pytest.mark.parametrize("name", ["field-loop-kids.pdf", "field-loop-parent.pdf", "field-self-kid.pdf"])
def test_a_field_tree_that_loops_is_the_damaged_file_sentence(files: Files, name: str) -> None:
    """The signature library reads pyHanko's objects with the toolkit's one field walk, so a /Kids or /Parent
    loop is damage here as in every other reader (not skipped, not a hang)."""
    data = (Path(__file__).parent / "data" / name).read_bytes()
    sentence = rf"^'{name.replace('.', '[.]')}' is damaged: its form fields cannot be read\. "
    with pytest.raises(DamagedPdfError, match=sentence):
        verify(data, source=name)
    with pytest.raises(DamagedPdfError, match=sentence):
        countersign(data, OFFICER, COUNTERSIGN_DAY, None, source=name)
    with pytest.raises(DamagedPdfError, match=sentence):
        certify(data, files.certs.signer(files.certs.service), source=name)
