"""The batch summary: ``summary.json`` (the contract of issue 4), ``summary.csv``, and, through
their own modules, ``summary.xlsx`` and ``summary.html``.

``summary.json`` is exactly ``{"files": [{"source", "sha256", "kind", "status", "reference",
"problems": [{"pointer", "field", "page", "rule", "severity", "message"}], "outputs": [...],
"response_due", "held_until", "notes": [...]}], "skipped": [{"source", "why"}]}``, files sorted by
source. ``response_due`` is the day provider responses are due (ISO): a referral's own, and for a
provider response the deadline of the referral it answers; ``held_until`` the day a summer play scheme
kept on file is dealt with; ``notes`` the sentences for the officer; ``skipped`` lists what was in the
inbox but not read (links, devices, hidden files, the output folder, documents this toolkit made) with
why. The CSV and XLSX have one row per problem (a file without problems gets one row) and one per
skipped entry, and neutralise formula-like cells.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from brokerage.files import OWNER_ONLY, Permissions, atomic_write_bytes, atomic_write_text
from brokerage.processor.outputs.cells import cell
from brokerage.processor.outputs.order import page_order
from brokerage.processor.results import FileResult
from brokerage.schema import Problem

PROBLEM_KEYS = ("pointer", "field", "page", "rule", "severity", "message")
FILE_KEYS = (
    "source", "sha256", "kind", "status", "reference", "problems", "outputs", "response_due", "held_until", "notes",
)
ROW_COLUMNS = (
    "source", "kind", "status", "reference", "page", "field", "severity", "message", "rule", "pointer",
    "sha256", "outputs", "response_due", "held_until", "notes",
)
SUMMARY_FILES = ("summary.csv", "summary.html", "summary.json", "summary.xlsx")


def problem_entry(problem: Problem) -> dict[str, Any]:
    return {
        "pointer": problem.pointer,
        "field": problem.field,
        "page": problem.page,
        "rule": problem.rule,
        "severity": problem.severity.value,
        "message": problem.message,
    }


def file_entry(result: FileResult) -> dict[str, Any]:
    return {
        "source": result.source,
        "sha256": result.sha256,
        "kind": result.kind.value if result.kind is not None else None,
        "status": result.status.value,
        "reference": result.reference,
        "problems": [problem_entry(p) for p in page_order(result.problems)],
        "outputs": sorted(result.outputs),
        "response_due": result.response_due.isoformat() if result.response_due else None,
        "held_until": result.held_until.isoformat() if result.held_until else None,
        "notes": list(result.notes),
    }


def sorted_results(results: Sequence[FileResult]) -> list[FileResult]:
    return sorted(results, key=lambda r: (r.source, r.sha256))


Skip = tuple[str, str]
"""(source, why) of something in the inbox that was not read (a link, a device, one of our outputs…)."""


def summary_document(results: Sequence[FileResult], skipped: Sequence[Skip] = ()) -> dict[str, Any]:
    return {
        "files": [file_entry(r) for r in sorted_results(results)],
        "skipped": [{"source": source, "why": why} for source, why in skipped],
    }


def summary_json(results: Sequence[FileResult], skipped: Sequence[Skip] = ()) -> str:
    return json.dumps(summary_document(results, skipped), indent=2, ensure_ascii=False) + "\n"


def summary_rows(results: Sequence[FileResult], skipped: Sequence[Skip] = ()) -> list[dict[str, Any]]:
    """One row per problem (one row for a file without problems), then one per skipped entry (status
    ``skipped``, the reason as its message); raw values (not yet neutralised)."""
    rows: list[dict[str, Any]] = []
    for result in sorted_results(results):
        entry = file_entry(result)
        base = {key: entry[key] for key in ("source", "kind", "status", "reference", "sha256", "response_due",
                                             "held_until")}
        base["outputs"] = "\n".join(entry["outputs"])
        base["notes"] = "\n".join(entry["notes"])
        for problem in entry["problems"] or [dict.fromkeys(PROBLEM_KEYS)]:
            rows.append({**base, **problem})
    for source, why in skipped:
        rows.append({"source": source, "status": "skipped", "message": f"Not read: {why}."})
    return [{column: row.get(column) for column in ROW_COLUMNS} for row in rows]


def summary_csv(results: Sequence[FileResult], skipped: Sequence[Skip] = ()) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads "Nguyễn" right), CRLF line ends, every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ROW_COLUMNS)
    for row in summary_rows(results, skipped):
        writer.writerow([cell(row[column]) for column in ROW_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def write_summaries(
    results: Sequence[FileResult],
    out_dir: Path,
    *,
    permissions: Permissions = OWNER_ONLY,
    skipped: Sequence[Skip] = (),
) -> list[str]:
    """Write ``summary.json``, ``.csv``, ``.xlsx`` and ``.html`` under ``out_dir``; return their names."""
    from brokerage.processor.outputs.summary_html import summary_html
    from brokerage.processor.outputs.summary_xlsx import summary_xlsx

    atomic_write_text(out_dir / "summary.json", summary_json(results, skipped), mode=permissions)
    atomic_write_bytes(out_dir / "summary.csv", summary_csv(results, skipped), mode=permissions)
    atomic_write_bytes(out_dir / "summary.xlsx", summary_xlsx(results, skipped), mode=permissions)
    atomic_write_text(out_dir / "summary.html", summary_html(results, skipped), mode=permissions)
    return list(SUMMARY_FILES)
