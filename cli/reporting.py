"""Turn library errors into a sentence on stderr and an exit code, in one place."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from brokerage.errors import BrokerageError

err_console = Console(stderr=True, highlight=False)


@contextmanager
def reporting() -> Iterator[None]:
    try:
        yield
    except BrokerageError as error:
        err_console.print(f"[bold red]Error:[/] {escape(error.message)}", markup=True, soft_wrap=True)
        raise typer.Exit(int(error.exit_code)) from None
