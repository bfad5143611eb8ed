"""A plain stand-in referral form for output tests until the generator's forms are used.

One text box (or checkbox) per concrete pointer, a new page at each ``x-new-page`` and every 40
boxes, Annex 1 on its own pages, and the hidden ``form_id`` field.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from brokerage.schema import FORMS, SCHEMA_VERSION, field_name, get_at, leaves


def blank(kind: str) -> bytes:
    form = FORMS[kind]
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.setTitle(form.title)
    c.acroForm.textfield(
        name="form_id", value=f"{kind} {SCHEMA_VERSION}", x=10, y=10, width=100, height=12,
        fieldFlags="readOnly", maxlen=0, annotationFlags="hidden",
    )
    y = 800
    count = 0
    part = None
    for leaf in form.leaves():
        for pointer in leaf.concrete():
            new_part = leaf.part != part
            if count and (count % 40 == 0 or new_part or (leaf.new_page_before and pointer == next(leaf.concrete()))):
                c.showPage()
                y = 800
            part = leaf.part
            count += 1
            c.drawString(40, y + 2, leaf.title[:40])
            if leaf.type == "boolean":
                c.acroForm.checkbox(name=field_name(pointer), x=300, y=y, size=12, fieldFlags="", buttonStyle="check")
            else:
                c.acroForm.textfield(
                    name=field_name(pointer), x=300, y=y, width=250, height=14, fieldFlags="", maxlen=0, value=""
                )
            y -= 19
    c.showPage()
    c.save()
    return buffer.getvalue()


def fill(pdf: bytes, instance: Mapping[str, Any]) -> bytes:
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    values: dict[str, Any] = {}
    for name in reader.get_fields() or {}:
        if "__" not in name:
            continue
        value = get_at(instance, "/" + name.replace("__", "/"))
        if value is None:
            continue
        values[name] = ("/Yes" if value else "/Off") if isinstance(value, bool) else str(value)
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer._root_object["/AcroForm"][NameObject("/NeedAppearances")] = __import__("pypdf").generic.BooleanObject(True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_ = leaves
