"""The single entry point: schema problems and every guidance rule, deduplicated, in form order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from brokerage.rules.policy import Policy
from brokerage.rules.registry import RULES, RuleContext, run_rules
from brokerage.rules.schema_problems import schema_problems
from brokerage.schema import Catalogue, FormKind, Problem, Severity, default_catalogue, form_kind


def validate(
    instance: Mapping[str, Any],
    *,
    policy: Policy,
    received: date,
    kind: FormKind | None = None,
    catalogue: Catalogue | None = None,
    found: Iterable[Problem] = (),
) -> list[Problem]:
    """Every problem with ``instance``, a form of ``kind``: JSON Schema errors (``schema:<keyword>``) and guidance rules
    (``guidance-…``), with ``found`` (problems already found reading the form, such as a date that could
    not be read), sorted in form order (the order of the catalogue's leaves, child 1 before child 2),
    then by rule id (:meth:`brokerage.schema.Catalogue.in_form_order`, the one problem order).

    A box is reported once: where ``found`` has an error, what the schema and the rules say about the
    same box would only repeat it (blank, wrong type) and is left out; a rule marked
    ``defers_to_schema`` (completeness) is dropped where the schema already reports the same pointer,
    and identical problems are kept once. ``received`` is the day the file is processed; the
    processor records :func:`brokerage.rules.response_deadline` separately.

    ``kind`` decides which parts are required (an empty referral is refused box by box); without it the
    kind is the one whose parts ``instance`` holds, and data that holds none (``{}``) or parts of several
    forms is refused with one problem saying so.
    """
    catalogue = catalogue or default_catalogue()
    found = list(found)
    kind = form_kind(kind) if kind is not None else catalogue.kind_of(instance)
    if kind is None:
        return [*found, _no_form(instance, catalogue)]
    unreadable = {problem.pointer for problem in found if problem.is_error}
    from_schema = [p for p in schema_problems(instance, catalogue, kind) if p.pointer not in unreadable]
    reported = {problem.pointer for problem in from_schema}
    out = [*found, *from_schema]
    seen: set[tuple[str, str, str]] = set()
    ctx = RuleContext(policy=policy, received=received, kind=kind, catalogue=catalogue)
    for problem in run_rules(instance, ctx):
        registered = RULES.get(problem.rule)
        if problem.pointer in unreadable:
            continue
        if registered is not None and registered.info.defers_to_schema and problem.pointer in reported:
            continue
        key = (problem.pointer, problem.rule, problem.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(problem)
    return catalogue.in_form_order(out)


def _no_form(instance: Mapping[str, Any], catalogue: Catalogue) -> Problem:
    forms = ", ".join(f"{form.title} ({', '.join(form.parts)})" for form in catalogue.forms.values())
    held = sorted(str(name) for name in instance) if isinstance(instance, Mapping) else []
    what = f"parts of more than one form ({', '.join(held)})" if held else "no part of any form"
    return catalogue.problem(
        "", "schema:form", Severity.error,
        f"The data holds {what}, so it cannot be checked as one form. Give the parts of one form: {forms}.",
    )
