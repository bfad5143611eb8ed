"""``brokerage fields FORM.pdf``: every box of a form with its JSON pointer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from brokerage.cli.reporting import reporting, shown
from brokerage.errors import InputFileError
from brokerage.generator import list_fields
from brokerage.text import json_printable


def fields(
    form: Annotated[Path, typer.Argument(help="A brokerage PDF form.", exists=True, dir_okay=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List every field of the form: JSON pointer, type, options, page and whether it is required."""
    with reporting():
        try:
            data = form.read_bytes()
        except OSError as error:
            raise InputFileError(f"Cannot read {form}: {error.strerror or error}.") from error
        result = list_fields(data, source=str(form))
    if as_json:
        payload = {"form_id": result.form_id, "fields": [f.as_dict() for f in result.fields]}
        typer.echo(json_printable(json.dumps(payload, indent=2, ensure_ascii=False)))
        return
    title = f"{form.name}: {len(result.fields)} fields (form_id: {result.form_id or 'none'})"
    table = Table(title=shown(title))
    for column in ("pointer", "type", "options", "page", "required"):
        table.add_column(column)
    for f in result.fields:
        table.add_row(shown(f.pointer or f"({f.name})"), f.type, shown(" | ".join(f.options)), str(f.page or ""),
                      "yes" if f.required else "")
    Console(width=200).print(table)
