"""The schema model: one walk of a schema document into the tree of its nodes, the leaves (the boxes),
the forms and their kinds, with the questions every layer asks of them answered here.

A :class:`Catalogue` is built from a schema document (a dict) and never changes afterwards; what it
works out once (the compiled validator, a blank form built from it) hangs off the instance, so two
catalogues never share a cache. :func:`default_catalogue` is the one for the schema shipped with the
package, read on first use, never at import. A test builds its own from a changed document::

    document = load_schema()
    document["properties"]["part_b"]["properties"]["languages"] = {"type": "string", "title": "Languages"}
    catalogue = Catalogue(document)

A *leaf* is a node that becomes one box on a form: a string, number, boolean or a string enum.
Arrays repeat their items; their pointer template has ``*`` where the index goes and the leaf
knows how many slots each ``*`` has (the array's ``maxItems``), so the generator draws one field
per slot and the reader knows every name it may meet.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any, TypeVar

from jsonschema import Draft202012Validator

from brokerage.errors import SchemaError
from brokerage.schema.answers import with_none_hint
from brokerage.schema.boxes import BoxKind, box_kind_for
from brokerage.schema.forms import FormKind, form_kind
from brokerage.schema.loader import Resolved, load_schema, resolve
from brokerage.schema.problems import Problem, Severity
from brokerage.schema.validation import FormValidator, compile_validator
from brokerage.schema.where import Where, is_index

SCALAR_TYPES = ("string", "number", "integer", "boolean")
T = TypeVar("T")
UNKNOWN_POSITION = 10_000
"""Where :meth:`Catalogue.form_order` puts a step the schema does not have: after every known one."""


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
    node: Resolved = field(repr=False, compare=False)
    """The resolved schema node (``$ref`` merged), for widget choice and coercion."""
    box: BoxKind = field(compare=False)
    """What kind of value the box holds (:mod:`brokerage.schema.boxes`), decided once, here."""
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
    def personal(self) -> bool:
        """Marked ``x-personal``: identifies the child or the family, removed when anonymising."""
        return bool(self.node.get("x-personal"))

    @property
    def accepts_none(self) -> bool:
        """Marked ``x-none-answer``: "None" or "N/A" is an answer here (there may be nothing to say). Its hint
        (:attr:`description`) says so; everywhere else "None" or "N/A" is no answer."""
        return bool(self.node.get("x-none-answer"))

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


@dataclass(frozen=True, eq=False)
class Node:
    """One node of the schema tree: an object, an array or a leaf, with its ``$ref`` chain merged."""

    pointer: str
    """Pointer template: ``""`` for the whole form, ``/part_a/children/*`` for a repeated item."""
    name: str
    """The last step of the pointer (``*`` for an array's items, ``""`` for the whole form)."""
    schema: Resolved = field(repr=False)
    section: str
    """The nearest ``x-section`` at or above the node (a part's title at the top of a part)."""
    position: int = 0
    """Place among the parent's properties, 0-based."""
    children: tuple[Node, ...] = ()
    """An object's properties, in schema order."""
    items: Node | None = None
    """An array's items."""
    leaf: Leaf | None = None
    """The box, for a leaf."""

    @property
    def title(self) -> str:
        return str(self.schema.get("title", ""))

    @property
    def label(self) -> str:
        """The title, or the property's name when the schema gives it none."""
        return str(self.schema.get("title", self.name))

    @property
    def description(self) -> str:
        """The hint: a leaf's as printed on the form (:attr:`Leaf.description`), else the schema's words."""
        if self.leaf is not None:
            return self.leaf.description
        return str(self.schema.get("description", ""))

    @property
    def is_array(self) -> bool:
        return self.items is not None

    @property
    def is_object(self) -> bool:
        return self.items is None and self.leaf is None

    @property
    def is_table(self) -> bool:
        """An object drawn as a table, one row per property (``x-widget: timetable``)."""
        return self.is_object and self.schema.get("x-widget") == "timetable"

    @property
    def own_section(self) -> str:
        """The node's own ``x-section`` heading, ``""`` when it starts none."""
        return str(self.schema.get("x-section", ""))

    @property
    def max_items(self) -> int:
        return int(self.schema.get("maxItems", 0))

    def child(self, name: str) -> Node | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, Node]:
        return {child.name: child for child in self.children}

    def walk(self) -> Iterator[Node]:
        """This node and every node under it, in form order."""
        yield self
        for child in self.children:
            yield from child.walk()
        if self.items is not None:
            yield from self.items.walk()

    @cached_property
    def first_leaf(self) -> Leaf | None:
        return next((node.leaf for node in self.walk() if node.leaf is not None), None)


@dataclass(frozen=True)
class Form:
    """One PDF form: its kind (as embedded in the file), the parts it holds, the schema version."""

    kind: FormKind
    parts: tuple[str, ...]
    version: str
    catalogue: Catalogue = field(repr=False, compare=False)

    @property
    def title(self) -> str:
        return self.kind.facts.title

    @property
    def filename(self) -> str:
        return self.kind.filename

    @property
    def form_id(self) -> str:
        """What identifies a returned file as this form: ``"<kind> <schema version>"``."""
        return self.kind.form_id(self.version)

    @property
    def required_parts(self) -> tuple[str, ...]:
        """The parts a returned form of this kind must hold: all but those marked ``x-optional-part`` (Annex 1,
        which the schema requires only with an approved summer play scheme)."""
        return tuple(
            part for part in self.parts if not self.catalogue.node(f"/{part}").schema.get("x-optional-part")
        )

    def leaves(self) -> tuple[Leaf, ...]:
        return tuple(leaf for leaf in self.catalogue.leaves if leaf.part in self.parts)


def _node_type(node: Mapping[str, Any]) -> str | None:
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return kinds[0] if len(kinds) == 1 else None
    if kind is None and "enum" in node:
        return "string"
    return kind


_INDEX = re.compile(r"/[0-9]+(?=/|$)")


def template(pointer: str) -> str:
    """``/part_a/children/1/name`` → ``/part_a/children/*/name``."""
    return _INDEX.sub("/*", pointer)


class Catalogue:
    """Everything the toolkit knows about the fields of the forms, from one schema document."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document: dict[str, Any] = copy.deepcopy(dict(document))
        version = self.document.get("x-schema-version")
        if not isinstance(version, str) or not version:
            raise SchemaError("The form schema has no x-schema-version, so the forms could not say their version.")
        self.version: str = version
        self._memo: dict[Hashable, Any] = {}
        self._shipped = False
        leaves: list[Leaf] = []
        self.root: Node = self._walk_root(leaves)
        self.leaves: tuple[Leaf, ...] = tuple(leaves)
        """Every leaf in form order."""
        self._nodes: dict[str, Node] = {node.pointer: node for node in self.root.walk()}
        self.forms: dict[FormKind, Form] = self._forms()
        """The forms in schema order, by kind."""

    def __repr__(self) -> str:
        return f"<Catalogue of schema {self.version}{' (shipped)' if self._shipped else ''}>"

    def __reduce__(self) -> tuple[Any, ...]:
        # Crossing into a worker process: the shipped catalogue is rebuilt there once, any other from
        # its document (caches are not sent).
        return (default_catalogue, ()) if self._shipped else (Catalogue, (self.document,))

    # building -----------------------------------------------------------------------------------

    def resolve(self, node: Mapping[str, Any]) -> Resolved:
        """``node`` with its ``$ref`` chain merged in (see :func:`brokerage.schema.resolve`)."""
        return resolve(node, self.document)

    def _walk_root(self, leaves: list[Leaf]) -> Node:
        root = self.resolve(self.document)
        parts = []
        for position, (part, node) in enumerate(root.get("properties", {}).items()):
            resolved = self.resolve(node)
            title = resolved.get("title", part)
            parts.append(
                self._walk(resolved, f"/{part}", part, position, False, title, (), (), False, leaves)
            )
        return Node("", "", root, "", children=tuple(parts))

    def _walk(
        self,
        node: Resolved,
        pointer: str,
        part: str,
        position: int,
        required: bool,
        section: str,
        trail: tuple[str, ...],
        slots: tuple[int, ...],
        new_page: bool,
        leaves: list[Leaf],
    ) -> Node:
        kind = _node_type(node)
        new_page = new_page or bool(node.get("x-new-page"))
        name = pointer.rsplit("/", 1)[-1]
        if kind == "object":
            section = node.get("x-section", section)
            own_title = node.get("title")
            child_trail = trail + ((own_title,) if own_title else ())
            needed = set(node.get("required", []))
            children = []
            for index, (child_name, child) in enumerate(node.get("properties", {}).items()):
                children.append(self._walk(
                    self.resolve(child), f"{pointer}/{child_name}", part, index, child_name in needed, section,
                    child_trail, slots, new_page and index == 0, leaves,
                ))
            return Node(pointer, name, node, section, position, children=tuple(children))
        if kind == "array":
            items = node.get("items")
            if not isinstance(items, Mapping) or "maxItems" not in node:
                raise SchemaError(f"Array {pointer} needs 'items' and 'maxItems' so the form can give it slots.")
            section = node.get("x-section", section)
            own_title = node.get("title")
            child_trail = trail + ((own_title,) if own_title else ())
            item = self._walk(
                self.resolve(items), f"{pointer}/*", part, 0, required, section, child_trail,
                (*slots, int(node["maxItems"])), new_page, leaves,
            )
            return Node(pointer, name, node, section, position, items=item)
        if kind not in SCALAR_TYPES:
            raise SchemaError(f"Schema node {pointer} has no single type the form can draw ({kind!r}).")
        title = node.get("title")
        if not title:
            raise SchemaError(f"Schema field {pointer} has no title: every box needs a label.")
        box = box_kind_for(node, pointer)
        if box.ticked != (kind == "boolean"):
            raise SchemaError(
                f"Schema field {pointer} is a {kind} but its kind of box, {box.name}, holds a {box.value}: "
                "change its type or its x-widget hint."
            )
        leaf = Leaf(
            pointer=pointer,
            part=part,
            type=kind,
            title=title,
            description=with_none_hint(str(node.get("description", "")), bool(node.get("x-none-answer"))),
            required=required,
            node=node,
            box=box,
            section=section,
            trail=trail,
            slots=slots,
            new_page_before=new_page,
        )
        leaves.append(leaf)
        return Node(pointer, name, node, section, position, leaf=leaf)

    def _forms(self) -> dict[FormKind, Form]:
        grouped: dict[FormKind, list[str]] = {}
        for part in self.root.children:
            value = part.schema.get("x-form")
            if not value:
                raise SchemaError(f"Part {part.name} has no x-form: the generator cannot tell which PDF holds it.")
            kind = form_kind(value)
            if kind is None:
                known = ", ".join(k.value for k in FormKind)
                raise SchemaError(f"Part {part.name} is for a form '{value}' the toolkit does not know ({known}).")
            grouped.setdefault(kind, []).append(part.name)
        return {kind: Form(kind, tuple(parts), self.version, self) for kind, parts in grouped.items()}

    # the questions ------------------------------------------------------------------------------

    def form(self, kind: FormKind | str) -> Form:
        """The form of ``kind``; :class:`SchemaError` when the schema has none."""
        found = form_kind(kind)
        if found is None or found not in self.forms:
            raise SchemaError(f"The form schema has no form '{kind}'.")
        return self.forms[found]

    def form_of_part(self, part: str) -> Form | None:
        return next((form for form in self.forms.values() if part in form.parts), None)

    def part_leaves(self, part: str) -> tuple[Leaf, ...]:
        return tuple(leaf for leaf in self.leaves if leaf.part == part)

    def node(self, pointer: str) -> Node | None:
        """The node at a concrete or template pointer (the whole form for ``""``), ``None`` when the schema
        has no such node."""
        return self._nodes.get(template(pointer))

    def leaf(self, pointer: str) -> Leaf | None:
        """The leaf a concrete pointer (``/part_a/children/1/name``) or template belongs to, or ``None``."""
        node = self.node(pointer)
        return node.leaf if node is not None else None

    def title(self, pointer: str) -> str:
        """The title of the node at any pointer, leaf or not (``""`` for the whole form or an unknown node)."""
        node = self.node(pointer) if pointer.strip("/") else None
        return node.title if node is not None else ""

    def field_label(self, pointer: str) -> str:
        """The label printed on the form: the leaf's title, or the container's title (a table, a part)."""
        leaf = self.leaf(pointer)
        if leaf is not None:
            return leaf.title
        return self.title(pointer) if pointer else "Whole form"

    def section_of(self, pointer: str) -> str:
        """The section heading the box (or the first box under a container) is printed under; ``""`` for the
        whole form."""
        if not pointer.strip("/"):
            return ""
        node = self.node(pointer)
        leaf = node.first_leaf if node is not None else None
        return leaf.section if leaf is not None else ""

    def where(self, pointer: str) -> Where:
        """Where the box at a concrete pointer is, in words (section, child, repeat, table row, label)."""
        steps: list[tuple[str, Node | None]] = []
        node: Node | None = self.root
        for token in (t for t in pointer.strip("/").split("/") if t):
            if node is None:
                steps.append((token, None))
                continue
            node = node.items if is_index(token) else node.child(token)
            steps.append((token, node))
        parent = pointer.rsplit("/", 1)[0]
        return Where(
            pointer=pointer,
            label=self.field_label(pointer),
            section=self.section_of(pointer) or self.section_of(parent),
            root=self.root,
            steps=tuple(steps),
        )

    def form_order(self, pointer: str) -> tuple[int, ...]:
        """A sort key that puts pointers in the order their boxes appear on the form.

        Follows the schema's property order (the order of :attr:`leaves`), with repeats in index order,
        so child 1's boxes all come before child 2's. A container sorts just before its first box;
        unknown steps sort last within their parent.
        """
        key: list[int] = []
        node: Node | None = self.root
        for token in (t for t in pointer.strip("/").split("/") if t):
            if is_index(token):
                key.append(int(token))
                node = node.items if node is not None else None
                continue
            node = node.child(token) if node is not None else None
            key.append(node.position if node is not None else UNKNOWN_POSITION)
        return tuple(key)

    def in_form_order(self, problems: Iterable[Problem]) -> list[Problem]:
        """``problems`` in the order their boxes appear on the form, then by rule id: the one order in which
        problems are listed."""
        return sorted(problems, key=lambda problem: (self.form_order(problem.pointer), problem.rule))

    def problem(self, pointer: str, rule: str, severity: Severity, message: str, page: int | None = None) -> Problem:
        """A complete Problem for ``pointer``: its label and section from the schema."""
        where = self.where(pointer)
        return Problem(
            pointer=pointer,
            field=where.label or pointer.rsplit("/", 1)[-1],
            rule=rule,
            severity=severity,
            message=message,
            section=where.section,
            page=page,
        )

    @cached_property
    def validator(self) -> FormValidator:
        """The schema compiled for validation (Draft 2020-12, with format checking and the toolkit's exact
        keywords), requiring no part: for data whose kind of form is not known."""
        Draft202012Validator.check_schema(self.document)
        return compile_validator(self.document)

    def validator_for(self, kind: FormKind | str | None) -> FormValidator:
        """The schema compiled for a returned form of ``kind``: the form's :attr:`Form.required_parts` are
        required, so an empty form is refused box by box. ``None``: :attr:`validator`."""
        if kind is None:
            return self.validator
        form = self.form(kind)

        def make() -> FormValidator:
            document = dict(self.document)
            document["required"] = [*document.get("required", ()), *form.required_parts]
            return compile_validator(document)

        return self.memo(("validator", form.kind), make)

    def kind_of(self, instance: object) -> FormKind | None:
        """The one kind of form whose parts ``instance`` holds; ``None`` when it holds none or parts of several."""
        if not isinstance(instance, Mapping):
            return None
        kinds = {form.kind for name in instance if (form := self.form_of_part(str(name))) is not None}
        return kinds.pop() if len(kinds) == 1 else None

    def memo(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, worked out once per catalogue: for what other layers derive from the schema (a blank
        form) and would otherwise cache in a module, where a test's catalogue would find the shipped one's."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]


@cache
def default_catalogue() -> Catalogue:
    """The catalogue of the schema shipped with the package, built on first use."""
    catalogue = Catalogue(load_schema())
    catalogue._shipped = True
    return catalogue
