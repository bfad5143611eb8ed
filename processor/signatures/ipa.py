"""Which boxes of the Individual Placement Agreement (Part C, ``ipa.pdf``) belong to whom.

From the schema (``/part_c``): the provider's block (``provider_signatory``: name, position, date,
signature, and any tick box the schema adds there, such as "I agree on behalf of the provider") and
the officer's block (``countersignature``: name, date, signature). Every other box of the IPA is an
agreed field: set when the IPA is issued and never changed afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from brokerage.schema import Catalogue, FormKind, default_catalogue, field_name, pointer_from_name
from brokerage.schema.boxes import SIGNATURE

T = TypeVar("T")

PROVIDER_BLOCK = "/part_c/provider_signatory"
OFFICER_BLOCK = "/part_c/countersignature"

PROVIDER_SIGNATURE = field_name(f"{PROVIDER_BLOCK}/signature")
OFFICER_SIGNATURE = field_name(f"{OFFICER_BLOCK}/signature")
OFFICER_NAME = field_name(f"{OFFICER_BLOCK}/name")
OFFICER_DATE = field_name(f"{OFFICER_BLOCK}/date")

CERTIFICATION_FIELD = "service_certification"
"""The invisible signature field :func:`~.signing.certify` creates for the service's certification."""

IPA_KIND = FormKind.ipa


def _worked_out(catalogue: Catalogue | None, what: str, make: Callable[[Catalogue], T]) -> T:
    """``make(catalogue)`` once per catalogue (the shipped one by default)."""
    found = catalogue or default_catalogue()
    return found.memo(("signatures", what), lambda: make(found))


def _names_under(catalogue: Catalogue, block: str) -> frozenset[str]:
    return frozenset(
        field_name(pointer)
        for leaf in catalogue.part_leaves("part_c") if leaf.pointer.startswith(block + "/")
        for pointer in leaf.concrete()
    )


def provider_fields(catalogue: Catalogue | None = None) -> frozenset[str]:
    """Every box of the provider's block, signature included."""
    return _worked_out(catalogue, "provider-fields", lambda c: _names_under(c, PROVIDER_BLOCK))


def officer_fields(catalogue: Catalogue | None = None) -> frozenset[str]:
    """Every box of the officer's block, signature included."""
    return _worked_out(catalogue, "officer-fields", lambda c: _names_under(c, OFFICER_BLOCK))


def provider_required(catalogue: Catalogue | None = None) -> tuple[str, ...]:
    """The provider's boxes that must be filled in before countersigning (the schema's required ones),
    in form order; signature boxes are not among them (signing digitally is optional)."""
    return _worked_out(catalogue, "provider-required", lambda c: tuple(
        field_name(leaf.pointer)
        for leaf in c.part_leaves("part_c")
        if leaf.pointer.startswith(PROVIDER_BLOCK + "/") and leaf.required and leaf.box is not SIGNATURE
    ))


def is_agreed_field(name: str, catalogue: Catalogue | None = None) -> bool:
    """A box of the IPA that is neither the provider's nor the officer's (nor the hidden ``form_id``)."""
    return (name.startswith("part_c__") and name not in provider_fields(catalogue)
            and name not in officer_fields(catalogue))


def _pointer(name: str) -> str | None:
    try:
        return pointer_from_name(name)
    except ValueError:
        return None


def describe_field(name: str, catalogue: Catalogue | None = None) -> str:
    """A box as a person finds it on the form: "Signed for the provider: Position"."""
    pointer = _pointer(name)
    leaf = (catalogue or default_catalogue()).leaf(pointer) if pointer is not None else None
    if leaf is None:
        return {CERTIFICATION_FIELD: "the service's certification"}.get(name, f"the box {name}")
    return f"{leaf.section}: {leaf.title}" if leaf.section and leaf.section != leaf.title else leaf.title


def in_form_order(names: Iterable[str], catalogue: Catalogue | None = None) -> tuple[str, ...]:
    """``names`` in the order their boxes come on the form (boxes the schema does not know last, by name)."""
    found = catalogue or default_catalogue()

    def key(name: str) -> tuple[bool, tuple[int, ...], str]:
        pointer = _pointer(name)
        leaf = found.leaf(pointer) if pointer is not None else None
        return (leaf is None, found.form_order(pointer) if leaf is not None and pointer else (), name)

    return tuple(sorted(set(names), key=key))


def describe_fields(names: Iterable[str], catalogue: Catalogue | None = None) -> str:
    """Boxes grouped by section in form order: "Signed for the provider: Name, Position, Date"."""
    groups: dict[str, list[str]] = {}
    for name in in_form_order(names, catalogue):
        text = describe_field(name, catalogue)
        section, _, title = text.partition(": ")
        if title:
            groups.setdefault(section, []).append(title)
        else:
            groups.setdefault(text, [])
    return "; ".join(f"{section}: {', '.join(titles)}" if titles else section for section, titles in groups.items())
