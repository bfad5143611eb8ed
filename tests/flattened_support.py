"""Returned files made the ways people make them, for the flattened reader's tests and bench.

- :func:`richest_referral`: ``tests/examples/referral-two-children.json`` (two children, Annex 1 with two
  children, short break with a summer scheme, names with Ł ễ ’) plus the domiciliary care of
  ``referral-domiciliary-only.json`` and its urgent reason: every kind of box of the referral
  (one-line and multi-line text, dates, times, numbers, choices, ticks ticked and not, radio groups
  chosen and left empty) holds a value somewhere.
- :func:`fill`: the richest referral filled by our filler, by PDFium (as Chrome does) or by pdftk.
- :func:`flatten`: ``pdftk … flatten``, ``qpdf --flatten-annotations=all`` or ``mutool convert``.
- :func:`as_scan`: every page rendered to a grey PNG (``pdftoppm``) and put back as a picture-only PDF.
- :func:`printed`: every page scaled and shifted (a printer's "fit to page"), markers removed.
"""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

from engines import fill_with_pdfium, fill_with_pdftk, require_tool

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples"
FONT = ROOT / "generator" / "fonts" / "BrokerageSans.ttf"
MM = 72 / 25.4
ENGINES = ("ours", "pdfium", "pdftk")
FLATTENERS = ("pdftk", "qpdf", "mutool")


def richest_referral() -> dict[str, Any]:
    instance = json.loads((EXAMPLES / "referral-two-children.json").read_text(encoding="utf-8"))
    home_care = json.loads((EXAMPLES / "referral-domiciliary-only.json").read_text(encoding="utf-8"))
    instance = copy.deepcopy(instance)
    instance["part_a"]["services"]["domiciliary_care"] = home_care["part_a"]["services"]["domiciliary_care"]
    instance["part_a"]["referral"]["urgent"] = "Yes"
    instance["part_a"]["referral"]["urgent_reason"] = home_care["part_a"]["referral"]["urgent_reason"]
    return instance


def typed_values(instance: dict[str, Any]) -> dict[str, str | bool]:
    """Field name → what a person types (dates as dd/mm/yyyy), ticks as ``bool``."""
    from brokerage.generator.fill import display_value, flatten
    from brokerage.schema import field_name

    return {field_name(p): (v if isinstance(v, bool) else display_value(p, v)) for p, v in flatten(instance)}


def blank_referral(folder: Path) -> Path:
    from brokerage.generator import build_form
    from brokerage.schema import default_catalogue

    path = folder / "referral.pdf"
    if not path.exists():
        path.write_bytes(build_form(default_catalogue().form("referral")))
    return path


def fill(engine: str, folder: Path, instance: dict[str, Any]) -> Path:
    """The richest referral filled by ``engine`` (``ours``, ``pdfium``, ``pdftk``)."""
    blank = blank_referral(folder)
    out = folder / f"filled-{engine}.pdf"
    if engine == "ours":
        from brokerage.generator import fill_pdf

        out.write_bytes(fill_pdf(blank.read_bytes(), instance))
    elif engine == "pdfium":
        fill_with_pdfium(blank, typed_values(instance), out)
    else:
        fill_with_pdftk(blank, typed_values(instance), out, replacement_font=FONT)
    return out


def flatten(tool: str, filled: Path, out: Path) -> Path:
    """``filled`` flattened by ``tool`` (``pdftk``, ``qpdf``, ``mutool``)."""
    if tool == "pdftk":
        command = [require_tool("pdftk"), str(filled), "output", str(out), "flatten"]
    elif tool == "qpdf":
        command = [require_tool("qpdf"), "--flatten-annotations=all", str(filled), str(out)]
    else:
        # mutool convert draws every page, widgets included, into a new PDF: the fields are gone, and so
        # are the document info and the page dictionaries' own keys (no option keeps the fields).
        command = [require_tool("mutool"), "convert", "-o", str(out), str(filled)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return out


def as_scan(source: Path, dpi: int, out: Path) -> Path:
    """A picture-only PDF of ``source``: each page rendered grey at ``dpi`` and drawn on an A4 page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    stem = out.with_suffix("")
    subprocess.run([require_tool("pdftoppm"), "-png", "-gray", "-r", str(dpi), str(source), str(stem)],
                   check=True, capture_output=True, timeout=600)
    canvas = Canvas(str(out), pagesize=A4)
    for png in sorted(stem.parent.glob(stem.name + "-*.png")):
        canvas.drawImage(str(png), 0, 0, width=A4[0], height=A4[1])
        canvas.showPage()
    canvas.save()
    return out


def printed(source: Path, out: Path, scale: float = 0.97, shift_mm: float = 5.0) -> Path:
    """Every page of ``source`` scaled by ``scale`` and moved ``shift_mm`` right and down, with the document
    info and the page markers removed (what a "print to PDF" with "fit to page" gives)."""
    from pypdf import PdfWriter, Transformation

    writer = PdfWriter(clone_from=str(source))
    for page in writer.pages:
        page.add_transformation(Transformation().scale(scale, scale).translate(shift_mm * MM, -shift_mm * MM))
        if "/BrokeragePart" in page:
            del page["/BrokeragePart"]
    writer._info = None
    writer.add_metadata({"/Title": "Printed"})
    writer.write(str(out))
    return out


def without_markers(source: Path, out: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(source))
    for page in writer.pages:
        if "/BrokeragePart" in page:
            del page["/BrokeragePart"]
    writer._info = None
    writer.write(str(out))
    return out


def overlay(source: Path, out: Path, page: int, draw: Any) -> Path:
    """``source`` with what ``draw(canvas)`` draws (reportlab) stamped onto page ``page`` (0-based)."""
    import io

    from pypdf import PdfReader, PdfWriter
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=str(source))
    writer.pages[page].merge_page(PdfReader(io.BytesIO(buffer.getvalue())).pages[0])
    writer.write(str(out))
    return out
