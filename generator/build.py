"""Build a form's PDF: reportlab draws the static pages, pypdf adds the fields.

Fields are written directly as PDF dictionaries (not through reportlab's ``acroForm``), so each one
has exactly what engines need: the embedded font in ``/DR`` and ``/DA``, no ``/MaxLen``, explicit
flags, a tooltip (``/TU``), date format actions, real ``/Sig`` fields, and blank appearances.
"""

from __future__ import annotations

import io
from itertools import groupby

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib.colors import HexColor, white
from reportlab.pdfgen.canvas import Canvas

from brokerage import __version__
from brokerage.errors import SchemaError
from brokerage.generator import appearance
from brokerage.generator.font import RESOURCE_NAME, add_font
from brokerage.generator.layout import MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH, Op, PageLayout, Placement, layout_form
from brokerage.pdf import AnnotationFlag, FieldFlag, add_object, catalog, pdf_bytes
from brokerage.schema import FORM_ID_FIELD, FORM_ID_INFO_KEY, Form

PART_PAGE_KEY = "/BrokeragePart"
"""Written in each page dictionary: the part (``part_a``, ``annex_1``…) the page belongs to."""

NAVY = HexColor("#1F3A5F")
PALE = HexColor("#DCE6F2")
BOX_FILL = HexColor("#F2F6FB")
BOX_LINE = HexColor("#7F8FA6")
HINT_GREY = HexColor("#4D4D4D")
NOTE_FILL = HexColor("#FFF8E5")
NOTE_LINE = HexColor("#D9B44A")

FLAG_READ_ONLY = int(FieldFlag.read_only)
FLAG_MULTILINE = int(FieldFlag.multiline)
FLAG_NO_TOGGLE_TO_OFF = int(FieldFlag.no_toggle_to_off)
FLAG_RADIO = int(FieldFlag.radio)
FLAG_COMBO = int(FieldFlag.combo)
ANNOT_HIDDEN = int(AnnotationFlag.hidden)
ANNOT_PRINT = int(AnnotationFlag.print)

DATE_FORMAT = "dd/mm/yyyy"


def form_id(form: Form) -> str:
    return form.form_id


# static pages ----------------------------------------------------------------------------------

def _draw_op(canvas: Canvas, op: Op) -> None:
    if op.kind == "text":
        canvas.setFillColor(HexColor("#111111"))
        canvas.setFont(op.font, op.size)
        canvas.drawString(op.x, op.y, op.text)
    elif op.kind == "hint":
        canvas.setFillColor(HINT_GREY)
        canvas.setFont(op.font, op.size)
        canvas.drawString(op.x, op.y, op.text)
    elif op.kind in ("band0", "band1"):
        canvas.setFillColor(NAVY if op.kind == "band0" else PALE)
        canvas.rect(op.x, op.y, op.w, op.h, stroke=0, fill=1)
        canvas.setFillColor(white if op.kind == "band0" else NAVY)
        canvas.setFont(op.font, op.size)
        canvas.drawString(op.x + 6, op.y + (op.h - op.size) / 2 + 2, op.text)
    elif op.kind == "band2":
        canvas.setFillColor(NAVY)
        canvas.setFont(op.font, op.size)
        canvas.drawString(op.x, op.y + 4, op.text)
        canvas.setStrokeColor(NAVY)
        canvas.setLineWidth(0.8)
        canvas.line(op.x, op.y + 1, op.x + op.w, op.y + 1)
    elif op.kind == "box":
        canvas.setFillColor(BOX_FILL)
        canvas.setStrokeColor(BOX_LINE)
        canvas.setLineWidth(0.6)
        canvas.rect(op.x, op.y, op.w, op.h, stroke=1, fill=1)
    elif op.kind == "circle":
        canvas.setFillColor(BOX_FILL)
        canvas.setStrokeColor(BOX_LINE)
        canvas.setLineWidth(0.6)
        canvas.circle(op.x + op.w / 2, op.y + op.h / 2, op.w / 2, stroke=1, fill=1)
    elif op.kind == "header":
        canvas.setFillColor(PALE)
        canvas.rect(op.x, op.y, op.w, op.h, stroke=0, fill=1)
    elif op.kind == "line":
        canvas.setStrokeColor(HexColor("#C5CED9"))
        canvas.setLineWidth(0.4)
        canvas.line(op.x, op.y, op.x + op.w, op.y)
    elif op.kind == "notebox":
        canvas.setFillColor(NOTE_FILL)
        canvas.setStrokeColor(NOTE_LINE)
        canvas.setLineWidth(0.8)
        canvas.rect(op.x, op.y, op.w, op.h, stroke=1, fill=1)
    else:  # pragma: no cover - a layout bug
        raise ValueError(f"Unknown drawing operation {op.kind!r}")


def _static_pdf(form: Form, pages: list[PageLayout]) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=True, pageCompression=1)
    canvas.setTitle(form.title)
    canvas.setAuthor("Brokerage service")
    canvas.setCreator(f"brokerage-forms {__version__}")
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        canvas.setFillColor(HINT_GREY)
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(MARGIN_X, PAGE_HEIGHT - 28, form.title)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - 28, page.part_title)
        for op in page.ops:
            _draw_op(canvas, op)
        for placement in page.placements:
            if placement.widget.kind == "signature":
                x0, y0, _, _ = placement.rect
                canvas.setFillColor(HINT_GREY)
                canvas.setFont("Helvetica-Oblique", 7)
                canvas.drawString(x0 + 4, y0 + 4, "Sign digitally in this box")
        canvas.setFillColor(HINT_GREY)
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(MARGIN_X, 24, f"{form.title} – form version {form.version}")
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, 24, f"Page {number} of {total}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# fields ----------------------------------------------------------------------------------------

def _rect(rect: tuple[float, float, float, float]) -> ArrayObject:
    return ArrayObject(FloatObject(round(v, 2)) for v in rect)


def _size(rect: tuple[float, float, float, float]) -> tuple[float, float]:
    return rect[2] - rect[0], rect[3] - rect[1]


def _js(script: str) -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(script)}
    )


def _widget_base(placement: Placement, page_ref: IndirectObject) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): _rect(placement.rect),
            NameObject("/F"): NumberObject(ANNOT_PRINT),
            NameObject("/P"): page_ref,
        }
    )


def _field_base(placement: Placement, page_ref: IndirectObject) -> DictionaryObject:
    """A field that is its own widget: the widget entries, then its type (the widget's), name and tooltip."""
    field = _widget_base(placement, page_ref)
    field.update(
        {
            NameObject("/FT"): NameObject(placement.widget.pdf_type),
            NameObject("/T"): TextStringObject(placement.name),
            NameObject("/TU"): TextStringObject(placement.tooltip),
        }
    )
    return field


def _text_field(writer: PdfWriter, placement: Placement, page_ref: IndirectObject,
                font_ref: IndirectObject) -> DictionaryObject:
    width, height = _size(placement.rect)
    kind = placement.widget.kind
    multiline = kind == "multiline"
    field = _field_base(placement, page_ref)
    field.update(
        {
            NameObject("/Ff"): NumberObject(FLAG_MULTILINE if multiline else 0),
            NameObject("/DA"): TextStringObject(
                appearance.default_appearance(0 if multiline else appearance.default_size(height))
            ),
            NameObject("/Q"): NumberObject(0),
            NameObject("/MK"): DictionaryObject(),
            NameObject("/AP"): DictionaryObject(
                {NameObject("/N"): appearance.xobject(writer, appearance.text_content("", width, height,
                                                                                     multiline=multiline),
                                                      width, height, font_ref)}
            ),
        }
    )
    if kind == "date":
        field[NameObject("/AA")] = DictionaryObject(
            {
                NameObject("/F"): _js(f'AFDate_FormatEx("{DATE_FORMAT}");'),
                NameObject("/K"): _js(f'AFDate_KeystrokeEx("{DATE_FORMAT}");'),
            }
        )
    return field


def _choice_field(writer: PdfWriter, placement: Placement, page_ref: IndirectObject,
                  font_ref: IndirectObject) -> DictionaryObject:
    width, height = _size(placement.rect)
    field = _field_base(placement, page_ref)
    options = ["", *(placement.leaf.enum or ())]
    field.update(
        {
            NameObject("/Ff"): NumberObject(FLAG_COMBO),
            NameObject("/Opt"): ArrayObject(TextStringObject(o) for o in options),
            NameObject("/DA"): TextStringObject(appearance.default_appearance(appearance.default_size(height))),
            NameObject("/MK"): DictionaryObject(),
            NameObject("/AP"): DictionaryObject(
                {NameObject("/N"): appearance.xobject(writer, appearance.text_content("", width, height,
                                                                                     multiline=False),
                                                      width, height, font_ref)}
            ),
        }
    )
    return field


def _states(writer: PdfWriter, on_name: str, on_content: bytes, width: float, height: float) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/N"): DictionaryObject(
                {
                    NameObject("/" + on_name): appearance.xobject(writer, on_content, width, height),
                    NameObject("/Off"): appearance.xobject(writer, b"", width, height),
                }
            ),
        }
    )


def _checkbox_field(writer: PdfWriter, placement: Placement, page_ref: IndirectObject) -> DictionaryObject:
    width, height = _size(placement.rect)
    field = _field_base(placement, page_ref)
    field.update(
        {
            NameObject("/Ff"): NumberObject(0),
            NameObject("/V"): NameObject("/Off"),
            NameObject("/AS"): NameObject("/Off"),
            NameObject("/DA"): TextStringObject("/ZaDb 0 Tf 0 g"),
            NameObject("/MK"): DictionaryObject({NameObject("/CA"): TextStringObject("4")}),
            NameObject("/AP"): _states(writer, "Yes", appearance.tick_content(width, height), width, height),
        }
    )
    return field


def _radio_group(writer: PdfWriter, buttons: list[Placement],
                 page_ref: IndirectObject) -> tuple[IndirectObject, ArrayObject]:
    first = buttons[0]
    parent = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Btn"),
            NameObject("/T"): TextStringObject(first.name),
            NameObject("/TU"): TextStringObject(first.tooltip),
            NameObject("/Ff"): NumberObject(FLAG_RADIO | FLAG_NO_TOGGLE_TO_OFF),
            NameObject("/V"): NameObject("/Off"),
            NameObject("/DA"): TextStringObject("/ZaDb 0 Tf 0 g"),
        }
    )
    parent_ref = add_object(writer, parent)
    kids = ArrayObject()
    for button in buttons:
        width, height = _size(button.rect)
        kid = _widget_base(button, page_ref)
        kid.update(
            {
                NameObject("/Parent"): parent_ref,
                NameObject("/AS"): NameObject("/Off"),
                NameObject("/TU"): TextStringObject(f"{button.tooltip} Option: {button.option}"),
                NameObject("/MK"): DictionaryObject({NameObject("/CA"): TextStringObject("l")}),
                NameObject("/AP"): _states(writer, str(button.option), appearance.dot_content(width, height),
                                           width, height),
            }
        )
        kids.append(add_object(writer, kid))
    parent[NameObject("/Kids")] = kids
    return parent_ref, kids


def _signature_field(writer: PdfWriter, placement: Placement, page_ref: IndirectObject) -> DictionaryObject:
    width, height = _size(placement.rect)
    field = _field_base(placement, page_ref)
    field[NameObject("/AP")] = DictionaryObject({NameObject("/N"): appearance.xobject(writer, b"", width, height)})
    return field


def _form_id_field(form: Form, page_ref: IndirectObject, writer: PdfWriter,
                   font_ref: IndirectObject) -> DictionaryObject:
    value = form_id(form)
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): _rect((0, 0, 1, 1)),
            NameObject("/F"): NumberObject(ANNOT_HIDDEN),
            NameObject("/P"): page_ref,
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject(FORM_ID_FIELD),
            NameObject("/TU"): TextStringObject("Form identifier: the form's kind and schema version."),
            NameObject("/Ff"): NumberObject(FLAG_READ_ONLY),
            NameObject("/V"): TextStringObject(value),
            NameObject("/DV"): TextStringObject(value),
            NameObject("/DA"): TextStringObject(appearance.default_appearance(6)),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): appearance.xobject(writer, b"", 1, 1, font_ref)}),
        }
    )


def _add_fields(writer: PdfWriter, form: Form, pages: list[PageLayout], font_ref: IndirectObject) -> ArrayObject:
    fields = ArrayObject()
    for index, (layout, page) in enumerate(zip(pages, writer.pages, strict=True)):
        page_ref = page.indirect_reference
        assert page_ref is not None
        annots = ArrayObject()
        if index == 0:
            ref = add_object(writer, _form_id_field(form, page_ref, writer, font_ref))
            annots.append(ref)
            fields.append(ref)
        for name, group in groupby(layout.placements, key=lambda p: p.name):
            placements = list(group)
            kind = placements[0].widget.kind
            if kind == "radio":
                parent_ref, kids = _radio_group(writer, placements, page_ref)
                fields.append(parent_ref)
                annots.extend(kids)
                continue
            if len(placements) != 1:
                raise SchemaError(
                    f"The {form.kind} form places the field {name} twice on one page: each box has one place. "
                    "Check the schema's layout hints."
                )
            placement = placements[0]
            if kind == "checkbox":
                field = _checkbox_field(writer, placement, page_ref)
            elif kind == "choice":
                field = _choice_field(writer, placement, page_ref, font_ref)
            elif kind == "signature":
                field = _signature_field(writer, placement, page_ref)
            else:
                field = _text_field(writer, placement, page_ref, font_ref)
            ref = add_object(writer, field)
            annots.append(ref)
            fields.append(ref)
        page[NameObject("/Annots")] = annots
        page[NameObject("/Tabs")] = NameObject("/S")
        page[NameObject(PART_PAGE_KEY)] = TextStringObject(layout.part)
    return fields


def _zapf(writer: PdfWriter) -> IndirectObject:
    return add_object(
        writer,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/ZapfDingbats"),
            }
        ),
    )


def build_form(form: Form) -> bytes:
    """The fillable PDF of ``form``, generated from the schema alone."""
    pages = layout_form(form)
    # The static pages are reportlab's output, made just above: a plain reader, not open_pdf's checks for a
    # file from outside.
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_static_pdf(form, pages))))
    font_ref = add_font(writer)
    fields = _add_fields(writer, form, pages, font_ref)
    root = catalog(writer)
    root[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): fields,
            NameObject("/DR"): DictionaryObject(
                {
                    NameObject("/Font"): DictionaryObject(
                        {NameObject("/" + RESOURCE_NAME): font_ref, NameObject("/ZaDb"): _zapf(writer)}
                    )
                }
            ),
            NameObject("/DA"): TextStringObject(appearance.default_appearance(0)),
        }
    )
    root[NameObject("/Lang")] = TextStringObject("en-GB")
    root[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
    writer.add_metadata(
        {
            "/Title": form.title,
            "/Subject": f"{form.title}, form version {form.version}. Fill in the boxes and return it to the "
            "brokerage service.",
            "/Author": "Brokerage service",
            "/Creator": f"brokerage-forms {__version__}",
            "/Producer": "brokerage-forms (reportlab, pypdf)",
            FORM_ID_INFO_KEY: form_id(form),
        }
    )
    writer.compress_identical_objects()
    return pdf_bytes(writer)


def part_pages(reader: PdfReader) -> dict[str, list[int]]:
    """1-based page numbers of each part in a generated form (from each page's ``/BrokeragePart``)."""
    out: dict[str, list[int]] = {}
    for number, page in enumerate(reader.pages, start=1):
        part = page.get(PART_PAGE_KEY)
        if part is not None:
            out.setdefault(str(part), []).append(number)
    return out
