"""The ``brokerage`` command line. The only layer that imports typer and rich.

Each command lives in its own small module and is registered here; command bodies call one
library function and report :class:`brokerage.errors.BrokerageError` through :func:`reporting`.
Every command is registered :func:`guarded`: anything else it raises is reported as a fault in the
toolkit (exit code 15), never as a traceback.
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
from brokerage.cli.reporting import guarded

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


COMMANDS = {
    "schema": schema_cmd.schema,
    "generate": generate_cmd.generate,
    "fields": fields_cmd.fields,
    "fill": fill_cmd.fill,
    "policy": policy_cmd.policy,
    "process": process_cmd.process,
    "validate": validate_cmd.validate,
    "extract": extract_cmd.extract_command,
    "status": status_cmd.status,
    "demo": demo_cmd.demo,
}
for _name, _run in COMMANDS.items():
    app.command(_name)(guarded(_name, _run))


def main() -> None:
    app()
