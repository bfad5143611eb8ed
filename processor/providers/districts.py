"""Postcode districts: the areas a provider serves and where a child lives, as the outward code of a
UK postcode (``LE11`` of ``LE11 3TU``).

The register checks every district it is given against the county's list, so a typing mistake
(``LE111``, ``EL11``) is refused with a sentence rather than silently matching no child.
"""

from __future__ import annotations

import re

LEICESTER_AREA = (*(f"LE{n}" for n in range(1, 20)), "LE65", "LE67")
"""The geographic districts of the Leicester (LE) postcode area: LE1–LE19, LE65 (Ashby-de-la-Zouch) and
LE67 (Coalville). LE1–LE5 are mostly Leicester City, kept because families move and county children
live near the boundary; LE21, LE41, LE55, LE87, LE94 and LE95 are non-geographic (PO boxes) and left out."""
BORDER_DISTRICTS = ("CV13", "DE12", "DE74", "NG13")
"""Districts of neighbouring postcode areas that cover Leicestershire villages: CV13 (Market Bosworth),
DE12 (Measham), DE74 (Kegworth, Castle Donington), NG13 (Bottesford)."""
COUNTY_DISTRICTS: frozenset[str] = frozenset(LEICESTER_AREA + BORDER_DISTRICTS)
"""Leicestershire's postcode districts: the areas a provider in the register may say it serves."""

ALL_DISTRICTS = "all"
"""Written in a provider's ``areas`` instead of a list: the provider serves every district of the county."""

DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
_POSTCODE = re.compile(r"(?<![A-Z0-9])([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})(?![A-Z0-9])", re.IGNORECASE)


def normalise_district(text: str) -> str:
    """``" le11 "`` → ``"LE11"`` (no check: see :data:`DISTRICT`)."""
    return re.sub(r"\s+", "", text).upper()


def postcode_district(address: object) -> str | None:
    """The outward code of the last full postcode in ``address`` (``"…\\nLE11 3TU"`` → ``"LE11"``),
    or ``None`` when the text holds no full postcode."""
    if not isinstance(address, str):
        return None
    found = _POSTCODE.findall(address)
    return found[-1][0].upper() if found else None


def describe(districts: frozenset[str]) -> str:
    """The districts for a sentence, in a person's order: ``LE1, LE2, … LE67, CV13, DE12``."""

    def key(district: str) -> tuple[str, int, str]:
        match = re.match(r"([A-Z]+)([0-9]+)(.*)", district)
        if not match:
            return (district, 0, "")
        area, number, rest = match.groups()
        return ("0" if area == "LE" else area, int(number), rest)

    return ", ".join(sorted(districts, key=key))
