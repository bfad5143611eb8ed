"""What the case steps need to know from an accepted referral's data, read in one place: lots asked
for, where the children live, urgency, the allocated worker, the subject line the service uses with
workers (guidance point 1) and a specific provider asked for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from brokerage.processor.cases.model import CaseError, RoundSpec
from brokerage.processor.outputs.letters import case_subject
from brokerage.processor.providers import Lot, Provider, Register, postcode_district, select_providers
from brokerage.schema import get_at


@dataclass(frozen=True)
class CaseFacts:
    lots: frozenset[Lot]
    districts: tuple[str, ...]
    """Each child's postcode district, in child order, without repeats."""
    districts_missing: bool
    """Some child's address has no full postcode: the officer must give the district."""
    urgent: bool
    worker_name: str
    worker_email: str
    worker_subject: str
    """The children's initials and Mosaic IDs, for the subject of emails to the worker: ``ZŁON 1234567``."""
    named_provider: str | None
    """The specific provider asked for (guidance point 9), when the referral asks for one."""
    children: int
    summer_scheme: bool


def _text(data: Mapping[str, Any], pointer: str) -> str:
    value = get_at(data, pointer)
    return value.strip() if isinstance(value, str) else ""


def case_facts(data: Mapping[str, Any]) -> CaseFacts:
    """The facts of a referral instance (the accepted referral's data)."""
    lots = set()
    if get_at(data, "/part_a/services/short_break/required") is True:
        lots.add(Lot.SHORT_BREAKS)
    if get_at(data, "/part_a/services/domiciliary_care/required") is True:
        lots.add(Lot.DOMICILIARY_CARE)
    children = [c for c in get_at(data, "/part_a/children") or [] if isinstance(c, Mapping)]
    found = [postcode_district(child.get("address")) for child in children]
    named = _text(data, "/part_a/services/specific_provider/provider_name")
    return CaseFacts(
        lots=frozenset(lots),
        districts=tuple(dict.fromkeys(d for d in found if d)),
        districts_missing=not found or None in found,
        urgent=get_at(data, "/part_a/referral/urgent") == "Yes",
        worker_name=_text(data, "/part_a/allocated_worker/name"),
        worker_email=_text(data, "/part_a/allocated_worker/email"),
        worker_subject=case_subject(data),
        named_provider=named if get_at(data, "/part_a/services/specific_provider/requested") == "Yes" and named
        else None,
        children=len(children),
        summer_scheme=get_at(data, "/part_a/services/short_break/summer_scheme_approved") == "Yes",
    )


def providers_for_round(facts: CaseFacts, register: Register, spec: RoundSpec,
                        districts: Sequence[str] | None = None) -> tuple[Provider, ...]:
    """The providers a round of this case goes to: the case's lots and districts (``districts`` given by the
    officer win over the addresses'), framework or off-framework as the round is, framework first; only the
    specific provider when the referral names one. Raises :class:`CaseError` when no district is known."""
    chosen = tuple(districts) if districts else facts.districts
    if not facts.lots:
        raise CaseError("The referral asks for neither a short break nor domiciliary care, so no provider can be "
                        "chosen. Check the referral's services section.")
    if not chosen or (facts.districts_missing and not districts):
        raise CaseError("A child's address on the referral has no full postcode, so the providers for the area "
                        "cannot be chosen. Give the postcode district (for example LE11) when sending it out.")
    return select_providers(register, facts.lots, chosen, spec.kind.framework, named=facts.named_provider)
