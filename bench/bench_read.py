"""How fast the processor reads returned forms, against bare pypdf and pdftk on the same files.

    python bench/bench_read.py [--files 500] [--sample 100] [--pdftk-sample 20] [--jobs N]

Builds filled referrals (the generator's form and filler, each with a different worker name, so
no two are duplicates) and provider responses in a temporary folder, then measures in this run:

1. ``pypdf get_fields()`` alone, one process, every sample file (the baseline of PERFORMANCE.md);
2. ``pdftk dump_data_fields_utf8``, one process per file, on a smaller sample (it is slow);
3. our checking steps (read, identify, extract, coerce, validate) in one process, same files;
4. the checking steps over the whole inbox in the batch's worker pool (``--jobs``), wall time;
5. ``brokerage process`` on the whole inbox (``--files`` forms; the real batch: workers, ledger,
   case folders, letters, summaries), wall time.

Prints ms per file for 1–3 with the ratios, and the inbox times for 4 and 5.
"""

from __future__ import annotations

import argparse
import gc
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pipeline_inputs import example, form_pdf, with_values  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from brokerage.processor.batch import BatchOptions, run_batch  # noqa: E402
from brokerage.processor.pipeline import FileContext, Settings, check  # noqa: E402
from brokerage.processor.pool import WorkerPool, default_jobs  # noqa: E402

TODAY = date(2026, 2, 2)
SETTINGS = Settings(today=TODAY)


def build_inbox(folder: Path, count: int) -> list[Path]:
    """``count`` forms: four referrals to one provider response, all distinct."""
    referral = example("referral-summer-scheme")
    response = example("provider-response")
    paths = []
    for n in range(count):
        if n % 5 == 4:
            data = with_values(response, {"/part_b/provider/name": f"Provider {n:04d} Ltd"})
            name = f"response-{n:04d}.pdf"
        else:
            data = with_values(referral, {"/part_a/allocated_worker/name": f"Worker {n:04d}"})
            name = f"referral-{n:04d}.pdf"
        path = folder / name
        path.write_bytes(form_pdf(data))
        paths.append(path)
    return paths


def per_file_ms(paths: list[Path], read) -> float:  # type: ignore[no-untyped-def]
    times = []
    for path in paths:
        start = time.perf_counter()
        read(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, sum(times) * 1000 / len(times)


def pypdf_fields(path: Path) -> None:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    fields = reader.get_fields() or {}
    {name: str(f.get("/V")) for name, f in fields.items()}


def pdftk_fields(path: Path) -> None:
    subprocess.run(["pdftk", str(path), "dump_data_fields_utf8"], check=True, capture_output=True)


def ours(path: Path) -> None:
    checked = check(FileContext(path=path, source=path.name, settings=Settings(today=TODAY)))
    assert not checked.rejected, checked.problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=500, help="forms in the inbox for the batch timing")
    parser.add_argument("--sample", type=int, default=100, help="forms read one by one for ms/file")
    parser.add_argument("--pdftk-sample", type=int, default=20, help="forms read with pdftk (slow)")
    parser.add_argument("--jobs", type=int, default=0, help="batch workers (0: one per core)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="brokerage-bench-"))
    try:
        inbox = work / "inbox"
        inbox.mkdir()
        started = time.perf_counter()
        paths = build_inbox(inbox, args.files)
        size = statistics.mean(p.stat().st_size for p in paths) / 1024
        print(f"built {len(paths)} forms ({size:.0f} KB each on average) in {time.perf_counter() - started:.1f} s")
        sample = paths[: args.sample]
        ours(sample[0])  # warm caches (schema, policy, rules) as a batch worker would be
        pypdf_fields(sample[0])
        gc.collect()
        pypdf_median, pypdf_mean = per_file_ms(sample, pypdf_fields)
        ours_median, ours_mean = per_file_ms(sample, ours)
        rows = [("pypdf get_fields()", pypdf_median, pypdf_mean, len(sample))]
        if shutil.which("pdftk"):
            few = sample[: args.pdftk_sample]
            pdftk_median, pdftk_mean = per_file_ms(few, pdftk_fields)
            rows.append(("pdftk dump_data_fields_utf8", pdftk_median, pdftk_mean, len(few)))
        else:
            pdftk_mean = float("nan")
        rows.append(("ours: read+identify+coerce+validate", ours_median, ours_mean, len(sample)))
        print(f"\n{'way to read every field':40} {'median ms':>10} {'mean ms':>10} {'files':>6}")
        for name, median, mean, count in rows:
            print(f"{name:40} {median:10.1f} {mean:10.1f} {count:6d}")
        print(f"\nours / pypdf get_fields(): {ours_mean / pypdf_mean:.2f}x (mean)")
        print(f"pdftk / ours: {pdftk_mean / ours_mean:.2f}x (mean; pdftk is one process per file)")

        jobs = args.jobs or default_jobs()
        start = time.perf_counter()
        with WorkerPool(jobs, time_limit=60) as pool:
            for path in paths:
                pool.submit(path.name, check, FileContext(path=path, source=path.name, settings=SETTINGS))
            done = 0
            while pool.busy:
                done += len(pool.poll(timeout=1))
        elapsed = time.perf_counter() - start
        print(
            f"\nchecking steps only, {done} files in {jobs} worker(s): {elapsed:.1f} s "
            f"({elapsed * 1000 / len(paths):.1f} ms/file wall)"
        )

        out = work / "out"
        options = BatchOptions(jobs=args.jobs)
        start = time.perf_counter()
        report = run_batch(inbox, out, Settings(today=TODAY), options)
        elapsed = time.perf_counter() - start
        statuses = {s.value: report.count(s) for s in type(report.results[0].status)}
        print(
            f"\nbrokerage process, {len(paths)} files, jobs={args.jobs or 'cores'}: {elapsed:.1f} s "
            f"({elapsed * 1000 / len(paths):.0f} ms/file wall) {statuses}"
        )
        start = time.perf_counter()
        run_batch(inbox, out, Settings(today=TODAY), options)
        print(f"re-run of the same inbox (verdicts from the ledger): {time.perf_counter() - start:.1f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
