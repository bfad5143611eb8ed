"""``brokerage generate OUT_DIR``: the forms and guidance sheets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from brokerage.cli.reporting import reporting
from brokerage.generator import generate as generate_all


def generate(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the forms and guidance into (created if needed).",
                                            file_okay=False)],
    policy: Annotated[Path | None, typer.Option("--policy", exists=True, dir_okay=False,
                                                help="Policy settings (TOML) for the guidance's dates and numbers.")]
    = None,
) -> None:
    """Write referral.pdf, provider-response.pdf, ipa.pdf and the guidance sheets (PDF and HTML)."""
    with reporting():
        paths = generate_all(out_dir, policy_path=policy)
    for path in paths:
        typer.echo(f"{path}  ({path.stat().st_size:,} bytes)")
