"""The single entry point: schema problems and every guidance rule, deduplicated, in form order."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from brokerage.rules.fields import form_order
from brokerage.rules.policy import Policy
from brokerage.rules.registry import RULES, RuleContext, run_rules
from brokerage.rules.schema_problems import schema_problems
from brokerage.schema import Problem


def validate(
    instance: Mapping[str, Any], *, policy: Policy, received: date, kind: str | None = None
) -> list[Problem]:
    """Every problem with ``instance``: JSON Schema errors (``schema:<keyword>``) and guidance rules
    (``guidance-…``), sorted in form order (the order of :func:`brokerage.schema.leaves`, child 1 before
    child 2), then by rule id.

    A box is reported once: a rule marked ``defers_to_schema`` (completeness) is dropped where the
    schema already reports the same pointer, and identical problems are kept once. ``received`` is the day
    the file is processed; the processor records :func:`brokerage.rules.response_deadline` separately.
    """
    from_schema = schema_problems(instance)
    reported = {problem.pointer for problem in from_schema}
    out = list(from_schema)
    seen: set[tuple[str, str, str]] = set()
    for problem in run_rules(instance, RuleContext(policy=policy, received=received, kind=kind)):
        registered = RULES.get(problem.rule)
        if registered is not None and registered.info.defers_to_schema and problem.pointer in reported:
            continue
        key = (problem.pointer, problem.rule, problem.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(problem)
    return sorted(out, key=lambda problem: (form_order(problem.pointer), problem.rule))
