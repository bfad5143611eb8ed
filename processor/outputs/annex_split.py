"""Separate Annex 1 (summer play scheme) from Part A: two PDFs, each still fillable.

The referral is Part A followed by Annex 1 on its own pages. A page belongs to the Annex when
every form field on it is under ``/annex_1`` (field names are ``field_name(pointer)``, so the
part is the name's first step); a page without fields belongs with the page before it. Pages are
copied with ``PdfWriter.append`` (``add_page`` would drop ``/AcroForm`` and every field with it),
fields of the other part are then removed, and the result is read back to check that exactly the
expected fields are there.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

from brokerage.errors import OutputError
from brokerage.pdf import catalog, field_names_by_page, full_name, open_pdf, resolve, walk_fields
from brokerage.processor.outputs.pdfwrite import finish
from brokerage.schema import DOCUMENT_INFO_KEY

ANNEX = "annex_1"
PART_A = "part_a"


@dataclass(frozen=True)
class SplitReferral:
    part_a: bytes
    """Part A pages only, with Part A's fields."""
    annex: bytes | None
    """Annex 1 pages only, with Annex 1's fields; ``None`` when the file has no Annex pages."""


def part_of(name: str) -> str | None:
    """The form part a field belongs to (``part_a``…), ``None`` for form-wide fields (``form_id``)."""
    head, separator, _ = name.partition("__")
    return head if separator else None


def page_field_names(reader: PdfReader) -> list[set[str]]:
    """For each page, the names of the form fields with a widget on it."""
    return field_names_by_page(reader)


def annex_pages(reader: PdfReader, names_by_page: list[set[str]] | None = None) -> tuple[list[int], list[int]]:
    """(Part A page indices, Annex 1 page indices), 0-based, in order.

    Raises :class:`OutputError` when a page holds fields of both parts: such a file cannot be split.
    """
    part_a: list[int] = []
    annex: list[int] = []
    current = PART_A
    for index, names in enumerate(names_by_page if names_by_page is not None else page_field_names(reader)):
        parts = {p for p in (part_of(n) for n in names) if p is not None}
        if len(parts) > 1:
            raise OutputError(
                f"Page {index + 1} of the referral holds fields of {', '.join(sorted(parts))}: "
                "Annex 1 must be on its own pages to be separated. Use a referral form made by `brokerage generate`."
            )
        if parts:
            current = ANNEX if parts == {ANNEX} else PART_A
        (annex if current == ANNEX else part_a).append(index)
    return part_a, annex


def _prune_fields(writer: PdfWriter, keep_part: str) -> None:
    """Remove from ``/AcroForm /Fields`` (and from the pages) every field not of ``keep_part``."""
    acroform = resolve(catalog(writer).get("/AcroForm"))
    if not isinstance(acroform, DictionaryObject):
        return
    fields = resolve(acroform.get("/Fields")) or ArrayObject()
    kept = ArrayObject()
    for ref in fields:
        field = resolve(ref)
        if isinstance(field, DictionaryObject) and part_of(full_name(field)) in (keep_part, None):
            kept.append(ref)
    acroform[NameObject("/Fields")] = kept
    for page in writer.pages:
        annots = resolve(page.get("/Annots"))
        if not isinstance(annots, ArrayObject):
            continue
        for annot in list(annots):
            widget = resolve(annot)
            if (
                isinstance(widget, DictionaryObject)
                and widget.get("/Subtype") == "/Widget"
                and part_of(full_name(widget)) not in (keep_part, None)
            ):
                annots.remove(annot)


def extract_part(
    reader: PdfReader, pages: Iterable[int], keep_part: str, seed: str, info: dict[str, str],
    names_by_page: list[set[str]] | None = None,
) -> bytes:
    """A new PDF of ``pages`` of ``reader``'s file holding only the fields of ``keep_part`` (and
    form-wide ones).

    Checks the result by reading it back: every field of ``keep_part`` that had a widget on those
    pages is there, and no field of another part.
    """
    pages = list(pages)
    names_by_page = names_by_page if names_by_page is not None else page_field_names(reader)
    expected = {name for index in pages for name in names_by_page[index] if part_of(name) in (keep_part, None)}
    writer = PdfWriter()
    writer.append(reader, pages=pages, import_outline=False)
    _prune_fields(writer, keep_part)
    out = finish(writer, seed, info)
    present = {node.name for node in walk_fields(catalog(PdfReader(io.BytesIO(out))))}  # our own output, read back
    stray = {name for name in present if part_of(name) not in (keep_part, None)}
    missing = expected - present
    if stray or missing:
        raise OutputError(
            f"Separating {keep_part} went wrong: {len(missing)} field(s) lost, {len(stray)} field(s) of "
            "another part left in. This is a fault in the processor; please report it."
        )
    return out


def split_referral(
    data: bytes, seed: str, form_id: str | None = None, marker: str | None = None
) -> SplitReferral:
    """Part A and Annex 1 of a referral PDF as two fillable PDFs (Annex ``None`` without Annex pages).

    ``marker``: the output marker's value (:data:`~brokerage.schema.DOCUMENT_INFO_KEY`), ``"<marker>
    part-a"`` and ``"<marker> annex-1"``, for filed copies that must never be read back as returns.
    The case folder splits only a referral it made itself from checked data, never a received file.
    """
    reader = open_pdf(data)
    names = page_field_names(reader)
    part_a_pages, annex_page_list = annex_pages(reader, names)
    base = {"/BrokerageForm": form_id} if form_id else {}
    marks = (
        ({DOCUMENT_INFO_KEY: f"{marker} part-a"}, {DOCUMENT_INFO_KEY: f"{marker} annex-1"}) if marker else ({}, {})
    )
    part_a = extract_part(
        reader, part_a_pages, PART_A, f"{seed}:part-a", {**base, **marks[0], "/Title": "Brokerage referral – Part A"},
        names,
    )
    annex = (
        extract_part(
            reader, annex_page_list, ANNEX, f"{seed}:annex-1",
            {**base, **marks[1], "/Title": "Brokerage referral – Annex 1"}, names,
        )
        if annex_page_list
        else None
    )
    return SplitReferral(part_a=part_a, annex=annex)
