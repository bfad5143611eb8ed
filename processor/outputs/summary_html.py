"""``summary.html``: the page a brokerage officer reads in a browser after a batch.

Counts by status, then a table per status. Rendered by ``templates/summary.html.j2`` with
autoescape, so a file name or a typed value holding HTML shows as text. Links point only at
output paths we built (reference, hash and fixed words).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from brokerage.processor.outputs.render import render
from brokerage.processor.outputs.summary import file_entry, sorted_results
from brokerage.processor.results import FileResult, Status

STATUS_TITLES = {
    Status.accepted: ("Accepted", "Forms of ours with no errors: filed, and for referrals anonymised for providers."),
    Status.returned: ("Returned", "Forms of ours with errors: a letter listing every problem goes back with each."),
    Status.rejected: ("Rejected", "Not a readable brokerage form: ask the sender for the form itself."),
    Status.duplicate: ("Duplicates", "Second copies of content already received: nothing new was filed."),
}


@dataclass(frozen=True)
class StatusGroup:
    status: str
    title: str
    explanation: str
    files: tuple[dict[str, Any], ...]


def summary_groups(results: Sequence[FileResult]) -> list[StatusGroup]:
    entries = [
        file_entry(r) | {
            "kind_title": r.kind.facts.label if r.kind is not None else "–",
            "notes": list(r.notes),
            "duplicate_of": r.duplicate_of,
            "response_due": r.response_due.strftime("%d/%m/%Y") if r.response_due else None,
        }
        for r in sorted_results(results)
    ]
    return [
        StatusGroup(status.value, title, explanation, tuple(e for e in entries if e["status"] == status.value))
        for status, (title, explanation) in STATUS_TITLES.items()
    ]


def summary_html(results: Sequence[FileResult], skipped: Sequence[tuple[str, str]] = ()) -> str:
    groups = summary_groups(results)
    return render(
        "summary.html.j2",
        groups=groups,
        total=sum(len(g.files) for g in groups),
        skipped=[{"source": source, "why": why} for source, why in skipped],
    )
