"""The referral as providers get it (issue 15): a fresh, read-only, flowing document made from the
checked data, not the emptied 17-page worker form.

It says what a provider needs to decide whether it can meet the package, and nothing else: the
reference, the response deadline, URGENT when it is, where to reply (the policy's email and duty
line); each child as "the child" (or "Child 1", "Child 2") with age, gender and postcode district;
the child's needs; the services asked for with their timetables; the summer play scheme dates.

Stricter than the schema's ``x-personal`` marks (name, date of birth, Mosaic ID, address, the
principal contact), it also leaves out what a provider does not need and could identify the child
or upset fair competition (:data:`NOT_FOR_PROVIDERS`): the school's name, the principal contact
altogether, the council's current support and its funding, the specific provider asked for, the
allocated worker, the manager's approval and why the case is urgent. Free text is scrubbed as the
anonymised referral's is (:func:`~brokerage.processor.outputs.anonymise.anonymise_instance`), and the
school's name is replaced too.

The file is marked so that a copy sent back to the inbox by mistake is recognised
(:func:`recognise_provider_copy`): the document-information key ``/BrokerageDocument`` holds
``provider-referral <reference>`` and every page prints :data:`PROVIDER_COPY_MARK` and the reference.

Before the bytes are returned, every string drawn, the document information and the text extracted
from the rendered PDF are searched for each personal value of the original data (the child's,
the family's and the worker's); a hit raises :class:`OutputError`: no file is better than a leaking one.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from pypdf import PdfReader

from brokerage.errors import BrokerageError, OutputError
from brokerage.generator.flowing import (
    DOCUMENT_INFO_KEY,
    Block,
    Field,
    FlowingDocument,
    Grid,
    Heading,
    Note,
    render_flowing,
    texts,
)
from brokerage.generator.flowing_schema import subtree_blocks
from brokerage.pdf import READ_ERRORS, open_pdf
from brokerage.processor.outputs.anonymise import anonymise_instance, personal_strings
from brokerage.processor.pdf_read import our_output
from brokerage.processor.providers import Lot, postcode_district
from brokerage.rules.policy import Contact, long_date
from brokerage.schema import default_catalogue, get_at
from brokerage.schema.boxes import MULTILINE, TEXT

PROVIDER_COPY_MARK = "Provider copy of brokerage referral"
"""Printed at the top of every page, followed by the reference."""
DOCUMENT_KIND = "provider-referral"

NOT_FOR_PROVIDERS: dict[str, str] = {
    "/part_a/children/*/gender": "printed once in the child's line instead",
    "/part_a/children/*/school": "names the school: with age and area it can identify the child",
    "/part_a/children/*/principal_contact": "all contact goes through the brokerage service (guidance point 10)",
    "/part_a/children/*/current_support": "the council's current arrangements (and other providers) are not for "
                                          "competing providers",
    "/part_a/children/*/current_support_funding": "how the council funds support is not the provider's business",
    "/part_a/services/specific_provider": "the officer's decision on who is asked; not for competing providers",
}
"""Boxes left out beyond the ``x-personal`` ones, with why (template pointers; a subtree counts whole)."""

CHILD = "/part_a/children/*"
SERVICES = "/part_a/services"
ANNEX_DATES = "/annex_1/children/*/dates"
_EXACT_NEEDLE_MIN = 3


def shown_to_providers(template: str) -> bool:
    """Whether the box (or section) at ``template`` is printed for providers."""
    if any(template == t or template.startswith(t + "/") for t in NOT_FOR_PROVIDERS):
        return False
    leaf = default_catalogue().leaf(template)
    return not (leaf is not None and leaf.personal)


@dataclass(frozen=True)
class ProviderReferral:
    """What the send-out knows about the referral it sends (besides the referral's data)."""

    reference: str
    deadline: date
    urgent: bool
    contact: Contact
    today: date
    """The send-out day: children's ages are counted on it."""
    lots: frozenset[Lot]
    round_number: int = 1


def _age(birth: Any, on: date) -> int | None:
    try:
        born = date.fromisoformat(str(birth))
    except ValueError:
        return None
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return years if 0 <= years < 30 else None


def child_line(child: Mapping[str, Any], anonymised: Mapping[str, Any], on: date) -> str:
    """``Aged 10 · Female · postcode district LE1`` (each part only when known)."""
    parts = []
    age = _age(child.get("date_of_birth"), on)
    if age is not None:
        parts.append(f"Aged {age}")
    gender = anonymised.get("gender")
    if isinstance(gender, str) and gender.strip():
        parts.append(gender.strip())
    district = postcode_district(child.get("address"))
    parts.append(f"postcode district {district}" if district else "postcode district not known")
    return " · ".join(parts)


def _child_label(index: int, count: int) -> str:
    return "The child" if count == 1 else f"Child {index + 1}"


def _scrub(value: Any, replace: Any) -> Any:
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [_scrub(v, replace) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, replace) for k, v in value.items()}
    return value


def _schools(data: Mapping[str, Any]) -> list[str]:
    found = {str(c.get("school")).strip() for c in get_at(data, "/part_a/children") or []
             if isinstance(c, Mapping) and isinstance(c.get("school"), str)}
    return sorted((s for s in found if len(s) >= _EXACT_NEEDLE_MIN and s.casefold() not in {"n/a", "none"}),
                  key=lambda s: -len(s))


def provider_instance(data: Mapping[str, Any]) -> dict[str, Any]:
    """The referral's data as providers may read it: schools' names replaced (first, so the names check
    does not take a school's words for people's names), anonymised, and with one child, "Child 1"
    written as "the child"."""
    schools = _schools(data)

    def no_school(text: str) -> str:
        for school in schools:
            text = re.sub(rf"(?<!\w){re.escape(school)}(?!\w)", "the child's school", text, flags=re.IGNORECASE)
        return text

    def the_child(text: str) -> str:
        text = re.sub(r"(^|[.!?]\s+|\n)Child 1\b", lambda m: m.group(1) + "The child", text)
        return re.sub(r"\bChild 1\b", "the child", text)

    out = anonymise_instance(_scrub(dict(data), no_school) if schools else data)
    single = len([c for c in get_at(data, "/part_a/children") or [] if isinstance(c, Mapping)]) == 1
    return _scrub(out, the_child) if single else out


def _lots_words(lots: Iterable[Lot]) -> str:
    lots = set(lots)
    return "; ".join(lot.label for lot in Lot if lot in lots) or "See the services below"


def provider_referral_document(data: Mapping[str, Any], sending: ProviderReferral) -> FlowingDocument:
    """The document (blocks and furniture) for providers; :func:`provider_referral_pdf` renders and checks it."""
    shown = provider_instance(data)
    originals = [c for c in get_at(data, "/part_a/children") or [] if isinstance(c, Mapping)]
    children = [c for c in get_at(shown, "/part_a/children") or [] if isinstance(c, Mapping)]
    ref, contact, deadline = sending.reference, sending.contact, long_date_day(sending.deadline)
    urgent = "URGENT – " if sending.urgent else ""
    blocks: list[Block] = []
    if sending.urgent:
        blocks.append(Note(f"URGENT: this referral needs your answer quickly, by the end of {deadline}.",
                           strong=True))
    blocks.append(Note(
        f"Reply by the end of {deadline}: return Part B (attached), quoting {ref}, to {contact.email}. "
        "If you cannot meet the package, please return Part B saying so.", strong=True))
    blocks.append(Note(
        f"Questions: call the brokerage duty line on {contact.duty_line}. All contact about this referral goes "
        "through the brokerage service: please do not contact the family, the school or the social worker. "
        "The family's details are given to the provider awarded the package."))
    blocks += [Heading("What is asked", 1), Field("Support", _lots_words(sending.lots)),
               Field("Children", f"{len(children)} child" + ("ren, in one package" if len(children) > 1 else ""))]
    if sending.round_number > 1:
        blocks.append(Field("Round", "Revised referral: second round, after the family was asked about flexibility"))
    blocks.append(Heading("The child" if len(children) == 1 else "The children", 1))
    for index, (child, original) in enumerate(zip(children, originals, strict=False)):
        blocks.append(Heading(_child_label(index, len(children)), 2))
        blocks.append(Field("Age, gender and where the child lives", child_line(original, child, sending.today)))
        blocks += subtree_blocks(CHILD, child, level=3, show=shown_to_providers, blanks=False)
    blocks += subtree_blocks(SERVICES, get_at(shown, SERVICES) or {}, level=1, show=shown_to_providers,
                             blanks=False)
    annex = [c for c in get_at(shown, "/annex_1/children") or [] if isinstance(c, Mapping) and c.get("dates")]
    if annex:
        blocks.append(Heading("Summer play scheme dates", 1))
        for child in annex:
            label = "The child" if len(children) == 1 else str(child.get("name") or "Child")
            for block in subtree_blocks(ANNEX_DATES, child.get("dates"), level=2, blanks=False):
                blocks.append(replace(block, label=label) if isinstance(block, Grid) else block)
    return FlowingDocument(
        title=f"{urgent}Referral for providers {ref}",
        subject=f"Anonymised referral {ref}: reply with Part B by {sending.deadline:%d/%m/%Y}",
        blocks=tuple(blocks),
        running=f"{urgent}{PROVIDER_COPY_MARK} {ref} – not a form: reply with Part B",
        footer=f"{ref} – reply by {deadline} to {contact.email}",
        info={DOCUMENT_INFO_KEY: f"{DOCUMENT_KIND} {ref}"},
    )


def long_date_day(day: date) -> str:
    return f"{day:%A} {long_date(day)}"


# -- the leak check -------------------------------------------------------------------------------

def _words(text: str) -> list[str]:
    parts = [text, *re.split(r"[\s\-]+", text)]
    return [p.strip(" ,.;:()") for p in parts if len(p.strip(" ,.;:()")) >= _EXACT_NEEDLE_MIN
            and not p.strip().isdigit()]


def provider_needles(data: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(values found whatever their case, name words found as typed or in capitals) that must not appear
    in anything meant for providers: every ``x-personal`` value in every spelling, the worker's and the
    manager's details, the schools' names; and each word of the children's, contacts' and staff's names."""
    values = set(personal_strings(data))
    staff = ("/part_a/allocated_worker/name", "/part_a/allocated_worker/telephone", "/part_a/allocated_worker/email",
             "/part_a/manager_approval/manager_name", "/part_a/manager_approval/signature")
    for pointer in staff:
        text = get_at(data, pointer)
        if isinstance(text, str) and len(text.strip()) >= _EXACT_NEEDLE_MIN:
            values.add(text.strip())
            digits = re.sub(r"[\s-]", "", text)
            if digits.isdigit():
                values.add(digits)
    values.update(_schools(data))
    names: set[str] = set()
    for base in ("/part_a/children", "/annex_1/children"):
        for child in get_at(data, base) or []:
            if isinstance(child, Mapping):
                for text in (child.get("name"), (child.get("principal_contact") or {}).get("name")):
                    if isinstance(text, str):
                        names.update(_words(text))
    for pointer in ("/part_a/allocated_worker/name", "/part_a/manager_approval/manager_name"):
        text = get_at(data, pointer)
        if isinstance(text, str):
            names.update(_words(text))
    return sorted(values), sorted(names)


def find_leaks(haystacks: Iterable[str], data: Mapping[str, Any], ours: Iterable[str] = ()) -> set[str]:
    """Personal values of ``data`` found in ``haystacks`` as whole words (values in any case, name words
    as typed or in capitals); needles that are in ``ours`` (our own fixed words) do not count."""
    values, names = provider_needles(data)
    text = "\n".join(haystacks)
    own = "\n".join(ours)
    folded, own_folded = text.casefold(), own.casefold()
    found: set[str] = set()
    for value in values:
        pattern = re.compile(rf"(?<!\w){re.escape(value.casefold())}(?!\w)")
        if pattern.search(folded) and not pattern.search(own_folded):
            found.add(value)
    for name in names:
        for spelling in {name, name.upper()}:
            pattern = re.compile(rf"(?<!\w){re.escape(spelling)}(?!\w)")
            if pattern.search(text) and not pattern.search(own):
                found.add(name)
    return found


def pdf_texts(pdf: bytes) -> list[str]:
    """The text a reader extracts from each page, and the document information's values (of a document
    rendered here: a plain reader, not :func:`~brokerage.pdf.open_pdf`'s checks for a file from outside)."""
    reader = PdfReader(io.BytesIO(pdf))
    out = [page.extract_text() or "" for page in reader.pages]
    out += [str(v) for v in (reader.metadata or {}).values()]
    return out


FREE_TEXT = frozenset({TEXT, MULTILINE})
"""Kinds of box a person writes in their own words: not a date, time, number or choice, nor a value of a
fixed shape (telephone, email, Mosaic ID, reference)."""


def _is_free_text(pointer: str) -> bool:
    leaf = default_catalogue().leaf(pointer)
    return leaf is None or leaf.box in FREE_TEXT


def without_free_text(value: Any, pointer: str = "") -> Any:
    """``value`` with every typed-in text emptied; dates, times, numbers and choices kept."""
    if isinstance(value, Mapping):
        return {k: without_free_text(v, f"{pointer}/{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [without_free_text(v, f"{pointer}/{i}") for i, v in enumerate(value)]
    if isinstance(value, str) and _is_free_text(pointer):
        return ""
    return value


def provider_referral_pdf(data: Mapping[str, Any], sending: ProviderReferral) -> bytes:
    """The provider-shaped referral as PDF bytes; raises :class:`OutputError` when any personal value
    of ``data`` would be in it.

    Words the document prints whatever was typed (labels, column headings, month names in dates, the
    policy's contacts) are the toolkit's own: a child called May or a manager called Day is not "found"
    in "29 May 2026" or a timetable's "Day" column. They are what the same referral with every typed-in
    text emptied prints."""
    document = provider_referral_document(data, sending)
    ours = [*texts(provider_referral_document(without_free_text(data), sending)), PROVIDER_COPY_MARK]
    leaked = find_leaks(texts(document), data, ours)
    pdf = render_flowing(document)
    leaked |= find_leaks(pdf_texts(pdf), data, ours)
    if leaked:
        raise OutputError(
            f"The referral for providers {sending.reference} would have held {len(leaked)} personal value(s) of the "
            "child, the family or the worker, so it was not made. This is a fault in the toolkit; please report it."
        )
    return pdf


def recognise_provider_copy(pdf: bytes) -> str | None:
    """The reference of a referral-for-providers document (one of ours, sent back by mistake), or ``None``."""
    try:
        reader = open_pdf(pdf)  # a file from the inbox: the size, bomb and damage checks of every reader
        marked = our_output({str(k): str(v) for k, v in (reader.metadata or {}).items()}) or ""
        if marked.startswith(DOCUMENT_KIND + " "):
            return marked.split(" ", 1)[1].strip() or None
        first = reader.pages[0].extract_text() or "" if reader.pages else ""
    except (BrokerageError, *READ_ERRORS):
        return None
    match = re.search(rf"{re.escape(PROVIDER_COPY_MARK)} (BRK-[0-9]{{4}}-[0-9]{{4}})", first)
    return match.group(1) if match else None
