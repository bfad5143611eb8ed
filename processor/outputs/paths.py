"""Output names: built from the brokerage reference, the file's hash and fixed words only.

Nothing a person typed (a child's name, a provider's comment, a file name from the inbox) ever
becomes part of a path. A reference quoted by a provider is typed text too, so it is used in a
path only when it has the exact shape of a reference we issue.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from brokerage.errors import OutputError
from brokerage.processor.references import is_reference

CASES = PurePosixPath("cases")
RETURNED = PurePosixPath("returned")
REJECTED = PurePosixPath("rejected")


def safe_reference(reference: str | None) -> str | None:
    """``reference`` when it has the shape of one we issue (``BRK-2026-0001``), else ``None``."""
    if reference is None:
        return None
    return reference if is_reference(reference) else None


def case_folder(reference: str | None) -> PurePosixPath:
    """``cases/<reference>``; raises :class:`OutputError` for anything that is not a reference."""
    safe = safe_reference(reference)
    if safe is None:
        raise OutputError(
            f"Cannot file a case under {reference!r}: a case folder is named only by a brokerage reference "
            "(BRK-YYYY-NNNN). This is a fault in the processor; please report it."
        )
    return CASES / safe


def short_hash(sha256: str) -> str:
    """The first 12 hex digits of a file's sha256, checked to be hex."""
    head = sha256[:12].lower()
    if len(head) != 12 or not re.fullmatch(r"[0-9a-f]{12}", head):
        raise OutputError(f"{sha256!r} is not a sha256 digest; output names need one.")
    return head
