"""The duty brokerage officer's countersignature on a returned IPA, as an incremental update.

:func:`countersign` checks the returned file first and refuses, with a sentence, a file

- whose officer's block is already filled in or signed (countersigned already);
- whose provider's block is not complete (name, position, date, and any tick the form has there);
- whose earlier signatures do not hold: the provider's digital signature, or the service's
  certification, no longer intact (a full rewrite is named as such) or followed by changes their
  role does not allow. A certification that does not hold is accepted only when the caller has
  compared every agreed box with the IPA as issued (``agreed_fields_checked=True``): the file can no
  longer prove them, the case's record can. Never when the certification itself shows an agreed box
  changed since the IPA was issued. That is the common case, not an attack: a provider who
  types their block in Chrome or Edge (PDFium) breaks the certification whatever they type, because
  Chrome writes the whole file again and PDFium's incremental save rewrites appearance streams
  the certification does not allow to change (measured; see the tests).

Then, in one incremental update appended to the file (earlier signatures stay valid): the officer's
name and the date in their boxes, every box of the form made read-only, and

- with a certificate: a PAdES signature in the officer's signature box, its appearance saying
  "Countersigned for the brokerage service by <certificate name>" and the time;
- without one: the words "Countersigned by the duty brokerage officer", the name and the date drawn
  on the page over the officer's signature box, when the file holds no digital signature that still
  holds (page content: every reader shows it, while MuPDF ignores an unsigned signature box's own
  appearance and draws a "SIGN" marker there). A digital signature's difference analysis allows an
  unsigned signature box to be signed, never to be drawn on or drawn over (pyHanko counts both as
  "other changes"); so when the file carries a certification or the provider's signature that
  holds, the name and date boxes under the printed heading "Countersigned for the brokerage
  service" are the visible countersignature and the signature box is left as it is.
"""

from __future__ import annotations

import datetime as dt
import io

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.general import SigningError

from brokerage.processor.signatures.certificates import NO_TRUST, SignerConfig, TrustRoots
from brokerage.processor.signatures.errors import (
    AlreadyCountersignedError,
    BrokenSignatureError,
    CountersignRefused,
    ProviderBlockIncomplete,
)
from brokerage.processor.signatures.formfill import fill_text, lock_every_field, stamp_over_box
from brokerage.processor.signatures.ipa import OFFICER_DATE, OFFICER_NAME, OFFICER_SIGNATURE, describe_fields
from brokerage.processor.signatures.pdfdoc import (
    PDF_ERRORS,
    label,
    open_reader,
    quiet_pyhanko,
    read_states,
    require_ipa,
)
from brokerage.processor.signatures.signing import COUNTERSIGN_REASON, sign_in_writer
from brokerage.processor.signatures.verify import CERTIFICATION, assess

MAX_NAME = 120
STAMP_TEXT = "Countersigned for the brokerage service\nby %(signer)s\n%(ts)s"


def display_date(day: dt.date) -> str:
    """A date as the form's date boxes show it (dd/mm/yyyy)."""
    return day.strftime("%d/%m/%Y")


def countersign(pdf: bytes, officer: str, day: dt.date, signer: SignerConfig | None, *, source: str = "",
                trust: TrustRoots | None = None, agreed_fields_checked: bool = False) -> bytes:
    """The returned IPA ``pdf`` countersigned by ``officer`` on ``day`` (see the module's notes).

    ``signer``: the officer's certificate (:func:`~.certificates.load_signer`), or ``None`` for a
    countersignature without a digital signature. ``trust`` is used only in the sentences of a refusal.
    Raises a :class:`~.errors.CountersignRefused` subclass with a sentence when the file cannot be
    countersigned, :class:`~.errors.NotAnIpaError` for another form.
    """
    name = " ".join(officer.split())
    if not name or len(name) > MAX_NAME:
        raise CountersignRefused(
            f"Give the duty brokerage officer's name (1 to {MAX_NAME} characters) to countersign {label(source)}."
        )
    reader = open_reader(pdf, source)
    states = read_states(reader, source)
    require_ipa(reader, states, source)
    officer_sig = states.get(OFFICER_SIGNATURE)
    officer_name = states.get(OFFICER_NAME)
    officer_date = states.get(OFFICER_DATE)
    name_filled = officer_name is not None and officer_name.filled
    when = f" on {officer_date.value}" if officer_date is not None and officer_date.filled else ""
    if (officer_sig is not None and officer_sig.value) or (name_filled and officer_name.read_only):
        who = officer_name.value if name_filled else "a digital signature"
        raise AlreadyCountersignedError(
            f"{label(source)} is already countersigned ({who}{when}). Countersign the provider's returned copy, "
            "not a countersigned one."
        )
    if name_filled or (officer_date is not None and officer_date.filled):
        shown = officer_name.value if name_filled else ""
        raise CountersignRefused(
            f"{label(source)} cannot be countersigned: the officer's boxes already hold '{shown}'{when}, typed by "
            "someone else (the brokerage service's countersignature locks them). Ask the provider to return the "
            "agreement with the officer's boxes empty."
        )
    verification = assess(reader, pdf, states, trust=trust or NO_TRUST, source=source, at=None)
    if verification.missing_provider_boxes:
        boxes = describe_fields(verification.missing_provider_boxes)
        raise ProviderBlockIncomplete(
            f"{label(source)} cannot be countersigned: the provider has not filled in {boxes}. Ask the provider to "
            "complete their block (name, position and date) and return it."
        )
    for report in verification.signatures:
        if report.ok:
            continue
        if report.role == CERTIFICATION and not report.forbidden_changes:
            if agreed_fields_checked:
                continue  # the caller compared every agreed box with the IPA as issued: the record proves them
            advice = (" When every agreed box matches the IPA as issued (the case's record), it can be countersigned "
                      "without the certification.")
        else:
            advice = ""
        raise BrokenSignatureError(
            f"{label(source)} cannot be countersigned. {report.sentence}{advice}", rewritten=report.rewritten
        )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    try:
        with quiet_pyhanko():
            return _write(writer, name, day, signer, draw=not any(r.ok for r in verification.signatures))
    except (SigningError, KeyError, *PDF_ERRORS) as error:
        raise CountersignRefused(
            f"{label(source)} could not be countersigned ({type(error).__name__}: {error}). The file was not changed; "
            "ask the provider for the agreement again."
        ) from error


def _write(writer: IncrementalPdfFileWriter, name: str, day: dt.date, signer: SignerConfig | None, *,
           draw: bool) -> bytes:
    fill_text(writer, OFFICER_NAME, name)
    fill_text(writer, OFFICER_DATE, display_date(day))
    lock_every_field(writer)
    if signer is not None:
        return sign_in_writer(writer, OFFICER_SIGNATURE, signer, reason=COUNTERSIGN_REASON, stamp_text=STAMP_TEXT)
    if draw:
        words = f"Countersigned by the duty brokerage officer\n{name}\n{display_date(day)}"
        stamp_over_box(writer, OFFICER_SIGNATURE, words)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
