"""Options shared by the processing commands: ``--today``, ``--policy`` and ``--ocr``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from brokerage.files import GROUP_READABLE, OWNER_ONLY
from brokerage.processor.pdf_read import DEFAULT_MAX_BYTES
from brokerage.processor.pipeline import RECEIVABLE, Settings, policy_for

Today = Annotated[
    str | None,
    typer.Option(
        "--today",
        metavar="YYYY-MM-DD",
        help="The day the forms count as received (response deadlines, reference year). Default: today.",
    ),
]
PolicyFile = Annotated[
    Path | None,
    typer.Option(
        "--policy",
        exists=True,
        dir_okay=False,
        readable=True,
        help="A policy settings file (TOML) overriding the shipped summer scheme dates, caps and windows.",
    ),
]

Ocr = Annotated[
    bool,
    typer.Option(
        "--ocr",
        help="Read typed text on scanned returns with OCR (tesseract; pip install 'brokerage-forms[ocr]'). Off by "
        "default: a scan's typed text is then reported as unread and the sender asked for the fillable form.",
    ),
]


def ocr_wanted(ocr: bool) -> bool:
    """``--ocr`` checked: the OCR engine must be installed when it is asked for (a usage error, exit 2)."""
    if ocr:
        from brokerage.processor.flattened.ocr import available

        if not available():
            raise typer.BadParameter(
                "OCR needs tesseract and pytesseract: install them with 'apt-get install tesseract-ocr' and "
                "\"pip install 'brokerage-forms[ocr]'\", or leave out --ocr.",
                param_hint="--ocr",
            )
    return ocr


GroupReadable = Annotated[
    bool,
    typer.Option(
        "--group-readable",
        help="Let your group read the outputs (folders 0750, files 0640). Default: only you (0700/0600), "
        "whatever your umask: they are about children.",
    ),
]


def parse_today(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a date: give it as YYYY-MM-DD, for example 2026-03-02.") from None
    first, last = RECEIVABLE
    if not first <= day <= last:
        raise typer.BadParameter(
            f"'{text}' is not a day forms could be received: give a day from {first.isoformat()} to "
            f"{last.isoformat()} (YYYY-MM-DD)."
        )
    return day


def settings_from(
    today: str | None,
    policy: Path | None,
    max_size_mb: float | None = None,
    group_readable: bool = False,
    *,
    ocr: bool = False,
) -> Settings:
    """Settings for a run; loads the policy now so a bad policy file stops the run before any file."""
    settings = Settings(
        today=parse_today(today),
        policy_path=str(policy) if policy else None,
        max_bytes=int(max_size_mb * 1_048_576) if max_size_mb else DEFAULT_MAX_BYTES,
        permissions=GROUP_READABLE if group_readable else OWNER_ONLY,
        ocr=ocr_wanted(ocr),
    )
    policy_for(settings.policy_path)  # raises PolicyError with a sentence
    return settings
