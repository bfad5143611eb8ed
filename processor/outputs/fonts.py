"""The font for PDFs we draw with reportlab (letters, banners): the generator's embedded subset
of DejaVu Sans, so "Nguyễn" and "Łukasz-O’Brien" show as typed. reportlab's built-in fonts
cannot draw them."""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "BrokerageSans"
FONT_FILE = "BrokerageSans.ttf"


@cache
def letter_font() -> str:
    """Register the font with reportlab once and return its name."""
    resource = files("brokerage.generator").joinpath("fonts", FONT_FILE)
    with as_file(resource) as path:
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))
    return FONT_NAME
