"""General point 4: transport is not funded by the framework and is arranged separately.

Finding a request for transport in free text cannot be exact. This check is best effort: it looks for the
child being carried by someone ("collect him after school", "take her to the setting in their car",
"bring him home", "a lift", "a taxi", "pick-up", "transport"), and leaves out what the guidance asks for
(travel restrictions: "public transport", "within 20 minutes' drive"), activities ("take him to the
park"), what the family or school does itself ("Mum will drop him off", "Dad drives him to school") and
what is said not to be needed ("no transport needed"). Its precision and recall on a corpus of realistic
sentences are measured by ``tests/test_detectors.py`` and reported in ``docs/guidance-coverage.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.text import DC_NOTES, DOM_CARE, SB_NOTES, SHORT_BREAK, quote_list
from brokerage.rules.values import text_at

CHILD = r"(?:him|her|them|the child(?:ren)?|both children|the children|\w+ and \w+)"
PLACES = r"(?:setting|scheme|play ?scheme|school|nursery|club|youth club|respite|provision|sessions?|venue|centre)"

# Asking someone to carry the child. "Public transport" and "within 20 minutes' drive" are travel
# restrictions the guidance asks for, so they are not requests.
REQUEST = (
    r"\b(?<!public )(?:door-to-door )?transport(?:ed|ing|s)?\b(?! is arranged| is not (?:needed|required))"
    r"|\bpick(?:ed|ing|s)?[\s-]?(?:" + CHILD + r"\s)?up\b"
    r"|\bcollect(?:ed|ing|s)?\b(?:\s+" + CHILD + r")?\s+(?:from|after|at)\b|\bcollect(?:ed|ing|s)? " + CHILD + r"\b"
    r"|\bdrop(?:ped|ping|s)?[\s-]?(?:" + CHILD + r"\s)?(?:off|home)\b"
    r"|\bescort(?:ed|ing|s)?\b"
)
NOTES_REQUEST = re.compile(
    REQUEST
    + r"|\btaxis?\b|\b(?:give|gives|giving) (?:him |her |them )?(?:a )?lifts?\b|\ba lift (?:to|home|back|from)\b"
    r"|\b(?:drive|drives|driving) " + CHILD + r"\b|\bdriven (?:to|home|back)\b"
    r"|\bbr(?:ing|ings|inging|ought) " + CHILD + r" (?:home|back|to)\b"
    r"|\btak(?:e|es|ing|en) " + CHILD + r" (?:home|back|to (?:and from )?(?:the |his |her )?" + PLACES + r")\b"
    r"|\btaken (?:home|back|to (?:and from )?(?:the |his |her )?" + PLACES + r")\b"
    r"|\btak(?:e|es|ing|en)\b[^.;\n]{0,40}\b(?:by car|in (?:the|their|a|your|his|her) (?:own )?(?:car|vehicle|van))\b"
    r"|\b(?:provider'?s|their own|own) (?:car|vehicle|minibus|van)\b|\bferr(?:y|ies|ying)\b",
    re.IGNORECASE,
)
RESTRICTION_REQUEST = re.compile(REQUEST, re.IGNORECASE)

# The family, the school or grandparents doing it themselves, or transport said not to be needed.
FAMILY_DOES_IT = re.compile(
    r"\b(?:mum|mom|dad|parents?|grand(?:ad|dad|ma|pa|parents?)|nan|the family|family|the school bus|school bus|"
    r"the school)\s+(?:will\s+|can\s+|is able to\s+|are able to\s+|is happy to\s+|usually\s+|always\s+|"
    r"normally\s+)?(?:drop|drops|take|takes|drive|drives|collect|collects|bring|brings|pick|picks|arrange|"
    r"arranges)\b",
    re.IGNORECASE,
)
NOT_NEEDED = re.compile(r"\bno (?:transport|taxi|lifts?)\b|\b(?:transport|taxi) (?:is )?not (?:needed|required)\b",
                        re.IGNORECASE)
CLAUSE = re.compile(r"[^.;!?\n]+")


def transport_requests(text: str | None, pattern: re.Pattern[str] = NOTES_REQUEST) -> list[str]:
    """The words in ``text`` that seem to ask for transport, as written, once each, in order."""
    if not text:
        return []
    found: dict[str, str] = {}  # casefolded → as written: linear in the number of requests (issue 14)
    for clause in CLAUSE.finditer(text):
        words = clause.group(0)
        if NOT_NEEDED.search(words):
            continue
        family = FAMILY_DOES_IT.search(words)
        for match in pattern.finditer(words):
            if family is not None and family.start() <= match.start():
                continue
            said = " ".join(match.group(0).split())
            found.setdefault(said.casefold(), said)
    return list(found.values())


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
        words = transport_requests(text_at(instance, pointer), pattern)
        if words:
            yield Finding(
                pointer,
                f"{ctx.place(pointer)}{ctx.phrase(pointer)} seems to ask for transport ({quote_list(words)}). "
                "Transport is not funded by the framework: arrange it separately from this referral.",
            )
