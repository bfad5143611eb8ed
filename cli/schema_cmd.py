"""``brokerage schema``: the field catalogue."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from brokerage.schema import Catalogue, default_catalogue


def catalogue_rows(catalogue: Catalogue | None = None) -> list[dict[str, object]]:
    return [
        {
            "pointer": leaf.pointer,
            "type": leaf.type,
            "title": leaf.title,
            "required": leaf.required,
            "section": leaf.section,
            "slots": list(leaf.slots),
        }
        for leaf in (catalogue or default_catalogue()).leaves
    ]


def schema(
    as_json: Annotated[bool, typer.Option("--json", help="Print the catalogue as JSON instead of a table.")] = False,
    part: Annotated[
        str | None, typer.Option(help="Only this part: part_a, annex_1, part_b or part_c.")
    ] = None,
) -> None:
    """Print the field catalogue: every box of every form with its JSON pointer, type, label and
    whether it is required. Pointers with * repeat (one box per child, per row)."""
    version = default_catalogue().version
    rows = [r for r in catalogue_rows() if part is None or str(r["pointer"]).startswith(f"/{part}/")]
    if as_json:
        typer.echo(json.dumps({"schema_version": version, "fields": rows}, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"Brokerage form fields (schema {version})")
    for column in ("pointer", "type", "title", "required"):
        table.add_column(column)
    for r in rows:
        table.add_row(str(r["pointer"]), str(r["type"]), str(r["title"]), "yes" if r["required"] else "")
    Console(width=200).print(table)
