"""General point 5: the only names in a referral are the child's and the principal contact's.

Finding personal names in free text cannot be exact. This check is best effort and says so in its
message: it reports titles followed by a name ("Mrs Smith") and capitalised words in the middle of a
sentence that are not in a small list of known non-names (days, months, family words, conditions,
services, place words). It ignores the child's and the principal contact's names, words at the start
of a sentence and words in capitals (NHS, ADHD).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.text import free_texts, word_set
from brokerage.rules.values import items_at, text_at

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*")
TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+([^\W\d_][^\W\d_'’-]*)")
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof"})

KNOWN_NON_NAMES = word_set(
    """
    monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays
    saturdays sundays weekend weekends january february march april may june july august september october
    november december christmas easter halloween diwali eid ramadan hanukkah new year bank holiday holidays
    summer autumn winter spring term half
    mum mums mummy mom dad dads daddy mother father parent parents carer carers nan nana nanna nanny gran granny
    grandma grandad granddad grandmother grandfather grandparent grandparents sibling siblings brother brothers
    sister sisters aunt auntie aunty uncle cousin stepmum stepdad step foster guardian baby
    annex part section lot lcc council leicestershire leicester rutland england english british uk
    nhs camhs sen send ehcp ehc makaton pecs bsl sign language
    down downs asperger aspergers tourette tourettes autism autistic adhd asd cerebral palsy epilepsy epileptic
    duchenne rett angelman prader willi fragile global developmental delay syndrome disorder spectrum condition
    resource allocation panel child protection need plan brokerage service services officer provider providers
    framework short break breaks domiciliary care play scheme leisure mosaic social worker team direct payment
    commissioned school college nursery academy primary secondary special centre center hospital clinic gp
    doctor nurse therapist occupational speech physio physiotherapy therapy youth club park cinema swimming
    pool library church mosque temple gurdwara road street lane avenue way close drive
    ipad tv youtube lego disney minecraft xbox playstation nintendo netflix mcdonalds tesco asda
    please note see additional notes preferred none n/a
    """
)
PLACE_WORDS = word_set(
    "school college nursery academy centre center hospital clinic park road street lane avenue way close drive "
    "club church library pool surgery house court group trust"
)


_OPENERS = frozenset(" \t\"'“‘(•*-–")
_ENDS = frozenset(".!?:;\n")


def _sentence_start(text: str, at: int) -> bool:
    """True when the word at ``at`` begins the text, a sentence, a line, a list item or follows a colon.

    Looks back from ``at`` only over the gap before the word (spaces, quotes, a bullet, a list number
    such as ``2.``), so checking every word of a text is linear in its length, not quadratic.
    """
    i = at
    while i > 0 and text[i - 1] in _OPENERS:
        i -= 1
    if i == 0:
        return True
    if text[i - 1] in ".)":  # a list number: "2." or "3)" at the start or after white space
        j = i - 1
        while j > 0 and text[j - 1].isdigit() and text[j - 1].isascii():
            j -= 1
        if j < i - 1 and (j == 0 or text[j - 1].isspace()):
            i = j - 1 if j > 0 else 0
            while i > 0 and text[i - 1].isspace():
                i -= 1
            if i == 0:
                return True
            return text[i - 1] in _ENDS
    return text[i - 1] in _ENDS


def _key(word: str) -> str:
    return re.sub(r"['’]s$", "", word).casefold()


def names_in(text: str, allowed: frozenset[str]) -> list[str]:
    """Words and titles in ``text`` that look like personal names other than ``allowed`` (casefolded words)."""
    found: list[str] = []
    titled: set[int] = set()
    for match in TITLE.finditer(text):
        if _key(match.group(1)) not in allowed:
            found.append(" ".join(match.group(0).split()))
            titled.add(match.start(1))
    tokens = list(WORD.finditer(text))
    run: list[re.Match[str]] = []

    def flush() -> None:
        if not run:
            return
        words = [m.group(0) for m in run]
        follows = text[run[-1].end():run[-1].end() + 12].casefold()
        condition = follows.lstrip().startswith(("syndrome", "'s syndrome"))
        if not any(_key(w) in PLACE_WORDS for w in words) and not condition:
            candidates = [m.group(0) for m in run if m.start() not in titled and _key(m.group(0)) not in allowed]
            if candidates:
                found.append(" ".join(candidates))
        run.clear()

    previous_end = -1
    for token in tokens:
        word = token.group(0)
        capitalised = word[0].isupper() and not word.isupper() and len(word) > 1
        looks_like_name = (
            capitalised and _key(word) not in KNOWN_NON_NAMES and _key(word) not in TITLES
            and not _sentence_start(text, token.start())
        )
        adjacent = run and text[previous_end:token.start()] == " "
        if looks_like_name or (capitalised and adjacent and _key(word) in PLACE_WORDS):
            if run and not adjacent:
                flush()
            run.append(token)
            previous_end = token.end()
        else:
            flush()
    flush()
    return list(dict.fromkeys(found))


def allowed_names(instance: Mapping[str, Any]) -> frozenset[str]:
    """Every word of the children's and principal contacts' names, and of a named specific provider."""
    texts: list[str | None] = []
    for base in ("/part_a/children", "/annex_1/children"):
        for index, _child in items_at(instance, base):
            texts.append(text_at(instance, f"{base}/{index}/name"))
            texts.append(text_at(instance, f"{base}/{index}/principal_contact/name"))
    texts.append(text_at(instance, "/part_a/services/specific_provider/provider_name"))
    return frozenset(_key(m.group(0)) for text in texts if text for m in WORD.finditer(text)) | frozenset(
        part.casefold() for text in texts if text for part in re.split(r"[\s-]+", text)
    )


@rule(
    "guidance-5-names",
    point="5",
    title="Only the child's and the principal contact's names",
    guidance=(
        "The only names in a referral are the child's and the one in 'Details of principal contact'. Refer to "
        "anyone else as Mum, Dad, Carer, sibling and so on, to keep the referral anonymous."
    ),
)
def other_names(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    allowed = allowed_names(instance)
    for pointer, text in free_texts(instance, ctx.catalogue):
        names = names_in(text, allowed)
        if names:
            yield Finding(
                pointer,
                f"{ctx.place(pointer)}{ctx.phrase(pointer)} may name someone other than the child and the principal "
                f"contact: {', '.join(names)}. Refer to them as Mum, Dad, Carer, sibling and so on. (This is a "
                "best-effort check that looks for titles and capitalised words mid-sentence; ignore it if these are "
                "not people's names.)",
            )
