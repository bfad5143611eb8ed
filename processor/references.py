"""Brokerage references: ``BRK-<year>-<4-digit sequence>``, issued by the ledger, stable across re-runs.

A referral (accepted or returned) gets the next sequence of the year of the run's ``--today``;
the same file (same sha256) always gets the reference it was given first, because the ledger
reserves it against the file's hash before anything is written. Provider responses and IPAs quote
a reference; a quoted reference is typed text and is trusted only when it has exactly this shape
and the ledger knows it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Protocol

PREFIX = "BRK"
PATTERN = re.compile(r"^BRK-([0-9]{4})-([0-9]{4})$")
FORMAT = "BRK-YYYY-NNNN"
"""How a reference is shown to a person who must type one: the format, never a live reference (a provider who
copied an example that is another child's case would file their answer under it)."""


class ReferenceIssuer(Protocol):
    def reserve_reference(self, sha256: str, year: int) -> str: ...


def format_reference(year: int, sequence: int) -> str:
    if not 1 <= sequence <= 9999:
        raise ValueError(f"A brokerage reference sequence is 1 to 9999, not {sequence}")
    return f"{PREFIX}-{year:04d}-{sequence:04d}"


def is_reference(text: object) -> bool:
    return isinstance(text, str) and bool(PATTERN.fullmatch(text))


def normalise_quoted(text: object) -> str | None:
    """A reference as a provider typed it (``brk 2026 0001``, `` BRK-2026-0001 ``) in its exact
    shape, or ``None`` when it does not read as one."""
    if not isinstance(text, str):
        return None
    match = re.fullmatch(r"\s*brk[\s\-/]*([0-9]{4})[\s\-/]*([0-9]{1,4})\s*", text, flags=re.IGNORECASE)
    if not match:
        return None
    return format_reference(int(match[1]), int(match[2])) if int(match[2]) else None


def assign_reference(issuer: ReferenceIssuer, sha256: str, today: date) -> str:
    """The reference for a referral file: the one it had before, or the next of ``today``'s year."""
    return issuer.reserve_reference(sha256, today.year)
