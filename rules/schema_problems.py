"""JSON Schema errors as Problems a social worker can act on.

The validator is compiled once per kind of form (Draft 2020-12 with format checking; the form's parts
required, :meth:`brokerage.schema.Catalogue.validator_for`) and every error is kept (``iter_errors``).
``if``/``then`` errors arrive already descended, so a missing conditional field points at that field.
Each keyword has one message builder in :data:`MESSAGES`; a builder yields ``(pointer, message)`` pairs,
so ``required`` can point at the missing property rather than its parent.

A problem names a box, never a section: when a whole group of boxes is missing (a blank form, a part or
a section left empty), the group is put in as empty and the data checked again (:func:`_scaffolded`),
so that every box it requires is named, with its page, once.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from jsonschema.exceptions import ValidationError

from brokerage.schema import Catalogue, FormKind, Node, Problem, Severity, default_catalogue
from brokerage.schema.answers import NONE_HINT
from brokerage.schema.boxes import DATE, EXAMPLE_DATE


def _pointer(path: Any) -> str:
    return "".join(f"/{step}" for step in path)


def _first_sentence(text: str) -> str:
    text = text.strip()
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


class _Messages:
    """The message builders for one catalogue: each keyword's builder yields ``(pointer, message)``."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def schema(self, pointer: str) -> Mapping[str, Any]:
        """The resolved schema node at ``pointer`` (empty where the schema has none)."""
        node = self.catalogue.node(pointer)
        return node.schema if node is not None else {}

    def place(self, pointer: str) -> str:
        return self.catalogue.where(pointer).place()

    def phrase(self, pointer: str) -> str:
        return self.catalogue.where(pointer).phrase()

    def how_to_fill(self, pointer: str) -> str:
        """What to put in a box, by its kind: used after "is blank" and for wrong values."""
        node = self.schema(pointer)
        leaf = self.catalogue.leaf(pointer)
        if leaf is None:
            return _first_sentence(node.get("description", ""))
        box = leaf.box
        if box.ticked:
            return _first_sentence(leaf.description) if node.get("const") is True else "Tick the box if it applies."
        if box.must:
            return f"It {box.must}."
        if box.fix and not (box.text and leaf.personal):
            return box.fix.format(options="; ".join(leaf.enum or ()))
        said = _first_sentence(str(leaf.node.get("description", ""))) or "Fill it in."
        return f"{said} {NONE_HINT}" if leaf.accepts_none else said

Found = Iterator[tuple[str, str]]


def _required(m: _Messages, error: ValidationError) -> Found:
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    parent = _pointer(error.absolute_path)
    for name in error.validator_value:
        if name in instance:
            continue
        pointer = f"{parent}/{name}"
        node = m.catalogue.node(pointer)
        leaf = node.leaf if node is not None else None
        if node is not None and node.items is not None and node.items.leaf is not None:  # a list of boxes
            yield from _blank_box(m, f"{pointer}/0")
        elif node is not None and leaf is None:  # a table (a group that is not put in: see _scaffolded)
            title = m.catalogue.title(pointer)
            yield pointer, f"{m.place(pointer)}'{title}' is blank. {m.how_to_fill(pointer)}".strip()
        else:
            hint = m.how_to_fill(pointer)
            conditional = "then" in error.absolute_schema_path
            if conditional and leaf is not None and leaf.box.text:  # its description says when it is needed
                hint = _first_sentence(leaf.description) or hint
            state = "is not ticked" if leaf is not None and leaf.box.ticked else "is blank"
            yield pointer, f"{m.place(pointer)}{m.phrase(pointer)} {state}. {hint}".strip()


def _blank_box(m: _Messages, pointer: str) -> Found:
    yield pointer, f"{m.place(pointer)}{m.phrase(pointer)} is blank. {m.how_to_fill(pointer)}".strip()


def _dependent_required(m: _Messages, error: ValidationError) -> Found:
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    parent = _pointer(error.absolute_path)
    for name, needs in error.validator_value.items():
        if name not in instance:
            continue
        for other in needs:
            if other not in instance:
                pointer = f"{parent}/{other}"
                yield pointer, (
                    f"{m.place(pointer)}{m.phrase(pointer)} is blank: it is needed when "
                    f"'{m.catalogue.field_label(f'{parent}/{name}')}' is filled in."
                )


def _blank(m: _Messages, error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    yield pointer, f"{m.place(pointer)}{m.phrase(pointer)} is blank. {m.how_to_fill(pointer)}".strip()


def _pattern(m: _Messages, error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    if isinstance(error.instance, str) and not error.instance.strip():  # what a required text box refuses
        yield from _blank(m, error)
        return
    leaf = m.catalogue.leaf(pointer)
    hint = (leaf.box.must if leaf is not None else "") or "is not in the form expected"
    yield pointer, f"{m.place(pointer)}{m.phrase(pointer)} {hint}."


def _format(m: _Messages, error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    if error.validator_value == "date":
        yield pointer, f"{m.place(pointer)}{m.phrase(pointer)} must be a date like {EXAMPLE_DATE}."
    elif error.validator_value == "email":
        yield pointer, f"{m.place(pointer)}{m.phrase(pointer)} must be an email address like name@example.org."
    else:
        yield pointer, f"{m.place(pointer)}{m.phrase(pointer)} is not a valid {error.validator_value}."


def _type(m: _Messages, error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    expected = error.validator_value
    leaf = m.catalogue.leaf(pointer)
    if leaf is not None and leaf.box is DATE:
        wanted = f"a date like {EXAMPLE_DATE}"
    else:
        wanted = {
            "string": "text", "number": "a number", "integer": "a whole number", "boolean": "a tick (yes or no)",
            "object": "a group of boxes", "array": "a list",
        }.get(expected if isinstance(expected, str) else "", str(expected))
    yield pointer, f"{m.place(pointer)}{m.phrase(pointer)} must be {wanted}."


def _enum(m: _Messages, error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    yield pointer, (
        f"{m.place(pointer)}{m.phrase(pointer)} has an answer the form does not offer. {m.how_to_fill(pointer)}"
    )


def _const(m: _Messages, error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    if error.validator_value is True:
        why = _first_sentence(m.schema(pointer).get("description", ""))
        yield pointer, f"{m.place(pointer)}{m.phrase(pointer)} is not ticked. {why}".strip()
    else:
        yield pointer, f"{m.place(pointer)}{m.phrase(pointer)} must be {error.validator_value!r}."


def _bounds(m: _Messages, error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    node = m.schema(pointer)
    low, high = node.get("minimum"), node.get("maximum")
    yield pointer, f"{m.place(pointer)}{m.phrase(pointer)} must be between {low:g} and {high:g}." if (
        low is not None and high is not None
    ) else f"{m.place(pointer)}{m.phrase(pointer)} is out of range."


def _multiple_of(m: _Messages, error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    leaf = m.catalogue.leaf(pointer)
    what = (leaf.box.steps if leaf is not None else "") or f"steps of {error.validator_value}"
    yield pointer, f"{m.place(pointer)}{m.phrase(pointer)} must be in {what}."


def _items_count(m: _Messages, error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    node = m.catalogue.node(pointer)
    empty = error.validator == "minItems" and error.instance == []
    if empty and node is not None and node.items is not None and node.items.leaf is not None:
        yield from _blank_box(m, f"{pointer}/0")  # an empty list of boxes: its first box is blank
        return
    title = m.catalogue.title(pointer)
    description = _first_sentence(m.schema(pointer).get("description", ""))
    if error.validator == "minItems":
        count = error.validator_value
        text = f"'{title}' needs at least {count} {'entry' if count == 1 else 'entries'}."
    else:
        text = f"'{title}' can have at most {error.validator_value} entries."
    yield pointer, f"{m.place(pointer)}{text} {description}".strip()


def _additional(m: _Messages, error: ValidationError) -> Found:
    parent = _pointer(error.absolute_path)
    node = m.catalogue.node(parent)
    allowed = {child.name for child in node.children} if node is not None else set()
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    for name in instance:
        if name not in allowed:
            yield f"{parent}/{name}", (
                f"{m.place(parent)}the box '{name}' is not on this form version; remove it or use the current form."
            )


def _any_of(m: _Messages, error: ValidationError) -> Found:
    """One of several groups is needed (a short break or domiciliary care): the problem is put on the first
    box of the first group (its tick box), so it has a page."""
    pointer = _pointer(error.absolute_path)
    options: list[str] = []
    first: str | None = None
    for branch in error.validator_value:
        for name in branch.get("required", []):
            options.append(f"'{m.catalogue.title(f'{pointer}/{name}')}'")
            node = m.catalogue.node(f"{pointer}/{name}")
            if first is None and node is not None and node.first_leaf is not None:
                first = _concrete_like(node.first_leaf.pointer, pointer)
    choice = " or ".join(options) if options else "one of the options"
    yield first or pointer, f"{m.place(pointer)}complete at least one of {choice}, and tick it as required."


def _concrete_like(template: str, concrete: str) -> str:
    """``template`` (with ``*``) with the indices of ``concrete``, a pointer above it."""
    head = concrete.split("/")
    steps = template.split("/")
    return "/".join(head[i] if i < len(head) and step == "*" else step for i, step in enumerate(steps))


MESSAGES: dict[str, Callable[[_Messages, ValidationError], Found]] = {
    "required": _required,
    "dependentRequired": _dependent_required,
    "minLength": _blank,
    "pattern": _pattern,
    "format": _format,
    "type": _type,
    "enum": _enum,
    "const": _const,
    "minimum": _bounds,
    "maximum": _bounds,
    "multipleOf": _multiple_of,
    "x-decimal-places": _multiple_of,
    "minItems": _items_count,
    "maxItems": _items_count,
    "additionalProperties": _additional,
    "anyOf": _any_of,
}


def _fallback(m: _Messages, error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    yield pointer, f"{m.place(pointer)}{m.phrase(pointer)} does not fit the form ({error.message})."


MAX_SCAFFOLD_ROUNDS = 12
"""More than the schema's depth of nested groups (form, part, section, child, contact, holiday)."""


def _is_group(node: Node | None) -> bool:
    """A node a person does not fill as one box: an object that is not drawn as a table, or a list of objects."""
    if node is None or node.leaf is not None or node.is_table:
        return False
    return node.items is None or node.items.leaf is None


def _missing_groups(errors: list[ValidationError], catalogue: Catalogue) -> dict[str, Any]:
    """Pointer → the empty value to put in, for every missing (or empty) group of boxes the errors name."""
    out: dict[str, Any] = {}
    for error in errors:
        parent = _pointer(error.absolute_path)
        if error.validator == "required" and isinstance(error.instance, Mapping):
            names = [name for name in error.validator_value if name not in error.instance]
        elif error.validator == "minItems" and error.instance == []:
            names = [""]
        else:
            continue
        for name in names:
            pointer = f"{parent}/{name}" if name else parent
            node = catalogue.node(pointer)
            if not _is_group(node):
                continue
            assert node is not None
            if node.items is not None:
                out[pointer] = [{}]
            else:
                out[pointer] = {}
    return out


def _put(instance: dict[str, Any], pointer: str, value: Any) -> None:
    steps = [step for step in pointer.split("/") if step]
    holder: Any = instance
    for step in steps[:-1]:
        holder = holder[int(step)] if isinstance(holder, list) else holder[step]
    if isinstance(holder, Mapping):
        holder[steps[-1]] = value


def _scaffolded(
    instance: Any, catalogue: Catalogue, kind: FormKind | str | None
) -> tuple[list[ValidationError], set[str]]:
    """The schema's errors for ``instance`` with every missing group of boxes put in as empty, so the errors
    name the boxes inside it; and the pointers of the groups put in."""
    validator = catalogue.validator_for(kind)
    errors = list(validator.iter_errors(instance))
    if not isinstance(instance, Mapping):
        return errors, set()
    scaffold: dict[str, Any] | None = None
    added: set[str] = set()
    for _round in range(MAX_SCAFFOLD_ROUNDS):
        missing = {pointer: value for pointer, value in _missing_groups(errors, catalogue).items()
                   if pointer not in added}
        if not missing:
            break
        if scaffold is None:
            scaffold = copy.deepcopy(dict(instance))
        for pointer, value in sorted(missing.items(), key=lambda item: item[0].count("/")):
            if pointer == "":
                continue
            _put(scaffold, pointer, value)
            added.add(pointer)
        errors = list(validator.iter_errors(scaffold))
    return errors, added


def schema_problems(
    instance: Any, catalogue: Catalogue | None = None, kind: FormKind | str | None = None
) -> list[Problem]:
    """Every JSON Schema error in ``instance`` as a Problem (rule ``schema:<keyword>``, severity error), for a
    form of ``kind`` (its parts required; ``None``: no part required).

    One problem per pointer (the first keyword's): an empty text box breaks both ``minLength`` and
    ``pattern``, a bad email both ``format`` and ``pattern``, and each is reported once. A missing group of
    boxes is reported as the boxes it requires; a group put in that requires none is reported at its first
    box, so nothing missing goes unsaid.
    """
    catalogue = catalogue or default_catalogue()
    messages = _Messages(catalogue)
    out: list[Problem] = []
    seen: set[str] = set()
    errors, added = _scaffolded(instance, catalogue, kind)
    for error in errors:
        build = MESSAGES.get(str(error.validator), _fallback)
        for pointer, message in build(messages, error):
            if pointer in seen:
                continue
            seen.add(pointer)
            out.append(catalogue.problem(pointer, f"schema:{error.validator}", Severity.error, _capital(message)))
    for group in sorted(added):
        if any(p.pointer == group or p.pointer.startswith(group + "/") for p in out):
            continue
        node = catalogue.node(group)
        first = node.first_leaf if node is not None else None
        if first is None:
            continue
        pointer = _concrete_like(first.pointer, group)
        title = catalogue.title(group)
        out.append(catalogue.problem(
            pointer, "schema:required", Severity.error,
            _capital(f"{messages.place(group)}'{title}' is blank. {messages.how_to_fill(group)}".strip()),
        ))
        seen.add(pointer)
    return out


def _capital(message: str) -> str:
    return message[:1].upper() + message[1:]
