"""The generator's forms, as the outputs need them: a blank form of a kind, the kind an instance is
for, and filling one.

One place that knows the generator's function names, so the outputs follow it when it moves.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from pypdf import PdfWriter

from brokerage.errors import DataFileError
from brokerage.pdf import OUR_FORM, open_pdf
from brokerage.schema import FORMS


@cache
def blank_form(kind: str) -> bytes:
    """The blank fillable PDF of ``kind`` (``referral``, ``provider-response``, ``ipa``), made once per process."""
    from brokerage.generator.build import build_form

    return build_form(FORMS[kind])


def kind_of(instance: Mapping[str, Any]) -> str:
    """The kind of form that holds ``instance``: the first form (in schema order) with one of its parts."""
    for form in FORMS.values():
        if any(part in instance for part in form.parts):
            return form.kind
    parts = ", ".join(part for form in FORMS.values() for part in form.parts)
    raise DataFileError(f"The data has none of the form's parts ({parts}), so it fits no form. Check the data.")


def fill_form(pdf: bytes, instance: Mapping[str, Any]) -> bytes:
    """``pdf`` with its fields set from ``instance`` (appearance streams drawn with the form font)."""
    from brokerage.generator.fill import fill_pdf

    return fill_pdf(pdf, instance)


def filled_writer(pdf: bytes, instance: Mapping[str, Any]) -> PdfWriter:
    """A writer holding ``pdf`` filled from ``instance``, not yet written: the caller stamps and
    finishes it and writes it once (one parse, one clone, one write)."""
    from brokerage.generator.fill import fill_writer

    writer = PdfWriter(clone_from=open_pdf(pdf, advice=OUR_FORM))
    fill_writer(writer, instance)
    return writer
