"""Which boxes of the Individual Placement Agreement (Part C, ``ipa.pdf``) belong to whom.

From the schema (``/part_c``): the provider's block (``provider_signatory``: name, position, date,
signature, and any tick box the schema adds there, such as "I agree on behalf of the provider") and
the officer's block (``countersignature``: name, date, signature). Every other box of the IPA is an
agreed field: set when the IPA is issued and never changed afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from brokerage.schema import field_name, leaf_for_pointer, part_leaves, pointer_from_name

PROVIDER_BLOCK = "/part_c/provider_signatory"
OFFICER_BLOCK = "/part_c/countersignature"

PROVIDER_SIGNATURE = field_name(f"{PROVIDER_BLOCK}/signature")
OFFICER_SIGNATURE = field_name(f"{OFFICER_BLOCK}/signature")
OFFICER_NAME = field_name(f"{OFFICER_BLOCK}/name")
OFFICER_DATE = field_name(f"{OFFICER_BLOCK}/date")

CERTIFICATION_FIELD = "service_certification"
"""The invisible signature field :func:`~.signing.certify` creates for the service's certification."""

IPA_KIND = "ipa"


def _names_under(block: str) -> frozenset[str]:
    return frozenset(field_name(leaf.pointer) for leaf in part_leaves("part_c") if leaf.pointer.startswith(block + "/"))


@cache
def provider_fields() -> frozenset[str]:
    """Every box of the provider's block, signature included."""
    return _names_under(PROVIDER_BLOCK)


@cache
def officer_fields() -> frozenset[str]:
    """Every box of the officer's block, signature included."""
    return _names_under(OFFICER_BLOCK)


@cache
def provider_required() -> tuple[str, ...]:
    """The provider's boxes that must be filled in before countersigning (the schema's required ones),
    in form order; signature boxes are not among them (signing digitally is optional)."""
    return tuple(
        field_name(leaf.pointer)
        for leaf in part_leaves("part_c")
        if leaf.pointer.startswith(PROVIDER_BLOCK + "/") and leaf.required and leaf.type != "signature"
        and leaf.node.get("x-widget") != "signature"
    )


def is_agreed_field(name: str) -> bool:
    """A box of the IPA that is neither the provider's nor the officer's (nor the hidden ``form_id``)."""
    return name.startswith("part_c__") and name not in provider_fields() and name not in officer_fields()


def describe_field(name: str) -> str:
    """A box as a person finds it on the form: "Signed for the provider: Position"."""
    try:
        leaf = leaf_for_pointer(pointer_from_name(name))
    except ValueError:
        leaf = None
    if leaf is None:
        return {CERTIFICATION_FIELD: "the service's certification"}.get(name, f"the box {name}")
    return f"{leaf.section}: {leaf.title}" if leaf.section and leaf.section != leaf.title else leaf.title


@cache
def _form_order() -> dict[str, int]:
    return {field_name(leaf.pointer): index for index, leaf in enumerate(part_leaves("part_c"))}


def in_form_order(names: Iterable[str]) -> tuple[str, ...]:
    """``names`` in the order their boxes come on the form (boxes the schema does not know last, by name)."""
    order = _form_order()
    return tuple(sorted(set(names), key=lambda n: (order.get(n, len(order)), n)))


def describe_fields(names: Iterable[str]) -> str:
    """Boxes grouped by section in form order: "Signed for the provider: Name, Position, Date"."""
    groups: dict[str, list[str]] = {}
    for name in in_form_order(names):
        text = describe_field(name)
        section, _, title = text.partition(": ")
        if title:
            groups.setdefault(section, []).append(title)
        else:
            groups.setdefault(text, [])
    return "; ".join(f"{section}: {', '.join(titles)}" if titles else section for section, titles in groups.items())
