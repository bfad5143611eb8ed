"""Walk the schema: every leaf with its pointer, type, label, guidance and requiredness.

A *leaf* is a node that becomes one box on a form: a string, number, boolean or a string enum.
Arrays repeat their items; their pointer template has ``*`` where the index goes and the leaf
knows how many slots each ``*`` has (the array's ``maxItems``), so the generator draws one field
per slot and the reader knows every name it may meet.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from brokerage.errors import SchemaError
from brokerage.schema.loader import load_schema, resolve

SCALAR_TYPES = ("string", "number", "integer", "boolean")


@dataclass(frozen=True)
class Leaf:
    """One box of the form as the schema defines it (a template when inside arrays)."""

    pointer: str
    """Pointer template, e.g. ``/part_a/children/*/name``."""
    part: str
    """Top-level property: ``part_a``, ``annex_1``, ``part_b`` or ``part_c``."""
    type: str
    title: str
    description: str
    required: bool
    """Required by its parent object unconditionally (conditionals are not counted)."""
    node: Mapping[str, Any] = field(repr=False, compare=False)
    """The resolved schema node (``$ref`` merged), for widget choice and coercion."""
    section: str = ""
    """Nearest ``x-section`` heading above the leaf (or the part's title)."""
    trail: tuple[str, ...] = ()
    """Titles from the part down to the leaf's parent, e.g. ("Part A – Referral", "Details of the child")."""
    slots: tuple[int, ...] = ()
    """Repeat count for each ``*`` in :attr:`pointer`, outermost first."""
    new_page_before: bool = False

    @property
    def format(self) -> str | None:
        return self.node.get("format")

    @property
    def enum(self) -> tuple[str, ...] | None:
        values = self.node.get("enum")
        return tuple(values) if values is not None else None

    @property
    def widget_hint(self) -> str | None:
        return self.node.get("x-widget")

    @property
    def personal(self) -> bool:
        """Marked ``x-personal``: identifies the child or the family, removed when anonymising."""
        return bool(self.node.get("x-personal"))

    def concrete(self) -> Iterator[str]:
        """Every concrete pointer of this leaf, one per repeat slot, in form order."""
        if not self.slots:
            yield self.pointer
            return
        parts = self.pointer.split("*")
        for indices in itertools.product(*(range(n) for n in self.slots)):
            out = parts[0]
            for index, rest in zip(indices, parts[1:], strict=False):
                out += str(index) + rest
            yield out


def _node_type(node: Mapping[str, Any]) -> str | None:
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return kinds[0] if len(kinds) == 1 else None
    if kind is None and "enum" in node:
        return "string"
    return kind


def _walk(
    node: Mapping[str, Any],
    pointer: str,
    part: str,
    required: bool,
    section: str,
    trail: tuple[str, ...],
    slots: tuple[int, ...],
    new_page: bool,
) -> Iterator[Leaf]:
    node = resolve(node)
    kind = _node_type(node)
    new_page = new_page or bool(node.get("x-new-page"))
    if kind == "object":
        section = node.get("x-section", section)
        own_title = node.get("title")
        child_trail = trail + ((own_title,) if own_title else ())
        needed = set(node.get("required", []))
        first = True
        for name, child in node.get("properties", {}).items():
            yield from _walk(
                child, f"{pointer}/{name}", part, name in needed, section, child_trail, slots, new_page and first
            )
            first = False
        return
    if kind == "array":
        items = node.get("items")
        if not isinstance(items, Mapping) or "maxItems" not in node:
            raise SchemaError(f"Array {pointer} needs 'items' and 'maxItems' so the form can give it slots.")
        section = node.get("x-section", section)
        own_title = node.get("title")
        child_trail = trail + ((own_title,) if own_title else ())
        yield from _walk(
            items, f"{pointer}/*", part, required, section, child_trail, (*slots, int(node["maxItems"])), new_page
        )
        return
    if kind not in SCALAR_TYPES:
        raise SchemaError(f"Schema node {pointer} has no single type the form can draw ({kind!r}).")
    title = node.get("title")
    if not title:
        raise SchemaError(f"Schema field {pointer} has no title: every box needs a label.")
    yield Leaf(
        pointer=pointer,
        part=part,
        type=kind,
        title=title,
        description=node.get("description", ""),
        required=required,
        node=node,
        section=section,
        trail=trail,
        slots=slots,
        new_page_before=new_page,
    )


@cache
def leaves() -> tuple[Leaf, ...]:
    """Every leaf of the schema in form order."""
    root = load_schema()
    out: list[Leaf] = []
    for part, node in root["properties"].items():
        resolved = resolve(node)
        out.extend(
            _walk(resolved, f"/{part}", part, False, resolved.get("title", part), (), (), False)
        )
    return tuple(out)


def part_leaves(part: str) -> tuple[Leaf, ...]:
    return tuple(leaf for leaf in leaves() if leaf.part == part)


_INDEX = re.compile(r"/[0-9]+(?=/|$)")


def template(pointer: str) -> str:
    """``/part_a/children/1/name`` → ``/part_a/children/*/name``."""
    return _INDEX.sub("/*", pointer)


@cache
def _by_template() -> dict[str, Leaf]:
    return {leaf.pointer: leaf for leaf in leaves()}


def leaf_for_pointer(pointer: str) -> Leaf | None:
    """The leaf a concrete pointer (``/part_a/children/1/name``) belongs to, or ``None``."""
    return _by_template().get(template(pointer))


def node_at(pointer: str) -> dict[str, Any]:
    """The resolved schema node at any (concrete or template) pointer, leaf or not: the root for ``""``,
    empty where the schema has no such node."""
    node = resolve(load_schema())
    for token in (t for t in pointer.strip("/").split("/") if t):
        step = node.get("items") if token.isdigit() or token == "*" else node.get("properties", {}).get(token)
        node = resolve(step or {})
    return node


def container_title(pointer: str) -> str:
    """The title of the schema node at any (concrete or template) pointer, leaf or not (``""`` for the
    whole form)."""
    return node_at(pointer).get("title", "") if pointer.strip("/") else ""


@dataclass(frozen=True)
class Form:
    """One PDF form: its kind (as embedded in the file), file name and the parts it holds."""

    kind: str
    parts: tuple[str, ...]
    title: str

    @property
    def filename(self) -> str:
        return f"{self.kind}.pdf"

    @property
    def form_id(self) -> str:
        """What identifies a returned file as this form: ``"<kind> <schema version>"``."""
        return f"{self.kind} {load_schema()['x-schema-version']}"

    def leaves(self) -> tuple[Leaf, ...]:
        return tuple(leaf for leaf in leaves() if leaf.part in self.parts)


FORM_ID_FIELD = "form_id"
"""The hidden read-only field every form carries, holding :attr:`Form.form_id`."""
FORM_ID_INFO_KEY = "/BrokerageForm"
"""The document-information key holding the same value, for files whose fields a viewer renamed."""


_FORM_TITLES = {
    "referral": "Brokerage referral (Part A and Annex 1)",
    "provider-response": "Provider response (Part B)",
    "ipa": "Individual Placement Agreement (Part C)",
}


@cache
def forms() -> tuple[Form, ...]:
    """The forms, derived from each part's ``x-form`` annotation, in schema order."""
    grouped: dict[str, list[str]] = {}
    for part, node in load_schema()["properties"].items():
        kind = node.get("x-form")
        if not kind:
            raise SchemaError(f"Part {part} has no x-form: the generator cannot tell which PDF holds it.")
        grouped.setdefault(kind, []).append(part)
    return tuple(Form(kind, tuple(parts), _FORM_TITLES.get(kind, kind)) for kind, parts in grouped.items())


FORMS: dict[str, Form] = {form.kind: form for form in forms()}
