"""Issue 13, item 14: the best-effort detectors (transport, names, bank holidays) measured on a corpus of
realistic sentences (``tests/data/detectors/``); the examples the issue found are in
``tests/test_verdict_detectors.py``.

Precision and recall are worked out here and must not fall below the figures written in
``docs/guidance-coverage.md`` ("Best-effort detectors: measured"); a change that makes a detector worse
fails this test, and one that makes it better should raise the figures there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from brokerage.rules.bank_holidays import names_bank_holiday_support
from brokerage.rules.names import allowed_names, names_in
from brokerage.rules.transport import transport_requests

CORPUS = Path(__file__).parent / "data" / "detectors"
DOC = Path(__file__).resolve().parents[1] / "docs" / "guidance-coverage.md"
ALLOWED = allowed_names({"part_a": {"children": [{"name": "Amira Khan", "principal_contact": {"name": "Sofia Khan"}}]}})


def lines(name: str) -> list[str]:
    """The corpus file's sentences (``#`` lines are comments; ``\\n`` is a line break inside a box)."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    return [line.replace("\\n", "\n") for line in text.splitlines() if line.strip() and not line.startswith("#")]


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
