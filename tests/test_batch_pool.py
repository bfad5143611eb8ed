"""The worker pool: a task that hangs or kills its worker is reported and the pool carries on."""

from __future__ import annotations

import os
import time

from brokerage.processor.pool import Outcome, WorkerPool


def _square(n: int) -> int:
    return n * n


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def _die(code: int) -> None:
    os._exit(code)


def _fail(text: str) -> None:
    raise ValueError(text)


def _hog() -> int:
    block = bytearray(1 << 31)  # 2 GiB: over the memory cap
    return len(block)


def drain(pool: WorkerPool, limit: float = 30) -> dict[str, Outcome]:
    out: dict[str, Outcome] = {}
    deadline = time.monotonic() + limit
    while pool.busy and time.monotonic() < deadline:
        for outcome in pool.poll(timeout=0.5):
            out[outcome.key] = outcome
    assert not pool.busy, "pool did not finish"
    return out


def test_results_come_back_by_key() -> None:
    with WorkerPool(2, time_limit=10) as pool:
        for n in range(6):
            pool.submit(f"n{n}", _square, n)
        got = drain(pool)
    assert {k: o.value for k, o in got.items()} == {f"n{n}": n * n for n in range(6)}
    assert all(o.ok for o in got.values())


def test_hung_task_is_stopped_and_the_pool_carries_on() -> None:
    started = time.monotonic()
    with WorkerPool(2, time_limit=1.5) as pool:
        pool.submit("hang", _sleep, 60)
        pool.submit("quick", _square, 3)
        pool.submit("after", _square, 4)
        got = drain(pool)
        assert pool.restarts == 1
    assert time.monotonic() - started < 15
    assert got["hang"].state == "timeout"
    assert "1.5 seconds" in got["hang"].error
    assert got["quick"].value == 9 and got["after"].value == 16


def test_crashed_worker_is_reported_and_replaced() -> None:
    with WorkerPool(1, time_limit=10) as pool:
        pool.submit("dies", _die, 7)
        pool.submit("next", _square, 5)
        got = drain(pool)
    assert got["dies"].state == "crash"
    assert got["next"].value == 25


def test_exception_is_an_error_outcome() -> None:
    with WorkerPool(1, time_limit=10) as pool:
        pool.submit("bad", _fail, "boom")
        got = drain(pool)
    assert got["bad"].state == "error"
    assert got["bad"].error.startswith("ValueError: boom")


def test_memory_cap_turns_a_hog_into_an_error() -> None:
    with WorkerPool(1, time_limit=20, memory_limit=1024**3) as pool:
        pool.submit("hog", _hog)
        pool.submit("next", _square, 2)
        got = drain(pool)
    assert got["hog"].state in ("error", "crash")
    assert got["next"].value == 4


def test_a_worker_killed_while_idle_is_replaced_without_blaming_a_task() -> None:
    import signal

    with WorkerPool(1, time_limit=10) as pool:
        pool.submit("first", _square, 2)
        assert drain(pool)["first"].value == 4
        worker = pool._workers[0].process
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(5)
        pool.submit("second", _square, 3)
        got = drain(pool)
        assert pool.restarts == 1
    assert got["second"].state == "ok" and got["second"].value == 9
