"""The font for PDFs we draw with reportlab (letters, banners): the generator's embedded subset
of DejaVu Sans, so "Nguyễn" and "Łukasz-O’Brien" show as typed. reportlab's built-in fonts
cannot draw them."""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from brokerage.generator.font import font_resource

FONT_NAME = "BrokerageSans"


@cache
def letter_font() -> str:
    """Register the font with reportlab once and return its name."""
    with as_file(font_resource()) as path:
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))
    return FONT_NAME
