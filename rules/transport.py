"""General point 4: transport is not funded by the framework and is arranged separately."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.text import DC_NOTES, DOM_CARE, SB_NOTES, SHORT_BREAK, mentions, quote_list
from brokerage.rules.values import text_at

# Asking someone to carry the child. "Public transport" and "within 20 minutes' drive" are travel
# restrictions the guidance asks for, so they are not requests.
REQUEST = (
    r"\b(?<!public )transport(?:ed|ing)?\b(?! is arranged)"
    r"|\bpick(?:ed|ing|s)?[\s-]?(?:him |her |them |the child |the children )?up\b"
    r"|\bcollect(?:ed|ing|s)? (?:him |her |them |the child |the children )?from\b"
    r"|\bdrop(?:ped|ping|s)?[\s-]?(?:him |her |them |the child |the children )?off\b|\bescort(?:ed|ing|s)?\b"
)
NOTES_REQUEST = re.compile(
    REQUEST + r"|\btaxis?\b|\b(?:give|gives|giving) (?:him |her |them )?(?:a )?lifts?\b"
    r"|\b(?:drive|drives|driven|driving) (?:him|her|them|the child|the children)\b",
    re.IGNORECASE,
)
RESTRICTION_REQUEST = re.compile(REQUEST, re.IGNORECASE)

BOXES = (
    (SB_NOTES, NOTES_REQUEST),
    (f"{SHORT_BREAK}/travel_restrictions", RESTRICTION_REQUEST),
    (DC_NOTES, NOTES_REQUEST),
    (f"{DOM_CARE}/activities", NOTES_REQUEST),
)


@rule(
    "guidance-4-transport",
    point="4",
    title="Transport is arranged separately",
    guidance=(
        "The cost of transport is not included in the funding of the framework; where transport is required and "
        "funded by LCC it is discussed and arranged separately from the referral. The brokerage officers do not "
        "deal with transport queries."
    ),
)
def transport(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    for pointer, pattern in BOXES:
        words = mentions(pattern, text_at(instance, pointer))
        if words:
            yield Finding(
                pointer,
                f"{ctx.place(pointer)}{ctx.phrase(pointer)} seems to ask for transport ({quote_list(words)}). "
                "Transport is not funded by the framework: arrange it separately from this referral.",
            )
