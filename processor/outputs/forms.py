"""The generator's forms, as the outputs need them: a blank form of a kind, and filling one.

One place that knows the generator's function names, so the outputs follow it when it moves.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from brokerage.schema import FORMS


@cache
def blank_form(kind: str) -> bytes:
    """The blank fillable PDF of ``kind`` (``referral``, ``provider-response``, ``ipa``), made once per process."""
    from brokerage.generator.build import build_form

    return build_form(FORMS[kind])


def fill_form(pdf: bytes, instance: Mapping[str, Any]) -> bytes:
    """``pdf`` with its fields set from ``instance`` (appearance streams drawn with the form font)."""
    from brokerage.generator.fill import fill_pdf

    return fill_pdf(pdf, instance)
