"""JSON Schema errors as Problems a social worker can act on.

The validator is compiled once (Draft 2020-12 with format checking) and every error is kept
(``iter_errors``). ``if``/``then`` errors arrive already descended, so a missing conditional field
points at that field. Each keyword has one message builder in :data:`MESSAGES`; a builder yields
``(pointer, message)`` pairs, so ``required`` can point at the missing property rather than its parent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from brokerage.rules.fields import field_label, field_phrase, make_problem, place
from brokerage.schema import Problem, Severity, leaf_for_pointer, load_schema
from brokerage.schema.catalogue import container_title, node_at

EXAMPLE_DATE = "14/06/2015"


@cache
def validator() -> Draft202012Validator:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _pointer(path: Any) -> str:
    return "".join(f"/{step}" for step in path)


def _first_sentence(text: str) -> str:
    text = text.strip()
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


@cache
def _defs_by_pattern() -> dict[str, str]:
    return {
        node["pattern"]: name for name, node in load_schema()["$defs"].items() if isinstance(node, Mapping)
        and "pattern" in node
    }


def _how_to_fill(pointer: str) -> str:
    """What to put in a box, by its kind: used after "is blank" and for wrong values."""
    node = node_at(pointer)
    leaf = leaf_for_pointer(pointer)
    if node.get("format") == "date":
        return f"Enter a date like {EXAMPLE_DATE}."
    enum = node.get("enum")
    if enum == ["Yes", "No"]:
        return "Answer Yes or No."
    if enum:
        return "Choose one of: " + "; ".join(str(v) for v in enum) + "."
    kind = node.get("type")
    if kind == "boolean":
        return _first_sentence(node.get("description", "")) if node.get("const") is True else (
            "Tick the box if it applies."
        )
    if kind == "number":
        return "Enter a number."
    if kind in ("object", "array") or leaf is None:
        return _first_sentence(node.get("description", ""))
    definition = _defs_by_pattern().get(node.get("pattern", ""))
    if definition in PATTERN_HINTS:
        return f"It {PATTERN_HINTS[definition]}."
    if node.get("x-widget") == "multiline" and not node.get("x-personal"):
        return "Type None or N/A if there is nothing to add."
    return _first_sentence(node.get("description", "")) or "Fill it in."


PATTERN_HINTS: dict[str, str] = {
    "mosaic_id": "must be 4 to 10 digits",
    "telephone": "must be a telephone number of 10 to 20 digits (spaces, brackets and a leading + are fine)",
    "email": "must be an email address like name@example.org",
    "reference": "must be a brokerage reference like BRK-2026-0001",
    "time_of_day": "must be a 24-hour time like 09:30",
}

Found = Iterator[tuple[str, str]]


def _required(error: ValidationError) -> Found:
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    parent = _pointer(error.absolute_path)
    for name in error.validator_value:
        if name in instance:
            continue
        pointer = f"{parent}/{name}"
        node = node_at(pointer)
        if node.get("type") in ("object", "array") and leaf_for_pointer(pointer) is None:
            yield pointer, f"{place(pointer)}'{container_title(pointer)}' is missing. {_how_to_fill(pointer)}".strip()
        else:
            hint = _how_to_fill(pointer)
            conditional = "then" in error.absolute_schema_path
            if conditional and node.get("type") == "string" and "enum" not in node and "format" not in node:
                hint = _first_sentence(node.get("description", "")) or hint
            state = "is not ticked" if node.get("type") == "boolean" else "is blank"
            yield pointer, f"{place(pointer)}{field_phrase(pointer)} {state}. {hint}".strip()


def _dependent_required(error: ValidationError) -> Found:
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    parent = _pointer(error.absolute_path)
    for name, needs in error.validator_value.items():
        if name not in instance:
            continue
        for other in needs:
            if other not in instance:
                pointer = f"{parent}/{other}"
                yield pointer, (
                    f"{place(pointer)}{field_phrase(pointer)} is blank: it is needed when "
                    f"'{field_label(f'{parent}/{name}')}' is filled in."
                )


def _blank(error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    yield pointer, f"{place(pointer)}{field_phrase(pointer)} is blank. {_how_to_fill(pointer)}".strip()


def _pattern(error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    definition = _defs_by_pattern().get(error.validator_value)
    if definition == "required_text" or (isinstance(error.instance, str) and not error.instance.strip()):
        yield from _blank(error)
        return
    hint = PATTERN_HINTS.get(definition or "", "is not in the form expected")
    yield pointer, f"{place(pointer)}{field_phrase(pointer)} {hint}."


def _format(error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    if error.validator_value == "date":
        yield pointer, f"{place(pointer)}{field_phrase(pointer)} must be a date like {EXAMPLE_DATE}."
    elif error.validator_value == "email":
        yield pointer, f"{place(pointer)}{field_phrase(pointer)} must be an email address like name@example.org."
    else:
        yield pointer, f"{place(pointer)}{field_phrase(pointer)} is not a valid {error.validator_value}."


def _type(error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    expected = error.validator_value
    node = node_at(pointer)
    if node.get("format") == "date":
        wanted = f"a date like {EXAMPLE_DATE}"
    else:
        wanted = {
            "string": "text", "number": "a number", "integer": "a whole number", "boolean": "a tick (yes or no)",
            "object": "a group of boxes", "array": "a list",
        }.get(expected if isinstance(expected, str) else "", str(expected))
    yield pointer, f"{place(pointer)}{field_phrase(pointer)} must be {wanted}."


def _enum(error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    yield pointer, (
        f"{place(pointer)}{field_phrase(pointer)} has an answer the form does not offer. {_how_to_fill(pointer)}"
    )


def _const(error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    if error.validator_value is True:
        why = _first_sentence(node_at(pointer).get("description", ""))
        yield pointer, f"{place(pointer)}{field_phrase(pointer)} is not ticked. {why}".strip()
    else:
        yield pointer, f"{place(pointer)}{field_phrase(pointer)} must be {error.validator_value!r}."


def _bounds(error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    node = node_at(pointer)
    low, high = node.get("minimum"), node.get("maximum")
    yield pointer, f"{place(pointer)}{field_phrase(pointer)} must be between {low:g} and {high:g}." if (
        low is not None and high is not None
    ) else f"{place(pointer)}{field_phrase(pointer)} is out of range."


def _multiple_of(error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    step = error.validator_value
    what = "pounds and pence" if step == 0.01 else "quarter hours (for example 1.25 or 1.5)" if step == 0.25 else (
        f"steps of {step}"
    )
    yield pointer, f"{place(pointer)}{field_phrase(pointer)} must be in {what}."


def _items_count(error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    title = container_title(pointer)
    description = _first_sentence(node_at(pointer).get("description", ""))
    if error.validator == "minItems":
        count = error.validator_value
        text = f"'{title}' needs at least {count} {'entry' if count == 1 else 'entries'}."
    else:
        text = f"'{title}' can have at most {error.validator_value} entries."
    yield pointer, f"{place(pointer)}{text} {description}".strip()


def _additional(error: ValidationError) -> Found:
    parent = _pointer(error.absolute_path)
    allowed = node_at(parent).get("properties", {})
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    for name in instance:
        if name not in allowed:
            yield f"{parent}/{name}", (
                f"{place(parent)}the box '{name}' is not on this form version; remove it or use the current form."
            )


def _any_of(error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    options: list[str] = []
    for branch in error.validator_value:
        for name in branch.get("required", []):
            options.append(f"'{container_title(f'{pointer}/{name}')}'")
    choice = " or ".join(options) if options else "one of the options"
    yield pointer, f"{place(pointer)}complete at least one of {choice}, and tick it as required."


MESSAGES: dict[str, Callable[[ValidationError], Found]] = {
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


def _fallback(error: ValidationError) -> Found:
    pointer = _pointer(error.absolute_path)
    yield pointer, f"{place(pointer)}{field_phrase(pointer)} does not fit the form ({error.message})."


def schema_problems(instance: Any) -> list[Problem]:
    """Every JSON Schema error in ``instance`` as a Problem (rule ``schema:<keyword>``, severity error).

    One problem per pointer (the first keyword's): an empty text box breaks both ``minLength`` and
    ``pattern``, a bad email both ``format`` and ``pattern``, and each is reported once.
    """
    out: list[Problem] = []
    seen: set[str] = set()
    for error in validator().iter_errors(instance):
        build = MESSAGES.get(str(error.validator), _fallback)
        for pointer, message in build(error):
            if pointer in seen:
                continue
            seen.add(pointer)
            out.append(make_problem(pointer, f"schema:{error.validator}", Severity.error, _capital(message)))
    return out


def _capital(message: str) -> str:
    return message[:1].upper() + message[1:]
