"""How well OCR reads the typed text of a scanned referral: read exact, reported unread, or read wrong.

    python bench/bench_ocr.py [--dpi 150 300] [--engine ours pdfium pdftk]

Fills the richest referral (``tests/flattened_support.py``) with each ``--engine``, flattens it with qpdf
and renders every page to a grey picture at each ``--dpi`` (the scan stand-in, ``as_scan``). For every text
box that holds writing it compares, against what the fillable original holds:

1. Tesseract alone (``pytesseract``, English model, one line or a block per box): its words joined by
   spaces, taken as they come, and how many of them are wrong at each word-score threshold;
2. the reader's OCR (``read_flattened(…, ocr=True)``, :mod:`brokerage.processor.flattened.ocr`): boxes read
   exact, reported unread (under ``READABLE``), read wrong (must be 0), and the read time.

Needs tesseract (``apt-get install tesseract-ocr``), ``pip install '.[ocr]'``, qpdf and pdftoppm.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from flattened_support import as_scan, fill, flatten, richest_referral  # noqa: E402

from brokerage.processor.flattened import read_flattened  # noqa: E402
from brokerage.processor.flattened.box_map import form_map  # noqa: E402
from brokerage.processor.flattened.ocr import OCR_DPI, available  # noqa: E402
from brokerage.processor.pdf_read import read_form  # noqa: E402

THRESHOLDS = (0, 80, 90, 93, 95)


def tesseract_alone(scan: Path, truth: dict[str, str]) -> list[tuple[float, bool]]:
    """(lowest word score, read exact) for every text box with writing, Tesseract's words taken as they come."""
    import pypdfium2 as pdfium
    import pytesseract

    read = read_flattened(scan.read_bytes())
    document = pdfium.PdfDocument(scan.read_bytes())
    pages = form_map("referral").pages
    out = []
    k = OCR_DPI / 72
    for match in read.pages:
        if match.form_page is None or match.transform is None:
            continue
        page = document[match.file_page - 1]
        image = page.render(scale=k, grayscale=True).to_pil().convert("L")
        height = page.get_height()
        for box in pages[match.form_page].boxes:
            want = truth.get(box.name)
            if box.kind not in ("text", "multiline", "choice") or not want:
                continue
            x0, y0, x1, y1 = match.transform.rect(box.rect)
            crop = image.crop((round(x0 * k) + 6, round((height - y1) * k) + 6, round(x1 * k) - 6,
                               round((height - y0) * k) - 6))
            data = pytesseract.image_to_data(crop, config=f"--psm {6 if box.kind == 'multiline' else 7}",
                                             output_type=pytesseract.Output.DICT)
            words = [(w, float(c)) for w, c in zip(data["text"], data["conf"], strict=True) if str(w).strip()]
            got = " ".join(w for w, _ in words)
            out.append((min((c for _, c in words), default=0.0), got == " ".join(want.split())))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dpi", type=int, nargs="+", default=[150, 300])
    parser.add_argument("--engine", nargs="+", default=["ours"], choices=["ours", "pdfium", "pdftk"])
    args = parser.parse_args()
    if not available():
        raise SystemExit("tesseract and pytesseract are needed: apt-get install tesseract-ocr; pip install '.[ocr]'")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for engine in args.engine:
            original = fill(engine, work, richest_referral())
            raw = read_form(original.read_bytes())
            truth = {name: field.value for name, field in raw.fields.items() if isinstance(field.value, str)}
            flat = flatten("qpdf", original, work / f"{engine}-flat.pdf")
            for dpi in args.dpi:
                scan = as_scan(flat, dpi, work / f"{engine}-scan-{dpi}.pdf")
                alone = tesseract_alone(scan, truth)
                print(f"filled by {engine}, scan stand-in at {dpi} dpi: {len(alone)} text boxes with writing")
                for threshold in THRESHOLDS:
                    taken = [exact for score, exact in alone if score >= threshold]
                    print(f"  tesseract alone, word score >= {threshold:2}: {len(taken):3} taken, "
                          f"{sum(1 for e in taken if not e):2} of them wrong")
                start = time.perf_counter()
                read = read_flattened(scan.read_bytes(), ocr=True)
                seconds = time.perf_counter() - start
                exact = wrong = unread = 0
                for name, want in truth.items():
                    box = read.boxes.get(name)
                    if box is None or box.kind not in ("text", "multiline", "choice") or not want:
                        continue
                    if not box.readable:
                        unread += 1
                    elif box.value == want:
                        exact += 1
                    else:
                        wrong += 1
                        print(f"    WRONG {name}: {box.value!r} for {want!r}")
                print(f"  reader with --ocr: {exact} exact, {unread} reported unread, {wrong} wrong; "
                      f"{seconds:.1f} s for the file")


if __name__ == "__main__":
    main()
