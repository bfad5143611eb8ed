"""JSON Schema errors as Problems a social worker can act on.

The validator is compiled once (Draft 2020-12 with format checking) and every error is kept
(``iter_errors``). ``if``/``then`` errors arrive already descended, so a missing conditional field
points at that field. Each keyword has one message builder in :data:`MESSAGES`; a builder yields
``(pointer, message)`` pairs, so ``required`` can point at the missing property rather than its parent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from jsonschema.exceptions import ValidationError

from brokerage.schema import Catalogue, Problem, Severity, default_catalogue
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
        return _first_sentence(leaf.description) or "Fill it in."

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
        if node is not None and leaf is None:  # a group of boxes, a table, a list
            title = m.catalogue.title(pointer)
            yield pointer, f"{m.place(pointer)}'{title}' is missing. {m.how_to_fill(pointer)}".strip()
        else:
            hint = m.how_to_fill(pointer)
            conditional = "then" in error.absolute_schema_path
            if conditional and leaf is not None and leaf.box.text:  # its description says when it is needed
                hint = _first_sentence(leaf.description) or hint
            state = "is not ticked" if leaf is not None and leaf.box.ticked else "is blank"
            yield pointer, f"{m.place(pointer)}{m.phrase(pointer)} {state}. {hint}".strip()


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
    pointer = _pointer(error.absolute_path)
    options: list[str] = []
    for branch in error.validator_value:
        for name in branch.get("required", []):
            options.append(f"'{m.catalogue.title(f'{pointer}/{name}')}'")
    choice = " or ".join(options) if options else "one of the options"
    yield pointer, f"{m.place(pointer)}complete at least one of {choice}, and tick it as required."


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
    "minItems": _items_count,
    "maxItems": _items_count,
    "additionalProperties": _additional,
    "anyOf": _any_of,
}


def _fallback(m: _Messages, error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    yield pointer, f"{m.place(pointer)}{m.phrase(pointer)} does not fit the form ({error.message})."


def schema_problems(instance: Any, catalogue: Catalogue | None = None) -> list[Problem]:
    """Every JSON Schema error in ``instance`` as a Problem (rule ``schema:<keyword>``, severity error).

    One problem per pointer (the first keyword's): an empty text box breaks both ``minLength`` and
    ``pattern``, a bad email both ``format`` and ``pattern``, and each is reported once.
    """
    catalogue = catalogue or default_catalogue()
    messages = _Messages(catalogue)
    out: list[Problem] = []
    seen: set[str] = set()
    for error in catalogue.validator.iter_errors(instance):
        build = MESSAGES.get(str(error.validator), _fallback)
        for pointer, message in build(messages, error):
            if pointer in seen:
                continue
            seen.add(pointer)
            out.append(catalogue.problem(pointer, f"schema:{error.validator}", Severity.error, _capital(message)))
    return out


def _capital(message: str) -> str:
    return message[:1].upper() + message[1:]
