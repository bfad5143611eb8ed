"""Turn errors into a sentence on stderr and an exit code, in one place.

- A library error (:class:`brokerage.errors.BrokerageError`) is a sentence for a person and its exit
  code (:func:`reporting`, around the library calls of a command).
- Anything else a command raises is a fault in the toolkit (:func:`guarded`, around every command): one
  sentence saying what failed and that it is to be reported, exit code ``ExitCode.internal`` (15), the
  traceback written to a private file for the report. Never a traceback on screen, never exit 1 (which
  ``brokerage validate`` uses for "the form has errors").
"""

from __future__ import annotations

import functools
import os
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from brokerage.errors import BrokerageError, ExitCode
from brokerage.text import printable

err_console = Console(stderr=True, highlight=False)
P = ParamSpec("P")
R = TypeVar("R")

_USAGE_PROBLEM = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
PASSED_ON: tuple[type[BaseException], ...] = (typer.Exit, typer.Abort, _USAGE_PROBLEM)
"""What the command line itself handles: an exit, Ctrl-C, a bad option (usage message, exit 2)."""


def shown(text: object) -> str:
    """Text that did not come from the toolkit (a file name, a typed value, a message quoting one), ready
    for rich: control characters made visible (:func:`brokerage.text.printable`: ``ESC[31m`` never
    reaches the terminal) and markup escaped."""
    return escape(printable(str(text)))


def report(error: BrokerageError) -> typer.Exit:
    """Print a library error's sentence; the exit to raise with its code."""
    err_console.print(f"[bold red]Error:[/] {shown(error.message)}", markup=True, soft_wrap=True)
    return typer.Exit(int(error.exit_code))


@contextmanager
def reporting() -> Iterator[None]:
    try:
        yield
    except BrokerageError as error:
        raise report(error) from None


def write_fault_details(command: str, error: BaseException) -> Path | None:
    """The traceback of a fault, in a file only this user can read (it may hold values from the files
    being processed); ``None`` when it cannot be written."""
    try:
        handle, name = tempfile.mkstemp(prefix=f"brokerage-{command}-fault-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write("".join(traceback.format_exception(error)))
    except OSError:
        return None
    return Path(name)


def fault_sentence(command: str, error: BaseException, details: Path | None) -> str:
    where = (
        f"with the details written to {details} (it may hold values from your files: send it to them only)"
        if details is not None
        else "(no details could be written)"
    )
    return (
        f"'brokerage {command}' stopped because of a fault in the toolkit ({type(error).__name__}), not because of "
        f"anything you did: please report it to the toolkit's maintainers {where}."
    )


def guarded(command: str, run: Callable[P, R]) -> Callable[P, R]:
    """``run`` (the function of ``brokerage <command>``) with every error turned into a sentence and an
    exit code: a library error's own, or ``ExitCode.internal`` for a fault."""

    @functools.wraps(run)
    def guard(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return run(*args, **kwargs)
        except PASSED_ON:
            raise
        except BrokerageError as error:
            raise report(error) from None
        except Exception as error:  # a fault in the toolkit: one sentence, never a traceback
            sentence = fault_sentence(command, error, write_fault_details(command, error))
            err_console.print(f"[bold red]Error:[/] {shown(sentence)}", markup=True, soft_wrap=True)
            raise typer.Exit(int(ExitCode.internal)) from None

    guard.guarded = True  # type: ignore[attr-defined]
    return guard
