"""What counts as an answer in a text box: "None"/"N/A" only where the schema allows it, never a placeholder.

The guidance: "If there is no information to be entered in a box please type in 'None' or 'N/A'. Do not
leave it blank." That holds for boxes where there may be nothing to say (behaviours that challenge,
health needs, additional notes …); the schema marks them with ``"x-none-answer": true``
(:attr:`brokerage.schema.Leaf.accepts_none`), and the form's hint, the guidance sheet and the check all
read that one annotation. Everywhere else a real answer is needed: a manager's name, a signature, a
reason for urgency, an address. A placeholder ("TBC", "?", "ask mum", "see attached") is no answer
anywhere.
"""

from __future__ import annotations

import re

NONE_HINT = "Type None or N/A if there is nothing to add."
"""The sentence the hint of a box marked ``x-none-answer`` ends with (on the form, its tooltip and the
guidance sheet)."""

NONE_ANSWERS = frozenset({
    "none", "n/a", "n / a", "na", "n.a", "n.a.", "nil", "not applicable", "no", "none known", "nothing",
    "none at present", "none at the moment", "none currently", "no known allergies", "nka", "nkda",
})
"""Whole answers that say there is nothing to add (case, spaces and a final full stop aside)."""

PLACEHOLDER = re.compile(
    r"""^\s*(?:
        [-–—.…?!x*/_\\]+                                        # -, ..., …, ?, x, ***
      | (?:tbc|tba|tbd|tbconfirmed|to\ be\ (?:confirmed|advised|decided|agreed|arranged|completed))\b.*
      | (?:n\s*/\s*k|nk|not\ known|unknown|don'?t\ know|do\ not\ know|not\ sure|unsure)\b\W*
      | (?:ask|check\ with|speak\ to|contact|call|phone)\s+(?:the\s+)?
          (?:mum|mom|dad|parents?|carers?|family|school|social\ worker|sw|worker|manager|me|gp|nurse)\b.*
      | (?:see|refer\ to)\s+(?:the\s+)?(?:attached|attachment|email|e-mail|previous|above|below|file|mosaic|
          care\ plan|assessment|report|ehcp|letter)\b.*
      | (?:as\ above|see\ above|same\ as\ above|ditto|attached|awaiting|pending|to\ follow|will\ follow|
          will\ (?:find\ out|send|update|confirm|advise)|later|xxx+|blank)\W*
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
"""Whole answers that stand in for an answer not yet given."""


def _squash(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).strip().rstrip(".").strip().casefold()


def is_none_answer(text: object) -> bool:
    """``text`` says there is nothing to add: "None", "N/A", "n/a.", "Not applicable" …"""
    return isinstance(text, str) and _squash(text) in NONE_ANSWERS


def is_placeholder(text: object) -> bool:
    """``text`` stands in for an answer not given yet ("TBC", "?", "-", "…", "n/k", "ask mum", "see attached")."""
    return isinstance(text, str) and bool(text.strip()) and bool(PLACEHOLDER.match(text.replace("’", "'")))


def not_an_answer(text: object, accepts_none: bool) -> bool:
    """``text`` is no answer for a box: a placeholder anywhere, "None"/"N/A" where the box needs a real one."""
    return is_placeholder(text) or (not accepts_none and is_none_answer(text))


def with_none_hint(description: str, accepts_none: bool) -> str:
    """A box's hint as printed: its description, with :data:`NONE_HINT` when None or N/A is an answer."""
    if not accepts_none:
        return description
    return f"{description} {NONE_HINT}".strip() if description else NONE_HINT
