"""Input files for the pipeline and batch tests, each made here so its provenance is plain.

| maker | what it is | what it proves |
|---|---|---|
| :func:`form_pdf` | one of our forms filled with an instance (values typed as given) | read → route → write |
| :func:`scan_like_pdf` | a rotated reportlab page of text, no fields | "flattened / not a form" rejection |
| :func:`text_named_pdf` | plain text bytes | "not a PDF" rejection |
| :func:`truncated` | the first half of a real form | "incomplete" rejection |
| :func:`encrypted` | a form encrypted by pypdf with a user password (or an empty one) | password sentence / opened |
| :func:`foreign_form_pdf` | a reportlab AcroForm with other field names | "not our form" rejection |
"""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from brokerage.schema import get_at, set_at

EXAMPLES = Path(__file__).parent / "examples"


def example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def kind_of(instance: Mapping[str, Any]) -> str:
    """The kind of form whose parts ``instance`` holds (Annex 1 alone is on the referral)."""
    from brokerage.schema import default_catalogue

    kind = default_catalogue().kind_of(instance)
    assert kind is not None, f"the instance holds the parts of no one form: {sorted(instance)}"
    return kind.value


def with_values(instance: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of ``instance`` with ``{pointer: value}`` set (``None`` removes the value)."""
    out = copy.deepcopy(dict(instance))
    for pointer, value in changes.items():
        if value is None:
            parent, _, key = pointer.rpartition("/")
            holder = get_at(out, parent)
            if isinstance(holder, dict):
                holder.pop(key, None)
        else:
            set_at(out, pointer, value)
    return out


def _blank(kind: str) -> bytes:
    from brokerage.generator.build import build_form
    from brokerage.schema import default_catalogue

    FORMS = default_catalogue().forms

    return build_form(FORMS[kind])


_BLANKS: dict[str, bytes] = {}


def blank(kind: str) -> bytes:
    if kind not in _BLANKS:
        _BLANKS[kind] = _blank(kind)
    return _BLANKS[kind]


SIGNATURES = ("/part_c/provider_signatory/signature", "/part_c/countersignature/signature")


def fillable(instance: Mapping[str, Any]) -> dict[str, Any]:
    """The instance without what a filler cannot set (digital signatures are signed, not typed)."""
    return with_values(instance, {pointer: None for pointer in SIGNATURES})


def form_pdf(instance: Mapping[str, Any]) -> bytes:
    """A form of the instance's kind filled by the generator's filler (dates shown as dd/mm/yyyy,
    as a person types them)."""
    from brokerage.generator.fill import fill_pdf

    return fill_pdf(blank(kind_of(instance)), fillable(instance))


def engine_values(instance: Mapping[str, Any]) -> dict[str, str | bool]:
    """Field name → what a person types or ticks, for :mod:`engines` (PDFium, pdftk)."""
    from brokerage.generator.fill import display_value, flatten
    from brokerage.schema import field_name

    return {
        field_name(pointer): value if isinstance(value, bool) else display_value(pointer, value)
        for pointer, value in flatten(fillable(instance))
    }


def blank_path(tmp: Path, kind: str) -> Path:
    path = tmp / f"blank-{kind}.pdf"
    if not path.exists():
        path.write_bytes(blank(kind))
    return path


def scan_like_pdf() -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.setPageRotation(90)
    c.setFont("Helvetica", 14)
    c.drawString(72, 700, "Brokerage referral - scanned copy")
    c.drawString(72, 680, "Child's name: (handwritten)")
    c.showPage()
    c.save()
    return buffer.getvalue()


def foreign_form_pdf() -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.acroForm.textfield(name="Name", x=72, y=700, width=200, height=18, value="Jo", maxlen=0, fieldFlags="")
    c.acroForm.textfield(name="Total", x=72, y=650, width=200, height=18, value="12", maxlen=0, fieldFlags="")
    c.showPage()
    c.save()
    return buffer.getvalue()


def text_named_pdf() -> bytes:
    return b"Hi, please find the referral attached. Thanks, Priya\n"


def truncated(pdf: bytes) -> bytes:
    return pdf[: len(pdf) // 2]


def encrypted(pdf: bytes, user_password: str, owner_password: str = "owner-secret") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_form_id(pdf: bytes, form_id: str | None) -> bytes:
    """The form with its embedded kind and version changed (``None``: removed, as some viewers do)."""
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for field in writer._root_object["/AcroForm"]["/Fields"]:
        field = field.get_object()
        if field.get("/T") == "form_id":
            if form_id is None:
                del field["/V"]
            else:
                field[NameObject("/V")] = TextStringObject(form_id)
    info = writer._info.get_object() if writer._info is not None else None
    if info is not None and "/BrokerageForm" in info:
        if form_id is None:
            del info["/BrokerageForm"]
        else:
            info[NameObject("/BrokerageForm")] = TextStringObject(form_id)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def decompression_bomb(pdf: bytes, field: str, expanded: int = 100_000_000) -> bytes:
    """The form with ``field``'s value replaced by a Flate stream that expands to ``expanded`` bytes
    (about 100 KB on disk)."""
    import zlib

    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    bomb = StreamObject()
    bomb._data = zlib.compress(bytes(expanded), 9)
    bomb[NameObject("/Filter")] = NameObject("/FlateDecode")
    ref = writer._add_object(bomb)
    for item in writer._root_object["/AcroForm"]["/Fields"]:
        target = item.get_object()
        if target.get("/T") == field:
            target[NameObject("/V")] = ref
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
