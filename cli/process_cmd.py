"""``brokerage process``: every returned form in an inbox folder, with a verdict for each."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from brokerage.cli.options import GroupReadable, Ocr, PolicyFile, Today, settings_from
from brokerage.cli.reporting import err_console, reporting, shown
from brokerage.errors import ExitCode
from brokerage.processor.batch import DEFAULT_TIME_LIMIT, BatchOptions, BatchReport, run_batch
from brokerage.processor.results import FileResult, Status

STATUS_STYLE = {
    Status.accepted: "green",
    Status.returned: "yellow",
    Status.rejected: "red",
    Status.duplicate: "dim",
}


def verdict_table(report: BatchReport) -> Table:
    table = Table(title=f"{len(report.results)} file(s)")
    for column in ("file", "kind", "status", "reference", "errors", "warnings"):
        table.add_column(column, overflow="fold")
    for result in report.results:
        errors = len(result.errors)
        warnings = len(result.problems) - errors
        table.add_row(
            shown(result.source),
            result.kind or "-",
            f"[{STATUS_STYLE[result.status]}]{result.status.value}[/]",
            result.reference or "-",
            str(errors),
            str(warnings),
        )
    return table


def process(
    inbox: Annotated[
        Path, typer.Argument(metavar="INBOX", help="The folder of returned forms (PDFs). Files are only read.")
    ],
    out_dir: Annotated[
        Path, typer.Option("-o", "--out", metavar="OUT_DIR", help="The folder for case folders, letters and summaries.")
    ],
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes; 0 = one per CPU core.")] = 0,
    today: Today = None,
    policy: PolicyFile = None,
    ledger: Annotated[
        Path | None, typer.Option("--ledger", dir_okay=False, help="The case ledger. Default: OUT_DIR/ledger.sqlite3.")
    ] = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=1, help="Seconds one file may take before it is stopped.")
    ] = DEFAULT_TIME_LIMIT,
    max_size_mb: Annotated[
        float, typer.Option("--max-size-mb", min=0.001, help="Files larger than this are rejected unread.")
    ] = 50,
    group_readable: GroupReadable = False,
    ocr: Ocr = False,
) -> None:
    """Check every form in INBOX and write the verdicts, case folders, return letters and summaries to OUT_DIR.

    Exit status 0 when every file got a verdict (accepted, returned, rejected or duplicate).
    """
    console = Console(width=160, highlight=False)
    with reporting():
        settings = settings_from(today, policy, max_size_mb, group_readable, ocr=ocr)
        options = BatchOptions(jobs=jobs, time_limit=time_limit, ledger_path=ledger)
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
            auto_refresh=False,  # no refresh thread: the batch forks worker processes while it runs
        ) as bar:
            task = bar.add_task("Processing", total=None)

            def advance(done: int, total: int, result: FileResult) -> None:
                bar.update(task, completed=done, total=total, description=f"Processing {shown(result.source[:40])}")
                bar.refresh()

            report = run_batch(inbox, out_dir, settings, options, progress=advance)
    console.print(verdict_table(report))
    for result in report.results:
        if result.status in (Status.rejected, Status.duplicate) and result.problems:
            style = STATUS_STYLE[result.status]
            console.print(f"[{style}]{result.status.value}:[/] {shown(result.problems[0].message)}")
    if report.skipped:
        listed = "; ".join(f"{s.source} ({s.why})" for s in report.skipped)
        console.print(f"[dim]Not read ({len(report.skipped)}):[/] {shown(listed)}", soft_wrap=True)
    if report.changed:
        changed = ", ".join(report.changed)
        console.print(
            f"[bold yellow]Changed since recorded ({len(report.changed)}):[/] {shown(changed)}. They were left as they "
            "are: check who changed them before using them.",
            soft_wrap=True,
        )
    counts = ", ".join(f"{report.count(s)} {s.value}" for s in Status)
    console.print(f"{counts}.")
    for path in report.summary_paths:
        console.print(f"Summary: {shown(out_dir / path)}")
    console.print(f"Ledger: {shown(report.ledger_path)}")
    if not report.complete:
        for result in report.results:
            if result.source in report.unfinished:
                sentence = f"'{result.source}': {result.notes[-1]}"
                err_console.print(f"[bold red]Error:[/] {shown(sentence)}", soft_wrap=True)
        raise typer.Exit(int(ExitCode.output))
