"""How fast the case folder of an accepted referral is written, against bare pypdf on the same files.

    python bench/bench_outputs.py [--files 20] [--repeat 1]

Builds ``--files`` distinct filled referrals (the three example referrals in turn, each with a
different allocated worker, filled into the generator's blank form) and measures in this run, one
process, one file at a time:

1. bare pypdf: ``PdfWriter(clone_from=PdfReader(...))`` of the referral, written to memory (one
   parse, one clone, one write: the least any output made from the file can cost);
2. the blank fill alone: ``fill_form(blank_form("referral"), data)`` (what making one PDF from
   the blank form costs);
3. ``write_case`` of the accepted referral into an empty folder (part A, Annex 1, the anonymised
   referral with its leak search, Part B prefilled, the JSON files).

Prints the median and mean ms per file of each and the ratio of 3 to 1 and to 2, then writes the
first referral's case a second time and checks the bytes are the same.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter

from brokerage.processor.outputs import write_case
from brokerage.processor.outputs.forms import blank_form, fill_form
from brokerage.processor.results import FileResult, Status
from brokerage.schema import set_at

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples"
REFERRALS = ("referral-two-children", "referral-summer-scheme", "referral-domiciliary-only")


def referrals(count: int) -> list[tuple[dict[str, Any], bytes]]:
    """``count`` distinct (instance, filled PDF) pairs."""
    bases = [json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8")) for name in REFERRALS]
    out = []
    for n in range(count):
        data = json.loads(json.dumps(bases[n % len(bases)]))
        set_at(data, "/part_a/allocated_worker/name", f"Worker {n:04d}")
        out.append((data, fill_form(blank_form("referral"), data)))
    return out


def accepted(data: dict[str, Any], pdf: bytes, n: int) -> FileResult:
    return FileResult(
        source=f"referral-{n:04d}.pdf", sha256=hashlib.sha256(pdf).hexdigest(), kind="referral",
        status=Status.accepted, reference=f"BRK-2026-{n + 1:04d}", data=data, received=date(2026, 2, 3),
    )


def bare_clone(pdf: bytes) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.write(io.BytesIO())


def timed(items: list[Any], run: Callable[[int, Any], None]) -> tuple[float, float]:
    times = []
    for n, item in enumerate(items):
        start = time.perf_counter()
        run(n, item)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, sum(times) * 1000 / len(times)


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20, help="referrals to write (default 20)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds over the files (default 1)")
    args = parser.parse_args()

    items = referrals(args.files)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        # Warm up: the blank forms, the form font and the blank's leak haystacks are made once a process.
        write_case(accepted(*items[0], 0), items[0][1], out / "warm")
        rows: dict[str, list[tuple[float, float]]] = {"bare": [], "fill": [], "case": []}
        for round_ in range(args.repeat):
            rows["bare"].append(timed(items, lambda n, item: bare_clone(item[1])))
            rows["fill"].append(timed(items, lambda n, item: fill_form(blank_form("referral"), item[0])))
            rows["case"].append(
                timed(items, lambda n, item, r=round_: write_case(accepted(*item, n), item[1], out / f"r{r}-{n}"))
            )
        again = out / "again"
        write_case(accepted(*items[0], 0), items[0][1], again)
        same = tree(again) == tree(out / "r0-0")

    def best(key: str) -> tuple[float, float]:
        return min(rows[key], key=lambda r: r[0])

    bare, fill, case = best("bare"), best("fill"), best("case")
    labels = {
        "bare": "pypdf clone_from + write of the referral",
        "fill": "blank referral filled (fill_form)",
        "case": "write_case (referral, whole case folder)",
    }
    print(f"{args.files} referrals, {args.repeat} round(s), one process; ms per file (median / mean)")
    for key, (median, mean) in (("bare", bare), ("fill", fill), ("case", case)):
        print(f"  {labels[key]:<44} {median:8.1f} / {mean:8.1f}")
    print(f"  write_case / bare clone: {case[0] / bare[0]:.1f}x   write_case / blank fill: {case[0] / fill[0]:.1f}x")
    print(f"  second write of the same case identical byte for byte: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
