"""Every question answered: "None" or "N/A" is an answer, a blank or a placeholder is not."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.text import concrete
from brokerage.rules.values import text_at
from brokerage.schema import Severity

# Marks people type to get past a box without answering it.
PLACEHOLDER = re.compile(r"^\s*(?:[-–—.?x*/]+|tbc|tba|tbd|\?+|see above|as above)\s*$", re.IGNORECASE)


@rule(
    "guidance-child-none-or-na",
    point="Details of the Child",
    title="Every question answered",
    guidance=(
        "All questions must be answered. If there is no information to be entered in a box, type None or N/A: "
        "a blank box looks as if it has been missed and the form may be returned."
    ),
    severity=Severity.error,
    defers_to_schema=True,
)
def no_blank_boxes(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    """A text box present in Part A or Annex 1 that holds only spaces or a placeholder ("-", "TBC", "see above").

    Missing boxes are the schema's ``required`` problems; where the schema also reports this box
    (a required box with only spaces), :func:`brokerage.rules.validate` keeps only the schema's problem.
    """
    for leaf in ctx.catalogue.leaves:
        if leaf.part not in ("part_a", "annex_1") or not leaf.box.text:
            continue
        for pointer in concrete(leaf.pointer, instance):
            text = text_at(instance, pointer)
            if text is None:
                continue
            if not text.strip():
                yield Finding(
                    pointer,
                    f"{ctx.place(pointer)}{ctx.phrase(pointer)} is blank. Type None or N/A if there is nothing to add.",
                )
            elif PLACEHOLDER.match(text):
                yield Finding(
                    pointer,
                    f"{ctx.place(pointer)}{ctx.phrase(pointer)} has only a placeholder, not an answer. "
                    "Give the answer, or type None or N/A if there is nothing to add.",
                )
