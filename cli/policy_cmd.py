"""``brokerage policy``: the policy settings in force."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from brokerage.cli.reporting import reporting
from brokerage.rules.policy import load_policy


def policy(
    policy_file: Annotated[
        Path | None,
        typer.Option("--policy", help="A policy TOML file; keys it leaves out keep the default values."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the settings as JSON instead of a table.")] = False,
) -> None:
    """Print the policy in force: the brokerage contact details, response windows, summer play scheme cap and
    dates, and the bounds for service dates."""
    with reporting():
        loaded = load_policy(policy_file)
    rows = loaded.settings()
    if as_json:
        data = {"source": loaded.path, "settings": {row.key: row.value for row in rows}}
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"Brokerage policy {loaded.policy_version} ({loaded.path})")
    for column in ("setting", "value", "key"):
        table.add_column(column)
    for row in rows:
        table.add_row(row.label, row.value, row.key)
    Console(width=200).print(table)
