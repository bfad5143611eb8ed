"""What signing and verifying one IPA costs, in time and bytes, against filling it (the same run).

    python bench/bench_signatures.py [--files 10]

Makes a test authority and three certificates, then for ``--files`` IPAs (the example IPA with a
different reference each), one process, one file at a time, measures:

1. baseline: ``fill_pdf`` of the blank IPA (issuing the agreement without a certificate), and
   pypdf ``get_fields()`` of the result (reading it back);
2. ``certify`` (the service's certification);
3. ``countersign`` with a certificate of an IPA typed by the provider (MuPDF, incremental) and signed
   digitally by them (pyHanko, as Acrobat does), and ``countersign`` without a certificate;
4. ``verify`` of the countersigned IPA (three signatures, each with pyHanko's difference analysis).

Prints median ms per file and the ratio to the fill, and the bytes each step adds to the file.
Needs ``mutool`` (the provider's typing); the typing itself is not timed.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pypdf import PdfReader  # noqa: E402
from signatures_support import (  # noqa: E402
    COUNTERSIGN_DAY,
    OFFICER,
    make_certificates,
    sign_as_acrobat,
    type_with_mupdf,
)

from brokerage.generator import build_form, fill_pdf  # noqa: E402
from brokerage.processor.signatures import certify, countersign, load_trust_roots, verify  # noqa: E402
from brokerage.schema import default_catalogue  # noqa: E402


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return (time.perf_counter() - start) * 1000, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10)
    args = parser.parse_args()
    base = json.loads((ROOT / "tests" / "examples" / "ipa.json").read_text(encoding="utf-8"))
    del base["part_c"]["provider_signatory"], base["part_c"]["countersignature"]
    blank = build_form(default_catalogue().form("ipa"))
    times: dict[str, list[float]] = {k: [] for k in ("fill", "read", "certify", "countersign", "plain", "verify")}
    sizes: dict[str, list[int]] = {k: [] for k in ("issued", "certify", "typing", "provider", "countersign", "plain")}
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        certs = make_certificates(folder / "certificates")
        service, officer = certs.signer(certs.service), certs.signer(certs.officer)
        trust = load_trust_roots(certs.ca_pem)
        for n in range(args.files):
            data = json.loads(json.dumps(base))
            data["part_c"]["reference"] = f"BRK-2026-{n + 1:04d}"
            ms, issued = timed(lambda data=data: fill_pdf(blank, data))
            times["fill"].append(ms)
            ms, _ = timed(lambda issued=issued: PdfReader(io.BytesIO(issued)).get_fields())
            times["read"].append(ms)
            ms, certified = timed(lambda issued=issued: certify(issued, service))
            times["certify"].append(ms)
            typed = type_with_mupdf(certified, folder)
            signed = sign_as_acrobat(typed, certs.provider)
            ms, final = timed(lambda signed=signed: countersign(signed, OFFICER, COUNTERSIGN_DAY, officer))
            times["countersign"].append(ms)
            ms, plain = timed(lambda typed=typed: countersign(typed, OFFICER, COUNTERSIGN_DAY, None))
            times["plain"].append(ms)
            ms, result = timed(lambda final=final: verify(final, trust=trust))
            times["verify"].append(ms)
            assert result.ok and len(result.signatures) == 3
            sizes["issued"].append(len(issued))
            sizes["certify"].append(len(certified) - len(issued))
            sizes["typing"].append(len(typed) - len(certified))
            sizes["provider"].append(len(signed) - len(typed))
            sizes["countersign"].append(len(final) - len(signed))
            sizes["plain"].append(len(plain) - len(typed))
    fill = statistics.median(times["fill"])
    labels = {
        "fill": "fill_pdf (issue without a certificate)",
        "read": "pypdf get_fields() of the issued IPA",
        "certify": "certify",
        "countersign": "countersign with a certificate",
        "plain": "countersign without a certificate",
        "verify": "verify (3 signatures)",
    }
    print(f"{args.files} IPAs, one process; median ms per file, and x the fill")
    for key, label in labels.items():
        median = statistics.median(times[key])
        print(f"  {label:<42} {median:8.1f}   {median / fill:5.1f}x")
    print("bytes (median)")
    words = {
        "issued": "the issued IPA",
        "certify": "added by the certification",
        "typing": "added by the provider's typing (MuPDF, incremental)",
        "provider": "added by the provider's signature",
        "countersign": "added by the countersignature (boxes, locks, signature)",
        "plain": "added by the countersignature without a certificate",
    }
    for key, label in words.items():
        print(f"  {label:<58} {statistics.median(sizes[key]):>9,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
