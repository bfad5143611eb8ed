"""What the rest of the pipeline takes from a flattened read: the fillable reader's shapes and problems.

:func:`as_raw_form` gives the boxes read well enough as :class:`~brokerage.processor.pdf_read.RawForm`
(so ``coerce`` and the rules run on them unchanged); boxes that were not (confidence under
:data:`~brokerage.processor.flattened.results.READABLE`) are left out of it and become problems from
:func:`unreadable_problems` instead, so they are never taken as blank.
"""

from __future__ import annotations

from collections.abc import Container

from brokerage.processor.flattened.box_map import form_map
from brokerage.processor.flattened.results import FlattenedRead
from brokerage.processor.pdf_read import RawField, RawForm
from brokerage.schema import Catalogue, Problem, Severity, default_catalogue, pointer_from_name

_RAW_KIND = {"multiline": "text"}


def as_raw_form(read: FlattenedRead) -> RawForm:
    """The readable boxes as the fillable reader's values (``field name → str | bool | None``)."""
    options: dict[str, tuple[str, ...]] = {}
    if read.kind:
        for box in form_map(read.kind).boxes():
            if box.kind == "radio" and box.state:
                options[box.name] = (*options.get(box.name, ()), box.state)
            elif box.kind == "choice":
                options[box.name] = box.options
    fields = {
        name: RawField(name=name, kind=_RAW_KIND.get(box.kind, box.kind), value=box.value, page=box.page,
                       options=options.get(name, ()))
        for name, box in read.boxes.items() if box.readable
    }
    return RawForm(form_id=read.form_id, fields=fields, page_count=len(read.pages))


def unreadable_problems(
    read: FlattenedRead, catalogue: Catalogue | None = None, *, required: Container[str] | None = None
) -> tuple[Problem, ...]:
    """One problem per box that could not be read, naming the box and saying why: an error when its pointer
    is in ``required`` (every box when ``required`` is ``None``), else a warning."""
    catalogue = catalogue or default_catalogue()
    copy = "the scanned copy" if read.image_only else "the flattened copy"
    out = []
    for name, box in read.boxes.items():
        if box.readable:
            continue
        try:
            pointer = pointer_from_name(name)
        except ValueError:
            continue
        if catalogue.leaf(pointer) is None:
            continue
        where = catalogue.where(pointer).describe(box.page)
        if box.page is None:
            where += " (its page is not in the file)"
        why = f" ({box.note})" if box.note else ""
        error = required is None or pointer in required
        if error:
            advice = ("please check it. The form needs this box: please send the fillable form itself, filled in and "
                      "saved, not a printed, flattened or scanned copy.")
        else:
            advice = "please check it: nothing was taken from this box."
        out.append(catalogue.problem(
            pointer, "flattened:unreadable", Severity.error if error else Severity.warning,
            f"{where} could not be read on {copy}{why}: {advice}", box.page,
        ))
    return tuple(out)
