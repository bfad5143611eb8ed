"""Hostile inputs at scale (issue 14): byte mutations of a filled referral through the whole batch, and
the names rule on long texts, each against a baseline measured in the same run.

    python bench/bench_fuzz.py [--files 1000] [--seed 14] [--jobs 2]

1. ``--files`` mutations (``tests/fuzz_inputs.py``, fixed seed) go through ``run_batch``; the run
   must give every file a verdict and leave none unfinished (it exits 1 otherwise). Printed: the
   verdicts and first rules, wall ms per file, and bare pypdf ``get_fields()`` on the same files in
   one process (the baseline), with the ratio.
2. The names rule (``rules/names.py::names_in``) on 50, 100 and 200 KB of capitalised words (the
   input that took 43 s at 200 KB before it was made linear): ms each and the ratio 200 KB / 50 KB
   (4 for linear work, 16 for quadratic).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import itertools
import shutil
import string
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fuzz_inputs import mutations  # noqa: E402
from pipeline_inputs import example, form_pdf  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from brokerage.processor.batch import BatchOptions, run_batch  # noqa: E402
from brokerage.processor.pipeline import Settings  # noqa: E402
from brokerage.rules.names import names_in  # noqa: E402


def bare_pypdf(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        with contextlib.suppress(Exception):  # the baseline only times pypdf, whatever it makes of the file
            PdfReader(io.BytesIO(path.read_bytes())).get_fields()
    return (time.perf_counter() - start) * 1000 / len(paths)


def names_text(size: int) -> str:
    words = ("and Q" + "".join(p) for p in itertools.product(string.ascii_lowercase, repeat=4))
    parts: list[str] = []
    total = 0
    for word in words:
        parts.append(word)
        total += len(word) + 1
        if total > size:
            break
    return " ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    referral = form_pdf(example("referral-summer-scheme"))
    folder = Path(tempfile.mkdtemp(prefix="bench-fuzz-"))
    try:
        inbox = folder / "inbox"
        inbox.mkdir()
        paths = []
        for name, data in mutations(referral, args.files, args.seed):
            paths.append(inbox / name)
            paths[-1].write_bytes(data)
        baseline = bare_pypdf(paths)
        start = time.perf_counter()
        report = run_batch(
            inbox, folder / "out", Settings(today=date(2026, 2, 2)), BatchOptions(jobs=args.jobs, time_limit=60)
        )
        wall = (time.perf_counter() - start) * 1000 / len(paths)
        statuses = collections.Counter(r.status.value for r in report.results)
        first_rules = collections.Counter(r.problems[0].rule for r in report.results if r.problems)
        print(f"{len(paths)} mutations (seed {args.seed}), {len(report.results)} verdicts, "
              f"{len(report.unfinished)} unfinished, {report.restarts} worker restarts")
        print("verdicts:", dict(sorted(statuses.items())))
        print("first rules:", dict(first_rules.most_common(10)))
        print(f"bare pypdf get_fields(), 1 process: {baseline:.1f} ms/file")
        print(f"brokerage batch, {args.jobs} workers (wall): {wall:.1f} ms/file ({wall / baseline:.2f}x pypdf)")
        complete = len(report.results) == len(paths) and report.complete
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    times = {}
    for size in (50_000, 100_000, 200_000):
        text = names_text(size)
        start = time.perf_counter()
        names_in(text, frozenset())
        times[size] = (time.perf_counter() - start) * 1000
        print(f"names rule, {size // 1000} KB: {times[size]:.0f} ms")
    print(f"names rule 200 KB / 50 KB: {times[200_000] / times[50_000]:.1f}x (4 is linear, 16 quadratic)")
    return 0 if complete else 1


if __name__ == "__main__":
    raise SystemExit(main())
