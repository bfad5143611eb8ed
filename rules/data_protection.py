"""General point 7: only information relevant to the support. Best effort: identifiers that never are."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.text import free_texts

IDENTIFIERS: dict[str, re.Pattern[str]] = {
    "a National Insurance number": re.compile(
        r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b|\bnational insurance\b", re.IGNORECASE
    ),
    "an NHS number": re.compile(r"\bNHS\s*(?:no\.?|number)\b|\b\d{3}\s\d{3}\s\d{4}\b", re.IGNORECASE),
    "bank details": re.compile(r"\bsort code\b|\baccount (?:no\.?|number)\b|\b\d{2}-\d{2}-\d{2}\b", re.IGNORECASE),
    "a passport number": re.compile(r"\bpassport (?:no\.?|number)\b", re.IGNORECASE),
}


@rule(
    "guidance-7-relevant-only",
    point="7",
    title="Only information relevant to the support",
    guidance=(
        "Because of data protection legislation, only information relevant to the support requirements is "
        "included on the form."
    ),
)
def relevant_only(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    for pointer, text in free_texts(instance, ctx.catalogue):
        kinds = [kind for kind, pattern in IDENTIFIERS.items() if pattern.search(text)]
        if kinds:
            yield Finding(
                pointer,
                f"{ctx.place(pointer)}{ctx.phrase(pointer)} seems to include {' and '.join(kinds)}. Include only "
                "information relevant to the support and remove it.",
            )
