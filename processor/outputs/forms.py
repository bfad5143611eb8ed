"""The generator's forms, as the outputs need them: a blank form of a kind, the kind an instance is
for, and filling one.

One place that knows the generator's function names, so the outputs follow it when it moves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pypdf import PdfWriter

from brokerage.errors import DataFileError
from brokerage.pdf import OUR_FORM, open_pdf
from brokerage.schema import Catalogue, FormKind, default_catalogue


def blank_form(kind: FormKind | str, catalogue: Catalogue | None = None) -> bytes:
    """The blank fillable PDF of ``kind`` (``referral``, ``provider-response``, ``ipa``), made once per
    catalogue."""
    from brokerage.generator.build import build_form

    form = (catalogue or default_catalogue()).form(kind)
    return form.catalogue.memo(("blank form", form.kind), lambda: build_form(form))


def kind_of(instance: Mapping[str, Any], catalogue: Catalogue | None = None) -> FormKind:
    """The kind of form that holds ``instance``: the first form (in schema order) with one of its parts."""
    forms = (catalogue or default_catalogue()).forms.values()
    for form in forms:
        if any(part in instance for part in form.parts):
            return form.kind
    parts = ", ".join(part for form in forms for part in form.parts)
    raise DataFileError(f"The data has none of the form's parts ({parts}), so it fits no form. Check the data.")


def fill_form(pdf: bytes, instance: Mapping[str, Any], catalogue: Catalogue | None = None) -> bytes:
    """``pdf`` with its fields set from ``instance`` (appearance streams drawn with the form font)."""
    from brokerage.generator.fill import fill_pdf

    return fill_pdf(pdf, instance, catalogue=catalogue)


def filled_writer(pdf: bytes, instance: Mapping[str, Any], catalogue: Catalogue | None = None) -> PdfWriter:
    """A writer holding ``pdf`` filled from ``instance``, not yet written: the caller stamps and
    finishes it and writes it once (one parse, one clone, one write)."""
    from brokerage.generator.fill import fill_writer

    writer = PdfWriter(clone_from=open_pdf(pdf, advice=OUR_FORM))
    fill_writer(writer, instance, catalogue=catalogue)
    return writer
