"""``brokerage status``: the cases in the ledger."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from brokerage.cli.reporting import reporting
from brokerage.errors import InputFileError
from brokerage.processor.ledger import LEDGER_NAME, Ledger


def status(
    ledger: Annotated[Path | None, typer.Option("--ledger", dir_okay=False, help="The case ledger file.")] = None,
    out_dir: Annotated[
        Path | None, typer.Option("-o", "--out", file_okay=False, help="A processing output folder (its ledger).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the cases as JSON.")] = False,
) -> None:
    """List every referral in the case ledger with its responses and agreement."""
    path = ledger or (out_dir or Path(".")) / LEDGER_NAME
    with reporting():
        if not path.is_file():
            raise InputFileError(
                f"There is no case ledger at '{path}'. Give the ledger with --ledger, or the folder "
                "'brokerage process' wrote to with -o."
            )
        with Ledger(path) as opened:
            cases = opened.cases()
            files = opened.file_count()
    if as_json:
        typer.echo(json.dumps([case.__dict__ for case in cases], indent=2))
        return
    table = Table(title=f"{len(cases)} case(s), {files} file(s) seen")
    for column in ("reference", "status", "received", "responses due", "urgent", "services", "responses", "IPA",
                   "scheme held until"):
        table.add_column(column)
    for case in cases:
        table.add_row(
            case.reference,
            case.status,
            case.received or "",
            case.response_due or "",
            "yes" if case.urgent else "",
            case.services,
            f"{case.positive_responses}/{case.responses}" if case.responses else "0",
            case.ipa,
            case.held_until or "",
        )
    Console(width=160, highlight=False).print(table)
