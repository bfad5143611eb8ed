"""``brokerage extract``: the data of one filled form as a JSON instance of the schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from brokerage.cli.options import Ocr, ocr_wanted
from brokerage.cli.reporting import err_console, reporting, shown
from brokerage.processor.pipeline import FileContext, Settings, identify, read, values
from brokerage.text import json_printable


def extract_command(
    pdf: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, metavar="FILE.pdf", help="A filled form (PDF)."),
    ],
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the data with every box: what was read, where from (field, flattened "
                     "text, drawn mark, OCR) and how sure."),
    ] = False,
    ocr: Ocr = False,
) -> None:
    """Print what was typed into a form as JSON (ISO dates, hh:mm times, numbers).

    Values that cannot be read without guessing are left out and listed on stderr. A flattened, printed or
    scanned copy of a form is read by the form's boxes; --json says where each value came from."""
    from datetime import date

    from brokerage.processor.flattened.returns import box_values
    from brokerage.schema import get_at

    with reporting():
        ctx = FileContext(path=pdf, source=pdf.name, settings=Settings(today=date.today(), ocr=ocr_wanted(ocr)))
        got = read(ctx)
        identity = identify(ctx, got.form)
        catalogue = ctx.settings.catalogue
        coerced = values(got.form, identity, catalogue)
        boxes = box_values(got.form, got.copy, catalogue.form(identity.kind).parts)
    if as_json:
        payload = {
            "source": pdf.name,
            "kind": identity.kind,
            "read_from": got.copy.description if got.copy is not None else "the fillable form's fields",
            "data": coerced.instance,
            "boxes": [{**box.as_dict(), "value": get_at(coerced.instance, box.pointer)} for box in boxes],
        }
        typer.echo(json_printable(json.dumps(payload, indent=2, ensure_ascii=False)))
    else:
        typer.echo(json_printable(json.dumps(coerced.instance, indent=2, ensure_ascii=False)))
    if got.copy is not None:
        unread = [box for box in boxes if not box.readable]
        err_console.print(f"[yellow]note:[/] {shown(pdf.name)} is {shown(got.copy.description)}; "
                          f"{len(unread)} box(es) could not be read and are left out.", soft_wrap=True)
    for problem in coerced.problems:
        err_console.print(f"[yellow]{problem.severity.value}:[/] {shown(problem.message)}", soft_wrap=True)
