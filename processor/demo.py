"""``brokerage demo``: a realistic inbox made from the bundled samples, then processed.

The demo folder gets three sub-folders:

- ``forms/``: the blank forms (``referral.pdf``, ``provider-response.pdf``, ``ipa.pdf``), as
  ``brokerage generate`` makes them (it also writes the guidance sheets; the demo does not need them);
- ``inbox/``: the bundled sample instances (``brokerage/processor/samples/*.json``, some correct,
  some with the mistakes workers make, one a corrected referral sent again that continues its case)
  filled into those forms with the project's own fill, one of them then flattened (what "print to PDF"
  or ``pdftk … flatten`` gives: no fields left, read by the form's boxes; flattened here with
  :func:`brokerage.pdf.flatten.flatten_form`, so the demo needs no PDF tool), plus the files an officer
  meets that no sample describes: a text file named ``.pdf``, a truncated PDF, a duplicate and a blank
  referral form;
- ``processed/``: what ``brokerage process inbox -o processed`` writes (case folders, return
  letters, summaries, ledger).

The day is fixed (:data:`DEMO_TODAY`) so that references, deadlines and every output are the same
on every run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from brokerage.errors import DataFileError
from brokerage.files import OWNER_ONLY, Permissions, atomic_write_bytes
from brokerage.pdf.flatten import flatten_form
from brokerage.processor.batch import BatchOptions, BatchReport, Progress, run_batch
from brokerage.processor.outputs.forms import blank_form, fill_form, kind_of
from brokerage.processor.pipeline import Settings
from brokerage.processor.results import Status
from brokerage.schema import FormKind, default_catalogue

DEMO_TODAY = date(2026, 2, 3)
FORMS, INBOX, PROCESSED = "forms", "inbox", "processed"


@dataclass(frozen=True)
class Sample:
    name: str
    """The JSON file in ``samples/`` (without ``.json``); the inbox PDF has the same name."""
    expected: Status
    about: str
    flattened: bool = False
    """Put in the inbox flattened (no fields left), as a worker who "prints to PDF" sends it."""


SAMPLES: tuple[Sample, ...] = (
    Sample("01-referral-summer-scheme", Status.accepted, "complete referral with a summer play scheme (Annex 1)"),
    Sample("02-referral-two-children", Status.accepted, "complete referral for two children"),
    Sample("03-referral-urgent-home-care", Status.accepted, "urgent domiciliary care referral, complete"),
    Sample("04-referral-with-mistakes", Status.returned, "blank answers, end before start, manager not signed"),
    Sample("05-referral-urgent-no-reason", Status.returned, "urgent without a reason; a formula typed in a box"),
    Sample("06-provider-response", Status.accepted, "provider response to the first referral"),
    Sample("07-provider-response-unknown-reference", Status.returned, "response quoting a reference never issued"),
    Sample("08-ipa", Status.accepted, "placement agreement for the first referral, before signing"),
    Sample("12-referral-resubmitted", Status.accepted,
           "05 corrected and sent again quoting its reference: it continues case BRK-2026-0005"),
    Sample("14-referral-flattened", Status.accepted,
           "a complete referral flattened before it was sent: read by the form's boxes, accepted with a warning",
           flattened=True),
)
BAD_FILES: tuple[tuple[str, Status, str], ...] = (
    ("09-email-saved-as.pdf", Status.rejected, "a text file named .pdf"),
    ("10-truncated.pdf", Status.rejected, "the first half of a referral: cut off in sending"),
    ("11-copy-of-01.pdf", Status.duplicate, "the first referral again, under another name"),
    ("13-blank-referral.pdf", Status.returned, "the blank referral form: every box to fill named with its page"),
)


@dataclass(frozen=True)
class DemoRun:
    folder: Path
    inbox: Path
    processed: Path
    forms: tuple[Path, ...]
    report: BatchReport


def sample_instance(name: str) -> dict[str, Any]:
    """A bundled sample instance by name."""
    text = files("brokerage.processor").joinpath("samples", f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


def expected_statuses() -> dict[str, Status]:
    """Inbox file name → the verdict the demo expects."""
    out = {f"{s.name}.pdf": s.expected for s in SAMPLES}
    out.update({name: status for name, status, _ in BAD_FILES})
    return out


def build_inbox(folder: Path) -> tuple[tuple[Path, ...], Path]:
    """Write ``forms/`` and ``inbox/`` under ``folder``; return (form paths, inbox folder)."""
    kinds = default_catalogue().forms
    blanks = {kind: blank_form(kind) for kind in kinds}
    forms = tuple(folder / FORMS / form.filename for form in kinds.values())
    for kind, path in zip(kinds, forms, strict=True):
        atomic_write_bytes(path, blanks[kind])
    inbox = folder / INBOX
    filled: dict[str, bytes] = {}
    for sample in SAMPLES:
        instance = sample_instance(sample.name)
        try:
            pdf = fill_form(blanks[kind_of(instance)], instance)
        except DataFileError as error:
            raise DataFileError(f"The bundled sample {sample.name} does not fit the form: {error}") from error
        if sample.flattened:
            pdf = flatten_form(pdf)  # keeps the document information, as pdftk and qpdf do
        filled[sample.name] = pdf
        atomic_write_bytes(inbox / f"{sample.name}.pdf", pdf)
    first = filled[SAMPLES[0].name]
    atomic_write_bytes(inbox / BAD_FILES[0][0], b"Hi,\n\nPlease find the referral attached.\n\nThanks, Priya\n")
    atomic_write_bytes(inbox / BAD_FILES[1][0], first[: len(first) // 2])
    atomic_write_bytes(inbox / BAD_FILES[2][0], first)
    atomic_write_bytes(inbox / BAD_FILES[3][0], blanks[FormKind.referral])
    return forms, inbox


def run_demo(
    folder: Path,
    *,
    jobs: int = 0,
    today: date = DEMO_TODAY,
    progress: Progress | None = None,
    permissions: Permissions = OWNER_ONLY,
) -> DemoRun:
    """Build the demo inbox under ``folder`` and process it into ``folder/processed``."""
    forms, inbox = build_inbox(folder)
    processed = folder / PROCESSED
    settings = Settings(today=today, permissions=permissions)
    report = run_batch(inbox, processed, settings, BatchOptions(jobs=jobs), progress=progress)
    return DemoRun(folder=folder, inbox=inbox, processed=processed, forms=forms, report=report)
