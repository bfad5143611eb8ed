"""Problems are values: schema errors and guidance rules both produce a :class:`Problem`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one form, built complete.

    ``pointer`` is the concrete JSON pointer of the field (``""`` for the whole form), ``field``
    its label as printed on the form, ``section`` the part and section heading, ``page`` the
    1-based page of the form it is on (``None`` when unknown), ``rule`` the schema keyword
    (``schema:required``) or the guidance rule id (``guidance-3-urgent-marked``), and ``message`` a
    sentence a social worker can act on.
    """

    pointer: str
    field: str
    rule: str
    severity: Severity
    message: str
    section: str = ""
    page: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.error
