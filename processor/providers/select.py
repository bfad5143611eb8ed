"""Which providers a referral goes to: active, contracted for a lot the case asks for, serving the
child's postcode district, and on the framework or off it as the round says. Framework first, then
by name, so the same register and case always give the same list in the same order."""

from __future__ import annotations

from collections.abc import Iterable

from brokerage.processor.providers.districts import normalise_district
from brokerage.processor.providers.register import Lot, Provider, Register, name_key


def why_not(provider: Provider, lots: Iterable[Lot], districts: Iterable[str], framework: bool | None) -> str | None:
    """Why ``provider`` is not sent this case, in words (``None`` when it is)."""
    lots = set(lots)
    if not provider.active:
        return "not active in the register"
    if not provider.offers(lots):
        return "not contracted for " + " or ".join(lot.label for lot in sorted(lots))
    missing = [d for d in (normalise_district(x) for x in districts) if d not in provider.areas]
    if missing:
        return "does not serve " + ", ".join(missing)
    if framework is True and not provider.framework:
        return "off-framework (this is a framework round)"
    if framework is False and provider.framework:
        return "on the framework (this is an off-framework round)"
    return None


def select_providers(
    register: Register,
    lots: Iterable[Lot],
    districts: Iterable[str],
    framework: bool | None = None,
    named: str | None = None,
) -> tuple[Provider, ...]:
    """The providers to send a case to, framework first, then by name.

    ``lots``: what the case asks for (a provider contracted for any of them is sent it: it can answer
    for part of the package). ``districts``: where the children live (a provider must serve each).
    ``framework``: ``True`` for a framework round, ``False`` for an off-framework round, ``None`` for
    both. ``named``: the specific provider the worker asked for with accepted reasons (guidance
    point 9): only that provider, if active and contracted for a lot asked for, whatever its areas or
    framework status.
    """
    lots, districts = frozenset(lots), tuple(districts)
    if not lots or not districts:
        raise ValueError("select_providers needs at least one lot and one district")
    if named is not None:
        key = name_key(named)
        chosen = [p for p in register.providers if name_key(p.name) == key and p.active and p.offers(lots)]
    else:
        chosen = [p for p in register.providers if why_not(p, lots, districts, framework) is None]
    return tuple(sorted(chosen, key=lambda p: (not p.framework, name_key(p.name))))
