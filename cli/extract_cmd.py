"""``brokerage extract``: the data of one filled form as a JSON instance of the schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from brokerage.cli.reporting import err_console, reporting, shown
from brokerage.processor.pipeline import FileContext, Settings, identify, read, values
from brokerage.text import json_printable


def extract_command(
    pdf: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, metavar="FILE.pdf", help="A filled form (PDF)."),
    ],
) -> None:
    """Print what was typed into a form as JSON (ISO dates, hh:mm times, numbers).

    Values that cannot be read without guessing are left out and listed on stderr."""
    from datetime import date

    with reporting():
        ctx = FileContext(path=pdf, source=pdf.name, settings=Settings(today=date.today()))
        got = read(ctx)
        coerced = values(got.form, identify(ctx, got.form), ctx.settings.catalogue)
    typer.echo(json_printable(json.dumps(coerced.instance, indent=2, ensure_ascii=False)))
    for problem in coerced.problems:
        err_console.print(f"[yellow]{problem.severity.value}:[/] {shown(problem.message)}", soft_wrap=True)
