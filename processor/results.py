"""What the pipeline knows about one file once it is done with it: plain, immutable values.

Nothing here holds a pypdf object: a batch that keeps parser objects across files grows
super-linear (see PERFORMANCE.md). Values are plain str/bool/int/float/dict/list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from brokerage.schema import FormKind, Problem


class Status(StrEnum):
    accepted = "accepted"
    """A form of ours with no errors (warnings allowed)."""
    returned = "returned"
    """A form of ours with errors: it goes back to the worker (or provider) with a letter."""
    rejected = "rejected"
    """Not a readable form of ours: not a PDF, damaged, encrypted, flattened, another form."""
    duplicate = "duplicate"
    """A second copy, under another name, of content already received."""


@dataclass(frozen=True)
class FileResult:
    source: str
    """The file's name relative to the inbox, as received."""
    sha256: str
    kind: FormKind | None
    """``None`` when not one of our forms."""
    status: Status
    reference: str | None = None
    """Brokerage reference (``BRK-2026-0001``): assigned to a referral, quoted by Part B and C."""
    problems: tuple[Problem, ...] = ()
    data: Mapping[str, Any] | None = field(default=None, compare=False)
    """The coerced instance (schema types), or ``None`` when nothing could be read."""
    outputs: tuple[str, ...] = ()
    """Paths of files written for this file, relative to the output folder, sorted."""
    received: date | None = None
    response_due: date | None = None
    """For a referral: when Part B responses are due (5 working days, 2 if urgent)."""
    notes: tuple[str, ...] = ()
    """Sentences for the officer that are not problems (e.g. summer scheme kept on file)."""
    duplicate_of: str | None = None
    """For a duplicate: the source name of the first copy."""
    held_until: date | None = None
    """For a referral whose summer play scheme request is kept on file (completed before January of the scheme
    year): the first working day of January, when the scheme part is dealt with. Until then it has no
    response deadline and no provider pack; other support on the form is processed on receipt."""

    def __post_init__(self) -> None:
        if self.kind is not None and not isinstance(self.kind, FormKind):  # "referral", as JSON holds it
            object.__setattr__(self, "kind", FormKind(self.kind))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)
