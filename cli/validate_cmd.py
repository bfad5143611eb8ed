"""``brokerage validate``: check one returned form and list its problems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from brokerage.cli.options import Ocr, PolicyFile, Today, settings_from
from brokerage.cli.reporting import reporting
from brokerage.processor.pipeline import FileContext, examine

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
    ocr: Ocr = False,
) -> None:
    """Check one filled form against the schema and the guidance; list every problem with its page.

    Exit status 0 when the form has no errors (warnings allowed), 1 when it has errors, 3 or 4 when
    the file is not a readable brokerage form.
    """
    with reporting():
        settings = settings_from(today, policy, ocr=ocr)
        examined = examine(FileContext(path=pdf, source=pdf.name, settings=settings))
    problems = examined.problems
    errors = [p for p in problems if p.is_error]
    if as_json:
        payload = {
            "source": pdf.name,
            "sha256": examined.sha256,
            "kind": examined.identity.kind,
            "valid": not errors,
            "problems": [p.as_dict() for p in problems],
        }
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        console = Console(width=160, highlight=False)
        warnings = len(problems) - len(errors)
        console.print(f"{escape(pdf.name)}: {examined.identity.kind}, {len(errors)} error(s), {warnings} warning(s)")
        if problems:
            table = Table()
            for column in ("page", "section", "field", "severity", "rule", "message"):
                table.add_column(column, overflow="fold")
            for p in problems:
                table.add_row(
                    str(p.page or ""), escape(p.section), escape(p.field), p.severity.value, p.rule, escape(p.message)
                )
            console.print(table)
    if errors:
        raise typer.Exit(FORM_HAS_ERRORS)
