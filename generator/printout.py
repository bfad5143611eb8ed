"""The full print of a filled form: every box with its label and value, in form order, flowing over as
many pages as the answers need (issue 17, item 1). Made from the checked data, never from the
received PDF, so a 6,000-character answer that the form's box shows at 4 pt prints in full here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from brokerage.generator.flowing import DOCUMENT_INFO_KEY, FlowingDocument, render_flowing
from brokerage.generator.flowing_schema import numbered_item_title, schema_blocks
from brokerage.schema import Catalogue, FormKind, default_catalogue


def _item_title(template: str, index: int, count: int, title: str, item: Any) -> str:
    """Repeats that hold a child say whose page it is: ``Details of the child: 2 of 3 – Tomás Nguyễn``."""
    heading = numbered_item_title(template, index, count, title, item)
    name = item.get("name") if isinstance(item, Mapping) else None
    return f"{heading} – {name.strip()}" if isinstance(name, str) and name.strip() else heading


def full_print_document(instance: Mapping[str, Any], kind: FormKind | str = FormKind.referral,
                        reference: str | None = None, running: str = "",
                        catalogue: Catalogue | None = None) -> FlowingDocument:
    form = (catalogue or default_catalogue()).form(kind)
    named = f" {reference}" if reference else ""
    return FlowingDocument(
        title=f"{form.title}{named}",
        subject="Every box of the form with its answer, printed from the checked data (read-only).",
        blocks=tuple(schema_blocks(instance, form.parts, item_title=_item_title, catalogue=form.catalogue)),
        running=running,
        footer=f"{form.title}{named} – printed from the checked data – form version {form.version}",
        info={DOCUMENT_INFO_KEY: f"print-{form.kind.value}{named}"},
    )


def full_print(instance: Mapping[str, Any], kind: FormKind | str = FormKind.referral, reference: str | None = None,
               running: str = "", catalogue: Catalogue | None = None) -> bytes:
    """The read-only flowing print of a filled form of ``kind`` as PDF bytes (same data, same bytes)."""
    return render_flowing(full_print_document(instance, kind, reference, running, catalogue))
