"""The anonymised referral for providers: no child's name, date of birth, address, Mosaic ID or
principal contact's details anywhere in the file.

Providers see the brokerage reference and "Child 1", "Child 2"; the child's age and postcode area
(what a provider needs to judge the package and the travel) are printed in a banner on each page.
All contact goes through the brokerage service (guidance point 10), so the allocated worker's and
the manager's names and numbers are removed too. Free text is scrubbed of the same values (a child's
first name typed in a note becomes "Child 1"), of anything shaped like an email address, a
telephone number or a full postcode, and of what the guidance point 5 check
(:func:`brokerage.rules.names.names_in`) takes for someone else's name.

The PDF is built fresh (a blank referral filled with the anonymised data, never an edit of the
received file, which may carry old revisions, XMP and appearance streams) and then searched for
every personal value, in every encoding a PDF may hold it, before it is written. A hit is an
:class:`OutputError`: no file is better than a leaking one.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from brokerage.rules.names import allowed_names, names_in
from brokerage.rules.text import free_texts
from brokerage.schema import Catalogue, default_catalogue, get_at, set_at

CHILDREN = "/part_a/children"
ANNEX_CHILDREN = "/annex_1/children"
REMOVED = "[removed]"
NAME_REMOVED = "[name removed]"
DROP_POINTERS = (
    "/part_a/allocated_worker",
    "/part_a/manager_approval/manager_name",
    "/part_a/manager_approval/signature",
)
"""Not about the family, but not for providers either: contact goes through the brokerage service."""

_CHILD_NAME = re.compile(r"^/(?:part_a|annex_1)/children/[0-9]+/name$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){8,10}\d(?!\w)")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)


@dataclass(frozen=True)
class ChildSummary:
    """What the banner says about one child: label, age and postcode area."""

    label: str
    age: int | None
    area: str | None

    def sentence(self) -> str:
        parts = [self.label]
        if self.age is not None:
            parts.append(f"aged {self.age}")
        if self.area:
            parts.append(f"postcode area {self.area}")
        return ", ".join(parts)


def personal_pointers(instance: Mapping[str, Any], catalogue: Catalogue | None = None) -> list[str]:
    """Every concrete pointer of an ``x-personal`` field that holds a value in ``instance``."""
    out = []
    for leaf in (catalogue or default_catalogue()).leaves:
        if leaf.personal:
            out.extend(p for p in leaf.concrete() if get_at(instance, p) not in (None, ""))
    return out


def _date_forms(value: str) -> list[str]:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return []
    return [
        day.strftime("%d/%m/%Y"),
        f"{day.day}/{day.month}/{day.year}",
        day.strftime("%d.%m.%Y"),
        f"{day.day} {day.strftime('%B %Y')}",
        day.strftime("%d%m%Y"),
    ]


def personal_strings(instance: Mapping[str, Any], catalogue: Catalogue | None = None) -> list[str]:
    """The personal values of ``instance`` in every spelling worth searching for: whole values,
    each line of an address, dates as ISO and UK-style, phone numbers without spaces."""
    found: set[str] = set()
    for pointer in personal_pointers(instance, catalogue):
        value = str(get_at(instance, pointer)).strip()
        found.add(value)
        found.update(line.strip() for line in value.splitlines() if line.strip())
        found.update(_date_forms(value))
        digits = re.sub(r"[\s-]", "", value)
        if digits.isdigit() and len(digits) >= 6:
            found.add(digits)
    return sorted((s for s in found if len(s) >= 3), key=lambda s: (-len(s), s))


def _tokens(name: str) -> list[str]:
    """The parts of a name worth finding on their own: two letters or more, not bare numbers."""
    parts = [name.replace("-", " "), *re.split(r"[\s\-]+", name), *name.split("-")]
    return [t.strip() for t in parts if len(t.strip()) >= 2 and not t.strip().isdigit()]


def _replacements(instance: Mapping[str, Any]) -> dict[str, str]:
    """Personal text (whole values and name parts) → what to write instead, in free text."""
    out: dict[str, str] = {}
    children = get_at(instance, CHILDREN) or []
    for index, child in enumerate(children):
        if not isinstance(child, Mapping):
            continue
        label = f"Child {index + 1}"
        contact = child.get("principal_contact") or {}
        relationship = str(contact.get("relationship") or "the principal contact")
        for value, replacement in ((child.get("name"), label), (contact.get("name"), relationship)):
            if isinstance(value, str) and value.strip():
                out.setdefault(value.strip(), replacement)
                for token in _tokens(value):
                    out.setdefault(token, replacement)
    for text in personal_strings(instance):
        out.setdefault(text, REMOVED)
    staff = ("/part_a/allocated_worker/name", "/part_a/manager_approval/manager_name")
    for text in (get_at(instance, pointer) for pointer in staff):
        if isinstance(text, str) and text.strip():
            out.setdefault(text.strip(), "the brokerage service")
            for token in _tokens(text):
                out.setdefault(token, "the brokerage service")
    return out


def scrub_text(text: str, replacements: Mapping[str, str]) -> str:
    """``text`` with personal values, email addresses, phone numbers and postcodes replaced.

    Values match as typed or in capitals, as whole words: "Will" (a name) is replaced, "will" (a
    word) is not.
    """
    lookup = {**{k.upper(): v for k, v in replacements.items()}, **replacements}
    if lookup:
        alternatives = "|".join(re.escape(k) for k in sorted(lookup, key=lambda k: (-len(k), k)))
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
        text = pattern.sub(lambda m: lookup.get(m.group(0), REMOVED), text)
    text = _EMAIL.sub(REMOVED, text)
    text = _PHONE.sub(REMOVED, text)
    return _POSTCODE.sub(lambda m: f"{m.group(1).upper()} area", text)


def _scrub(value: Any, replacements: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return scrub_text(value, replacements)
    if isinstance(value, list):
        return [_scrub(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, replacements) for k, v in value.items()}
    return value


def _remove(instance: dict[str, Any], pointer: str) -> None:
    tokens = pointer.strip("/").split("/")
    node: Any = instance
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node.get(token)
        if node is None:
            return
    if isinstance(node, dict):
        node.pop(tokens[-1], None)


def _age(birth: Any, on: Any) -> int | None:
    try:
        born, day = date.fromisoformat(str(birth)), date.fromisoformat(str(on))
    except ValueError:
        return None
    years = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return years if 0 <= years < 30 else None


def _area(address: Any) -> str | None:
    match = _POSTCODE.search(str(address or ""))
    return match.group(1).upper() if match else None


def child_summaries(instance: Mapping[str, Any]) -> list[ChildSummary]:
    """Label, age on the referral date and postcode area of each child on the referral."""
    on = get_at(instance, "/part_a/referral/date_of_referral")
    return [
        ChildSummary(f"Child {i + 1}", _age(child.get("date_of_birth"), on), _area(child.get("address")))
        for i, child in enumerate(get_at(instance, CHILDREN) or [])
        if isinstance(child, Mapping)
    ]


def _annex_label(annex_child: Mapping[str, Any], children: list[Any], position: int) -> str:
    for index, child in enumerate(children):
        if isinstance(child, Mapping) and any(
            annex_child.get(key) and annex_child.get(key) == child.get(key) for key in ("mosaic_id", "name")
        ):
            return f"Child {index + 1}"
    return f"Child {position + 1}"


def _remove_other_names(instance: dict[str, Any], allowed: frozenset[str], catalogue: Catalogue) -> None:
    """Guidance point 5 as a last line: in Part A's free text, words the guidance check takes for
    names of people other than the child and the principal contact become ``[name removed]``."""
    for pointer, text in list(free_texts(instance, catalogue)):
        cleaned = text
        for name in names_in(text, allowed):
            cleaned = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", NAME_REMOVED, cleaned)
        if cleaned != text:
            set_at(instance, pointer, cleaned)


def anonymise_instance(instance: Mapping[str, Any], catalogue: Catalogue | None = None) -> dict[str, Any]:
    """A copy of a referral instance fit for providers (see the module's description)."""
    catalogue = catalogue or default_catalogue()
    replacements = _replacements(instance)
    out: dict[str, Any] = copy.deepcopy(dict(instance))
    children = get_at(instance, CHILDREN) or []
    annex_labels = [
        _annex_label(child, children, i) if isinstance(child, Mapping) else f"Child {i + 1}"
        for i, child in enumerate(get_at(instance, ANNEX_CHILDREN) or [])
    ]
    for pointer in personal_pointers(instance, catalogue):
        if not _CHILD_NAME.match(pointer):  # child names stay in place, overwritten with "Child N" below
            _remove(out, pointer)
    for pointer in DROP_POINTERS:
        _remove(out, pointer)
    out = _scrub(out, replacements)
    _remove_other_names(out, allowed_names(instance), catalogue)
    for index, child in enumerate(get_at(out, CHILDREN) or []):
        if isinstance(child, dict):
            child["name"] = f"Child {index + 1}"
    for child, label in zip(get_at(out, ANNEX_CHILDREN) or [], annex_labels, strict=False):
        if isinstance(child, dict):
            child["name"] = label
    return out


def _pdfdoc(text: str) -> bytes | None:
    from pypdf.generic import encode_pdfdocencoding

    try:
        return encode_pdfdocencoding(text)
    except (UnicodeEncodeError, KeyError, ValueError):
        return None


def _latin1(text: str) -> bytes | None:
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return None


def encodings(text: str) -> Iterator[bytes]:
    """The byte spellings of ``text`` a PDF may hold: UTF-8, UTF-16 (both orders), PDFDocEncoding,
    Latin-1, and each as upper- and lower-case hex."""
    spellings: list[bytes] = [text.encode("utf-8"), text.encode("utf-16-be"), text.encode("utf-16-le")]
    for extra in (_pdfdoc(text), _latin1(text)):
        if extra:
            spellings.append(extra)
    for spelling in dict.fromkeys(spellings):
        yield spelling
        yield spelling.hex().encode("ascii")
        yield spelling.hex().upper().encode("ascii")


def find_strings(haystacks: Iterable[bytes | str], needles: Iterable[str]) -> set[str]:
    """The needles found in any haystack (bytes: in any of :func:`encodings`; str: case-folded)."""
    needles = [n for n in needles if n]
    texts: list[str] = []
    blobs: list[bytes] = []
    for hay in haystacks:
        (texts if isinstance(hay, str) else blobs).append(hay)  # type: ignore[arg-type]
    folded = [t.casefold() for t in texts]
    # Each haystack is a slice of these joins, so a needle missing from a join is in no haystack of
    # it: one search of the join rules most needles out; a hit is confirmed haystack by haystack (a
    # match across the joint does not count).
    all_folded = "\n".join(folded)
    all_blobs = b"\n".join(blobs)
    found: set[str] = set()
    for needle in needles:
        key = needle.casefold()
        if (key in all_folded and any(key in t for t in folded)) or any(
            s in all_blobs and any(s in b for b in blobs) for s in encodings(needle)
        ):
            found.add(needle)
    return found
