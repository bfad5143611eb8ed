"""The case folder of an accepted form: ``cases/<reference>/``, named by the brokerage reference only.

Referral: ``referral.json`` (the data), ``part-a.pdf`` (the received form without the Annex 1 pages,
still fillable), ``annex-1.pdf`` and ``annex-1.json`` when a summer play scheme is requested (the
Annex pages of the received file; made afresh from a blank form if the sender removed them),
``anonymised-referral.pdf`` and ``.json`` for providers, and ``part-b-prefilled.pdf`` (a blank
provider response carrying the reference). Provider response: ``responses/<n>-response.json`` and
``.pdf``, ``n`` counted from the responses already filed (the same response keeps its number).
IPA: ``ipa.pdf`` (the received bytes, untouched: it may be signed) and ``ipa.json``.

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
from brokerage.processor.outputs.annex_split import split_referral
from brokerage.processor.outputs.canonical import canonical, json_bytes
from brokerage.processor.outputs.forms import blank_form, fill_form
from brokerage.processor.outputs.paths import case_folder, short_hash
from brokerage.processor.outputs.providers import anonymised_referral, part_b_prefilled
from brokerage.processor.results import FileResult, Status
from brokerage.schema import Catalogue, FormKind, default_catalogue, get_at

Outputs = dict[PurePosixPath, bytes]
RESPONSES = "responses"
_RESPONSE_NAME = re.compile(r"^([0-9]+)-response\.json$")


def summer_scheme_requested(data: Mapping[str, Any]) -> bool:
    """True when Part A says a summer play scheme was approved or Annex 1 names a child."""
    approved = get_at(data, "/part_a/services/short_break/summer_scheme_approved") == "Yes"
    return approved or bool(get_at(data, "/annex_1/children"))


def annex_from_blank(annex_data: Mapping[str, Any], seed: str, catalogue: Catalogue | None = None) -> bytes:
    """Annex 1 made afresh (a blank referral's Annex pages filled with ``annex_data``), for a received
    file whose Annex pages were removed before it was sent."""
    form = (catalogue or default_catalogue()).form(FormKind.referral)
    filled = fill_form(blank_form(form.kind, form.catalogue), annex_data, form.catalogue)
    annex = split_referral(filled, seed, form.form_id).annex
    if annex is None:
        raise OutputError("The blank referral form has no Annex 1 pages. This is a fault in the generator.")
    return annex


def referral_outputs(
    result: FileResult, pdf_bytes: bytes, folder: PurePosixPath, out_dir: Path, catalogue: Catalogue
) -> Outputs:
    data = result.data or {}
    reference = folder.name
    seed = f"{result.sha256}:{reference}"
    split = split_referral(pdf_bytes, seed, catalogue.form(FormKind.referral).form_id)
    out: Outputs = {folder / "referral.json": json_bytes(data), folder / "part-a.pdf": split.part_a}
    if summer_scheme_requested(data):
        annex_data = {"annex_1": data.get("annex_1", {})}
        out[folder / "annex-1.pdf"] = split.annex or annex_from_blank(annex_data, seed, catalogue)
        out[folder / "annex-1.json"] = json_bytes(annex_data)
    anonymised_pdf, anonymised_json = anonymised_referral(data, reference, f"{seed}:anonymised", catalogue)
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


def response_outputs(
    result: FileResult, pdf_bytes: bytes, folder: PurePosixPath, out_dir: Path, catalogue: Catalogue
) -> Outputs:
    content = json_bytes(result.data or {})
    number = response_number(out_dir / folder / RESPONSES, content)
    stem = folder / RESPONSES / f"{number}-response"
    return {stem.with_suffix(".json"): content, stem.with_suffix(".pdf"): pdf_bytes}


def ipa_outputs(
    result: FileResult, pdf_bytes: bytes, folder: PurePosixPath, out_dir: Path, catalogue: Catalogue
) -> Outputs:
    return {folder / "ipa.pdf": pdf_bytes, folder / "ipa.json": json_bytes(result.data or {})}


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
    folder = case_folder(result.reference)
    writer = CASE_WRITERS.get(result.kind) if result.kind is not None else None
    if writer is None:
        raise OutputError(f"'{result.source}' is not a brokerage form, so it has no case folder.")
    outputs = writer(result, pdf_bytes, folder, out_dir, catalogue)
    for path, content in outputs.items():
        target = out_dir / path
        if target.is_file() and not target.is_symlink() and target.read_bytes() == content:
            set_mode(target, permissions)
        else:
            atomic_write_bytes(target, content, mode=permissions)
    return sorted(str(path) for path in outputs)
