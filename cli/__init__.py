"""The ``brokerage`` command line. The only layer that imports typer and rich.

Each command lives in its own small module and is registered here; command bodies call one
library function and report :class:`brokerage.errors.BrokerageError` through :func:`reporting`.
"""

from __future__ import annotations

import typer

from brokerage import __version__
from brokerage.cli import (
    demo_cmd,
    extract_cmd,
    fields_cmd,
    fill_cmd,
    generate_cmd,
    policy_cmd,
    process_cmd,
    schema_cmd,
    status_cmd,
    validate_cmd,
)

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
app.command("generate")(generate_cmd.generate)
app.command("fields")(fields_cmd.fields)
app.command("fill")(fill_cmd.fill)
app.command("policy")(policy_cmd.policy)
app.command("process")(process_cmd.process)
app.command("validate")(validate_cmd.validate)
app.command("extract")(extract_cmd.extract_command)
app.command("status")(status_cmd.status)
app.command("demo")(demo_cmd.demo)


def main() -> None:
    app()
