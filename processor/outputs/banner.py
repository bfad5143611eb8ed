"""A line of text stamped across the top of every page (the anonymised referral's banner)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from brokerage.generator.font import reportlab_font

SIZE = 7.0
LEADING = 8.5
TOP = 9.0
"""The first baseline, in points below the top edge: above the generator's running header."""


def _overlay(width: float, height: float, lines: Sequence[str]) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(width, height), invariant=1)
    c.setFont(reportlab_font(), SIZE)
    c.setFillColorRGB(0.55, 0.0, 0.0)
    y = height - TOP
    for line in lines:
        c.drawString(36, y, line)
        y -= LEADING
    c.showPage()
    c.save()
    return buffer.getvalue()


def stamp(writer: PdfWriter, lines: Sequence[str]) -> None:
    """Draw ``lines`` at the top of each page of ``writer`` (in place)."""
    cache: dict[tuple[float, float], object] = {}
    for page in writer.pages:
        box = page.mediabox
        size = (float(box.width or A4[0]), float(box.height or A4[1]))
        if size not in cache:  # our own reportlab overlay: a plain reader, not open_pdf's checks for a file
            cache[size] = PdfReader(io.BytesIO(_overlay(*size, lines))).pages[0]
        page.merge_page(cache[size])  # type: ignore[arg-type]
        page.compress_content_streams()
