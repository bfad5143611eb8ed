"""``brokerage fields``: the public map from a form's boxes to the data's JSON pointers.

Plain data only (the CLI draws the table): every AcroForm field with its pointer, type, options,
page and whether the schema requires it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from brokerage.errors import DamagedPdfError, NotAPdfError, NotOurFormError
from brokerage.generator.build import FLAG_RADIO
from brokerage.generator.widgets import widget_of
from brokerage.schema import FORM_ID_FIELD, FORM_ID_INFO_KEY, Catalogue, default_catalogue, pointer_from_name

FLAG_PUSHBUTTON = 1 << 16


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


def resolved(obj: Any) -> Any:
    """``obj`` itself, or the object an indirect reference points at."""
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def open_pdf(data: bytes, source: str = "") -> PdfReader:
    label = f"'{source}'" if source else "The file"
    if b"%PDF-" not in data[:1024]:
        raise NotAPdfError(f"{label} is not a PDF file. Give the path of a brokerage form (a .pdf file).")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        _ = len(reader.pages)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as error:
        raise DamagedPdfError(f"{label} is damaged and cannot be read as a PDF. Generate the form again.") from error
    return reader


def terminal_fields(catalog: DictionaryObject) -> Iterator[tuple[str, DictionaryObject]]:
    """(name, field dictionary) of every terminal field under a document catalog's ``/AcroForm``;
    a radio group is one field (its parent)."""
    acroform = resolved(catalog.get("/AcroForm"))
    if not isinstance(acroform, DictionaryObject):
        return
    stack = [(ref, "") for ref in reversed(list(resolved(acroform.get("/Fields")) or []))]
    while stack:
        ref, prefix = stack.pop()
        field = resolved(ref)
        partial = field.get("/T")
        name = prefix if partial is None else (f"{prefix}.{partial}" if prefix else str(partial))
        kids = [k for k in (resolved(field.get("/Kids")) or []) if "/T" in resolved(k)]
        if kids:
            stack.extend((k, name) for k in reversed(kids))
            continue
        yield name, field


def _pdf_kind(field: DictionaryObject) -> str:
    ft, flags = field.get("/FT"), int(field.get("/Ff", 0))
    if ft == "/Btn":
        return "radio" if flags & FLAG_RADIO else "button" if flags & FLAG_PUSHBUTTON else "checkbox"
    return {"/Ch": "choice", "/Sig": "signature"}.get(str(ft), "text")


def _options(field: DictionaryObject, kind: str) -> tuple[str, ...]:
    if kind == "choice":
        out = []
        for opt in resolved(field.get("/Opt")) or []:
            opt = resolved(opt)
            out.append(str(resolved(opt[0]) if isinstance(opt, ArrayObject) else opt))
        return tuple(o for o in out if o)
    if kind in ("radio", "checkbox"):
        states: list[str] = []
        for widget in resolved(field.get("/Kids")) or [field]:
            normal = resolved(resolved(resolved(widget).get("/AP", DictionaryObject())).get("/N"))
            if isinstance(normal, DictionaryObject):
                states += [str(k)[1:] for k in normal if k != "/Off" and str(k)[1:] not in states]
        return tuple(states)
    return ()


def _pages(reader: PdfReader) -> dict[int, int]:
    out: dict[int, int] = {}
    for number, page in enumerate(reader.pages, start=1):
        for annot in resolved(page.get("/Annots")) or []:
            widget = resolved(annot)
            for ref in (annot, widget.get("/Parent")):
                if isinstance(ref, IndirectObject):
                    out.setdefault(ref.idnum, number)
    return out


def list_fields(data: bytes, *, source: str = "", catalogue: Catalogue | None = None) -> FormFields:
    """Every field of the PDF form in ``data``, in form order, with what ``catalogue`` (the shipped schema's
    by default) says of it."""
    catalogue = catalogue or default_catalogue()
    reader = open_pdf(data, source)
    pages = _pages(reader)
    out: list[FieldInfo] = []
    form_id: str | None = None
    for name, field in terminal_fields(reader.trailer["/Root"]):
        kind = _pdf_kind(field)
        page = pages.get(field.indirect_reference.idnum) if field.indirect_reference else None
        if name == FORM_ID_FIELD:
            form_id = str(field.get("/V", "")) or None
            continue
        try:
            pointer: str | None = pointer_from_name(name)
        except ValueError:
            pointer = None
        leaf = catalogue.leaf(pointer) if pointer else None
        if leaf is None:
            out.append(FieldInfo(name, None, kind, _options(field, kind), page, False, str(field.get("/TU", ""))))
            continue
        if kind == "text":  # the schema tells a date or a number from plain text
            kind = widget_of(leaf).kind
        out.append(FieldInfo(name, pointer, kind, _options(field, kind), page, leaf.required, leaf.title))
    if form_id is None and reader.metadata is not None:
        form_id = reader.metadata.get(FORM_ID_INFO_KEY)
    if not out and form_id is None:
        label = f"'{source}'" if source else "This PDF"
        raise NotOurFormError(f"{label} has no form fields: it is not a brokerage form, or it was printed to PDF "
                              "or flattened. Use the forms made by brokerage generate.")
    return FormFields(form_id, tuple(out))
