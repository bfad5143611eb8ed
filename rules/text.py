"""Free-text boxes and small text tests shared by the rules."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from brokerage.rules.values import filled_text
from brokerage.schema import Catalogue, get_at
from brokerage.schema.boxes import MULTILINE

SERVICES = "/part_a/services"
SHORT_BREAK = f"{SERVICES}/short_break"
DOM_CARE = f"{SERVICES}/domiciliary_care"
SB_TABLE = f"{SHORT_BREAK}/timetable"
TERM_TABLE = f"{DOM_CARE}/term_time"
HOLIDAY_TABLE = f"{DOM_CARE}/holidays"
SB_NOTES = f"{SHORT_BREAK}/additional_notes"
DC_NOTES = f"{DOM_CARE}/additional_notes"


OUTCOMES = "/part_a/children/*/desired_outcomes/*"


def free_text_templates(catalogue: Catalogue) -> tuple[str, ...]:
    """Part A boxes a person writes sentences in (not names, addresses, dates or choices)."""

    def find() -> tuple[str, ...]:
        out = [
            leaf.pointer for leaf in catalogue.part_leaves("part_a") if leaf.box is MULTILINE and not leaf.personal
        ]
        return (*out, OUTCOMES)

    return catalogue.memo(free_text_templates, find)


def concrete(template: str, instance: Mapping[str, Any]) -> Iterator[str]:
    """Concrete pointers of ``template`` whose value exists in ``instance``, in form order."""
    head, star, tail = template.partition("*")
    if not star:
        yield template
        return
    value = get_at(instance, head.rstrip("/"))
    if isinstance(value, list):
        for index in range(len(value)):
            yield from concrete(f"{head}{index}{tail}", instance)


def free_texts(instance: Mapping[str, Any], catalogue: Catalogue) -> Iterator[tuple[str, str]]:
    """``(pointer, text)`` for every filled free-text box of Part A."""
    for template in free_text_templates(catalogue):
        for pointer in concrete(template, instance):
            text = filled_text(instance, pointer)
            if text is not None:
                yield pointer, text


def mentions(pattern: re.Pattern[str], text: str | None) -> list[str]:
    """Distinct matches of ``pattern`` in ``text``, in order, as written."""
    if not text:
        return []
    found: dict[str, str] = {}
    for match in pattern.finditer(text):
        words = " ".join(match.group(0).split())
        found.setdefault(words.casefold(), words)
    return list(found.values())


def quote_list(items: list[str]) -> str:
    return ", ".join(f"'{item}'" for item in items)


BANK_HOLIDAY_WORDS = re.compile(r"\bbank[\s-]*hol", re.IGNORECASE)


def word_set(words: str) -> frozenset[str]:
    """A set of lower-case words written as one string (for word lists)."""
    return frozenset(words.split())
