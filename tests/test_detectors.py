"""Issue 13, item 14: the best-effort detectors (transport, names, bank holidays) on the examples the issue
found wrong, and measured on a corpus of realistic sentences (``tests/data/detectors/``).

Precision and recall are worked out here and must not fall below the figures written in
``docs/guidance-coverage.md`` ("Best-effort detectors: measured"); a change that makes a detector worse
fails this test, and one that makes it better should raise the figures there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from rules_support import example, run_rule

from brokerage.rules.bank_holidays import names_bank_holiday_support
from brokerage.rules.names import allowed_names, names_in
from brokerage.rules.transport import transport_requests
from brokerage.rules.workdays import bank_holidays_between

CORPUS = Path(__file__).parent / "data" / "detectors"
DOC = Path(__file__).resolve().parents[1] / "docs" / "guidance-coverage.md"
ALLOWED = allowed_names({"part_a": {"children": [{"name": "Amira Khan", "principal_contact": {"name": "Sofia Khan"}}]}})


def lines(name: str) -> list[str]:
    """The corpus file's sentences (``#`` lines are comments; ``\\n`` is a line break inside a box)."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    return [line.replace("\\n", "\n") for line in text.splitlines() if line.strip() and not line.startswith("#")]


# --- the examples the issue found ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["take her to the setting in their car", "collect him after school",
                                  "bring him home"])
def test_the_issues_transport_requests_are_found(text: str) -> None:
    assert transport_requests(text)


def test_a_name_that_starts_a_sentence_is_found() -> None:
    assert names_in("Kevin will collect her on Fridays.", ALLOWED) == ["Kevin"]


@pytest.mark.parametrize("text", ["Outcomes:\n- Makes friends\n- Learns to swim", "1. Makes friends 2. Learns to swim",
                                  "• Learns to swim\n• Learns to share"])
def test_the_first_word_of_a_list_item_is_not_a_name(text: str) -> None:
    assert names_in(text, ALLOWED) == []


def test_the_bank_holiday_warning_names_the_substitute_monday_not_the_saturday() -> None:
    days = dict(bank_holidays_between(date(2026, 12, 20), date(2027, 1, 5)))
    assert date(2026, 12, 26) not in days
    assert days[date(2026, 12, 28)] == "Boxing Day (substitute day)"
    instance = example("referral-domiciliary-only")
    services = instance["part_a"]["services"]
    services.update(start_date="2026-12-01", end_date="2027-01-31")
    services["domiciliary_care"]["term_time"] = {"saturday": {"part_of_day": "Morning", "hours": 2},
                                                 "monday": {"part_of_day": "Morning", "hours": 2}}
    services["domiciliary_care"]["holidays"] = dict(services["domiciliary_care"]["term_time"])
    instance["part_a"]["children"][0]["school_holidays"] = [{"from": "2026-12-21", "to": "2027-01-04"}]
    [problem] = run_rule("guidance-8-bank-holidays", instance, received=date(2026, 11, 20))
    assert "28/12/2026 (Boxing Day (substitute day))" in problem.message
    assert "26/12/2026" not in problem.message


# --- the corpus ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Detector:
    rule: str
    positives: str
    negatives: str
    finds: Callable[[str], object]
    """Truthy when the detector reports something in a sentence."""
    right: Callable[[str, str], bool] = lambda sentence, expected: True
    """For a positive line with an expected answer: the report holds it."""


DETECTORS = [
    Detector("guidance-4-transport", "transport-requests.txt", "transport-not-requests.txt", transport_requests),
    Detector("guidance-5-names", "names-positives.txt", "names-negatives.txt",
             lambda sentence: names_in(sentence.split("\t")[0], ALLOWED),
             lambda sentence, expected: expected in names_in(sentence, ALLOWED)),
    Detector("guidance-8-bank-holidays", "bank-holiday-named.txt", "bank-holiday-not-named.txt",
             names_bank_holiday_support),
]


@dataclass(frozen=True)
class Measured:
    positives: int
    negatives: int
    precision: float
    recall: float


def measure(detector: Detector) -> Measured:
    positives, negatives = lines(detector.positives), lines(detector.negatives)
    found = 0
    for line in positives:
        sentence, _, expected = line.partition("\t")
        if detector.finds(sentence) and (not expected or detector.right(sentence, expected)):
            found += 1
    false_alarms = sum(1 for line in negatives if detector.finds(line))
    reported = found + false_alarms
    return Measured(len(positives), len(negatives), found / reported if reported else 1.0, found / len(positives))


def documented(rule: str) -> tuple[float, float]:
    """The precision and recall the coverage document gives for the detector of ``rule``."""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("|") and f"`{rule}`" in line and "`tests/data/detectors/" in line:
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            return float(cells[-2]), float(cells[-1])
    raise AssertionError(f"docs/guidance-coverage.md has no measured row for {rule}")


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda d: d.rule)
def test_each_corpus_has_at_least_40_positives_and_40_negatives(detector: Detector) -> None:
    assert len(lines(detector.positives)) >= 40
    assert len(lines(detector.negatives)) >= 40
    readme = (CORPUS.parent / "README.md").read_text(encoding="utf-8")
    assert f"`detectors/{detector.positives}`" in readme and f"`detectors/{detector.negatives}`" in readme


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda d: d.rule)
def test_precision_and_recall_do_not_fall_below_the_documented_figures(detector: Detector) -> None:
    measured = measure(detector)
    precision, recall = documented(detector.rule)
    assert round(measured.precision, 2) >= precision, (detector.rule, measured)
    assert round(measured.recall, 2) >= recall, (detector.rule, measured)
    row = next(line for line in DOC.read_text(encoding="utf-8").splitlines()
               if f"`{detector.rule}`" in line and "tests/data/detectors" in line)
    assert re.search(rf"\({measured.positives} / {measured.negatives}\)", row), (row, measured)
