"""General point 5: the only names in a referral are the child's and the principal contact's.

Finding personal names in free text cannot be exact. This check is best effort and says so in its
message: it reports titles followed by a name ("Mrs Smith"), capitalised words in the middle of a
sentence that are not in a small list of known non-names (days, months, family words, conditions,
services, place words), and a capitalised word that starts a sentence when it is followed the way a
name is ("Kevin will", "Sarah, the family support worker", "Kevin's", "Sam Carter") and is not a
common word. It ignores the child's and the principal contact's names, the first word of a list item
("- Learns to swim"), verbs and words in capitals (NHS, ADHD). Its precision and recall on a corpus of
realistic sentences are measured by ``tests/test_detectors.py`` and reported in
``docs/guidance-coverage.md``.
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
    paediatrician consultant dietitian dietician psychologist psychiatrist senco salt ot camhs
    melatonin calpol ibuprofen paracetamol epilim ritalin risperidone midazolam buccal inhaler epipen
    brownies cubs scouts beavers guides rainbows wales scotland ireland badge
    """
)
COMMON_WORDS = word_set(
    """
    a an the this that these those there here it its i we you he she they him her his hers their theirs our my
    me us them who whom whose what when where which why how if as at in on for from with without after before
    during since until because although though however also then so but and or nor yet once twice sometimes
    usually often always never currently previously recently now today please note notes yes no not none
    nothing everything something anything both all some any each every either neither other another one two
    three four five first second last next only just very quite really mainly mostly much many more most less
    few several such same own able unable family provider providers worker workers staff support care respite
    medication medicine behaviour behaviours triggers diet food sleep bedtime morning mornings evening
    evenings afternoon afternoons night nights day days week weeks month months year years term holidays home
    dinner lunch breakfast tea toileting communication mobility equipment wheelchair hoist pain seizures
    allergies allergy risk risks safety health child children boy girl young person people friends friend
    school class teacher teachers activities activity hours hour times time outcomes outcome goals goal
    aims aim swimming music
    """
)
NAME_FOLLOWS = re.compile(
    r"^(?:['’]s\b|\s*,\s+(?:the|her|his|their|my|our|a|an|who|mum['’]s|dad['’]s)\b|\s*\(|\s+(?:will|is|was|has|had|and|&|can|cannot|can't|does|did|would|could|should|"
    r"also|from|at|who|says|said|lives|works|helps|visits|knows|takes|collects)\b)"
)
APPOSITION = re.compile(r"^\s*(?:\(|,\s+(?:the|her|his|their|my|our|a|an|who)\b)")
VERB_FOLLOWS = re.compile(r"^\s+[a-z]{3,}s\b")
"""A lower-case word ending in s after a capitalised first word: "Josh hits", "Zainab translates"."""
CAPITAL_FOLLOWS = re.compile(r"^\s+([^\W\d_][^\W\d_'’-]+)")


def _starts_like_a_name(text: str, token: re.Match[str], allowed: frozenset[str]) -> bool:
    """A capitalised word that starts a sentence and is followed the way a name is (see the module's notes)."""
    word = token.group(0)
    key = _key(word)
    if key in KNOWN_NON_NAMES or key in COMMON_WORDS or key in TITLES or key in allowed:
        return False
    rest = text[token.end():token.end() + 40]
    if word.casefold().endswith(("ing", "ly")) or (word.casefold().endswith("ed") and not APPOSITION.match(rest)):
        return False  # "Swimming at …", "Diagnosed with …"; but "Mohammed (Dad)", "Ted, …"
    if NAME_FOLLOWS.match(rest):
        return True
    if word.casefold().endswith("s"):  # a verb: "Learns to swim", "Takes Melatonin"
        return False
    if VERB_FOLLOWS.match(rest):
        return True
    follows = CAPITAL_FOLLOWS.match(rest)
    return follows is not None and follows.group(1)[0].isupper() and _key(follows.group(1)) not in KNOWN_NON_NAMES


PLACE_WORDS = word_set(
    "school college nursery academy centre center hospital clinic park road street lane avenue way close drive "
    "club church library pool surgery house court group trust infirmary royal county city council garden gardens "
    "farm zoo museum hall estate village town leisure gym stadium beach"
)


_OPENERS = frozenset(" \t\"'“‘(•*-–")
_ENDS = frozenset(".!?:;\n")


def _sentence_start(text: str, at: int) -> bool:
    """True when the word at ``at`` begins the text, a sentence, a line, a list item ("- ", "• ", "2. ") or
    follows a colon.

    Looks back from ``at`` only over the gap before the word (spaces, quotes, a bullet, a list number
    such as ``2.``), so checking every word of a text is linear in its length, not quadratic (issue 14:
    200 KB of text took 43 s).
    """
    i = at
    while i > 0 and text[i - 1] in _OPENERS:
        i -= 1
    if i == 0:
        return True
    if text[i - 1] in ".)":  # a numbered list item, on its own line or not: "2." or "3)" after white space
        j = i - 1
        while j > 0 and text[j - 1].isdecimal():
            j -= 1
        if j < i - 1 and (j == 0 or text[j - 1] in " \t\n"):
            return True
    return text[i - 1] in _ENDS


PLACE_NAME_WORDS = 8
"""The most capitalised words after a run that are looked at for the rest of a place's name."""


def _capitalised_after(tokens: list[re.Match[str]], after: int, text: str) -> list[re.Match[str]]:
    """The capitalised words right after the token at index ``after`` (one space apart): the rest of a
    place's name. Looks at no more than :data:`PLACE_NAME_WORDS` tokens from there, so the rule stays
    linear in the text's length (issue 14)."""
    out: list[re.Match[str]] = []
    end = tokens[after].end()
    for token in tokens[after + 1:after + 1 + PLACE_NAME_WORDS]:
        if text[end:token.start()] != " " or not token.group(0)[0].isupper():
            break
        out.append(token)
        end = token.end()
    return out


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
    last = -1  # index in ``tokens`` of the run's last word

    def flush() -> None:
        if not run:
            return
        words = [m.group(0) for m in run]
        words += [m.group(0) for m in _capitalised_after(tokens, last, text)]
        follows = text[run[-1].end():run[-1].end() + 12].casefold()
        condition = follows.lstrip().startswith(("syndrome", "'s syndrome"))
        if not any(_key(w) in PLACE_WORDS for w in words) and not condition:
            candidates = [m.group(0) for m in run if m.start() not in titled and _key(m.group(0)) not in allowed]
            if candidates:
                found.append(" ".join(candidates))
        run.clear()

    previous_end = -1
    for index, token in enumerate(tokens):
        word = token.group(0)
        capitalised = word[0].isupper() and not word.isupper() and len(word) > 1
        starts = _sentence_start(text, token.start())
        looks_like_name = capitalised and (
            (not starts and _key(word) not in KNOWN_NON_NAMES and _key(word) not in TITLES)
            or (starts and _starts_like_a_name(text, token, allowed))
        )
        adjacent = run and text[previous_end:token.start()] == " "
        if looks_like_name or (capitalised and adjacent and _key(word) in PLACE_WORDS):
            if run and not adjacent:
                flush()
            run.append(token)
            last = index
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
                "best-effort check that looks for titles and for capitalised words used as names; ignore it if these "
                "are not people's names.)",
            )
