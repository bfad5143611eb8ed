"""Every question answered: "None" or "N/A" is an answer only where the schema says so; a blank or a
placeholder never is.

Which boxes take "None" or "N/A" is one annotation in the schema (``x-none-answer``, read as
:attr:`brokerage.schema.Leaf.accepts_none`): the same one the form's hint and the guidance sheet print.
What is a placeholder is :mod:`brokerage.schema.answers`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

from brokerage.rules.registry import Finding, RuleContext, rule
from brokerage.rules.text import concrete
from brokerage.rules.values import text_at
from brokerage.schema import Leaf, Severity
from brokerage.schema.answers import is_none_answer, is_placeholder

QUOTED_LENGTH = 40


def _shown(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= QUOTED_LENGTH else flat[: QUOTED_LENGTH - 1] + "…"


def _first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def needed(instance: Mapping[str, Any], pointers: list[str], ctx: RuleContext) -> set[str]:
    """Of ``pointers`` (boxes holding text), those the schema would report blank if they were blank: required
    boxes, boxes required by an answer elsewhere (a reason when the referral is urgent), the only item of a
    list that needs one. The text is taken out and the data checked against the form's schema."""
    blanked = copy.deepcopy(dict(instance))
    in_lists: dict[str, list[str]] = {}
    for pointer in sorted(pointers, key=_index_last, reverse=True):
        parent, _, key = pointer.rpartition("/")
        holder = _holder(blanked, parent)
        if isinstance(holder, list) and key.isdigit() and int(key) < len(holder):
            del holder[int(key)]
            in_lists.setdefault(parent, []).append(pointer)
        elif isinstance(holder, dict):
            holder.pop(key, None)
    out: set[str] = set()
    for error in ctx.catalogue.validator_for(ctx.kind).iter_errors(blanked):
        at = "".join(f"/{step}" for step in error.absolute_path)
        if error.validator == "required" and isinstance(error.instance, Mapping):
            out.update(f"{at}/{name}" for name in error.validator_value if f"{at}/{name}" in pointers)
        elif error.validator == "minItems" and at in in_lists:
            out.update(in_lists[at])
    return out


def _index_last(pointer: str) -> tuple[str, int]:
    parent, _, key = pointer.rpartition("/")
    return (parent, int(key) if key.isdigit() else -1)


def _holder(instance: Any, pointer: str) -> Any:
    holder = instance
    for step in (s for s in pointer.split("/") if s):
        if isinstance(holder, list) and step.isdigit() and int(step) < len(holder):
            holder = holder[int(step)]
        elif isinstance(holder, dict):
            holder = holder.get(step)
        else:
            return None
    return holder


def _text_boxes(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[tuple[Leaf, str, str]]:
    for leaf in ctx.catalogue.leaves:
        if leaf.part not in ctx.parts or not leaf.box.text:
            continue
        for pointer in concrete(leaf.pointer, instance):
            text = text_at(instance, pointer)
            if text is not None:
                yield leaf, pointer, text


@rule(
    "guidance-child-none-or-na",
    point="Details of the Child",
    title="Every question answered; None or N/A only where nothing applies",
    guidance=(
        "All questions must be answered. If there is no information to be entered in a box whose hint says so, "
        "type None or N/A: a blank box looks as if it has been missed and the form may be returned. Elsewhere "
        "None or N/A is not an answer, and a placeholder (TBC, ?, n/k, ask mum, see attached) never is."
    ),
    severity=Severity.error,
    defers_to_schema=True,
)
def every_question_answered(instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Finding]:
    """A text box on the form that holds only spaces or a placeholder; or "None"/"N/A" in a box not marked
    ``x-none-answer`` that the form needs answered (:func:`needed`).

    Missing boxes are the schema's ``required`` problems; where the schema also reports this box
    (a required box with only spaces), :func:`brokerage.rules.validate` keeps only the schema's problem.
    """
    nones: dict[str, tuple[Leaf, str]] = {}
    for leaf, pointer, text in _text_boxes(instance, ctx):
        if not text.strip():
            yield Finding(pointer, f"{ctx.place(pointer)}{ctx.phrase(pointer)} is blank. {_what_to_do(leaf)}")
        elif is_placeholder(text):
            yield Finding(
                pointer,
                f"{ctx.place(pointer)}{ctx.phrase(pointer)} says '{_shown(text)}', which is not an answer. "
                f"{_what_to_do(leaf)}",
            )
        elif is_none_answer(text) and not leaf.accepts_none:
            nones[pointer] = (leaf, text)
    if not nones:
        return
    asked = needed(instance, list(nones), ctx)
    for pointer, (leaf, text) in nones.items():
        if pointer in asked:
            yield Finding(
                pointer,
                f"{ctx.place(pointer)}{ctx.phrase(pointer)} says '{_shown(text)}', which is not an answer here: this "
                f"box needs a real one. {_first_sentence(str(leaf.node.get('description', '')))}".strip(),
            )


def _what_to_do(leaf: Leaf) -> str:
    if leaf.accepts_none:
        return "Give the answer, or type None or N/A if there is nothing to add."
    said = _first_sentence(str(leaf.node.get("description", "")))
    return f"Give the answer. {said}".strip()
