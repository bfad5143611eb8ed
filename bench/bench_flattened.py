"""How fast the flattened reader reads a referral, against the fillable reader on the same referral.

    python bench/bench_flattened.py [--repeat 15]

Fills the richest referral (``tests/flattened_support.py``: both children, Annex 1, short break and
home care) with our filler, then makes from it, in a temporary folder: the fillable original, copies
flattened by ``qpdf --flatten-annotations=all``, ``pdftk … flatten`` and ``mutool convert``, the qpdf
copy printed at 97 % with a 5 mm offset and no markers, and a scan stand-in at 150 dpi. In this run it
measures (median of ``--repeat`` reads, one process, after one warm-up read that builds the form maps):

1. the fillable reader (``pdf_read.read_form``) on the fillable original: the baseline;
2. ``read_flattened`` on each of the other files;
3. the one-off cost per process of the blank forms' maps (generating the three forms and reading them).

Prints ms per file and per page, and each as a ratio of the baseline. Needs qpdf, pdftk, mutool and
pdftoppm on the PATH.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from flattened_support import as_scan, fill, flatten, printed, richest_referral  # noqa: E402

from brokerage.processor.flattened import read_flattened  # noqa: E402
from brokerage.processor.pdf_read import read_form  # noqa: E402


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        original = fill("ours", work, richest_referral())
        qpdf = flatten("qpdf", original, work / "qpdf.pdf")
        files = {
            "qpdf --flatten-annotations=all": qpdf,
            "pdftk flatten": flatten("pdftk", original, work / "pdftk.pdf"),
            "mutool convert (no markers)": flatten("mutool", original, work / "mutool.pdf"),
            "printed 97 %, 5 mm, no markers": printed(qpdf, work / "printed.pdf"),
            "scan stand-in, 150 dpi": as_scan(qpdf, 150, work / "scan.pdf"),
        }
        data = {name: path.read_bytes() for name, path in files.items()}
        fillable = original.read_bytes()
        pages = read_form(fillable).page_count

        start = time.perf_counter()
        read_flattened(data["qpdf --flatten-annotations=all"])  # builds the blank forms' maps once
        warm_up = (time.perf_counter() - start) * 1000

        baseline = median_ms(lambda: read_form(fillable), args.repeat)
        print(f"richest referral, {pages} pages; median of {args.repeat} reads, one process")
        print(f"{'file':36} {'ms/file':>9} {'ms/page':>9} {'× fillable':>11}")
        print(f"{'fillable original (read_form)':36} {baseline:9.1f} {baseline / pages:9.2f} {1.0:11.2f}")
        for name, blob in data.items():
            repeat = args.repeat if "scan" not in name else max(3, args.repeat // 5)
            ms = median_ms(lambda blob=blob: read_flattened(blob), repeat)
            print(f"{name:36} {ms:9.1f} {ms / pages:9.2f} {ms / baseline:11.2f}")
        print(f"first read in a process (form maps of the 3 blank forms built then): {warm_up:.0f} ms")


if __name__ == "__main__":
    main()
