"""The JSON Schema validator the toolkit compiles: Draft 2020-12 with format checking, plus one exact keyword.

``x-decimal-places`` states how many decimal places a number may have (money: 2, whole pence). JSON
Schema's ``multipleOf: 0.01`` cannot say it for floating-point numbers: ``0.07 / 0.01`` is
``7.000000000000001``, so 1,363 of the 10,000 amounts from 0.00 to 99.99 failed it. The keyword reads the
number as the shortest decimal that gives back the same float (Python's ``repr``, the digits a person
typed) and counts its places exactly.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError


def decimal_places(number: int | float) -> int | None:
    """How many decimal places ``number`` has as written (``19.56`` → 2, ``3`` → 0); ``None`` for a number
    that is not finite."""
    exponent = Decimal(repr(number)).as_tuple().exponent
    if not isinstance(exponent, int):  # infinity, NaN
        return None
    return max(0, -exponent)


def _decimal_places_keyword(
    validator: Any, places: int, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if isinstance(instance, bool) or not isinstance(instance, int | float):
        return
    found = decimal_places(instance)
    if found is None or found > places:
        yield ValidationError(f"{instance!r} has more than {places} decimal places")


FormValidator = validators.extend(Draft202012Validator, {"x-decimal-places": _decimal_places_keyword})
"""Draft 2020-12 and ``x-decimal-places``. No ``version`` is given, so jsonschema's own choice of validator for
a 2020-12 schema (``validator_for``) stays Draft 2020-12's."""


def compile_validator(document: Mapping[str, Any]) -> Any:
    """``document`` compiled for validation with format checking."""
    return FormValidator(document, format_checker=Draft202012Validator.FORMAT_CHECKER)
