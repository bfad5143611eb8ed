"""General point 9: a specific provider needs reasons about the impact on the child."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.text import word_set
from brokerage.rules.values import filled_text
from brokerage.schema import Severity, get_at

PROVIDER = "/part_a/services/specific_provider"

UNACCEPTABLE = re.compile(
    r"\b(?:already )?(?:knows?|knew|known)\b[^.;\n]*?(?=\band\b|[.;\n]|$)"
    r"|\bfamiliar with\b[^.;\n]*?(?=\band\b|[.;\n]|$)"
    r"|\b(?:works?|worked|working|goes|went|going|gone) (?:really |very )?well\b"
    r"|\bgood (?:relationship|rapport)\b[^.;\n]*?(?=\band\b|[.;\n]|$)"
    r"|\b(?:has|have|had) (?:always )?(?:supported|worked with|provided|looked after)\b[^.;\n]*?(?=\band\b|[.;\n]|$)"
    r"|\balready (?:supports?|provides?|works? with)\b[^.;\n]*?(?=\band\b|[.;\n]|$)"
    r"|\b(?:happy|pleased|satisfied) with\b[^.;\n]*?(?=\band\b|[.;\n]|$)|\bsettled\b",
    re.IGNORECASE,
)
FILLER = word_set(
    "a an the and or but so as is are was were be been has have had it its this that they them their there he she "
    "him her his we our us i my to of for with at by in on from very really well also just all same current currently "
    "provider providers support supports service staff carer carers worker workers child children family mum dad "
    "parent parents would like continue keep want wants prefer prefers"
)
QUOTE = (
    '"Wording to the effect of \'provider knows the child/family and support works well\' will not be acceptable '
    "as there is no reason why another provider cannot get to know the child and provide support that works well. "
    'Information about the impact on the child will be more appropriate."'
)


def only_familiarity(reasons: str) -> bool:
    """True when the reasons say the provider knows the child or family, or that support works well, and
    little else (at most two other content words remain once those phrases are taken out)."""
    if not UNACCEPTABLE.search(reasons):
        return False
    rest = UNACCEPTABLE.sub(" ", reasons)
    words = [w for w in re.findall(r"[^\W\d_]+", rest.casefold()) if w not in FILLER]
    return len(words) <= 2


@rule(
    "guidance-9-specific-provider-reason",
    point="9",
    title="Reasons for a specific provider",
    guidance=(
        "If a specific provider is required, give reasons why the referral should not be sent to other providers. "
        "Wording to the effect of 'provider knows the child/family and support works well' will not be acceptable; "
        "information about the impact on the child will be more appropriate."
    ),
    severity=Severity.error,
)
def specific_provider_reason(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    """The schema requires the reasons when a specific provider is asked for; this rule judges their content."""
    if get_at(instance, f"{PROVIDER}/requested") != "Yes":
        return
    pointer = f"{PROVIDER}/reasons"
    reasons = filled_text(instance, pointer)
    if reasons is not None and only_familiarity(reasons):
        yield Finding(
            pointer,
            f"{ctx.place(pointer)}{ctx.phrase(pointer)} only says the provider knows the child or family, or that the "
            f"support works well. The guidance says: {QUOTE} Explain the impact on the child of using another "
            "provider.",
        )
