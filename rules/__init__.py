"""The guidance as checks: rules that JSON Schema cannot state, policy settings, working days.

Public API::

    validate(instance, *, policy, received, kind=None, catalogue=None, found=()) -> list[Problem]
                                                                         # schema + every rule, form order
    catalogue(policy=None) -> list[RuleInfo]                             # for the guidance sheet
    rule(id, point=, title=, guidance=, severity=) -> decorator          # a rule yields Finding(pointer, message)
    load_policy(path=None) -> Policy                                     # default or --policy FILE
    response_deadline(received, urgent, policy) -> date                  # 5 or 2 working days
    add_working_days(start, n), is_working_day(day), bank_holidays_between(first, last)
    schema_problems(instance, catalogue=None) -> list[Problem]           # JSON Schema errors only

Importing this package registers every rule: one module per group of the guidance.
"""

from brokerage.rules import (  # noqa: F401  (importing registers the rules)
    approval,
    bank_holidays,
    child_details,
    completeness,
    data_protection,
    dates,
    ipa,
    names,
    provider,
    services,
    summer_scheme,
    transport,
    urgent,
)
from brokerage.rules.policy import Policy, PolicySetting, load_policy
from brokerage.rules.registry import RULES, Finding, RuleContext, RuleInfo, catalogue, rule
from brokerage.rules.schema_problems import schema_problems
from brokerage.rules.validate import validate
from brokerage.rules.workdays import add_working_days, bank_holidays_between, is_working_day, response_deadline

__all__ = [
    "RULES",
    "Finding",
    "Policy",
    "PolicySetting",
    "RuleContext",
    "RuleInfo",
    "add_working_days",
    "bank_holidays_between",
    "catalogue",
    "is_working_day",
    "load_policy",
    "response_deadline",
    "rule",
    "schema_problems",
    "validate",
]
