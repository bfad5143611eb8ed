"""Helpers for the rules tests: the example instances and running one rule."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

from brokerage.rules import RULES, RuleContext, load_policy, validate
from brokerage.rules.policy import Policy
from brokerage.schema import FormKind, Problem, default_catalogue

EXAMPLES = Path(__file__).parent / "examples"
RECEIVED = date(2026, 2, 3)  # a Tuesday after the example referrals were signed, before the closing date


def example(name: str) -> dict[str, Any]:
    """A fresh copy of ``tests/examples/<name>.json``."""
    return copy.deepcopy(json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8")))


def run_rule(rule_id: str, instance: Any, *, received: date = RECEIVED, policy: Policy | None = None) -> list[Problem]:
    kind = default_catalogue().kind_of(instance) or FormKind.referral
    ctx = RuleContext(policy=policy or load_policy(), received=received, kind=kind)
    return list(RULES[rule_id].check(instance, ctx))


def problems(instance: Any, *, received: date = RECEIVED, policy: Policy | None = None) -> list[Problem]:
    return validate(instance, policy=policy or load_policy(), received=received)


def only(found: list[Problem], rule_id: str) -> list[Problem]:
    return [p for p in found if p.rule == rule_id]
