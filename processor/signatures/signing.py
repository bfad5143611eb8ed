"""Signing with pyHanko: the service's certification of an issued IPA, and the signer behind it.

:func:`certify` adds a certification signature that allows form filling and signing only (DocMDP
permission 2), in an invisible signature field of its own (:data:`~.ipa.CERTIFICATION_FIELD`):

- invisible, because a certification is about the whole document (readers show it as a banner
  above the first page, "Certified by …") and the form has no box for it; a visible one would need a
  box the generator lays out, and must never take the provider's or the officer's signature box,
  which they sign in later;
- DocMDP "form filling and signing" and no FieldMDP locks: a lock on text boxes makes every later
  signature count as a change to locked boxes. The agreed boxes are made read-only by the filler
  instead (a flag every signature allows), so read-only boxes never stop anyone signing.

Every signature is PAdES (``ETSI.CAdES.detached``), SHA-256, appended as an incremental update.
"""

from __future__ import annotations

import io

from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.content import RawContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.stamp import TextStampStyle

from brokerage.processor.signatures.certificates import SignerConfig
from brokerage.processor.signatures.errors import CertifyRefused
from brokerage.processor.signatures.ipa import CERTIFICATION_FIELD
from brokerage.processor.signatures.pdfdoc import (
    PDF_ERRORS,
    label,
    open_reader,
    quiet_pyhanko,
    read_states,
    require_ipa,
)

CERTIFY_REASON = (
    "Issued by the brokerage service. Only filling in the provider's and the officer's boxes and signing are allowed."
)
COUNTERSIGN_REASON = "Countersigned for the brokerage service by the duty brokerage officer."


def pyhanko_signer(config: SignerConfig) -> signers.SimpleSigner:
    """pyHanko's signer for ``config`` (the key never leaves memory)."""
    from asn1crypto import keys, x509
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = serialization.Encoding.DER
    key = keys.PrivateKeyInfo.load(
        config.key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    certificate = x509.Certificate.load(config.certificate.public_bytes(der))
    chain = [x509.Certificate.load(c.public_bytes(der)) for c in config.chain]
    return signers.SimpleSigner(
        signing_cert=certificate, signing_key=key, cert_registry=SimpleCertificateStore.from_certs(chain)
    )


def sign_in_writer(writer: IncrementalPdfFileWriter, field: str, signer: SignerConfig, *, reason: str,
                   certify: bool = False, stamp_text: str | None = None) -> bytes:
    """Sign the pending update of ``writer`` in the signature box ``field`` and return the whole file."""
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
    )
    style = None
    if stamp_text:
        # an opaque white ground, so the form's "Sign digitally in this box" hint under the box is covered
        ground = RawContent(b"1 1 1 rg -50 -50 2000 2000 re f")
        style = TextStampStyle(stamp_text=stamp_text, timestamp_format="%d/%m/%Y %H:%M %Z", background=ground,
                               background_opacity=1.0)
    pdf_signer = signers.PdfSigner(
        meta,
        signer=pyhanko_signer(signer),
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(field) if certify else None,
    )
    out = pdf_signer.sign_pdf(writer, existing_fields_only=not certify)
    return out.getvalue()


def certify(pdf: bytes, signer: SignerConfig, *, source: str = "") -> bytes:
    """The issued IPA ``pdf`` with the service's certification appended (see the module's notes).

    Raises :class:`CertifyRefused` for a file that already carries a signature (a certification
    must be the first signature), :class:`~.errors.NotAnIpaError` for another form.
    """
    reader = open_reader(pdf, source)
    states = read_states(reader, source)
    require_ipa(reader, states, source)
    signed = sorted(name for name, state in states.items() if state.kind == "signature" and state.value)
    if signed:
        raise CertifyRefused(
            f"{label(source)} is already signed ({', '.join(signed)}), so it cannot be certified any more: a "
            "certification must be the first signature. Certify the IPA as it is issued, before it goes to the "
            "provider."
        )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    try:
        with quiet_pyhanko():
            return sign_in_writer(writer, CERTIFICATION_FIELD, signer, reason=CERTIFY_REASON, certify=True)
    except (SigningError, *PDF_ERRORS) as error:
        raise CertifyRefused(
            f"{label(source)} could not be certified with the certificate of {signer.common_name} ({error}). "
            "Generate the IPA again and certify the new file."
        ) from error
