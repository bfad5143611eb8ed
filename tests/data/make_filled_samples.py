"""Make the engine-filled sample forms in this folder (run from the repository root):

    python tests/data/make_filled_samples.py

Generates a blank provider response (Part B), fills it with ``provider-response-values.json``
through PDFium's form-fill API, ``pdftk fill_form`` (UTF-8 XFDF, with the form font as
``replacement_font``) and MuPDF (``mutool run``), and writes ``provider-response-<engine>.pdf``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from engines import fill_with_mupdf, fill_with_pdfium, fill_with_pdftk  # noqa: E402

from brokerage.generator import build_form  # noqa: E402
from brokerage.schema import default_catalogue  # noqa: E402

FORMS = default_catalogue().forms

FONT = HERE.parents[1] / "generator" / "fonts" / "BrokerageSans.ttf"


def main() -> None:
    values = json.loads((HERE / "provider-response-values.json").read_text(encoding="utf-8"))
    blank = HERE / "provider-response-blank.pdf"
    blank.write_bytes(build_form(FORMS["provider-response"]))
    fill_with_pdfium(blank, values, HERE / "provider-response-pdfium.pdf")
    fill_with_pdftk(blank, values, HERE / "provider-response-pdftk.pdf", replacement_font=FONT)
    fill_with_mupdf(blank, values, HERE / "provider-response-mupdf.pdf")
    for leftover in HERE.glob("provider-response-*.xfdf"):
        leftover.unlink()
    for leftover in HERE.glob("provider-response-*.js"):
        leftover.unlink()


if __name__ == "__main__":
    main()
