"""The guidance rules registry: small functions registered with :func:`rule`, each yielding findings.

A rule is ``(instance, ctx) -> Iterator[Finding]``: where the problem is (a pointer) and the sentence a
person reads. It reads the instance defensively (see :mod:`brokerage.rules.values`) and never raises on
partial or wrong-typed data. The registry makes each finding a complete :class:`Problem`: the rule's id
and severity, and the box's label and section from the schema catalogue in force (``ctx.catalogue``);
the page is the processor's, from the file. A finding may carry its own severity, for the rule that
reports both an error and a warning.

Its :class:`RuleInfo` is what the guidance sheet prints: the id, the guidance point it comes from,
a short title and the sentence a person reads (with ``{day_cap}``-style policy values filled in
by :func:`catalogue`).

Messages name a child by slot ("child 2"), never by name, and start with the section. They quote what
was typed only where a person needs it to act: the names, behaviour or transport words found, the dates
and the hours that disagree. The processor may send them back to the worker who wrote the form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from brokerage.rules.policy import Policy, load_policy
from brokerage.schema import Catalogue, FormKind, Problem, Severity, default_catalogue

# The guidance's points in reading order: the 11 general points, the section table, then "For information:
# what happens during the brokerage process" (the IPA's stages).
POINTS: tuple[str, ...] = (
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11",
    "Completing the Brokerage Form",
    "Allocated worker details",
    "Details of the Child",
    "Details of Service(s) Required",
    "For Short Breaks",
    "For Domiciliary Care",
    "For summer play schemes only",
    "Manager's Approval",
    "The brokerage process",
)


@dataclass(frozen=True)
class RuleContext:
    """What a rule knows besides the instance: the policy in force, the day the file is processed, the
    kind of form it is (:func:`brokerage.rules.validate` works it out for data not read from a form) and the
    schema catalogue."""

    policy: Policy
    received: date
    kind: FormKind
    catalogue: Catalogue = field(default_factory=default_catalogue, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.kind, FormKind):  # "referral", as JSON holds it
            object.__setattr__(self, "kind", FormKind(self.kind))

    @property
    def parts(self) -> tuple[str, ...]:
        """The parts of the schema the form holds (``part_a``, ``annex_1`` for a referral)."""
        return self.catalogue.form(self.kind).parts

    def place(self, pointer: str) -> str:
        """The start of a message about ``pointer``: "Details of the child (child 2): "."""
        return self.catalogue.where(pointer).place()

    def phrase(self, pointer: str) -> str:
        """The quoted label of the box at ``pointer`` with its row: "'Hours' (Term time: …, Monday)"."""
        return self.catalogue.where(pointer).phrase()


@dataclass(frozen=True)
class Finding:
    """What a rule yields: the box the problem is about and the sentence a person reads."""

    pointer: str
    message: str
    severity: Severity | None = None
    """The rule's own severity unless given (a rule may report an error and a warning)."""


@dataclass(frozen=True)
class RuleInfo:
    id: str
    point: str
    """The guidance point: a general point number ("8") or a section name ("Details of the Child")."""
    title: str
    guidance: str
    """The sentence a person reads; may name policy values as ``{day_cap}`` (see Policy.template_values)."""
    severity: Severity
    """The severity of the problems the rule reports."""
    defers_to_schema: bool = False
    """Drop this rule's problem where the schema already reports a problem at the same pointer."""

    @property
    def point_label(self) -> str:
        return f"General point {self.point}" if self.point.isdigit() else self.point


Find = Callable[[Mapping[str, Any], RuleContext], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    info: RuleInfo
    find: Find

    def check(self, instance: Mapping[str, Any], ctx: RuleContext) -> Iterator[Problem]:
        """The rule's findings as complete problems, stamped with its id and severity."""
        for found in self.find(instance, ctx):
            severity = found.severity or self.info.severity
            yield ctx.catalogue.problem(found.pointer, self.info.id, severity, found.message)


RULES: dict[str, Rule] = {}


def rule(
    id: str,
    *,
    point: str,
    title: str,
    guidance: str,
    severity: Severity = Severity.warning,
    defers_to_schema: bool = False,
) -> Callable[[Find], Find]:
    """Register a rule under ``id``; ids are unique and points must be ones the guidance has."""
    if point not in POINTS:
        raise ValueError(f"Rule {id}: unknown guidance point {point!r}")
    if not id.startswith("guidance-"):
        raise ValueError(f"Rule ids start with 'guidance-': {id!r}")

    def register(find: Find) -> Find:
        if id in RULES:
            raise ValueError(f"Rule id {id!r} is registered twice")
        RULES[id] = Rule(RuleInfo(id, point, title, guidance, severity, defers_to_schema), find)
        return find

    return register


def catalogue(policy: Policy | None = None) -> list[RuleInfo]:
    """Every rule in guidance order, with its sentence filled in with the policy's values."""
    values = (policy or load_policy()).template_values()
    infos = [replace(r.info, guidance=r.info.guidance.format(**values)) for r in RULES.values()]
    return sorted(infos, key=lambda info: (POINTS.index(info.point), info.id))


def run_rules(instance: Mapping[str, Any], ctx: RuleContext) -> list[Problem]:
    out: list[Problem] = []
    for registered in RULES.values():
        out.extend(registered.check(instance, ctx))
    return out
