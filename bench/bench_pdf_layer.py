"""What the PDF layer costs on top of pypdf's parsing, against bare pypdf in the same run.

    python bench/bench_pdf_layer.py [--files 40] [--rounds 5]

Builds filled referrals (293 fields, 301 widgets, 17 pages each) and measures, as the median of
``--rounds`` passes over every file, in ms per file:

1. ``pypdf get_fields()`` on a fresh reader (the baseline of PERFORMANCE.md);
2. ``brokerage.pdf.read_pdf_form`` (open, walk, values, widgets, pages) from the bytes;
3. ``brokerage.processor.pdf_read.read_form`` (the processor's reader: 2 plus its ``RawForm``);
4. ``brokerage.pdf.form_of`` on readers whose objects are already parsed: the layer's own work
   (walk, classify, values, widgets with rectangles and flags, page boxes), without pypdf's parser.

Prints each with its ratio to 1. A reading backend behind the layer (issue 19, pikepdf) is compared
by adding its row here.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pipeline_inputs import example, form_pdf, with_values  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from brokerage.pdf import form_of, open_pdf, read_pdf_form  # noqa: E402
from brokerage.processor.pdf_read import read_form  # noqa: E402


def per_file_ms(items: list, work: Callable[[object], object], rounds: int) -> float:  # type: ignore[type-arg]
    passes = []
    for _ in range(rounds):
        started = time.perf_counter()
        for item in items:
            work(item)
        passes.append((time.perf_counter() - started) / len(items) * 1000)
    return statistics.median(passes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=40, help="filled referrals to read")
    parser.add_argument("--rounds", type=int, default=5, help="passes over every file; the median is shown")
    args = parser.parse_args()

    referral = example("referral-summer-scheme")
    files = [form_pdf(with_values(referral, {"/part_a/allocated_worker/name": f"Worker {n:04d}"}))
             for n in range(args.files)]
    baseline = per_file_ms(files, lambda data: PdfReader(io.BytesIO(data)).get_fields(), args.rounds)
    rows = [
        ("pypdf get_fields()", baseline),
        ("brokerage.pdf.read_pdf_form", per_file_ms(files, read_pdf_form, args.rounds)),
        ("processor read_form", per_file_ms(files, read_form, args.rounds)),
    ]
    # last: readers kept alive make the garbage collector slow down everything measured after them
    parsed = [open_pdf(data) for data in files]
    for reader in parsed:
        form_of(reader)  # every object parsed and cached by pypdf
    rows.append(("form_of on parsed readers (layer only)", per_file_ms(parsed, form_of, args.rounds)))
    print(f"{args.files} filled referrals, median of {args.rounds} passes")
    print(f"{'way to read every field':42} {'ms/file':>8} {'× pypdf':>8}")
    for name, ms in rows:
        print(f"{name:42} {ms:8.2f} {ms / baseline:8.2f}")


if __name__ == "__main__":
    main()
