"""The committed engine-filled samples (tests/data/README.md) read back exactly with the project's
reader: a regression test for the reader on real PDFium, pdftk and MuPDF output, independent of
today's generator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from brokerage.processor.pdf_read import read_form

DATA = Path(__file__).parent / "data"
VALUES = json.loads((DATA / "provider-response-values.json").read_text(encoding="utf-8"))
ENGINES = ("pdfium", "pdftk", "mupdf")


@pytest.mark.parametrize("engine", ENGINES)
def test_sample_reads_back_exactly(engine: str) -> None:
    form = read_form((DATA / f"provider-response-{engine}.pdf").read_bytes(), source=engine)
    assert form.form_id == "provider-response 1.0"
    wrong = {k: (v, form.value(k)) for k, v in VALUES.items() if form.value(k) != (v or None)}
    assert not wrong


def test_pdfium_sample_stores_windows_line_breaks() -> None:
    """Why the reader normalises line breaks: PDFium stores what Chrome users type as \\r\\n."""
    fields = PdfReader(DATA / "provider-response-pdfium.pdf").get_fields()
    assert "\r\n" in str(fields["part_b__comments"]["/V"])
