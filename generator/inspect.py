"""``brokerage fields``: the public map from a form's boxes to the data's JSON pointers.

Plain data only (the CLI draws the table): every AcroForm field with its pointer, type, options,
page and whether the schema requires it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from brokerage.errors import NotOurFormError
from brokerage.generator.widgets import widget_of
from brokerage.pdf import OUR_FORM, FieldKind, read_pdf_form
from brokerage.schema import FORM_ID_FIELD, FORM_ID_INFO_KEY, Catalogue, default_catalogue, pointer_from_name


@dataclass(frozen=True)
class FieldInfo:
    name: str
    pointer: str | None
    """The JSON pointer the field holds, ``None`` for ``form_id`` and for fields that are not ours."""
    type: str
    """text, multiline, date, time, number, checkbox, radio, choice or signature."""
    options: tuple[str, ...]
    page: int | None
    required: bool
    title: str

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["options"] = list(self.options)
        return data


@dataclass(frozen=True)
class FormFields:
    form_id: str | None
    fields: tuple[FieldInfo, ...]


def list_fields(data: bytes, *, source: str = "", catalogue: Catalogue | None = None) -> FormFields:
    """Every field of the PDF form in ``data``, in form order, with what ``catalogue`` (the shipped schema's
    by default) says of it."""
    catalogue = catalogue or default_catalogue()
    form = read_pdf_form(data, source=source, advice=OUR_FORM)
    out: list[FieldInfo] = []
    form_id: str | None = None
    for field in form.fields:
        kind: str = field.kind.value
        options = tuple(o for o in field.options if o) if field.kind is FieldKind.choice else field.options
        if field.name == FORM_ID_FIELD:
            form_id = field.value if isinstance(field.value, str) else None
            continue
        try:
            pointer: str | None = pointer_from_name(field.name)
        except ValueError:
            pointer = None
        leaf = catalogue.leaf(pointer) if pointer else None
        if leaf is None:
            out.append(FieldInfo(field.name, None, kind, options, field.page, False, field.tooltip or ""))
            continue
        if field.kind is FieldKind.text:  # the schema tells a date or a number from plain text
            kind = widget_of(leaf).kind
        out.append(FieldInfo(field.name, pointer, kind, options, field.page, leaf.required, leaf.title))
    if form_id is None:
        form_id = form.info.get(FORM_ID_INFO_KEY)
    if not out and form_id is None:
        label = f"'{source}'" if source else "This PDF"
        raise NotOurFormError(f"{label} has no form fields: it is not a brokerage form, or it was printed to PDF "
                              "or flattened. Use the forms made by brokerage generate.")
    return FormFields(form_id, tuple(out))
