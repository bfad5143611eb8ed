"""Issue 13, item 15: money is checked in whole pence, exactly, in the reader and in the schema.

``multipleOf: 0.01`` failed 1,363 of the 10,000 amounts from £0.00 to £99.99 (``0.07 / 0.01`` is not a whole
number in floating point), so providers' responses with a rate such as £19.56 were returned. Every amount
from 0.00 to 999.99 is read from its typed text and accepted; three decimal places or a float that is not
a whole number of pence is refused.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pipeline_inputs import example, form_pdf, with_values

from brokerage.processor.batch import BatchOptions, run_batch
from brokerage.processor.pipeline import Settings
from brokerage.processor.results import Status
from brokerage.rules import schema_problems
from brokerage.schema import CoercionError, default_catalogue
from brokerage.schema.parsing import parse_money

AMOUNTS = [f"{pounds}.{pence:02d}" for pounds in range(1000) for pence in range(100)]


def money_is_valid(value: object) -> bool:
    """The shipped schema's verdict on ``value`` as an hourly rate (only the rate's own errors count)."""
    response = with_values(example("provider-response"), {"/part_b/hourly_rate": value})
    return not [p for p in schema_problems(response) if p.pointer == "/part_b/hourly_rate"]


def test_every_amount_from_0_00_to_999_99_is_read_exactly_and_valid() -> None:
    catalogue = default_catalogue()
    money = catalogue.validator.evolve(schema={"$defs": catalogue.document["$defs"], "$ref": "#/$defs/money"})
    refused = []
    for text in AMOUNTS:
        value = parse_money(text)
        if Decimal(repr(value)) != Decimal(text) or not money.is_valid(value):
            refused.append(text)
    assert refused == [], f"{len(refused)} amounts refused, e.g. {refused[:10]}"
    assert len(AMOUNTS) == 100_000


@pytest.mark.parametrize("text", ["0.07", "0.14", "0.28", "19.56", "£19.56", "19.56 per hour", "£1,234.50", "5"])
def test_the_amounts_the_issue_found_refused_pass_the_whole_schema(text: str) -> None:
    assert money_is_valid(parse_money(text))


@pytest.mark.parametrize("value", [19.565, 0.001, 0.1 + 0.2, 1e-05, float("inf")])
def test_a_fraction_of_a_penny_is_refused(value: float) -> None:
    assert not money_is_valid(value)


def test_three_decimal_places_cannot_be_typed() -> None:
    with pytest.raises(CoercionError):
        parse_money("19.565")


def test_a_rate_of_19_56_is_accepted_in_a_batch(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "referral.pdf").write_bytes(form_pdf(example("referral-domiciliary-only")))
    response = with_values(example("provider-response"), {"/part_b/hourly_rate": 19.56,
                                                          "/part_b/offer": {"monday": {"from": "07:00", "to": "08:30",
                                                                                       "hours": 1.5}}})
    (inbox / "response.pdf").write_bytes(form_pdf(response))
    report = run_batch(inbox, out, Settings(today=date(2026, 2, 3)), BatchOptions(jobs=1))
    results = {r.source: r for r in report.results}
    assert results["response.pdf"].status is Status.accepted, results["response.pdf"].problems
    assert results["response.pdf"].data["part_b"]["hourly_rate"] == 19.56
