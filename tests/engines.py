"""Fill and render PDF forms with real engines, for tests.

Shared by the generator's and the processor's tests:

- :func:`fill_with_pdfium`: PDFium's form-fill API as Chrome/Edge use it: click into a box, select
  its text, type the value (``FORM_ReplaceSelection``), leave it (kill focus); click checkboxes and
  radio buttons; choose a combo box item by index while it has focus; save a copy.
- :func:`fill_with_pdftk`: ``pdftk fill_form`` with a UTF-8 XFDF (optionally with
  ``replacement_font``).
- :func:`fill_with_mupdf`: MuPDF's JavaScript form API through ``mutool run``.
- :func:`render_with_pdftoppm`, :func:`render_with_pdfium`, :func:`render_with_mutool`: page images.
- :func:`require_tool`: a test that needs an engine fails in CI (``CI`` set) and skips only locally;
  :func:`require_pdfium` and :func:`require_ocr` (tesseract through pytesseract) likewise.
- :func:`write_blank_forms`: every generated blank form as a file, for the engines to open.

``values`` map field names to what a person types: ``str`` for text, combo boxes and radio groups
(the option), ``bool`` for checkboxes.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from xml.sax.saxutils import escape, quoteattr

import pytest

TOOLS = ("pdftk", "pdftoppm", "pdftotext", "mutool", "qpdf")


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def missing(message: str) -> NoReturn:
    """A needed engine is missing: the test fails in CI (CI set) and is skipped only on a developer's machine."""
    (pytest.fail if in_ci() else pytest.skip)(message)
    raise AssertionError(message)  # pytest.fail and pytest.skip raise; this line is never reached


def require_tool(name: str) -> str:
    """Path of a command-line tool; fails the test in CI and skips it locally when missing."""
    path = shutil.which(name)
    if path is None:
        missing(f"{name} is not installed; the engine tests need it")
    return path


def write_blank_forms(folder: Path) -> dict[str, Path]:
    """Every blank form, built by the generator and written into ``folder`` under its file name: kind → path."""
    from brokerage.generator import build_form
    from brokerage.schema import default_catalogue

    FORMS = default_catalogue().forms

    out: dict[str, Path] = {}
    for kind, form in FORMS.items():
        out[kind] = folder / form.filename
        out[kind].write_bytes(build_form(form))
    return out


def require_pdfium():  # type: ignore[no-untyped-def]
    """The pypdfium2 module; fails in CI and skips locally when it is not installed."""
    try:
        import pypdfium2
    except ImportError:
        missing("pypdfium2 is not installed; the engine tests need it")
    return pypdfium2


def require_ocr() -> None:
    """Tesseract and pytesseract (``scripts/test`` installs both); fails in CI and skips locally without them."""
    require_tool("tesseract")
    from brokerage.processor.flattened.ocr import available

    if not available():
        missing("pytesseract is not installed (pip install '.[ocr]'); the OCR tests need it")


@dataclass(frozen=True)
class WidgetSpot:
    """One widget as found with pypdf: the field it belongs to and where to click."""

    name: str
    kind: str  # text, checkbox, radio, choice, signature
    page: int  # 0-based
    annot_index: int
    rect: tuple[float, float, float, float]
    state: str | None  # a radio button's export value / a checkbox's on-state
    options: tuple[str, ...]
    readonly: bool

    @property
    def centre(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.rect
        return (x0 + x1) / 2, (y0 + y1) / 2


def widget_spots(pdf_path: Path) -> list[WidgetSpot]:
    """Every widget of a PDF form, page by page, with its field's full name and kind."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf_path))
    spots: list[WidgetSpot] = []
    for page_index, page in enumerate(reader.pages):
        for annot_index, ref in enumerate(page.get("/Annots") or []):
            widget = ref.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            field = widget if "/T" in widget else widget["/Parent"].get_object()
            names, node = [], field
            while node is not None:
                if "/T" in node:
                    names.append(str(node["/T"]))
                parent = node.get("/Parent")
                node = parent.get_object() if parent is not None else None
            ft = field.get("/FT")
            flags = int(field.get("/Ff", 0))
            if ft == "/Btn":
                kind = "radio" if flags & (1 << 15) else "checkbox"
            else:
                kind = {"/Ch": "choice", "/Sig": "signature"}.get(str(ft), "text")
            states = [str(k)[1:] for k in (widget.get("/AP", {}).get("/N") or {}) if k != "/Off"] \
                if kind in ("radio", "checkbox") else []
            options = tuple(str(o) for o in field.get("/Opt", [])) if kind == "choice" else ()
            spots.append(
                WidgetSpot(
                    name=".".join(reversed(names)),
                    kind=kind,
                    page=page_index,
                    annot_index=annot_index,
                    rect=tuple(float(v) for v in widget["/Rect"]),  # type: ignore[arg-type]
                    state=states[0] if states else None,
                    options=options,
                    readonly=bool(flags & 1),
                )
            )
    return spots


def _wide(text: str) -> ctypes.Array[ctypes.c_char]:
    return ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))


def fill_with_pdfium(pdf_path: Path, values: dict[str, str | bool], out_path: Path, *,
                     incremental: bool = False) -> None:
    """Fill ``values`` into the form at ``pdf_path`` through PDFium's form-fill API and save a copy.

    Text: click the box, select all, type (replace selection), kill focus. Checkbox: click when the
    wanted state differs. Radio: click the button whose export value is the value. Combo box: click
    to focus, select the option's index, kill focus. Unknown names raise ``KeyError``.

    The copy is saved as Chrome saves (``FPDF_SaveAsCopy`` with flags 0: the whole file written
    again), or with ``incremental`` as an update appended to the original (``FPDF_INCREMENTAL``).
    """
    pdfium = require_pdfium()
    import pypdfium2.raw as raw

    spots = widget_spots(pdf_path)
    known = {s.name for s in spots}
    missing = set(values) - known
    if missing:
        raise KeyError(f"No field named {sorted(missing)[:5]} in {pdf_path}")
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        pdf.init_forms()
        form = pdf.formenv.raw
        by_page: dict[int, list[WidgetSpot]] = {}
        for spot in spots:
            if spot.name in values and not spot.readonly:
                by_page.setdefault(spot.page, []).append(spot)
        for page_index, page_spots in sorted(by_page.items()):
            page = pdf[page_index]
            handle = page.raw
            ticked_radio: set[str] = set()
            for spot in page_spots:
                value = values[spot.name]
                x, y = spot.centre

                def click(x: float = x, y: float = y, handle: object = handle) -> None:
                    raw.FORM_OnMouseMove(form, handle, 0, x, y)
                    raw.FORM_OnLButtonDown(form, handle, 0, x, y)
                    raw.FORM_OnLButtonUp(form, handle, 0, x, y)

                if spot.kind == "text":
                    click()
                    raw.FORM_SelectAllText(form, handle)
                    buffer = _wide(str(value))
                    raw.FORM_ReplaceSelection(form, handle, ctypes.cast(buffer, raw.FPDF_WIDESTRING))
                    raw.FORM_ForceToKillFocus(form)
                elif spot.kind == "checkbox":
                    is_on = _pdfium_checked(pdf, page, spot)
                    if bool(value) != is_on:
                        click()
                    raw.FORM_ForceToKillFocus(form)
                elif spot.kind == "radio":
                    if value == spot.state and spot.name not in ticked_radio:
                        click()
                        ticked_radio.add(spot.name)
                    raw.FORM_ForceToKillFocus(form)
                elif spot.kind == "choice":
                    index = spot.options.index(str(value))
                    annot = raw.FPDFPage_GetAnnot(handle, spot.annot_index)
                    raw.FORM_SetFocusedAnnot(form, annot)
                    raw.FORM_SetIndexSelected(form, handle, index, True)
                    raw.FORM_ForceToKillFocus(form)
                    raw.FPDFPage_CloseAnnot(annot)
            page.close()
        pdf.save(str(out_path), flags=raw.FPDF_INCREMENTAL if incremental else 0)
    finally:
        pdf.close()


def _pdfium_checked(pdf: object, page: object, spot: WidgetSpot) -> bool:
    import pypdfium2.raw as raw

    annot = raw.FPDFPage_GetAnnot(page.raw, spot.annot_index)  # type: ignore[attr-defined]
    try:
        return bool(raw.FPDFAnnot_IsChecked(pdf.formenv.raw, annot))  # type: ignore[attr-defined]
    finally:
        raw.FPDFPage_CloseAnnot(annot)


_MUPDF_SCRIPT = r"""
var doc = new PDFDocument(scriptArgs[0]);
var steps = JSON.parse(scriptArgs[2]);
var pages = {};
for (var i = 0; i < steps.length; i++) {
  var s = steps[i];
  if (!(s.page in pages)) pages[s.page] = doc.loadPage(s.page).getWidgets();
  var w = pages[s.page][s.index];
  if (Math.abs(w.getRect()[0] - s.x0) > 0.5) throw new Error("widget order differs at page " + s.page);
  if (s.kind == "text") { w.setTextValue(s.value); }
  else if (s.kind == "choice") { w.setChoiceValue(s.value); }
  else { w.toggle(); }
  w.update();
}
doc.save(scriptArgs[1], scriptArgs[3] || "");
"""


def fill_with_mupdf(pdf_path: Path, values: dict[str, str | bool], out_path: Path, *,
                    incremental: bool = False) -> None:
    """Fill ``values`` with MuPDF (``mutool run``, its JavaScript form API) and save (with
    ``incremental``: as an update appended to the original, as MuPDF-based readers save a signed file).

    MuPDF's API has no field names, so widgets are matched by their order on the page (checked
    against their position). Checkboxes and radio buttons are toggled like a click, so start from
    a blank form.
    """
    import json

    mutool = require_tool("mutool")
    steps = []
    widget_index: dict[int, int] = {}
    for spot in widget_spots(pdf_path):
        index = widget_index.get(spot.page, 0)
        widget_index[spot.page] = index + 1
        if spot.name not in values or spot.readonly or spot.kind == "signature":
            continue
        value = values[spot.name]
        step = {"page": spot.page, "index": index, "kind": spot.kind, "x0": spot.rect[0]}
        if spot.kind in ("text", "choice"):
            steps.append({**step, "value": str(value)})
        elif (spot.kind == "checkbox" and value is True) or (spot.kind == "radio" and value == spot.state):
            steps.append(step)  # a click on a blank form: ticks the box, chooses the button
    script = Path(out_path).with_suffix(".js")
    script.write_text(_MUPDF_SCRIPT, encoding="utf-8")
    subprocess.run([mutool, "run", str(script), str(pdf_path), str(out_path), json.dumps(steps),
                    "incremental" if incremental else ""],
                   check=True, capture_output=True, timeout=300)


def xfdf(values: dict[str, str | bool]) -> str:
    """A UTF-8 XFDF document setting ``values`` (checkboxes: ``Yes``/``Off``)."""
    rows = []
    for name, value in values.items():
        text = ("Yes" if value else "Off") if isinstance(value, bool) else value
        rows.append(f"<field name={quoteattr(name)}><value>{escape(text)}</value></field>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve"><fields>\n'
        + "\n".join(rows)
        + "\n</fields></xfdf>\n"
    )


def fill_with_pdftk(pdf_path: Path, values: dict[str, str | bool], out_path: Path,
                    replacement_font: Path | None = None) -> None:
    """``pdftk PDF fill_form DATA.xfdf output OUT`` with a UTF-8 XFDF of ``values``."""
    pdftk = require_tool("pdftk")
    data_path = Path(out_path).with_suffix(".xfdf")
    data_path.write_text(xfdf(values), encoding="utf-8")
    command = [pdftk, str(pdf_path), "fill_form", str(data_path), "output", str(out_path)]
    if replacement_font is not None:
        command += ["replacement_font", str(replacement_font)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def render_with_pdftoppm(pdf_path: Path, page: int, out_png: Path, dpi: int = 72) -> Path:
    """Render one page (1-based) with poppler; returns the PNG path."""
    pdftoppm = require_tool("pdftoppm")
    stem = Path(out_png).with_suffix("")
    subprocess.run([pdftoppm, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf_path), str(stem)], check=True, capture_output=True, timeout=120)
    return stem.with_suffix(".png")


def render_with_mutool(pdf_path: Path, page: int, out_png: Path, dpi: int = 72) -> Path:
    """Render one page (1-based) with MuPDF's ``mutool draw``."""
    mutool = require_tool("mutool")
    subprocess.run([mutool, "draw", "-q", "-r", str(dpi), "-o", str(out_png), str(pdf_path), str(page)],
                   check=True, capture_output=True, timeout=120)
    return Path(out_png)


def render_with_pdfium(pdf_path: Path, page: int, out_png: Path, dpi: int = 72) -> Path:
    """Render one page (1-based) with PDFium, drawing form fields as Chrome does."""
    pdfium = require_pdfium()
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        pdf.init_forms()
        image = pdf[page - 1].render(scale=dpi / 72, may_draw_forms=True).to_pil()
        image.save(out_png)
    finally:
        pdf.close()
    return Path(out_png)


def text_with_mutool(pdf_path: Path, page: int) -> str:
    """The text MuPDF draws on a page, widget appearances included."""
    mutool = require_tool("mutool")
    result = subprocess.run([mutool, "draw", "-q", "-F", "txt", "-o", "-", str(pdf_path), str(page)],
                            check=True, capture_output=True, timeout=120)
    return result.stdout.decode("utf-8", "replace")
