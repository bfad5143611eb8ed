"""One field classifier (``brokerage.pdf.field_kind``), settled against real readers.

Before the PDF layer there were two: the reader's (``/FT`` and ``/Ff`` inherited, push button before
radio, a check box with several on-states read as radio) and ``brokerage fields``' (neither inherited,
radio before push button). The layer keeps the first, which is what ISO 32000-1 says (§12.7.3.1:
``/FT`` and ``/Ff`` are inheritable; table 226: the radio flag "may be set only if the Pushbutton flag
is clear", so a field with both is a push button). These tests hold it:

- on every widget of the three generated forms and of the engine-filled files in ``tests/data``,
  the kind equals PDFium's form field type for the same widget (page and full name) and the kind the
  generator's layout placed the box as;
- on :func:`synthetic_forms.every_kind_form`, built to make the old classifiers disagree, the kind
  equals MuPDF's field type, except where the layer reads more than a type (a check box with two
  on-states is a choice of one: both MuPDF and PDFium call it a check box and report the chosen
  state's name as its value, which is the value the layer reads); PDFium also calls the field with
  both flags a radio button, against table 226 (it tests the radio flag first), MuPDF a button.
"""

from __future__ import annotations

import ctypes
import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from engines import require_pdfium, require_tool
from synthetic_forms import every_kind_form

from brokerage.generator import build_form
from brokerage.generator.layout import layout_form
from brokerage.pdf import FieldKind, read_pdf_form
from brokerage.schema import FORM_ID_FIELD, FORM_ID_INFO_KEY, default_catalogue

DATA = Path(__file__).parent / "data"
ENGINE_FILES = sorted(DATA.glob("provider-response-*.pdf"))

PDFIUM_KINDS = {1: "button", 2: "checkbox", 3: "radio", 4: "choice", 5: "choice", 6: "text", 7: "signature"}
"""``FPDF_FORMFIELD_*`` (push button, check box, radio button, combo box, list box, text, signature)."""
MUPDF_KINDS = {"button": "button", "checkbox": "checkbox", "radiobutton": "radio", "combobox": "choice",
               "listbox": "choice", "text": "text", "signature": "signature"}
SCHEMA_KINDS = {"checkbox": FieldKind.checkbox, "radio": FieldKind.radio, "choice": FieldKind.choice,
                "signature": FieldKind.signature}
"""The widget registry's kind → the field kind it is written as (dates, times, numbers are text fields)."""


def pdfium_widgets(data: bytes) -> list[tuple[int, str, str, str]]:
    """(1-based page, full name, kind, value) of every widget annotation, as PDFium sees it."""
    pdfium = require_pdfium()
    import pypdfium2.raw as raw

    def text(function, form, annot) -> str:  # type: ignore[no-untyped-def]
        size = function(form, annot, None, 0)
        buffer = ctypes.create_string_buffer(size)
        function(form, annot, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), size)
        return buffer.raw[:size].decode("utf-16-le").rstrip("\0")

    pdf = pdfium.PdfDocument(data)
    out = []
    try:
        pdf.init_forms()
        form = pdf.formenv.raw
        for index in range(len(pdf)):
            page = pdf[index]
            for position in range(raw.FPDFPage_GetAnnotCount(page.raw)):
                annot = raw.FPDFPage_GetAnnot(page.raw, position)
                try:
                    if raw.FPDFAnnot_GetSubtype(annot) == raw.FPDF_ANNOT_WIDGET:
                        out.append((
                            index + 1,
                            text(raw.FPDFAnnot_GetFormFieldName, form, annot),
                            PDFIUM_KINDS[raw.FPDFAnnot_GetFormFieldType(form, annot)],
                            text(raw.FPDFAnnot_GetFormFieldValue, form, annot),
                        ))
                finally:
                    raw.FPDFPage_CloseAnnot(annot)
            page.close()
    finally:
        pdf.close()
    return out


_MUPDF_SCRIPT = """
var doc = new PDFDocument(scriptArgs[0]);
var out = [];
for (var i = 0; i < doc.countPages(); i++) {
  var widgets = doc.loadPage(i).getWidgets();
  for (var j = 0; j < widgets.length; j++) out.push([i + 1, widgets[j].getFieldType(), widgets[j].getValue()]);
}
print(JSON.stringify(out));
"""


def mupdf_widgets(path: Path, tmp_path: Path) -> list[tuple[int, str, str]]:
    """(1-based page, kind, value) of every widget, in page order, as MuPDF sees it."""
    script = tmp_path / "widgets.js"
    script.write_text(_MUPDF_SCRIPT, encoding="utf-8")
    done = subprocess.run([require_tool("mutool"), "run", str(script), str(path)], capture_output=True,
                          text=True, check=True, timeout=60)
    return [(page, MUPDF_KINDS[kind], value) for page, kind, value in json.loads(done.stdout.splitlines()[-1])]


def _our_widgets(data: bytes) -> list[tuple[int | None, str, str]]:
    return [(w.page, f.name, f.kind.value) for f in read_pdf_form(data).fields for w in f.widgets]


def _files() -> list[tuple[str, bytes]]:
    forms = [(form.filename, build_form(form)) for form in default_catalogue().forms.values()]
    return forms + [(path.name, path.read_bytes()) for path in ENGINE_FILES]


FILES = _files()


@pytest.mark.parametrize(("name", "data"), FILES, ids=[name for name, _ in FILES])
def test_every_widget_has_the_kind_pdfium_gives_it(name: str, data: bytes) -> None:
    ours = _our_widgets(data)
    theirs = [(page, field, kind) for page, field, kind, _value in pdfium_widgets(data)]
    assert len(ours) == len(theirs) > 40
    assert Counter(ours) == Counter(theirs)


def _laid_out_kinds(data: bytes) -> dict[str, FieldKind]:
    """Field name → the kind the generator's layout placed it as, for the form ``data`` says it is."""
    form_id = read_pdf_form(data).info[FORM_ID_INFO_KEY]
    (form,) = [form for form in default_catalogue().forms.values() if form.form_id == form_id]
    return {
        placement.name: SCHEMA_KINDS.get(placement.widget.kind, FieldKind.text)
        for page in layout_form(form)
        for placement in page.placements
    }


@pytest.mark.parametrize(("name", "data"), FILES, ids=[name for name, _ in FILES])
def test_every_field_has_the_kind_the_generator_placed_it_as(name: str, data: bytes) -> None:
    placed = _laid_out_kinds(data)
    fields = [f for f in read_pdf_form(data).fields if f.name != FORM_ID_FIELD]
    assert {f.name: f.kind for f in fields} == placed
    assert len(fields) == len(placed)


def test_engine_files_cover_every_kind_of_box_the_forms_have() -> None:
    kinds = {kind for _name, data in FILES for _page, _field, kind in _our_widgets(data)}
    assert kinds == {"text", "radio", "choice", "checkbox", "signature"}


def test_the_cases_the_old_classifiers_disagreed_on(tmp_path: Path) -> None:
    data = every_kind_form()
    path = tmp_path / "kinds.pdf"
    path.write_bytes(data)
    read = read_pdf_form(data).fields
    fields = {f.name: f for f in read}
    ours = [(w.page, f.name, f.kind.value) for f in read for w in f.widgets if w.page is not None]
    # both engines list the page's widgets in /Annots order; the stray "orphan" is no field of ours
    engines = [
        (pdfium, mupdf)
        for pdfium, mupdf in zip(pdfium_widgets(data), mupdf_widgets(path, tmp_path), strict=True)
        if pdfium[1] != "orphan"
    ]
    assert [(pdfium[0], pdfium[1]) for pdfium, _mupdf in engines] == [(page, name) for page, name, _kind in ours]
    by_mupdf = [mupdf[1] for _pdfium, mupdf in engines]
    by_pdfium = [pdfium[2] for pdfium, _mupdf in engines]
    assert [kind for _page, _name, kind in ours] == [
        "radio" if name == "multi" else kind for (_page, name, _kind), kind in zip(ours, by_mupdf, strict=True)
    ]
    assert by_pdfium == [
        {"push_radio": "radio", "multi": "checkbox"}.get(name, kind) for _page, name, kind in ours
    ]
    assert set(by_mupdf) == {"button", "radio", "choice", "checkbox", "signature", "text"}
    # the value both engines give the two-state check box is the layer's value, the chosen state
    assert fields["multi"].value == "Two"
    assert {(pdfium[3], mupdf[2]) for pdfium, mupdf in engines if pdfium[1] == "multi"} == {("Two", "Two")}
    # inherited values: the group's /V and the parent's /Opt, as the engines read them
    assert (fields["group.inner"].value, fields["choose.c"].value) == ("B", "y")
    assert {(pdfium[1], pdfium[3]) for pdfium, _mupdf in engines if pdfium[1] in ("group.inner", "choose.c")} == {
        ("group.inner", "B"),
        ("choose.c", "y"),
    }
