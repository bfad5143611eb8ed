"""Issue 14: byte mutations of a filled referral (fixed seeds) each get a verdict, and the run exits 0.

A few hundred here; ``bench/bench_fuzz.py`` runs thousands and prints the figures."""

from __future__ import annotations

import json
from pathlib import Path

from fuzz_inputs import mutations
from pipeline_inputs import example, form_pdf
from typer.testing import CliRunner

from brokerage.cli import app

SEEDS = (14, 1402)
PER_SEED = 100
FAULTS = {"file:internal-error", "file:crash"}
"""Rules that mean the toolkit, not the file, failed."""


def test_every_mutated_referral_gets_a_verdict_and_the_run_exits_0(tmp_path: Path) -> None:
    referral = form_pdf(example("referral-summer-scheme"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    names = []
    for seed in SEEDS:
        for name, data in mutations(referral, PER_SEED, seed):
            names.append(f"{seed}-{name}")
            (inbox / names[-1]).write_bytes(data)
    out = tmp_path / "out"
    args = ["process", str(inbox), "-o", str(out), "--jobs", "2", "--today", "2026-02-02", "--time-limit", "30"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output[-2000:]
    files = json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"]
    assert sorted(f["source"] for f in files) == sorted(names)
    assert all(f["status"] in ("accepted", "returned", "rejected", "duplicate") for f in files)
    faults = [(f["source"], p["message"]) for f in files for p in f["problems"] if p["rule"] in FAULTS]
    assert faults == []
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"] == files, "same input, same result"
