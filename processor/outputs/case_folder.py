"""The case folder of an accepted form: ``cases/<reference>/``, named by the brokerage reference only.

Referral: ``referral.json`` (the data), ``part-a.pdf`` (the received form without the Annex 1 pages,
still fillable), ``annex-1.pdf`` and ``annex-1.json`` when a summer play scheme is requested,
``anonymised-referral.pdf`` and ``.json`` for providers, and ``part-b-prefilled.pdf`` (a blank
provider response carrying the reference). Provider response: ``responses/<n>-response.json`` and
``.pdf``, ``n`` counted from the responses already filed (the same response keeps its number).
IPA: ``ipa.pdf`` (the received bytes, untouched: it may be signed) and ``ipa.json``.

Every output is computed in memory, then written atomically; the same result and bytes give the
same files, byte for byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from brokerage.errors import OutputError
from brokerage.processor.files import atomic_write_bytes
from brokerage.processor.outputs.annex_split import split_referral
from brokerage.processor.outputs.anonymise import (
    anonymise_instance,
    child_summaries,
    find_strings,
    personal_strings,
)
from brokerage.processor.outputs.banner import stamp
from brokerage.processor.outputs.canonical import canonical
from brokerage.processor.outputs.forms import blank_form, fill_form
from brokerage.processor.outputs.paths import case_folder, short_hash
from brokerage.processor.outputs.pdfscan import haystacks
from brokerage.processor.outputs.pdfwrite import finish
from brokerage.processor.results import FileResult, Status
from brokerage.schema import SCHEMA_VERSION, get_at

Outputs = dict[PurePosixPath, bytes]
RESPONSES = "responses"
_RESPONSE_NAME = re.compile(r"^([0-9]+)-response\.json$")


def plain(value: Any) -> Any:
    """``value`` as plain JSON types (mappings to dicts, sequences to lists)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def json_bytes(value: Any) -> bytes:
    return (json.dumps(plain(value), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def summer_scheme_requested(data: Mapping[str, Any]) -> bool:
    """True when Part A says a summer play scheme was approved or Annex 1 names a child."""
    approved = get_at(data, "/part_a/services/short_break/summer_scheme_approved") == "Yes"
    return approved or bool(get_at(data, "/annex_1/children"))


def _pdf_from(pdf: bytes, seed: str, info: dict[str, str], banner: list[str] | None = None) -> bytes:
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    if banner:
        stamp(writer, banner)
    return finish(writer, seed, info)


@lru_cache(maxsize=4)
def blank_haystacks(blank: bytes) -> list[bytes | str]:
    return haystacks(blank)


def anonymised_referral(data: Mapping[str, Any], reference: str, seed: str) -> tuple[bytes, bytes]:
    """(PDF, JSON) of the referral for providers; raises :class:`OutputError` if a personal value
    of ``data`` is found anywhere in either."""
    instance = canonical(anonymise_instance(data))
    blank = blank_form("referral")
    lines = [
        f"Anonymised referral {reference} for providers – reply to the brokerage service with Part B quoting "
        "this reference.",
        "; ".join(summary.sentence() for summary in child_summaries(data)),
    ]
    pdf = _pdf_from(
        fill_form(blank, instance),
        seed,
        {"/Title": f"Anonymised referral {reference}", "/BrokerageForm": f"referral {SCHEMA_VERSION}"},
        lines,
    )
    text = json_bytes({"reference": reference, **instance})
    # A value printed on the blank form itself (a town in the council's address) is not a leak.
    needles = personal_strings(data)
    needles = sorted(set(needles) - find_strings(blank_haystacks(blank), needles))
    leaked = find_strings([*haystacks(pdf), text], needles)
    if leaked:
        raise OutputError(
            f"The anonymised referral {reference} still held {len(leaked)} personal value(s), so it was not "
            "written. This is a fault in the processor; please report it."
        )
    return pdf, text


def part_b_prefilled(reference: str, seed: str) -> bytes:
    filled = fill_form(blank_form("provider-response"), {"part_b": {"referral_reference": reference}})
    return _pdf_from(
        filled, seed, {"/Title": f"Provider response (Part B) to {reference}",
                       "/BrokerageForm": f"provider-response {SCHEMA_VERSION}"}
    )


def referral_outputs(result: FileResult, pdf_bytes: bytes, folder: PurePosixPath) -> Outputs:
    data = result.data or {}
    reference = folder.name
    seed = f"{result.sha256}:{reference}"
    split = split_referral(pdf_bytes, seed, f"referral {SCHEMA_VERSION}")
    out: Outputs = {folder / "referral.json": json_bytes(data), folder / "part-a.pdf": split.part_a}
    if summer_scheme_requested(data):
        if split.annex is None:
            raise OutputError(
                f"The referral {reference} asks for a summer play scheme but the file has no Annex 1 pages to "
                "separate. This is a fault in the processor; please report it."
            )
        out[folder / "annex-1.pdf"] = split.annex
        out[folder / "annex-1.json"] = json_bytes({"annex_1": data.get("annex_1", {})})
    anonymised_pdf, anonymised_json = anonymised_referral(data, reference, f"{seed}:anonymised")
    out[folder / "anonymised-referral.pdf"] = anonymised_pdf
    out[folder / "anonymised-referral.json"] = anonymised_json
    out[folder / "part-b-prefilled.pdf"] = part_b_prefilled(reference, f"{seed}:part-b")
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


def response_outputs(result: FileResult, pdf_bytes: bytes, folder: PurePosixPath, out_dir: Path) -> Outputs:
    content = json_bytes(result.data or {})
    number = response_number(out_dir / folder / RESPONSES, content)
    stem = folder / RESPONSES / f"{number}-response"
    return {stem.with_suffix(".json"): content, stem.with_suffix(".pdf"): pdf_bytes}


def ipa_outputs(result: FileResult, pdf_bytes: bytes, folder: PurePosixPath) -> Outputs:
    return {folder / "ipa.pdf": pdf_bytes, folder / "ipa.json": json_bytes(result.data or {})}


def write_case(result: FileResult, pdf_bytes: bytes, out_dir: Path) -> list[str]:
    """Write the case-folder outputs of an accepted form; return their paths relative to ``out_dir``, sorted."""
    result = replace(result, data=canonical(result.data))
    if result.status is not Status.accepted:
        raise OutputError(f"Only accepted forms are filed in a case folder, not '{result.source}' ({result.status}).")
    short_hash(result.sha256)
    folder = case_folder(result.reference)
    if result.kind == "referral":
        outputs = referral_outputs(result, pdf_bytes, folder)
    elif result.kind == "provider-response":
        outputs = response_outputs(result, pdf_bytes, folder, out_dir)
    elif result.kind == "ipa":
        outputs = ipa_outputs(result, pdf_bytes, folder)
    else:
        raise OutputError(f"'{result.source}' is not a brokerage form, so it has no case folder.")
    for path, content in outputs.items():
        target = out_dir / path
        if not (target.is_file() and target.read_bytes() == content):
            atomic_write_bytes(target, content)
    return sorted(str(path) for path in outputs)
