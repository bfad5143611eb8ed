"""What a file shows against what it holds: the boxes whose value the processor must not choose for
the sender.

A person reads a form in a viewer; the processor reads its fields. Where the two can differ, the
box is a problem naming it and its value is left out (never a silent choice):

- two fields with one name (one of them perhaps a 1×1 hidden copy): which one did the sender mean?
- a box holding a value that no viewer shows (hidden, no-view, too small, off the page);
- a widget on a page that no field owns, named like one of our boxes: the viewer shows what it
  draws, the fields hold something else;
- an ``/XFA`` packet whose data differs from the fields (XFA-aware viewers show the XFA data);
- a box beyond the room the form has (``part_a__children__99__name`` on a form with three
  children; an index of 10^12 would otherwise grow a list of that length), or a name longer than
  any of ours.

Our own forms never have any of these (tests hold the generator to that), so each means the file
was edited or built by something other than a form filler.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from brokerage.processor.pdf_read import RawField, RawForm
from brokerage.schema import FORM_ID_FIELD, Catalogue, Problem, Severity, pointer_from_name
from brokerage.schema.where import is_index

MAX_NAME_LENGTH = 200
"""Characters in the longest field name we read (ours are under 80)."""
MAX_XFA_VALUES = 20_000
"""XFA data values compared before the packet is called unreadable."""
_QUOTE = 60


@dataclass(frozen=True)
class Integrity:
    """What :func:`check_integrity` found: problems naming boxes, and the names whose values are left out."""

    problems: tuple[Problem, ...]
    dropped: frozenset[str]


def _quote(value: object) -> str:
    flat = " ".join(str(value).split())
    return flat if len(flat) <= _QUOTE else flat[: _QUOTE - 1] + "…"


def _has_value(value: str | bool | None) -> bool:
    return value not in (None, False, "")


def ours(name: str, parts: frozenset[str], catalogue: Catalogue) -> str | None:
    """The pointer of a field name that belongs to one of ``parts`` (whatever its indices), else ``None``."""
    if len(name) > MAX_NAME_LENGTH:
        return None
    try:
        pointer = pointer_from_name(name)
    except ValueError:
        return None
    if pointer.split("/")[1] not in parts:
        return None
    return pointer


def beyond_room(pointer: str, catalogue: Catalogue) -> int | None:
    """The room (``maxItems``) of the first repeat whose index in ``pointer`` is past it, else ``None``."""
    leaf = catalogue.leaf(pointer)
    if leaf is None:
        return None
    indices = [int(step) for step in pointer.strip("/").split("/") if is_index(step)]
    for index, room in zip(indices, leaf.slots, strict=False):
        if index >= room:
            return room
    return None


def check_integrity(form: RawForm, parts: frozenset[str], catalogue: Catalogue) -> Integrity:
    """Problems for boxes whose value cannot be taken as the sender's answer (see the module's note)."""
    problems: list[Problem] = []
    dropped: set[str] = set()

    def add(pointer: str, rule: str, message: str, page: int | None) -> None:
        problems.append(catalogue.problem(pointer, rule, Severity.error, message, page))

    for name in form.duplicates:
        pointer = ours(name, parts, catalogue)
        if pointer is None or catalogue.leaf(pointer) is None:
            continue
        page = form.fields[name].page
        dropped.add(name)
        add(
            pointer,
            "file:duplicate-box",
            f"{catalogue.where(pointer).describe(page)} is in this file twice (two boxes with one name, one of them "
            "perhaps hidden), so we cannot tell which answer is meant and have read neither. Ask the sender to fill "
            "in the form as it was sent, without changing its boxes.",
            page,
        )
    for name, raw in form.fields.items():
        if name in dropped or name == FORM_ID_FIELD:
            continue
        pointer = ours(name, parts, catalogue)
        if pointer is None:
            continue
        room = beyond_room(pointer, catalogue)
        if room is not None:
            dropped.add(name)
            if _has_value(raw.value):
                add(
                    "",
                    "file:extra-box",
                    f"The file has a box named '{_quote(name)}' that the brokerage form does not have (the form has "
                    f"room for {room}), holding '{_quote(raw.value)}'. It was not read: ask the sender to use the "
                    "form as it was sent.",
                    raw.page,
                )
            continue
        if catalogue.leaf(pointer) is None or raw.visible or not _has_value(raw.value):
            continue
        dropped.add(name)
        add(
            pointer,
            "file:hidden-box",
            f"{catalogue.where(pointer).describe(raw.page)} holds '{_quote(raw.value)}', but the box cannot be seen "
            "(hidden, too small or off the page), so nobody reading the form sees that answer and it was not read. "
            "Ask the sender to fill in the form as it was sent.",
            raw.page,
        )
    for name, page in form.stray:
        pointer = ours(name, parts, catalogue)
        if pointer is None or catalogue.leaf(pointer) is None:
            continue
        dropped.add(name)
        add(
            pointer,
            "file:stray-box",
            f"{catalogue.where(pointer).describe(page)} is drawn on the page by a box that is not one of the form's "
            "fields, so what a viewer shows may not be what the form holds; the box was not read. Ask the sender to "
            "fill in the form as it was sent.",
            page,
        )
    if form.xfa_datasets is not None:
        problems.extend(_xfa_problems(form, parts, catalogue, dropped))
    return Integrity(problems=tuple(problems), dropped=frozenset(dropped))


# --- XFA -----------------------------------------------------------------------------------------

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def xfa_values(datasets: bytes) -> dict[str, str] | None:
    """Leaf element name → text of the XFA data (``None`` when it cannot be read safely: not XML, a
    document type or entity declarations, more than :data:`MAX_XFA_VALUES` values)."""
    if not datasets or _DOCTYPE.search(datasets):
        return None
    try:
        root = ElementTree.fromstring(datasets)
    except ElementTree.ParseError:
        return None
    data = next((e for e in root.iter() if _local(e.tag) == "data"), root)
    out: dict[str, str] = {}
    for count, element in enumerate(_leaves(data)):
        if count >= MAX_XFA_VALUES:
            return None
        out[_local(element.tag)] = (element.text or "").strip()
    return out


def _leaves(element: ElementTree.Element) -> Iterator[ElementTree.Element]:
    for child in element.iter():
        if len(child) == 0 and child is not element:
            yield child


def _same(raw: RawField, text: str) -> bool:
    value = raw.value
    if isinstance(value, bool):
        on = text not in ("", "0", "Off", "off", "false", "No")
        return on == value
    have = " ".join((value or "").split())
    return have == " ".join(text.split())


def _xfa_problems(form: RawForm, parts: frozenset[str], catalogue: Catalogue, dropped: set[str]) -> list[Problem]:
    values = xfa_values(form.xfa_datasets or b"")
    if values is None:
        return [
            catalogue.problem(
                "", "file:xfa", Severity.error,
                "This file carries an XFA form (a second copy of the answers that some viewers show instead of the "
                "form's boxes) that cannot be read, so we cannot tell what the sender saw. Ask the sender to fill in "
                "the brokerage form as it was sent, in an ordinary PDF viewer.",
                None,
            )
        ]
    problems: list[Problem] = []
    unmatched = 0
    for name, text in values.items():
        raw = form.fields.get(name)
        pointer = ours(name, parts, catalogue) if raw is not None else None
        if pointer is None or raw is None or catalogue.leaf(pointer) is None:
            unmatched += bool(text)
            continue
        if name in dropped or _same(raw, text):
            continue
        dropped.add(name)
        problems.append(
            catalogue.problem(
                pointer, "file:xfa-differs", Severity.error,
                f"{catalogue.where(pointer).describe(raw.page)} says '{_quote(raw.value or '')}', but the file's XFA "
                f"copy of the form, which some viewers show instead, says '{_quote(text)}'. We cannot tell which the "
                "sender meant, so the box was not read: ask the sender to fill in the form as it was sent.",
                raw.page,
            )
        )
    if unmatched:
        problems.append(
            catalogue.problem(
                "", "file:xfa", Severity.error,
                f"This file carries an XFA form (a second copy of the answers that some viewers show instead of the "
                f"form's boxes) with {unmatched} value(s) that match none of the form's boxes, so a viewer may show "
                "something the form does not hold. Ask the sender to fill in the brokerage form as it was sent.",
                None,
            )
        )
    return problems


def drop(fields: Mapping[str, RawField], names: frozenset[str]) -> dict[str, RawField]:
    """``fields`` without ``names``."""
    return {name: raw for name, raw in fields.items() if name not in names}
