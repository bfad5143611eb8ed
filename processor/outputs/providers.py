"""What goes to providers for a referral: the anonymised referral (PDF and JSON) and a Part B
prefilled with the brokerage reference.

The anonymised PDF is a blank referral (from the generator) filled with the anonymised data, a
banner stamped on each page with the reference and each child's age and postcode area, then
written with a deterministic ``/ID`` and no dates or XMP. Before it is returned, the PDF and the
JSON are searched (:mod:`brokerage.processor.outputs.pdfscan`) for every personal value of the
original data; a hit raises :class:`OutputError` and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from brokerage.errors import OutputError
from brokerage.processor.outputs.anonymise import (
    anonymise_instance,
    child_summaries,
    find_strings,
    personal_strings,
)
from brokerage.processor.outputs.banner import stamp
from brokerage.processor.outputs.canonical import canonical, json_bytes
from brokerage.processor.outputs.forms import blank_form, filled_writer
from brokerage.processor.outputs.pdfscan import haystacks
from brokerage.processor.outputs.pdfwrite import finish
from brokerage.schema import DOCUMENT_INFO_KEY, FORM_ID_INFO_KEY, Catalogue, FormKind, default_catalogue, set_at


def _pdf_from(
    blank: bytes,
    instance: Mapping[str, Any],
    seed: str,
    info: dict[str, str],
    catalogue: Catalogue,
    banner: list[str] | None = None,
) -> bytes:
    """``blank`` filled with ``instance``, stamped and finished in one writer: parsed, cloned and
    written once."""
    writer = filled_writer(blank, instance, catalogue)
    if banner:
        stamp(writer, banner)
    return finish(writer, seed, info)


def pdf_from_blank(
    blank: bytes, instance: Mapping[str, Any], seed: str, info: dict[str, str], catalogue: Catalogue | None = None
) -> bytes:
    """``blank`` (a form of ours) filled with ``instance`` (checked data), finished with ``info``."""
    catalogue = catalogue or default_catalogue()
    return _pdf_from(blank, canonical(instance, catalogue), seed, info, catalogue)


def pdf_from_data(
    kind: FormKind, instance: Mapping[str, Any], seed: str, info: dict[str, str], catalogue: Catalogue | None = None
) -> bytes:
    """Our blank form of ``kind`` filled with ``instance`` (checked data), finished with ``info``: a
    document that holds nothing of a received file's objects."""
    catalogue = catalogue or default_catalogue()
    return _pdf_from(blank_form(kind, catalogue), canonical(instance, catalogue), seed, info, catalogue)


def anonymised_referral(
    data: Mapping[str, Any], reference: str, seed: str, catalogue: Catalogue | None = None
) -> tuple[bytes, bytes]:
    """(PDF, JSON) of the referral for providers; raises :class:`OutputError` if a personal value
    of ``data`` is found anywhere in either."""
    catalogue = catalogue or default_catalogue()
    form = catalogue.form(FormKind.referral)
    instance = canonical(anonymise_instance(data, catalogue), catalogue)
    blank = blank_form(form.kind, catalogue)
    lines = [
        f"Anonymised referral {reference} for providers – reply to the brokerage service with Part B quoting "
        "this reference.",
        "; ".join(summary.sentence() for summary in child_summaries(data)),
    ]
    pdf = _pdf_from(
        blank,
        instance,
        seed,
        {
            "/Title": f"Anonymised referral {reference}",
            FORM_ID_INFO_KEY: form.form_id,
            DOCUMENT_INFO_KEY: f"anonymised-referral {reference}",
        },
        catalogue,
        lines,
    )
    text = json_bytes({"reference": reference, **instance})
    # A value printed on the blank form itself (a town in the council's address), or one that is part
    # of what we add (a short Mosaic ID inside the reference), is not a leak.
    needles = personal_strings(data, catalogue)
    printed = catalogue.memo(("blank form text", form.kind), lambda: haystacks(blank))
    ours = find_strings([*printed, *lines, reference], needles)
    needles = sorted(set(needles) - ours)
    leaked = find_strings([*haystacks(pdf), text], needles)
    if leaked:
        raise OutputError(
            f"The anonymised referral {reference} still held {len(leaked)} personal value(s), so it was not "
            "written. This is a fault in the processor; please report it."
        )
    return pdf, text


def part_b_prefilled(reference: str, seed: str, catalogue: Catalogue | None = None) -> bytes:
    """A blank provider response with the referral's reference in the box it quotes it in."""
    catalogue = catalogue or default_catalogue()
    form = catalogue.form(FormKind.provider_response)
    instance: dict[str, Any] = {}
    quoted = form.kind.facts.quoted_reference
    assert quoted is not None, "a provider response quotes the referral's reference"
    set_at(instance, quoted, reference)
    return _pdf_from(
        blank_form(form.kind, catalogue),
        instance,
        seed,
        {"/Title": f"Provider response (Part B) to {reference}", FORM_ID_INFO_KEY: form.form_id},
        catalogue,
    )
