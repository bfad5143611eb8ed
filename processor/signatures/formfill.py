"""Changes to a (possibly signed) IPA, always as an incremental update through pyHanko's writer.

Filling a text box sets ``/V`` and a new appearance stream drawn with the form's own embedded font
(:mod:`brokerage.generator.appearance`, the same drawing as ``brokerage fill``); existing appearance
streams are never edited in place, because a signature's difference analysis accepts a box that
points at a new appearance but not an old stream rewritten. Locking sets the ReadOnly flag, a
change every signature allows.
"""

from __future__ import annotations

import re

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from brokerage.generator import appearance
from brokerage.generator.font import RESOURCE_NAME
from brokerage.pdf import FieldFlag, FieldNode, resolve, text_value, walk_fields

_DA_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s+Tf")


def _field(writer: IncrementalPdfFileWriter, name: str) -> FieldNode:
    """The terminal field ``name`` of the file being written, by the toolkit's one field walk."""
    for node in walk_fields(writer.root):
        if node.name == name:
            return node
    raise KeyError(name)


def _font_ref(writer: IncrementalPdfFileWriter) -> generic.IndirectObject | None:
    try:
        fonts = resolve(resolve(resolve(writer.root["/AcroForm"]).get("/DR")).get("/Font"))
        ref = fonts.raw_get("/" + RESOURCE_NAME)
    except (KeyError, AttributeError):
        return None
    return ref if isinstance(ref, generic.IndirectObject) else None


def _form_xobject(writer: IncrementalPdfFileWriter, content: bytes, width: float, height: float,
                  font_ref: generic.IndirectObject | None) -> generic.IndirectObject:
    resources = generic.DictionaryObject()
    if font_ref is not None:
        resources[pdf_name("/Font")] = generic.DictionaryObject({pdf_name("/" + RESOURCE_NAME): font_ref})
    stream = generic.StreamObject(
        {
            pdf_name("/Type"): pdf_name("/XObject"),
            pdf_name("/Subtype"): pdf_name("/Form"),
            pdf_name("/BBox"): generic.ArrayObject(
                [generic.FloatObject(0), generic.FloatObject(0), generic.FloatObject(round(width, 2)),
                 generic.FloatObject(round(height, 2))]
            ),
            pdf_name("/Resources"): resources,
        },
        stream_data=content,
    )
    stream.compress()
    return writer.add_object(stream)


def _size(rect: list[float]) -> tuple[float, float]:
    return abs(rect[2] - rect[0]), abs(rect[3] - rect[1])


def fill_text(writer: IncrementalPdfFileWriter, name: str, value: str) -> None:
    """Set the text box ``name`` to ``value`` with a visible appearance on each of its widgets."""
    font_ref = _font_ref(writer)
    node = _field(writer, name)
    match = _DA_SIZE.search(text_value(node.inherited.get("/DA")) or "")
    size = float(match.group(1)) if match else 0.0
    multiline = bool(node.flags & FieldFlag.multiline)
    node.field[pdf_name("/V")] = generic.TextStringObject(value)
    writer.update_container(node.field)
    for widget in node.widgets:
        width, height = _size([float(v) for v in widget["/Rect"]])
        content = appearance.text_content(value, width, height, multiline=multiline, size=size)
        widget[pdf_name("/AP")] = generic.DictionaryObject(
            {pdf_name("/N"): _form_xobject(writer, content, width, height, font_ref)}
        )
        writer.update_container(widget)


def stamp_over_box(writer: IncrementalPdfFileWriter, name: str, text: str) -> None:
    """Draw ``text`` (lines split at ``\\n``) in a framed white panel on the page, over the box ``name``.

    Page content, not the box's appearance: MuPDF draws its own "SIGN" marker on an unsigned
    signature box and never shows that box's appearance, while every reader draws page content.
    Only for files that hold no signature to keep: a change to page content is not form filling.
    """
    font_ref = _font_ref(writer)
    for widget in _field(writer, name).widgets:
        rect = [float(v) for v in widget["/Rect"]]
        width, height = _size(rect)
        body = appearance.text_content(text, width - 4, height - 12, multiline=True)
        panel = (f"q 1 1 1 rg 0.2 0.35 0.6 RG 1 w 0.5 0.5 {width - 1:.2f} {height - 1:.2f} re B Q\n"
                 f"q 1 0 0 1 2 2 cm\n").encode("ascii") + body + b"Q\n"
        xobject = _form_xobject(writer, panel, width, height, font_ref)
        name_in_page = "/BrokerageCountersignature"
        content = generic.StreamObject(
            stream_data=f"q 1 0 0 1 {min(rect[0], rect[2]):.2f} {min(rect[1], rect[3]):.2f} cm "
            f"{name_in_page} Do Q\n".encode("ascii")
        )
        resources = generic.DictionaryObject(
            {pdf_name("/XObject"): generic.DictionaryObject({pdf_name(name_in_page): xobject})}
        )
        writer.add_stream_to_page(_page_of(writer, widget), writer.add_object(content), resources=resources)


def _page_of(writer: IncrementalPdfFileWriter, widget: generic.DictionaryObject) -> int:
    """The 0-based index of the page whose ``/Annots`` hold ``widget``."""
    target = widget.container_ref
    count = int(resolve(writer.root["/Pages"])["/Count"])
    for index in range(count):
        page_ref, _ = writer.find_page_for_modification(index)
        page = resolve(page_ref)
        for annot in resolve(page.get("/Annots")) or []:
            if isinstance(annot, generic.IndirectObject) and target is not None and annot.reference == target:
                return index
    raise KeyError("the page of the widget")


def lock_every_field(writer: IncrementalPdfFileWriter) -> int:
    """Set ReadOnly on every box of the form (each terminal field, keeping the flags it inherits);
    returns how many changed."""
    changed = 0
    for node in walk_fields(writer.root):
        if "/T" in node.field and not node.flags & FieldFlag.read_only:
            node.field[pdf_name("/Ff")] = generic.NumberObject(int(node.flags | FieldFlag.read_only))
            writer.update_container(node.field)
            changed += 1
    return changed
