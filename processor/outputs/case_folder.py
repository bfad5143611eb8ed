"""The case folder of an accepted form: ``cases/<reference>/``, named by the brokerage reference only.

Every document the service files or sends on is made from the checked data: our own blank form
filled with the checked values, never the sender's file (which may carry scripts, links, an XFA
packet, attachments, notes, XMP). Received Part B and IPA files are kept as the bytes received
(evidence: an IPA may be signed) in ``received/``, and nothing there is ever sent on.

Referral: ``referral.json`` (the data), ``part-a.pdf`` and, when a summer play scheme is requested,
``annex-1.pdf`` and ``annex-1.json`` (a blank referral filled with the data, split into its parts,
still fillable), ``anonymised-referral.pdf`` and ``.json`` for providers, and
``part-b-prefilled.pdf`` (a blank provider response carrying the reference). A summer play scheme kept
on file until January (``FileResult.held_until``) is left out of what goes to providers; a referral that
asks for nothing else gets no provider pack until then. Provider response:
``responses/<n>-response.json`` and ``.pdf`` (made from the data), ``n`` counted from the responses
already filed (the same response keeps its number), and ``received/<hash>-provider-response.pdf``.
IPA: ``ipa.json``, ``ipa.pdf`` (made from the data) and ``received/<hash>-ipa.pdf`` (the received
bytes, untouched: it may be signed). ``<hash>`` is the first 12 hex digits of the received file's sha256.

Documents we make and do not expect back carry the output marker
(:data:`~brokerage.schema.DOCUMENT_INFO_KEY`, ``"filed-referral BRK-2026-0001 part-a"``…), so a copy
dropped into the inbox is never read as a return; the prefilled Part B does not (it comes back filled).

Every output is computed in memory, then written atomically; the same result and bytes give the
same files, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from brokerage.errors import OutputError
from brokerage.files import OWNER_ONLY, Permissions, atomic_write_bytes, set_mode
from brokerage.processor.outputs.annex_split import SplitReferral, split_referral
from brokerage.processor.outputs.canonical import canonical, json_bytes
from brokerage.processor.outputs.forms import blank_form
from brokerage.processor.outputs.paths import case_folder, short_hash
from brokerage.processor.outputs.providers import anonymised_referral, part_b_prefilled, pdf_from_blank, pdf_from_data
from brokerage.processor.results import FileResult, Status
from brokerage.rules.summer_scheme import without_scheme
from brokerage.schema import DOCUMENT_INFO_KEY, FORM_ID_INFO_KEY, Catalogue, FormKind, default_catalogue, get_at

Outputs = dict[PurePosixPath, bytes]
RESPONSES = "responses"
RECEIVED = "received"
_RESPONSE_NAME = re.compile(r"^([0-9]+)-response\.json$")


def summer_scheme_requested(data: Mapping[str, Any]) -> bool:
    """True when Part A says a summer play scheme was approved or Annex 1 names a child."""
    approved = get_at(data, "/part_a/services/short_break/summer_scheme_approved") == "Yes"
    return approved or bool(get_at(data, "/annex_1/children"))


def blank_parts(catalogue: Catalogue | None = None) -> SplitReferral:
    """The blank referral split into Part A and Annex 1 (each still fillable), made once per catalogue."""
    form = (catalogue or default_catalogue()).form(FormKind.referral)

    def make() -> SplitReferral:
        split = split_referral(blank_form(form.kind, form.catalogue), "blank", form.form_id)
        if split.annex is None:
            raise OutputError("The blank referral form has no Annex 1 pages. This is a fault in the generator.")
        return split

    return form.catalogue.memo(("blank referral parts", form.kind), make)


def filed_referral(
    data: Mapping[str, Any], reference: str, seed: str, catalogue: Catalogue | None = None
) -> SplitReferral:
    """Part A and Annex 1 made from the checked data: our blank Part A and Annex 1 (the blank referral
    split once) each filled with its part of ``data`` and marked as a filed copy. Nothing of the
    received file is in them."""
    catalogue = catalogue or default_catalogue()
    form = catalogue.form(FormKind.referral)
    blanks = blank_parts(catalogue)
    assert blanks.annex is not None
    made = []
    for part, blank, title in (("part_a", blanks.part_a, "Part A"), ("annex_1", blanks.annex, "Annex 1")):
        info = {
            "/Title": f"Brokerage referral – {title}",
            FORM_ID_INFO_KEY: form.form_id,
            DOCUMENT_INFO_KEY: f"filed-referral {reference} {part.replace('_', '-')}",
        }
        instance = {part: data[part]} if part in data else {}
        made.append(pdf_from_blank(blank, instance, f"{seed}:{part.replace('_', '-')}", info, catalogue))
    return SplitReferral(part_a=made[0], annex=made[1])


def annex_from_blank(annex_data: Mapping[str, Any], seed: str, catalogue: Catalogue | None = None) -> bytes:
    """Annex 1 made afresh from ``annex_data`` (a blank referral's Annex pages filled with it)."""
    annex = filed_referral(annex_data, "annex", seed, catalogue).annex
    assert annex is not None
    return annex


def referral_outputs(
    result: FileResult, pdf_bytes: bytes, folder: PurePosixPath, out_dir: Path, catalogue: Catalogue
) -> Outputs:
    data = result.data or {}
    reference = folder.name
    seed = f"{result.sha256}:{reference}"
    split = filed_referral(data, reference, seed, catalogue)
    out: Outputs = {folder / "referral.json": json_bytes(data), folder / "part-a.pdf": split.part_a}
    if summer_scheme_requested(data):
        annex_data = {"annex_1": data.get("annex_1", {})}
        assert split.annex is not None
        out[folder / "annex-1.pdf"] = split.annex
        out[folder / "annex-1.json"] = json_bytes(annex_data)
    if result.held_until is not None and result.response_due is None:
        return out  # only a summer play scheme, kept on file: nothing goes to providers until January
    for_providers = without_scheme(data) if result.held_until is not None else data
    anonymised_pdf, anonymised_json = anonymised_referral(for_providers, reference, f"{seed}:anonymised", catalogue)
    out[folder / "anonymised-referral.pdf"] = anonymised_pdf
    out[folder / "anonymised-referral.json"] = anonymised_json
    out[folder / "part-b-prefilled.pdf"] = part_b_prefilled(reference, f"{seed}:part-b", catalogue)
    return out


def response_number(responses: Path, content: bytes) -> int:
    """The number of the filed response with exactly ``content``, or the next free number."""
    numbers: list[int] = []
    if responses.is_dir():
        for path in sorted(responses.iterdir()):
            match = _RESPONSE_NAME.match(path.name)
            if match:
                if path.read_bytes() == content:
                    return int(match.group(1))
                numbers.append(int(match.group(1)))
    return max(numbers, default=0) + 1


def received_copy(result: FileResult, pdf_bytes: bytes, folder: PurePosixPath) -> Outputs:
    """The received file, byte for byte, as evidence: ``received/<hash>-<kind>.pdf``; never sent on."""
    kind = result.kind.value if result.kind is not None else "form"
    return {folder / RECEIVED / f"{short_hash(result.sha256)}-{kind}.pdf": pdf_bytes}


def filed_copy(result: FileResult, what: str, seed: str, catalogue: Catalogue) -> bytes:
    """The form of ``result``'s kind made from its checked data (our blank, filled), marked ``what``."""
    form = catalogue.form(result.kind or FormKind.referral)
    return pdf_from_data(
        form.kind, result.data or {}, seed,
        {"/Title": f"{form.title} ({what})", FORM_ID_INFO_KEY: form.form_id, DOCUMENT_INFO_KEY: what},
        catalogue,
    )


def response_outputs(
    result: FileResult, pdf_bytes: bytes, folder: PurePosixPath, out_dir: Path, catalogue: Catalogue
) -> Outputs:
    content = json_bytes(result.data or {})
    number = response_number(out_dir / folder / RESPONSES, content)
    stem = folder / RESPONSES / f"{number}-response"
    copy = filed_copy(result, f"filed-response {folder.name} {number}", f"{result.sha256}:response", catalogue)
    received = received_copy(result, pdf_bytes, folder)
    return {stem.with_suffix(".json"): content, stem.with_suffix(".pdf"): copy, **received}


def ipa_outputs(
    result: FileResult, pdf_bytes: bytes, folder: PurePosixPath, out_dir: Path, catalogue: Catalogue
) -> Outputs:
    copy = filed_copy(result, f"filed-ipa {folder.name}", f"{result.sha256}:ipa", catalogue)
    return {
        folder / "ipa.pdf": copy,
        folder / "ipa.json": json_bytes(result.data or {}),
        **received_copy(result, pdf_bytes, folder),
    }


def write_outputs(
    out_dir: Path, outputs: Mapping[PurePosixPath, bytes], permissions: Permissions, keep: frozenset[str] = frozenset()
) -> None:
    """Write each output atomically, unless the same bytes are there already. ``keep``: outputs a
    ledger recorded for this file (a re-run rewriting the missing ones): one that is there is left as
    it is, whatever it holds, for the batch to compare with its recorded hash and report."""
    for path, content in outputs.items():
        target = out_dir / path
        there = target.is_file() and not target.is_symlink()
        if there and (str(path) in keep or target.read_bytes() == content):
            set_mode(target, permissions)
        else:
            atomic_write_bytes(target, content, mode=permissions)


CaseWriter = Callable[[FileResult, bytes, PurePosixPath, Path, Catalogue], Outputs]
CASE_WRITERS: dict[FormKind, CaseWriter] = {
    FormKind.referral: referral_outputs,
    FormKind.provider_response: response_outputs,
    FormKind.ipa: ipa_outputs,
}
"""What each kind of form files in its case folder (a test holds every kind to having a writer)."""


def write_case(
    result: FileResult,
    pdf_bytes: bytes,
    out_dir: Path,
    catalogue: Catalogue | None = None,
    *,
    permissions: Permissions = OWNER_ONLY,
) -> list[str]:
    """Write the case-folder outputs of an accepted form; return their paths relative to ``out_dir``, sorted."""
    catalogue = catalogue or default_catalogue()
    result = replace(result, data=canonical(result.data, catalogue))
    if result.status is not Status.accepted:
        raise OutputError(f"Only accepted forms are filed in a case folder, not '{result.source}' ({result.status}).")
    short_hash(result.sha256)  # a result without a real sha256 is a processor fault: stop before writing
    if result.reference is None:
        raise OutputError(
            f"'{result.source}' names no case (it carries no brokerage reference such as BRK-2026-0001), so it "
            "cannot be filed in a case folder"
        )
    folder = case_folder(result.reference)
    writer = CASE_WRITERS.get(result.kind) if result.kind is not None else None
    if writer is None:
        raise OutputError(f"'{result.source}' is not a brokerage form, so it has no case folder.")
    outputs = writer(result, pdf_bytes, folder, out_dir, catalogue)
    write_outputs(out_dir, outputs, permissions, keep=frozenset(result.outputs))
    return sorted(str(path) for path in outputs)
