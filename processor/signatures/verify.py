"""Verifying a returned or countersigned IPA: every signature in words, and the verdicts that matter.

For each signature: whose it is (the certificate's common name), when it was made (the signer's
clock), whether it is intact (the bytes it signed are unchanged), whether the certificate is from a
trusted authority (a separate question: a provider's own digital ID is intact but not trusted),
whether it covers the whole file, and what changed after it — pyHanko's difference analysis
(nothing / form filling / form filling and signing / comments / other changes) together with the
boxes whose values changed, read from the file as it was when signed and as it is now.

Which boxes may change after which signature:

- after the service's certification: the provider's and the officer's boxes (filling and signing);
- after the provider's signature: the officer's boxes;
- after the countersignature: nothing.

pyHanko's own judgement is kept as it is (``changes_after``); a change to a box the signer's role does
not allow (an agreed field after the certification, anything after the countersignature) makes the
signature not acceptable even where pyHanko counts it as form filling, which the certification's
"form filling" permission would otherwise let through.

A file saved again by a program that rewrites it whole (Chrome, Edge, Preview, ``qpdf``) keeps the
signature dictionaries but moves the bytes they signed: the signature is then not intact and its
``/Contents`` is no longer where its ``/ByteRange`` says. That is told apart from bytes changed in
place and named in the sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from brokerage.processor.signatures.certificates import NO_TRUST, TrustRoots
from brokerage.processor.signatures.ipa import (
    CERTIFICATION_FIELD,
    OFFICER_DATE,
    OFFICER_NAME,
    OFFICER_SIGNATURE,
    PROVIDER_SIGNATURE,
    describe_fields,
    in_form_order,
    officer_fields,
    provider_fields,
    provider_required,
)
from brokerage.processor.signatures.pdfdoc import (
    PDF_ERRORS,
    FieldState,
    field_states,
    open_reader,
    quiet_pyhanko,
    read_states,
    require_ipa,
)

UK = ZoneInfo("Europe/London")

CERTIFICATION = "certification"
PROVIDER = "provider"
OFFICER = "officer"
OTHER = "other"

ROLE_WORDS = {
    CERTIFICATION: "The service's certification",
    PROVIDER: "The provider's signature",
    OFFICER: "The countersignature",
    OTHER: "A signature",
}

NOTHING = "nothing"
UPKEEP = "signature upkeep"
FORM_FILLING = "form filling"
FILLING_AND_SIGNING = "form filling and signing"
ANNOTATIONS = "annotations"
OTHER_CHANGES = "other changes"
UNKNOWN = "unknown"

PERMISSION_WORDS = {
    MDPPerm.NO_CHANGES: "no changes",
    MDPPerm.FILL_FORMS: "form filling and signing",
    MDPPerm.ANNOTATE: "form filling, signing and comments",
}
RIGHT_PERMISSION = PERMISSION_WORDS[MDPPerm.FILL_FORMS]

REWRITTEN = (
    "the file was saved again by a program that rewrites the whole file (for example Chrome, Edge or Preview)"
)
WHAT_TO_DO = {
    PROVIDER: "Ask the provider to sign again in Adobe Acrobat Reader, or to type their name and date and return it "
    "without signing digitally.",
    CERTIFICATION: "The agreed terms can no longer be checked against the certification: compare them with the "
    "IPA as it was issued.",
    OFFICER: "Countersign the provider's returned copy again.",
    OTHER: "Ask the sender for the file as it was signed.",
}

FORBIDDEN_ADVICE = {
    CERTIFICATION: "The agreed terms were changed after the IPA was issued: do not countersign it; issue the IPA "
    "again if the terms must change.",
    PROVIDER: "The provider's signature does not cover these boxes: ask the provider to fill in their block first "
    "and sign last.",
    OFFICER: "The agreement was changed after it was countersigned: use the copy kept when it was countersigned.",
    OTHER: "Ask the sender for the file as it was signed.",
}

_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})
_HEX = re.compile(rb"^[0-9A-Fa-f\s]*$")


@dataclass(frozen=True)
class SignatureReport:
    """One signature of the file, in plain values and one paragraph of words."""

    field: str
    """The signature box (``part_c__provider_signatory__signature``, ``service_certification`` …)."""
    role: str
    """``certification``, ``provider``, ``officer`` or ``other``."""
    signer: str
    """The certificate subject's common name."""
    signed_at: dt.datetime | None
    """When it was signed, by the signer's own clock (not a trusted time stamp)."""
    intact: bool
    """The bytes it signed are unchanged and the signature over them is valid."""
    trusted: bool
    """The certificate leads to one of the trusted authorities given to :func:`verify`."""
    trust_problem: str | None
    """Why it is not trusted, in words; ``None`` when trusted."""
    covers_whole_file: bool
    coverage: str
    """In words: the whole file / the file as it was when signed, with later additions / not in the usual way."""
    changes_after: str
    """pyHanko's difference analysis in words: nothing, signature upkeep, form filling, form filling and
    signing, annotations, other changes, or unknown (not intact, or not analysable)."""
    changed_fields: tuple[str, ...]
    """Boxes whose value changed after this signature (field names)."""
    forbidden_changes: tuple[str, ...]
    """Those of :attr:`changed_fields` this signature's role does not allow to change."""
    rewritten: bool
    """The file was saved again whole after this signature (the signature is then not intact)."""
    certification: bool
    permission: str | None
    """A certification's permission in words (``form filling and signing`` is the right one)."""
    ok: bool
    """Intact, and nothing changed after it but what its role allows."""
    sentence: str

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["signed_at"] = self.signed_at.isoformat() if self.signed_at else None
        data["changed_fields"] = list(self.changed_fields)
        data["forbidden_changes"] = list(self.forbidden_changes)
        return data


@dataclass(frozen=True)
class Verification:
    """Every signature of one IPA and the document's verdicts."""

    source: str
    signatures: tuple[SignatureReport, ...]
    certified: bool
    """Certified by the service with the right permission (form filling and signing), intact, and only the
    provider's and the officer's boxes changed since."""
    certified_by: str | None
    provider_block_complete: bool
    missing_provider_boxes: tuple[str, ...]
    provider_signed: bool
    """The provider's signature box holds an acceptable digital signature."""
    countersigned: bool
    """Countersigned: an acceptable digital signature in the officer's box, or (without a certificate) the
    officer's name and date filled in with no digital signature there."""
    countersigned_digitally: bool
    officer: str | None
    officer_date: str | None
    summary: tuple[str, ...] = field(default=())
    """The document's verdicts as sentences (certification, provider, countersignature)."""

    @property
    def ok(self) -> bool:
        """Every signature in the file is intact and nothing changed after it that its role does not allow."""
        return all(s.ok for s in self.signatures)

    def lines(self) -> list[str]:
        """What ``brokerage verify`` prints: the verdicts, then one paragraph per signature."""
        head = [f"{self.source or 'The file'}:"]
        return head + [f"- {line}" for line in self.summary] + [f"- {s.sentence}" for s in self.signatures]

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "ok": self.ok,
            "certified": self.certified,
            "certified_by": self.certified_by,
            "provider_block_complete": self.provider_block_complete,
            "missing_provider_boxes": list(self.missing_provider_boxes),
            "provider_signed": self.provider_signed,
            "countersigned": self.countersigned,
            "countersigned_digitally": self.countersigned_digitally,
            "officer": self.officer,
            "officer_date": self.officer_date,
            "summary": list(self.summary),
            "signatures": [s.as_dict() for s in self.signatures],
        }


def verify(pdf: bytes, *, trust: TrustRoots | None = None, source: str = "",
           at: dt.datetime | None = None) -> Verification:
    """Every signature of the IPA ``pdf`` checked and told in words (see the module's notes).

    ``trust``: the authorities whose certificates are trusted (:func:`~.certificates.load_trust_roots`);
    none by default. ``at``: the moment certificates are checked for (now by default). Nothing is
    fetched from the network.
    """
    reader = open_reader(pdf, source)
    states = read_states(reader, source)
    require_ipa(reader, states, source)
    return assess(reader, pdf, states, trust=trust or NO_TRUST, source=source, at=at)


def assess(reader: PdfFileReader, pdf: bytes, states: dict[str, FieldState], *, trust: TrustRoots, source: str,
           at: dt.datetime | None) -> Verification:
    with quiet_pyhanko():
        embedded = _embedded(reader)
        certification_ref = _certification_ref(reader)
        revisions = [s.signed_revision for s in embedded]
        reports = tuple(
            _report(reader, pdf, sig, states, trust, at, certification_ref,
                    later_signatures=any(r > sig.signed_revision for r in revisions))
            for sig in embedded
        )
    return _verdicts(source, reports, states)


def _embedded(reader: PdfFileReader) -> list[Any]:
    from brokerage.errors import DamagedPdfError

    try:
        return list(reader.embedded_signatures)
    except PDF_ERRORS as error:
        raise DamagedPdfError(
            f"A signature in the file cannot be read ({type(error).__name__}): the file is damaged. Ask the sender "
            "to send it again."
        ) from error


def _certification_ref(reader: PdfFileReader) -> Any:
    try:
        ref = reader.root["/Perms"].raw_get("/DocMDP")
    except (KeyError, AttributeError, *PDF_ERRORS):
        return None
    return ref.reference if isinstance(ref, generic.IndirectObject) else None


def _role(sig: Any, certification_ref: Any) -> str:
    try:
        value = sig.sig_field.raw_get("/V")
        if certification_ref is not None and isinstance(value, generic.IndirectObject) \
                and value.reference == certification_ref:
            return CERTIFICATION
    except KeyError:
        pass
    return {PROVIDER_SIGNATURE: PROVIDER, OFFICER_SIGNATURE: OFFICER, CERTIFICATION_FIELD: CERTIFICATION}.get(
        sig.field_name, OTHER
    )


def _signer_name(sig: Any) -> str:
    try:
        native = sig.signer_cert.subject.native
    except PDF_ERRORS:
        return "an unknown signer"
    return str(native.get("common_name") or native.get("organization_name") or sig.signer_cert.subject.human_friendly)


def contents_in_place(pdf: bytes, byte_range: Iterable[int]) -> bool:
    """Whether the gap in the signature's ``/ByteRange`` still holds its ``/Contents`` hex string and the
    signed range ends inside the file: false after a program rewrote the whole file."""
    try:
        start, length1, start2, length2 = (int(v) for v in byte_range)
    except (TypeError, ValueError):
        return False
    if start != 0 or start2 <= length1 or start2 + length2 > len(pdf):
        return False
    gap = pdf[length1:start2]
    return len(gap) >= 2 and gap[:1] == b"<" and gap[-1:] == b">" and bool(_HEX.match(gap[1:-1]))


def _coverage_words(level: Any) -> str:
    if level == SignatureCoverageLevel.ENTIRE_FILE:
        return "the whole file"
    if level == SignatureCoverageLevel.ENTIRE_REVISION:
        return "the file as it was when signed; later additions follow it"
    return "not the file in the usual way"


def _changes_words(diff: Any, coverage: Any, later_signatures: bool) -> str:
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return NOTHING
    if isinstance(diff, DiffResult):
        level = diff.modification_level
        if level == ModificationLevel.NONE:
            return NOTHING
        if level == ModificationLevel.LTA_UPDATES:
            return UPKEEP
        if level == ModificationLevel.FORM_FILLING:
            return FILLING_AND_SIGNING if later_signatures else FORM_FILLING
        if level == ModificationLevel.ANNOTATIONS:
            return ANNOTATIONS
        return OTHER_CHANGES
    if diff is None:
        return UNKNOWN
    return OTHER_CHANGES


def _allowed_after(role: str) -> frozenset[str]:
    if role == CERTIFICATION:
        return provider_fields() | officer_fields()
    if role == PROVIDER:
        return officer_fields()
    return frozenset()


def _changed(before: dict[str, FieldState], after: dict[str, FieldState]) -> tuple[str, ...]:
    names = in_form_order(set(before) | set(after))
    return tuple(
        n for n in names
        if (before[n].value if n in before else None) != (after[n].value if n in after else None)
        or (n in before) != (n in after)
    )


def _trust_words(status: Any, trust: TrustRoots) -> str | None:
    if status is None or status.trusted:
        return None
    if not trust.certificates:
        return "not from a trusted certificate: no trusted authorities were given to check it against"
    if status.revoked:
        return "not from a trusted certificate: the certificate has been revoked"
    indic = getattr(status.trust_problem_indic, "name", "") or ""
    if "EXPIRED" in indic or "OUT_OF_BOUNDS" in indic:
        return "not from a trusted certificate: the certificate has expired"
    if "NOT_YET_VALID" in indic:
        return "not from a trusted certificate: the certificate is not valid yet"
    if "CONSTRAINTS" in indic:
        return "not from a trusted certificate: the certificate is not meant for signing documents"
    return "not from a trusted certificate: no trusted authority vouches for it"


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "at a time it does not say"
    local = moment.astimezone(UK)
    return f"on {local:%d/%m/%Y at %H:%M} (UK time)"


def _list(names: Iterable[str]) -> str:
    return describe_fields(names)


def _report(reader: PdfFileReader, pdf: bytes, sig: Any, now_states: dict[str, FieldState], trust: TrustRoots,
            at: dt.datetime | None, certification_ref: Any, *, later_signatures: bool) -> SignatureReport:
    role = _role(sig, certification_ref)
    signer = _signer_name(sig)
    status: Any = None
    error: str | None = None
    try:
        context = ValidationContext(trust_roots=[_asn1(c) for c in trust.certificates], allow_fetching=False,
                                    moment=at)
        status = validate_pdf_signature(sig, context, key_usage_settings=_KEY_USAGE)
    except (SignatureValidationError, *PDF_ERRORS) as problem:
        error = str(problem) or type(problem).__name__
    intact = bool(status is not None and status.intact and status.valid)
    in_place = contents_in_place(pdf, sig.byte_range)
    rewritten = not intact and not in_place
    coverage = getattr(status, "coverage", None)
    diff = getattr(status, "diff_result", None)
    changes = _changes_words(diff, coverage, later_signatures) if intact else UNKNOWN
    changed: tuple[str, ...] = ()
    if intact:
        try:
            before = field_states(reader.get_historical_resolver(sig.signed_revision).root)
            changed = _changed(before, now_states)
        except PDF_ERRORS:
            changes, changed = OTHER_CHANGES, ()
    allowed = _allowed_after(role)
    forbidden = tuple(n for n in changed if n not in allowed)
    certification = role == CERTIFICATION
    permission = None
    if certification:
        level = sig.docmdp_level
        permission = PERMISSION_WORDS.get(level, "an unknown set of changes") if level is not None else "any change"
    docmdp_ok = bool(status is not None and status.docmdp_ok)
    ok = intact and docmdp_ok and changes not in (OTHER_CHANGES, ANNOTATIONS, UNKNOWN) and not forbidden
    trust_problem = _trust_words(status, trust) if intact else None
    trusted = bool(status is not None and intact and status.trusted)
    signed_at = getattr(status, "signer_reported_dt", None) or _safe_timestamp(sig)
    sentence = _sentence(
        role=role, signer=signer, signed_at=signed_at, intact=intact, rewritten=rewritten, error=error,
        coverage=coverage, changes=changes, changed=changed, forbidden=forbidden, permission=permission,
        trust_problem=trust_problem,
    )
    return SignatureReport(
        field=sig.field_name,
        role=role,
        signer=signer,
        signed_at=signed_at,
        intact=intact,
        trusted=trusted,
        trust_problem=trust_problem,
        covers_whole_file=coverage == SignatureCoverageLevel.ENTIRE_FILE and intact,
        coverage=_coverage_words(coverage) if intact else "unknown: the signature is not intact",
        changes_after=changes,
        changed_fields=changed,
        forbidden_changes=forbidden,
        rewritten=rewritten,
        certification=certification,
        permission=permission,
        ok=ok,
        sentence=sentence,
    )


def _safe_timestamp(sig: Any) -> dt.datetime | None:
    try:
        return sig.self_reported_timestamp
    except PDF_ERRORS:
        return None


def _asn1(certificate: Any) -> Any:
    from asn1crypto import x509
    from cryptography.hazmat.primitives import serialization

    return x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _sentence(*, role: str, signer: str, signed_at: dt.datetime | None, intact: bool, rewritten: bool,
              error: str | None, coverage: Any, changes: str, changed: tuple[str, ...], forbidden: tuple[str, ...],
              permission: str | None, trust_problem: str | None) -> str:
    who = f"{ROLE_WORDS[role]} by {signer}, made {_when(signed_at)},"
    if not intact:
        if rewritten:
            return f"{who} is no longer intact: {REWRITTEN}. {WHAT_TO_DO[role]}"
        if error is not None:
            return f"{who} cannot be checked: the file is damaged where the signature is. {WHAT_TO_DO[role]}"
        return f"{who} is no longer intact: the bytes it signed were changed afterwards. {WHAT_TO_DO[role]}"
    parts = [f"{who} is intact"]
    if permission is not None:
        parts[0] += f" and allows {permission}"
        if permission != RIGHT_PERMISSION:
            parts[0] += f" (it should allow {RIGHT_PERMISSION} only)"
    parts[0] += "."
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        parts.append("It covers the whole file: nothing has changed since.")
    else:
        parts.append("It covers the file as it was when signed.")
        if changes == NOTHING:
            parts.append("Nothing has changed since.")
        elif changes == UPKEEP:
            parts.append("Since then only signature upkeep (validation data, time stamps) was added.")
        elif changes in (FORM_FILLING, FILLING_AND_SIGNING):
            done = "filled in and signed" if changes == FILLING_AND_SIGNING else "filled in"
            allowed = [n for n in changed if n not in forbidden]
            if not forbidden:
                shown = f": {_list(allowed)}" if allowed else ""
                parts.append(f"Since then the form was only {done}{shown}.")
            elif allowed:
                parts.append(f"Since then the form was {done} ({_list(allowed)}).")
        elif changes == ANNOTATIONS:
            parts.append("Since then comments or markings were added to the file, which this agreement does not allow.")
        else:
            parts.append("Since then the file was changed in ways that are not filling in the form or signing.")
    if forbidden:
        after = {CERTIFICATION: "the certification", PROVIDER: "the provider signed", OFFICER: "the countersignature",
                 OTHER: "it"}[role]
        parts.append(f"Changed after {after}, which is not allowed: {_list(forbidden)}. {FORBIDDEN_ADVICE[role]}")
    trusted = "from a trusted authority" if trust_problem is None else trust_problem
    parts.append(f"The certificate is {trusted}.")
    return " ".join(parts)


def _missing(states: dict[str, FieldState]) -> tuple[str, ...]:
    out = []
    for name in provider_required():
        state = states.get(name)
        if state is None:
            continue
        if state.kind in ("checkbox", "radio"):
            if not state.value:
                out.append(name)
        elif not state.filled:
            out.append(name)
    return tuple(out)


def _verdicts(source: str, reports: tuple[SignatureReport, ...], states: dict[str, FieldState]) -> Verification:
    certifications = [r for r in reports if r.certification]
    certification = certifications[0] if certifications else None
    certified = bool(certification and certification.ok and certification.permission == RIGHT_PERMISSION)
    provider = next((r for r in reports if r.role == PROVIDER), None)
    officer_sig = next((r for r in reports if r.role == OFFICER), None)
    missing = _missing(states)
    officer = states.get(OFFICER_NAME)
    officer_date = states.get(OFFICER_DATE)
    officer_name = officer.value.strip() if officer is not None and officer.filled else None
    officer_day = officer_date.value.strip() if officer_date is not None and officer_date.filled else None
    countersigned_digitally = bool(officer_sig and officer_sig.ok)
    visibly = officer_sig is None and bool(officer_name and officer_day) and officer is not None and officer.read_only
    countersigned = countersigned_digitally or visibly
    summary: list[str] = []
    if certification is None:
        summary.append("Not certified by the service (the IPA was issued without a certificate; the record of what "
                       "was issued is the reference).")
    elif certified:
        summary.append(f"Certified by {certification.signer} for form filling and signing only; the certification "
                       "holds.")
    else:
        summary.append(f"The certification by {certification.signer} does not hold: see below.")
    if missing:
        summary.append(f"The provider's block is not complete: {_list(missing)} not filled in.")
    else:
        shown = ", ".join(states[n].value or "" for n in provider_required() if n in states)
        summary.append(f"The provider's block is filled in ({shown}).")
    if provider is None:
        summary.append("The provider did not sign digitally (typing their name and date is enough).")
    elif provider.ok:
        summary.append(f"The provider signed digitally ({provider.signer}) and the signature holds.")
    else:
        summary.append(f"The provider's digital signature ({provider.signer}) does not hold: see below.")
    if countersigned_digitally:
        summary.append(f"Countersigned digitally by {officer_sig.signer if officer_sig else ''}"
                       f"{f' ({officer_name}, {officer_day})' if officer_name else ''}.")
    elif countersigned:
        summary.append(f"Countersigned by {officer_name} on {officer_day}, without a digital signature.")
    elif officer_sig is not None:
        summary.append(f"The countersignature ({officer_sig.signer}) does not hold: see below.")
    elif officer_name or officer_day:
        summary.append(f"Not countersigned: the officer's boxes hold '{officer_name or ''}' "
                       f"'{officer_day or ''}' but were not locked by a countersignature.")
    else:
        summary.append("Not countersigned yet.")
    return Verification(
        source=source,
        signatures=reports,
        certified=certified,
        certified_by=certification.signer if certification else None,
        provider_block_complete=not missing,
        missing_provider_boxes=missing,
        provider_signed=bool(provider and provider.ok),
        countersigned=countersigned,
        countersigned_digitally=countersigned_digitally,
        officer=officer_name,
        officer_date=officer_day,
        summary=tuple(summary),
    )

