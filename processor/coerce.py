"""Turn what people typed into the schema's types, one leaf at a time, never guessing.

Each field's value is read by its box's kind (:attr:`brokerage.schema.Leaf.box`, decided once by the
schema catalogue): dates to ISO, times to ``hh:mm``, hours and money to numbers, choices to their
exact option, tick boxes to ``true`` (the parsers are :mod:`brokerage.schema.parsing`). A value that
cannot be read without a guess ("31/02/2026", "next Tuesday", "3 or 4") is a
:class:`~brokerage.schema.Problem` on that field and is left out of the instance, so validation then
reports nothing further about it that would confuse the reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from brokerage.processor.pdf_read import RawField
from brokerage.schema import (
    FORM_ID_FIELD,
    Catalogue,
    CoercionError,
    FormKind,
    Leaf,
    Problem,
    Severity,
    default_catalogue,
    pointer_from_name,
    set_at,
)
from brokerage.schema.answers import is_none_answer
from brokerage.schema.boxes import MULTILINE, TEXT
from brokerage.schema.parsing import parse_boolean
from brokerage.schema.pointers import compact

SKIPPED_NAMES = frozenset({FORM_ID_FIELD})
MAX_TEXT_LENGTH = 20_000
"""Characters a box may hold when the schema gives it no ``maxLength``: ten times the longest answer a
real referral had, so a pasted book is one problem, read in linear time, and never reaches the rules."""
FREE_TEXT = (TEXT, MULTILINE)
"""Boxes whose words are kept as typed: "None" there is the answer itself."""

# --- one leaf ------------------------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """Line breaks from any engine (``\\r\\n`` PDFium, ``\\r``) as ``\\n``; outer white space removed."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def coerce_value(leaf: Leaf, value: str | bool | None) -> Any:
    """The schema-typed value of one field, ``None`` for blank; :class:`CoercionError` when unreadable."""
    if value is None:
        return None
    box = leaf.box
    if box.parse is None:  # a tick box or a signature: the button's state
        return parse_boolean(value)
    if isinstance(value, bool):  # a button where the form has a box: ticked reads as Yes
        return "Yes" if value else None
    text = normalise_text(value)
    if text == "":
        return None
    if leaf.accepts_none and box not in FREE_TEXT and is_none_answer(text):
        return None  # "N/A" in a box that takes None but holds a code (a reference): nothing to say
    return box.parse(text, leaf.enum or ())


# --- the whole form ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coerced:
    instance: dict[str, Any]
    """The coerced JSON instance (blank fields and blank repeat slots left out)."""
    problems: tuple[Problem, ...] = ()
    pages: Mapping[str, int] = field(default_factory=dict)
    """Page of every field of ours in the file, by concrete pointer (blank fields included)."""


def _quote(value: str, limit: int = 60) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def coerce_form(
    fields: Mapping[str, RawField], kind: FormKind | str, catalogue: Catalogue | None = None
) -> Coerced:
    """Coerce every field of a form of ``kind`` (``fields``: the reader's fields by name), by the boxes of
    ``catalogue`` (the shipped schema's by default).

    Fields of other parts, names that are not pointers and the hidden ``form_id`` are ignored.
    """
    catalogue = catalogue or default_catalogue()
    parts = set(catalogue.form(kind).parts)
    instance: dict[str, Any] = {}
    problems: list[Problem] = []
    pages: dict[str, int] = {}
    for name, raw in fields.items():
        if name in SKIPPED_NAMES:
            continue
        try:
            pointer = pointer_from_name(name)
        except ValueError:
            continue
        leaf = catalogue.leaf(pointer)
        if leaf is None or leaf.part not in parts:
            continue
        if raw.page is not None:
            pages[pointer] = raw.page
        value = raw.value
        where = catalogue.where(pointer).describe(raw.page)
        limit = leaf.node.get("maxLength")
        bound = max(limit, 1) * 4 if isinstance(limit, int) else MAX_TEXT_LENGTH
        if isinstance(value, str) and len(value) > bound:
            message = (
                f"{where} is {len(value):,} characters long, far more than a box can take, so it was not read. "
                "Shorten it to what the question asks and send the form again."
            )
            problems.append(catalogue.problem(pointer, "coerce:too-long", Severity.error, message, raw.page))
            continue
        try:
            coerced = coerce_value(leaf, value)
        except CoercionError as error:
            shown = _quote(str(value))
            message = f"{where} says '{shown}', which {error.reason}. {error.advice}"
            problems.append(catalogue.problem(pointer, f"coerce:{leaf.box.check}", Severity.error, message, raw.page))
            continue
        if isinstance(coerced, str) and isinstance(limit, int) and len(coerced) > limit:
            message = (
                f"{where} is {len(coerced)} characters long, more than the {limit} it can take. Shorten it; nothing "
                "was cut off."
            )
            problems.append(catalogue.problem(pointer, "coerce:max-length", Severity.error, message, raw.page))
        if isinstance(value, str) and raw.max_length and len(normalise_text(value)) >= raw.max_length > 0:
            message = (
                f"{where} fills its box's limit of {raw.max_length} characters, so the end may have been cut off. "
                "Check it and put anything that did not fit in the additional notes."
            )
            problems.append(catalogue.problem(pointer, "coerce:box-length", Severity.warning, message, raw.page))
        if coerced is not None:
            set_at(instance, pointer, coerced)
    return Coerced(instance=compact(instance), problems=tuple(problems), pages=pages)
