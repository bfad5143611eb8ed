"""The ``brokerage`` command line. The only layer that imports typer and rich.

Each command lives in its own small module and is registered here; command bodies call one
library function and report :class:`brokerage.errors.BrokerageError` through :func:`reporting`.
"""

from __future__ import annotations

import typer

from brokerage import __version__
from brokerage.cli import schema_cmd

app = typer.Typer(
    name="brokerage",
    help="Forms and batch processor for commissioned short breaks and home care for disabled children.",
    no_args_is_help=True,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"brokerage {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Forms and batch processor for commissioned short breaks and home care for disabled children."""


app.command("schema")(schema_cmd.schema)


def main() -> None:
    app()
