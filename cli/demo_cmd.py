"""``brokerage demo [OUT_DIR]``: make a realistic inbox from the bundled samples and process it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from brokerage.cli.options import GroupReadable, parse_today
from brokerage.cli.process_cmd import verdict_table
from brokerage.cli.reporting import reporting
from brokerage.files import GROUP_READABLE, OWNER_ONLY
from brokerage.processor.demo import DEMO_TODAY, run_demo
from brokerage.processor.results import Status


def demo(
    out_dir: Annotated[
        Path, typer.Argument(help="Folder for the demo's forms, inbox and processed outputs (created if needed).",
                             file_okay=False)
    ] = Path("brokerage-demo"),
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes; 0 = one per CPU core.")] = 0,
    today: Annotated[
        str | None,
        typer.Option("--today", metavar="YYYY-MM-DD",
                     help=f"The day the forms count as received. Default: {DEMO_TODAY.isoformat()}, the day the "
                     "samples were written for (their references and dates fit it)."),
    ] = None,
    group_readable: GroupReadable = False,
) -> None:
    """Generate the forms, fill the bundled samples (some with mistakes) into an inbox with a few bad
    files, then process it as `brokerage process` would and show the verdicts."""
    console = Console(width=160, highlight=False)
    with reporting():
        permissions = GROUP_READABLE if group_readable else OWNER_ONLY
        run = run_demo(out_dir, jobs=jobs, today=parse_today(today) if today else DEMO_TODAY, permissions=permissions)
    console.print(f"Forms:  {out_dir / 'forms'}")
    console.print(f"Inbox:  {run.inbox} ({len(run.report.results)} files)")
    console.print(verdict_table(run.report))
    console.print(", ".join(f"{run.report.count(s)} {s.value}" for s in Status) + ".")
    for path in run.report.summary_paths:
        console.print(f"Summary: {run.processed / path}")
    console.print(f"Open {run.processed / 'summary.html'} in a browser to read the batch as an officer would.")
