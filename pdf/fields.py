"""The AcroForm field tree: one walk, one classifier, the on-states of buttons, choice options and
values as plain ``str``/``bool``/``None``.

The walk is iterative and remembers the fields on the path from ``/Fields`` down: a ``/Kids`` array
that leads back to a field above (or to the field itself) raises :class:`FieldTreeError` instead of
recursing forever, and so does a ``/Parent`` chain that loops (:func:`parent_chain`). It also stops
at :data:`MAX_DEPTH` levels and :data:`MAX_NODES` dictionaries, far beyond any form (the referral has
293 fields, 301 widgets and 2 levels).

What ISO 32000-1 §12.7 says and the walk follows:

- ``/FT``, ``/Ff``, ``/V``, ``/DA``, ``/MaxLen`` (and ``/Opt``, which some writers put on a parent)
  are inherited from parent fields;
- a field's full name joins the partial names ``/T`` from the top with ``.``;
- a kid with a ``/T`` is a field, a kid without one a widget: a field whose kids are all widgets is
  terminal (a radio group is one field, its kids its buttons); a field without kids is its own widget;
- a button is a push button when its push-button flag is set, whatever else is set (§12.7.4.2), else
  a radio group when its radio flag is set, else a check box.

The walk takes a catalog of pypdf's objects or of pyHanko's (the signature library reads a signed
file's earlier revisions and appends to it with pyHanko): :mod:`brokerage.pdf.objects` tells them apart.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as attribute
from enum import IntFlag, StrEnum
from typing import Any

from pypdf.generic import DictionaryObject

from brokerage.pdf.objects import integer, is_array, is_dictionary, is_reference, name_value, resolve, text_value
from brokerage.pdf.reader import FieldTreeError, TooManyFieldsError

MAX_DEPTH = 32
"""Levels of fields below ``/Fields`` the walk follows (ours have 2: a radio group and its buttons)."""
MAX_NODES = 20_000
"""Field and widget dictionaries the walk visits before it gives up on the file."""
INHERITED = ("/FT", "/Ff", "/V", "/DA", "/Opt", "/MaxLen")
"""Keys a terminal field takes from its ancestors when it does not have them itself."""


class FieldKind(StrEnum):
    """What a terminal field is, as a person meets it."""

    text = "text"
    checkbox = "checkbox"
    radio = "radio"
    choice = "choice"
    signature = "signature"
    push_button = "button"


class FieldFlag(IntFlag):
    """Field flags (``/Ff``), ISO 32000-1 tables 221 (all fields), 226 (buttons), 228 (text), 230 (choices)."""

    read_only = 1 << 0
    required = 1 << 1
    no_export = 1 << 2
    multiline = 1 << 12
    password = 1 << 13
    no_toggle_to_off = 1 << 14
    radio = 1 << 15
    push_button = 1 << 16
    combo = 1 << 17
    edit = 1 << 18
    sort = 1 << 19
    file_select = 1 << 20
    multi_select = 1 << 21
    do_not_spell_check = 1 << 22
    do_not_scroll = 1 << 23
    comb = 1 << 24
    radios_in_unison = 1 << 25
    commit_on_sel_change = 1 << 26


def field_kind(field_type: str | None, flags: int, on_states: Sequence[str] = ()) -> FieldKind:
    """The kind of a terminal field from its (inherited) ``/FT`` name (``"/Btn"``…), ``/Ff`` flags and,
    for buttons, the on-states of its widgets.

    A check box whose widgets have two or more different on-states is a group a person picks one of
    (§12.7.4.2.3: such widgets are mutually exclusive, and some writers drop the radio flag): it
    reads as a radio group whose value is the chosen state.
    """
    if field_type == "/Btn":
        if flags & FieldFlag.push_button:
            return FieldKind.push_button
        if flags & FieldFlag.radio or len(set(on_states)) > 1:
            return FieldKind.radio
        return FieldKind.checkbox
    if field_type == "/Ch":
        return FieldKind.choice
    if field_type == "/Sig":
        return FieldKind.signature
    return FieldKind.text


def object_key(obj: Any) -> tuple[Any, ...]:
    """What identifies an object in its file: an indirect object's number and generation, or (for a
    direct object, which nothing else can point at) the Python object itself."""
    if is_reference(obj):
        return (obj.idnum, obj.generation)
    ref = getattr(obj, "indirect_reference", None)  # pypdf's; pyHanko's objects keep no such link
    if is_reference(ref):
        return (ref.idnum, ref.generation)
    return ("direct", id(obj))


def on_states(widget: Any) -> list[str]:
    """The on-state names of a button widget (the keys of its ``/AP /N`` other than ``/Off``), without
    their slash, in the file's order."""
    appearance = resolve(resolve(widget).get("/AP")) if is_dictionary(resolve(widget)) else None
    normal = resolve(appearance.get("/N")) if is_dictionary(appearance) else None
    if not is_dictionary(normal):
        return []
    return [str(key)[1:] for key in normal if key != "/Off"]


def choice_options(options: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(export values, labels) of a choice field's ``/Opt``: each item is a string (both at once) or an
    ``[export, label]`` pair. Empty strings are kept: an empty first option means "nothing chosen"."""
    exports: list[str] = []
    labels: list[str] = []
    items = resolve(options)
    for item in items if is_array(items) else ():
        item = resolve(item)
        if is_array(item) and item:
            export = str(resolve(item[0]))
            labels.append(str(resolve(item[1])) if len(item) > 1 else export)
        else:
            export = str(item)
            labels.append(export)
        exports.append(export)
    return tuple(exports), tuple(labels)


def field_value(kind: FieldKind, value: Any) -> str | bool | None:
    """A field's ``/V`` as a plain value.

    Text: the string with line breaks as ``\\n`` (``None`` when empty); check box: ticked for any
    on-state other than ``/Off``; radio group: the chosen state's name; choice: the chosen export
    value (several joined with ``\\n``); signature: signed when ``/V`` is a signature dictionary;
    push button: ``None``. Never ``/I``: MuPDF leaves a stale one.
    """
    raw = resolve(value)
    if kind is FieldKind.checkbox:
        return name_value(raw) is not None
    if kind is FieldKind.radio:
        return name_value(raw)
    if kind is FieldKind.signature:
        return is_dictionary(raw)
    if kind is FieldKind.choice:
        if is_array(raw):
            items = [t for t in (text_value(v) for v in raw) if t]
            return "\n".join(items) if items else None
        return name_value(raw)
    if kind is FieldKind.push_button:
        return None
    return text_value(raw)


@dataclass(frozen=True)
class FieldNode:
    """A terminal field of a document as the library's objects (pypdf's, or pyHanko's when the catalog
    walked was pyHanko's), for code that changes the document (filling, splitting, countersigning).
    Readers want :func:`brokerage.pdf.form.form_of`'s plain values instead."""

    name: str
    """The full name: partial names from the top joined with ``.``."""
    field: DictionaryObject = attribute(repr=False)
    inherited: Mapping[str, Any] = attribute(repr=False)
    """``/FT``, ``/Ff``, ``/V``, ``/DA``, ``/Opt``, ``/MaxLen`` as the field has them or inherits them."""
    widgets: tuple[DictionaryObject, ...] = attribute(repr=False)
    """Its widget annotations: its kids (none of which has a ``/T``), or the field itself."""
    field_type: str | None
    """``/FT`` (``"/Tx"``, ``"/Btn"``, ``"/Ch"``, ``"/Sig"``), inherited."""
    flags: int
    """``/Ff``, inherited (bits of :class:`FieldFlag`)."""
    on_states: tuple[str, ...]
    """The on-states of a button's widgets, each once, in widget order (empty for other kinds)."""
    kind: FieldKind

    @property
    def value(self) -> str | bool | None:
        return field_value(self.kind, self.inherited.get("/V"))


def _node(name: str, field: DictionaryObject, inherited: Mapping[str, Any],
          widgets: tuple[DictionaryObject, ...]) -> FieldNode:
    found = resolve(inherited.get("/FT"))
    field_type = None if found is None else str(found)
    flags = integer(inherited.get("/Ff"))
    states: list[str] = []
    if field_type == "/Btn":
        for widget in widgets:
            states.extend(state for state in on_states(widget) if state not in states)
    return FieldNode(name, field, inherited, widgets, field_type, flags, tuple(states),
                     field_kind(field_type, flags, states))


def _kids(field: DictionaryObject) -> list[Any]:
    kids = resolve(field.get("/Kids"))
    return list(kids) if is_array(kids) else []


def walk_fields(catalog: DictionaryObject) -> Iterator[FieldNode]:
    """Every terminal field under the catalog's ``/AcroForm /Fields``, in form order.

    A field listed twice (two parents, or twice in ``/Fields``) is visited once. Raises
    :class:`FieldTreeError` for a loop (in ``/Kids``, or in the ``/Parent`` chain of a terminal field's
    widgets) or a tree deeper than :data:`MAX_DEPTH`, and
    :class:`TooManyFieldsError` past :data:`MAX_NODES`; :func:`brokerage.pdf.reader.reading` turns
    both into the damaged-file and too-large sentences.
    """
    acroform = resolve(catalog.get("/AcroForm"))
    top = resolve(acroform.get("/Fields")) if is_dictionary(acroform) else None
    if not is_array(top):
        return
    if len(top) > MAX_NODES:
        raise TooManyFieldsError(f"more than {MAX_NODES} fields and widgets")
    stack: list[tuple[Any, str, dict[str, Any], tuple[tuple[Any, ...], ...]]] = [
        (ref, "", {}, ()) for ref in reversed(top)
    ]
    seen: set[tuple[Any, ...]] = set()
    touched = len(top)
    while stack:
        ref, prefix, inherited, path = stack.pop()
        node = resolve(ref)
        if not is_dictionary(node):
            continue
        key = object_key(ref)
        if key in path:
            raise FieldTreeError("a field's /Kids lead back to the field itself or to a field above it")
        if key in seen:
            continue
        if len(path) >= MAX_DEPTH:
            raise FieldTreeError(f"the field tree is more than {MAX_DEPTH} levels deep")
        seen.add(key)
        raw_kids = _kids(node)
        touched += len(raw_kids)
        if touched > MAX_NODES:
            raise TooManyFieldsError(f"more than {MAX_NODES} fields and widgets")
        attrs = dict(inherited)
        for name in INHERITED:
            if name in node:
                attrs[name] = node.raw_get(name)
        partial = resolve(node.get("/T"))
        full = prefix if partial is None else (f"{prefix}.{partial}" if prefix else str(partial))
        kids = [(kid, resolved) for kid in raw_kids if is_dictionary(resolved := resolve(kid))]
        children = [kid for kid, resolved in kids if "/T" in resolved]
        if children:
            below = (*path, key)
            stack.extend((kid, full, attrs, below) for kid in reversed(children))
            continue
        if full:
            _check_parents(node, key, kids)
            widgets = tuple(resolved for _kid, resolved in kids) if kids else (node,)
            yield _node(full, node, attrs, widgets)


def _check_parents(field: DictionaryObject, key: tuple[Any, ...], kids: list[tuple[Any, DictionaryObject]]) -> None:
    """Follow the ``/Parent`` chains of a terminal field and its widgets to the top: a chain that loops
    is damage to whoever walks it later. A widget whose ``/Parent`` is the field shares its chain."""
    if "/Parent" in field:
        for _ in parent_chain(field):
            pass
    for kid, widget in kids:
        if object_key(widget.get("/Parent")) != key:
            for _ in parent_chain(kid):
                pass


def page_widgets(document: Any) -> Iterator[tuple[int, Any, DictionaryObject]]:
    """(1-based page number, reference as the page lists it, widget dictionary) for every widget
    annotation in the pages' ``/Annots``, in page order (a widget two pages list comes twice)."""
    for number, page in enumerate(document.pages, start=1):
        for annot in resolve(page.get("/Annots")) or []:
            widget = resolve(annot)
            if is_dictionary(widget) and widget.get("/Subtype") == "/Widget":
                yield number, annot, widget


def parent_chain(obj: Any) -> Iterator[DictionaryObject]:
    """``obj`` (a widget or a field), its ``/Parent``, that one's ``/Parent``… up to a top field.

    Raises :class:`FieldTreeError` when the chain comes back to a dictionary it has passed or is
    longer than :data:`MAX_DEPTH`.
    """
    seen: set[tuple[Any, ...]] = set()
    ref = obj
    node = resolve(obj)
    while is_dictionary(node):
        key = object_key(ref)
        if key in seen:
            raise FieldTreeError("a /Parent chain comes back to a field it has passed")
        if len(seen) > MAX_DEPTH:
            raise FieldTreeError(f"a /Parent chain is more than {MAX_DEPTH} levels long")
        seen.add(key)
        yield node
        ref = node.get("/Parent")
        node = resolve(ref)


def full_name(obj: Any) -> str:
    """A field's (or widget's) full name, joining the ``/T`` of it and its ancestors up the
    ``/Parent`` chain with ``.`` (cycle-safe: see :func:`parent_chain`)."""
    names = [str(node["/T"]) for node in parent_chain(obj) if "/T" in node]
    return ".".join(reversed(names))
