"""``brokerage validate``: check one returned form and list its problems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from brokerage.cli.options import Ocr, PolicyFile, Today, settings_from
from brokerage.cli.reporting import reporting, shown
from brokerage.errors import InputFileError
from brokerage.processor.batch import DEFAULT_TIME_LIMIT, examine_in_worker
from brokerage.processor.ledger import LEDGER_NAME, Ledger
from brokerage.processor.pipeline import FileContext
from brokerage.processor.routing import routed_check
from brokerage.text import file_name, json_printable

FORM_HAS_ERRORS = 1
"""Exit status when the form was read but has errors (it would be returned to the sender)."""


def validate(
    pdf: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, metavar="FILE.pdf", help="A filled form (PDF)."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    today: Today = None,
    policy: PolicyFile = None,
    ledger: Annotated[
        Path | None,
        typer.Option("--ledger", dir_okay=False, help="Also check it against this case ledger (read only): the "
                     "reference it quotes, a resubmission's case, a duplicate, what a provider offers."),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("-o", "--out", file_okay=False, help="A processing output folder: check against its ledger."),
    ] = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=1, help="Seconds the check may take before it is stopped.")
    ] = DEFAULT_TIME_LIMIT,
    ocr: Ocr = False,
) -> None:
    """Check one filled form against the schema and the guidance; list every problem with its page.

    With --ledger (or -o), the form is also routed against the case ledger as 'brokerage process' would route
    it, without changing the ledger: the same problems and the same verdict.

    Exit status 0 when the form has no errors (warnings allowed), 1 when it has errors, 3 or 4 when
    the file is not a readable brokerage form (or took longer than --time-limit, or more memory than
    a batch allows: the check runs in a worker with the batch's limits).
    """
    with reporting():
        settings = settings_from(today, policy, ocr=ocr)
        path = ledger or (out_dir / LEDGER_NAME if out_dir is not None else None)
        if path is not None and not path.is_file():
            raise InputFileError(
                f"There is no case ledger at '{path}'. Give the ledger with --ledger, or the folder "
                "'brokerage process' wrote to with -o."
            )
        source = file_name(pdf.name)
        ctx = FileContext(path=pdf.resolve(), source=source, settings=settings)
        examined = examine_in_worker(ctx, time_limit=time_limit)
        problems = examined.problems
        verdict = reference = None
        if path is not None:
            with Ledger(path, read_only=True) as opened:
                result = routed_check(examined, source, settings, opened)
            problems, verdict, reference = result.problems, result.status.value, result.reference
    errors = [p for p in problems if p.is_error]
    if as_json:
        payload = {
            "source": file_name(pdf.name),
            "sha256": examined.sha256,
            "kind": examined.identity.kind,
            "valid": not errors,
            "problems": [p.as_dict() for p in problems],
        }
        if verdict is not None:
            payload.update(status=verdict, reference=reference)
        typer.echo(json_printable(json.dumps(payload, indent=2, ensure_ascii=False)))
    else:
        console = Console(width=160, highlight=False)
        warnings = len(problems) - len(errors)
        said = f"{shown(pdf.name)}: {examined.identity.kind}, {len(errors)} error(s), {warnings} warning(s)"
        if verdict is not None:
            said += f"; against the ledger: {verdict}" + (f" ({reference})" if reference else "")
        console.print(said)
        if problems:
            table = Table()
            for column in ("page", "section", "field", "severity", "rule", "message"):
                table.add_column(column, overflow="fold")
            for p in problems:
                table.add_row(
                    str(p.page or ""), shown(p.section), shown(p.field), p.severity.value, p.rule, shown(p.message)
                )
            console.print(table)
    if errors:
        raise typer.Exit(FORM_HAS_ERRORS)
