"""``brokerage fill``: prefill a form from a JSON instance, with visible appearances.

Values are written the way a person would type them (ISO dates as dd/mm/yyyy, numbers as written,
``Yes``/``No`` as the radio button, ``true`` as a tick) and every filled box gets an appearance
stream drawn with the embedded form font, so the value shows in every engine without relying on
``NeedAppearances``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, IndirectObject, NameObject, TextStringObject

from brokerage.errors import DataFileError, InputFileError, OutputError
from brokerage.generator import appearance
from brokerage.generator.font import RESOURCE_NAME
from brokerage.generator.output import write_atomic
from brokerage.pdf import (
    OUR_FORM,
    FieldFlag,
    FieldKind,
    catalog,
    choice_options,
    on_states,
    open_pdf,
    pdf_bytes,
    reading,
    resolve,
    walk_fields,
)
from brokerage.schema import Catalogue, default_catalogue, field_name
from brokerage.schema.boxes import DATE

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DA_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s+Tf")


def flatten(instance: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """(pointer, value) for every scalar in a JSON instance; ``None`` values are skipped."""
    if isinstance(instance, Mapping):
        for key, value in instance.items():
            yield from flatten(value, f"{pointer}/{key}")
    elif isinstance(instance, list):
        for index, value in enumerate(instance):
            yield from flatten(value, f"{pointer}/{index}")
    elif instance is not None:
        yield pointer, instance


def display_value(pointer: str, value: Any, catalogue: Catalogue | None = None) -> str:
    """A value as a person types it into the box: dd/mm/yyyy dates, numbers as written."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    leaf = (catalogue or default_catalogue()).leaf(pointer)
    if leaf is not None and leaf.box is DATE and _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text).strftime("%d/%m/%Y")
        except ValueError:
            return text
    return text


def _font_ref(writer: PdfWriter) -> IndirectObject:
    acroform = resolve(catalog(writer)["/AcroForm"])
    ref = resolve(resolve(acroform["/DR"])["/Font"]).raw_get("/" + RESOURCE_NAME)
    if not isinstance(ref, IndirectObject):  # pragma: no cover - our forms always have it
        raise DataFileError("This PDF has no brokerage form font; generate the form again with brokerage generate.")
    return ref


def _set_text(writer: PdfWriter, field: DictionaryObject, text: str, font_ref: IndirectObject, *,
              multiline: bool) -> None:
    field[NameObject("/V")] = TextStringObject(text)
    rect = [float(v) for v in field["/Rect"]]
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    match = _DA_SIZE.search(str(field.get("/DA", "")))
    size = float(match.group(1)) if match else 0.0
    content = appearance.text_content(text, width, height, multiline=multiline, size=size)
    field[NameObject("/AP")] = DictionaryObject(
        {NameObject("/N"): appearance.xobject(writer, content, width, height, font_ref)}
    )


def fill_pdf(
    data: bytes, instance: Mapping[str, Any], *, source: str = "", catalogue: Catalogue | None = None
) -> bytes:
    """``data`` (one of our forms) with every value of ``instance`` filled in.

    Signature values (``true``/``false``) are skipped: a box is signed in a PDF reader. Raises
    :class:`DataFileError` naming the pointers the form has no box for, or a value a box cannot
    take (an option not in the list, a tick that is not true/false).
    """
    writer = PdfWriter(clone_from=open_pdf(data, source=source, advice=OUR_FORM))
    fill_writer(writer, instance, source=source, catalogue=catalogue)
    return pdf_bytes(writer)


def fill_writer(
    writer: PdfWriter, instance: Mapping[str, Any], *, source: str = "", catalogue: Catalogue | None = None
) -> None:
    """Fill ``writer`` (a clone of one of our forms) in place with every value of ``instance``, as
    :func:`fill_pdf` does, without writing it: a caller that stamps or finishes the file further
    writes it once. ``catalogue`` (default: the shipped schema's) says which boxes hold dates."""
    catalogue = catalogue or default_catalogue()
    with reading(source, OUR_FORM):
        fields = {node.name: node for node in walk_fields(catalog(writer))}
    signed = [
        name for name, node in fields.items() if node.kind is FieldKind.signature and node.field.get("/V") is not None
    ]
    if signed:
        raise InputFileError(
            f"{source or 'The form'} is already signed ({', '.join(signed)}): filling it would rewrite the file and "
            "break the signature. Fill a blank form instead."
        )
    values = list(flatten(instance))
    unknown = [p for p, _ in values if _name(p) not in fields]
    if unknown:
        shown = ", ".join(unknown[:8]) + (f" and {len(unknown) - 8} more" if len(unknown) > 8 else "")
        raise DataFileError(
            f"The data has values this form has no box for: {shown}. Check the data is for this form "
            f"({source or 'the PDF'}) and uses the schema's pointers."
        )
    font_ref = _font_ref(writer)
    problems: list[str] = []
    for pointer, value in values:
        node = fields[_name(pointer)]
        field = node.field
        kind = node.kind
        if kind is FieldKind.signature:
            continue  # signed in a PDF reader, never filled: "signed or not" is read back, not written
        if kind is FieldKind.push_button:
            problems.append(f"{pointer} is a push button, which holds no value")
            continue
        if kind is FieldKind.radio:
            text = display_value(pointer, value, catalogue)
            options = [s for widget in node.widgets for s in on_states(widget)]
            if text not in options:
                problems.append(f"{pointer} is {text!r}, not one of {', '.join(options)}")
                continue
            field[NameObject("/V")] = NameObject("/" + text)
            for widget in node.widgets:
                widget[NameObject("/AS")] = NameObject("/" + text if text in on_states(widget) else "/Off")
            continue
        if kind is FieldKind.checkbox:
            if not isinstance(value, bool):
                problems.append(f"{pointer} is a tick box: give true or false, not {value!r}")
                continue
            on = (node.on_states or ("Yes",))[0]
            state = NameObject("/" + on if value else "/Off")
            field[NameObject("/V")] = state
            for widget in node.widgets:
                widget[NameObject("/AS")] = state
            continue
        text = display_value(pointer, value, catalogue)
        if kind is FieldKind.choice:
            options = list(choice_options(node.inherited.get("/Opt"))[0])
            if text not in options:
                problems.append(f"{pointer} is {text!r}, not one of {', '.join(o for o in options if o)}")
                continue
        _set_text(writer, field, text, font_ref, multiline=bool(node.flags & FieldFlag.multiline))
    if problems:
        raise DataFileError("The data does not fit the form: " + "; ".join(problems) + ".")


def _name(pointer: str) -> str:
    try:
        return field_name(pointer)
    except ValueError:
        return "\0" + pointer


def fill_file(form_path: Path, data_path: Path, out_path: Path) -> None:
    """Fill the form at ``form_path`` with the JSON instance at ``data_path``, writing ``out_path``."""
    import json

    form_path, out_path = Path(form_path), Path(out_path)
    if out_path.exists() and out_path.resolve() == form_path.resolve():
        raise OutputError(f"The output {out_path} is the form itself: give another name with -o, so the blank "
                          "form is kept.")
    try:
        instance = json.loads(Path(data_path).read_text(encoding="utf-8"))
    except OSError as error:
        raise DataFileError(f"Cannot read the data file {data_path}: {error.strerror or error}.") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DataFileError(f"The data file {data_path} is not valid JSON ({error}). Fix it and try again.") from error
    if not isinstance(instance, dict):
        raise DataFileError(f"The data file {data_path} must hold a JSON object such as {{\"part_b\": {{...}}}}.")
    try:
        pdf = form_path.read_bytes()
    except OSError as error:
        raise InputFileError(f"Cannot read the form {form_path}: {error.strerror or error}.") from error
    write_atomic(out_path, fill_pdf(pdf, instance, source=str(form_path)))
