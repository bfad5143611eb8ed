"""One batch at a time per ledger, and a restart right after a kill is not refused."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest

from brokerage.errors import OutputError
from brokerage.processor.batch import exclusive


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _hold_lock(ledger: str, ready: Any, seconds: float) -> None:
    with exclusive(Path(ledger)):
        ready.set()
        time.sleep(seconds)


def test_a_second_run_on_the_same_ledger_is_refused_with_a_sentence(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite3"
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    other = context.Process(target=_hold_lock, args=(str(ledger), ready, 5.0))
    other.start()
    try:
        assert ready.wait(30)
        refused = "Another 'brokerage process' is using the case ledger"
        with pytest.raises(OutputError, match=refused), exclusive(ledger):
            pass
    finally:
        other.kill()
        other.join()
    with exclusive(ledger):  # the holder is gone: the lock went with it
        pass


def test_workers_forked_while_the_lock_is_held_do_not_keep_it(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite3"
    context = multiprocessing.get_context("fork")
    with exclusive(ledger):
        worker = context.Process(target=_sleep, args=(5.0,))
        worker.start()
    try:
        assert worker.is_alive()
        with exclusive(ledger):  # a restarted run while the old run's worker still lives
            pass
    finally:
        worker.kill()
        worker.join()
