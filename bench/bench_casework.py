"""What the casework outputs cost, against the anonymised referral the case folder makes today.

    python bench/bench_casework.py [--files 20]

Builds ``--files`` distinct referrals (the three example referrals in turn, each with a different
allocated worker) and measures in this run, one process, one file at a time:

1. baseline: ``anonymised_referral`` (the blank 17-page referral filled with anonymised data, stamped,
   leak-searched), as ``write_case`` makes it now;
2. ``provider_referral_pdf``: the flowing referral for providers, with its leak checks (every string
   drawn, then the text pypdf extracts from the rendered file);
3. the same with the second check left out (``render_flowing`` of the document alone);
4. ``full_print``: the officer's flowing print of every box;
5. one send-out ``.eml`` (both PDFs attached) built and serialised.

Prints the median ms per file of each and the ratios to 1; checks that 2 gives the same bytes twice.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from brokerage.generator.flowing import render_flowing
from brokerage.generator.printout import full_print
from brokerage.processor.mail import Recipient, build_message, message_bytes, morning, send_out_draft
from brokerage.processor.outputs.provider_referral import (
    ProviderReferral,
    provider_referral_document,
    provider_referral_pdf,
)
from brokerage.processor.outputs.providers import anonymised_referral, part_b_prefilled
from brokerage.processor.providers import Lot
from brokerage.rules import load_policy
from brokerage.schema import set_at

ROOT = Path(__file__).resolve().parent.parent
REFERRALS = ("referral-two-children", "referral-summer-scheme", "referral-domiciliary-only")


def referrals(count: int) -> list[dict[str, Any]]:
    bases = [json.loads((ROOT / "tests" / "examples" / f"{n}.json").read_text(encoding="utf-8")) for n in REFERRALS]
    out = []
    for n in range(count):
        data = json.loads(json.dumps(bases[n % len(bases)]))
        set_at(data, "/part_a/allocated_worker/name", f"Worker {n:04d}")
        out.append(data)
    return out


def timed(label: str, items: list[dict[str, Any]], work: Callable[[dict[str, Any]], object]) -> float:
    work(items[0])  # warm: fonts registered, blank form built, templates compiled
    times = []
    for item in items:
        start = time.perf_counter()
        work(item)
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    print(f"{label:<58} {median:8.1f} ms median  {statistics.mean(times):8.1f} ms mean")
    return median


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=20)
    args = parser.parse_args()
    items = referrals(args.files)
    policy = load_policy()
    sending = ProviderReferral("BRK-2026-0001", date(2026, 2, 9), False, policy.brokerage, date(2026, 2, 2),
                               frozenset({Lot.SHORT_BREAKS, Lot.DOMICILIARY_CARE}))
    part_b = part_b_prefilled("BRK-2026-0001", "bench")
    referral = provider_referral_pdf(items[0], sending)
    provider = Recipient("Bright Days Play Ltd", "referrals@brightdays.example", "provider")

    def eml(data: dict[str, Any]) -> bytes:
        draft = send_out_draft("BRK-2026-0001", provider, deadline=sending.deadline, urgent=False, lots=sending.lots,
                               contact=policy.brokerage, referral_pdf=referral, part_b_pdf=part_b)
        return message_bytes(build_message(draft, policy.brokerage.email, morning(sending.today)))

    print(f"{args.files} referrals, one process")
    base = timed("1. anonymised_referral (17-page form, today)", items,
                 lambda d: anonymised_referral(d, "BRK-2026-0001", "bench"))
    flowing = timed("2. provider_referral_pdf (flowing, both leak checks)", items,
                    lambda d: provider_referral_pdf(d, sending))
    bare = timed("3. render_flowing of the provider document only", items,
                 lambda d: render_flowing(provider_referral_document(d, sending)))
    printed = timed("4. full_print (every box, flowing)", items, lambda d: full_print(d, "referral", "BRK-2026-0001"))
    mail = timed("5. send-out .eml with both PDFs", items, eml)
    print(f"ratios to 1: flowing referral {flowing / base:.2f}, render only {bare / base:.2f}, "
          f"full print {printed / base:.2f}, eml {mail / base:.3f}")
    same = provider_referral_pdf(items[0], sending) == provider_referral_pdf(items[0], sending)
    print(f"same bytes twice: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
