"""``brokerage fill FORM.pdf DATA.json -o OUT.pdf``: prefill a form."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from brokerage.cli.reporting import reporting
from brokerage.generator import fill_file


def fill(
    form: Annotated[Path, typer.Argument(help="A blank brokerage PDF form.", exists=True, dir_okay=False)],
    data: Annotated[Path, typer.Argument(help="A JSON instance of the schema (e.g. {\"part_b\": {...}}).",
                                         exists=True, dir_okay=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the filled form.", dir_okay=False)],
) -> None:
    """Fill the form with the data: dates as dd/mm/yyyy, Yes/No buttons, ticks, visible in every viewer."""
    with reporting():
        fill_file(form, data, output)
    typer.echo(f"Filled {output}")
