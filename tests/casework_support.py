"""Shared makings for the casework tests: the richest referral, with accented names and personal values
typed into free text, and the values that must never reach a provider, listed by hand.

- :func:`richest_referral`: two children, a short break with Annex 1, domiciliary care, urgent; accented
  names of the children, the family, the worker and the manager; personal values typed into free text.
- :func:`needles_for_providers`: every value of the child, the family and the worker
  (:func:`outputs_support.personal_needles`, plus the school and the staff's names word by word).
- :func:`sending`: the facts of a send-out of it: reference, deadline, lots, the policy's contact.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from outputs_support import example, personal_needles

from brokerage.processor.outputs.provider_referral import ProviderReferral
from brokerage.processor.providers import Lot
from brokerage.rules import load_policy

SCHOOL = "St Æthelflæd’s Academy"
WORKER = {"name": "Siân Ó Dónaill-Øyen", "telephone": "0116 305 0042", "email": "sian.odonaill@example.gov.uk"}
MANAGER = "Bartłomiej Wróbel"
REFERENCE = "BRK-2026-0042"


def richest_referral() -> dict[str, Any]:
    data = copy.deepcopy(example("referral-two-children"))
    dom = example("referral-domiciliary-only")
    part_a = data["part_a"]
    part_a["referral"] = dom["part_a"]["referral"]  # urgent, with a reason about the family
    part_a["services"]["domiciliary_care"] = dom["part_a"]["services"]["domiciliary_care"]
    part_a["allocated_worker"] = dict(WORKER)
    part_a["manager_approval"]["manager_name"] = MANAGER
    part_a["manager_approval"]["signature"] = MANAGER
    zoe, tomas = part_a["children"]
    zoe["school"] = tomas["school"] = SCHOOL
    zoe["likes_and_interests"] += f" Zoë asks for Anna Nguyễn (07700 900123) when she is at {SCHOOL}."
    zoe["health_and_medication"] += " Born 14/06/2015, Mosaic 1234567."
    tomas["current_support"] = "Tomás has a direct payment for a personal assistant from Sunrise Carers."
    tomas["current_support_funding"] = "Direct payment"
    notes = part_a["services"]["short_break"]
    notes["additional_notes"] += (f" Questions to {WORKER['name']} on {WORKER['telephone']} or {WORKER['email']}; "
                                  "the family live at 12 Example Street, LE1 1AA.")
    part_a["services"]["family_not_available"] = "Away 3 to 10 August 2026 (Tomás Nguyễn's cousin's wedding)."
    return data


def needles_for_providers(data: dict[str, Any]) -> list[str]:
    out = set(personal_needles(data))
    out.update({SCHOOL, MANAGER, *MANAGER.split(), WORKER["name"], WORKER["telephone"], WORKER["email"]})
    out.update(word for word in WORKER["name"].replace("-", " ").split() if len(word) > 2)
    out.update({"Sunrise Carers", "going into hospital", "Dad works nights"})  # what a provider does not need
    return sorted(out)


def sending(urgent: bool = True, policy_path: Any = None) -> ProviderReferral:
    return ProviderReferral(
        reference=REFERENCE,
        deadline=date(2026, 2, 4) if urgent else date(2026, 2, 9),
        urgent=urgent,
        contact=load_policy(policy_path).brokerage,
        today=date(2026, 2, 2),
        lots=frozenset({Lot.SHORT_BREAKS, Lot.DOMICILIARY_CARE}),
    )
