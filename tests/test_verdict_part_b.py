"""Issue 13, item 13: a provider response is checked against the referral it answers: an offer for days never
asked for is a warning in words, a response after the deadline gets a note, and the deadline is in
``summary.json`` and ``summary.csv``.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from pipeline_inputs import example, form_pdf, with_values

from brokerage.processor.batch import BatchOptions, run_batch
from brokerage.processor.pipeline import Settings
from brokerage.processor.results import Status

REFERRAL = example("referral-domiciliary-only")  # urgent: responses due 2 working days after receipt
RESPONSE = example("provider-response")  # offers Saturday 10:00-14:00


def run(tmp_path: Path, today: date, *files: tuple[str, dict]) -> dict:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir(exist_ok=True)
    for name, instance in files:
        (inbox / name).write_bytes(form_pdf(instance))
    report = run_batch(inbox, out, Settings(today=today), BatchOptions(jobs=1))
    return {r.source: r for r in report.results}


def test_an_offer_for_days_never_asked_for_is_a_warning_in_words(tmp_path: Path) -> None:
    results = run(tmp_path, date(2026, 2, 3), ("referral.pdf", REFERRAL), ("response.pdf", RESPONSE))
    response = results["response.pdf"]
    assert response.status is Status.accepted
    (problem,) = [p for p in response.problems if p.rule == "route:offer-days"]
    assert not problem.is_error
    assert "Saturday" in problem.message and "Monday" in problem.message
    assert problem.page is not None


def test_an_offer_for_the_days_asked_for_says_nothing(tmp_path: Path) -> None:
    asked = with_values(RESPONSE, {"/part_b/offer": {"monday": {"from": "07:00", "to": "08:30", "hours": 1.5}}})
    results = run(tmp_path, date(2026, 2, 3), ("referral.pdf", REFERRAL), ("response.pdf", asked))
    assert not [p for p in results["response.pdf"].problems if p.rule == "route:offer-days"]


def test_a_late_response_gets_a_note_and_the_deadline_is_in_the_summaries(tmp_path: Path) -> None:
    first = run(tmp_path, date(2026, 2, 3), ("referral.pdf", REFERRAL))
    due = first["referral.pdf"].response_due
    assert due == date(2026, 2, 5)
    later = run(tmp_path, date(2026, 2, 9), ("response.pdf", RESPONSE))
    response = later["response.pdf"]
    assert response.status is Status.accepted
    assert response.response_due == due
    assert any("after the response deadline of 05/02/2026" in note for note in response.notes)
    out = tmp_path / "out"
    entry = {f["source"]: f for f in json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"]}
    assert entry["response.pdf"]["response_due"] == "2026-02-05"
    assert any("after the response deadline" in note for note in entry["response.pdf"]["notes"])
    rows = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8-sig"))))
    assert {row["response_due"] for row in rows if row["source"] == "response.pdf"} == {"2026-02-05"}


def test_a_response_in_time_gets_no_note(tmp_path: Path) -> None:
    results = run(tmp_path, date(2026, 2, 3), ("referral.pdf", REFERRAL), ("response.pdf", RESPONSE))
    assert not any("deadline" in note for note in results["response.pdf"].notes)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    referral = next(f for f in summary["files"] if f["source"] == "referral.pdf")
    assert referral["response_due"] == "2026-02-05"
