"""A small pool of worker processes that can be killed and replaced.

``concurrent.futures`` cannot stop one task that hangs or kill one worker without breaking the
whole pool, so the batch uses this instead: each worker is a process with a pipe; the parent sends
one task at a time, waits on every pipe and every process sentinel together, and when a task runs
past its time limit (or its process dies) kills that one worker, reports the task, and starts a
fresh worker in its place. Tasks are module-level functions with picklable arguments.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import os
import pickle
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing.connection import Connection, wait
from typing import Any

try:  # POSIX only: cap a worker's memory so a decompression bomb fails instead of swapping
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]


class OutcomeState(StrEnum):
    """What became of one task."""

    ok = "ok"
    """The function returned; the outcome's ``value`` holds the result."""
    error = "error"
    """The function raised; the outcome's ``error`` holds the exception and its traceback."""
    timeout = "timeout"
    """Stopped after the time limit (the worker was killed and replaced)."""
    crash = "crash"
    """The worker process died."""


@dataclass(frozen=True)
class Outcome:
    """What became of the task submitted under ``key``."""

    key: Hashable
    state: OutcomeState
    value: Any = None
    error: str = ""
    exception: BaseException | None = None
    """What the function raised, when it could be sent back (so the caller can tell a condition of
    the machine from a file that cannot be handled by its type, never by its message)."""

    @property
    def ok(self) -> bool:
        return self.state is OutcomeState.ok


def _address_space() -> int:
    """This process's current virtual memory size in bytes (0 when unknown)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _cap_memory(extra: int) -> None:
    """Let this worker grow by at most ``extra`` bytes of address space beyond its size now."""
    if resource is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = _address_space() + extra
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _watch_parent(parent: int, interval: float = 0.5) -> None:
    """Stop this worker as soon as its parent is gone (killed with -9, say), even mid-task: nobody
    would read its result, and it must not go on holding files the next run needs."""

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _worker_main(conn: Connection, inherited: list[Connection], memory_limit: int | None) -> None:
    # Ctrl-C is the parent's to handle: it stops the workers itself and leaves the ledger consistent.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker holds copies of the parent's pipe ends (its own and earlier workers'); close
    # them, or a worker never sees end-of-file when the parent dies (kill -9) and lives on.
    for other in inherited:
        with contextlib.suppress(OSError):
            other.close()
    # pypdf's warnings about odd files would interleave with the parent's progress bar; a file's
    # real trouble comes back as its result or error.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    _watch_parent(os.getppid())
    if memory_limit:
        _cap_memory(memory_limit)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if message is None:
            return
        task_id, func, args = message
        try:
            reply = (task_id, OutcomeState.ok, func(*args), "", None)
        except MemoryError as error:
            reply = (task_id, OutcomeState.error, None, "MemoryError: the file needs more memory than allowed", error)
        except Exception as error:  # reported to the parent as this file's failure
            text = f"{type(error).__name__}: {error}\n{traceback.format_exc()}"
            reply = (task_id, OutcomeState.error, None, text, _sendable(error))
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


def _sendable(error: BaseException) -> BaseException | None:
    """``error`` if it survives pickling (what a pipe sends), else ``None``."""
    try:
        return pickle.loads(pickle.dumps(error))  # type: ignore[no-any-return]
    except Exception:
        return None


class _Worker:
    def __init__(self, context: Any, memory_limit: int | None, others: list[Connection]) -> None:
        self.conn, child = context.Pipe(duplex=True)
        inherited = [*others, self.conn] if context.get_start_method() == "fork" else []
        self.process = context.Process(target=_worker_main, args=(child, inherited, memory_limit), daemon=True)
        self.process.start()
        child.close()
        self.task: tuple[int, Hashable] | None = None
        self.deadline = 0.0

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """``jobs`` worker processes; :meth:`submit` tasks, then :meth:`poll` for their outcomes."""

    def __init__(self, jobs: int, *, time_limit: float = 60.0, memory_limit: int | None = None) -> None:
        self.jobs = max(1, jobs)
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self._context = multiprocessing.get_context(method)
        self._workers: list[_Worker] = []
        for _ in range(self.jobs):
            self._workers.append(_Worker(self._context, memory_limit, self._parent_ends()))
        self._queue: deque[tuple[int, Hashable, Callable[..., Any], tuple[Any, ...]]] = deque()
        self._ids = itertools.count()
        self.restarts = 0

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def busy(self) -> bool:
        return bool(self._queue) or any(w.task is not None for w in self._workers)

    def submit(self, key: Hashable, func: Callable[..., Any], *args: Any) -> None:
        """Run ``func(*args)`` in a worker (a module-level function, picklable arguments); its
        :class:`Outcome` comes back from :meth:`poll` under ``key``."""
        self._queue.append((next(self._ids), key, func, args))
        self._dispatch()

    def _dispatch(self) -> None:
        for index in range(len(self._workers)):
            if not self._queue:
                return
            if self._workers[index].task is not None:
                continue
            if not self._workers[index].process.is_alive():  # died while idle: no task to blame
                self._replace(self._workers[index])
            worker = self._workers[index]
            task_id, key, func, args = self._queue.popleft()
            worker.task = (task_id, key)
            worker.deadline = time.monotonic() + self.time_limit
            try:
                worker.conn.send((task_id, func, args))
            except (OSError, ValueError):
                # The worker died just now: put the task back; the next dispatch uses its replacement.
                self._queue.appendleft((task_id, key, func, args))
                worker.task = None
                self._replace(worker)

    def _parent_ends(self, leaving: _Worker | None = None) -> list[Connection]:
        return [w.conn for w in self._workers if w is not leaving and not w.conn.closed]

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        index = self._workers.index(worker)
        self._workers[index] = _Worker(self._context, self.memory_limit, self._parent_ends(worker))
        self.restarts += 1

    def poll(self, timeout: float | None = None) -> list[Outcome]:
        """Wait up to ``timeout`` seconds (``None``: until something happens) and return outcomes."""
        outcomes: list[Outcome] = []
        busy = [w for w in self._workers if w.task is not None]
        if not busy:
            self._dispatch()
            busy = [w for w in self._workers if w.task is not None]
            if not busy:
                return outcomes
        now = time.monotonic()
        wait_for = max(0.0, min(w.deadline for w in busy) - now)
        if timeout is not None:
            wait_for = min(wait_for, timeout)
        handles: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        ready = set(wait(handles, timeout=wait_for))
        for worker in busy:
            assert worker.task is not None
            task_id, key = worker.task
            if worker.conn in ready:
                try:
                    got_id, state, value, error, raised = worker.conn.recv()
                except (EOFError, OSError):
                    outcomes.append(Outcome(key, OutcomeState.crash, error="the worker process stopped unexpectedly"))
                    worker.task = None
                    self._replace(worker)
                    continue
                worker.task = None
                if got_id == task_id:
                    outcomes.append(Outcome(key, state, value, error, raised))
            elif worker.process.sentinel in ready:
                stopped = f"the worker process stopped (exit code {worker.process.exitcode})"
                outcomes.append(Outcome(key, OutcomeState.crash, error=stopped))
                worker.task = None
                self._replace(worker)
            elif time.monotonic() >= worker.deadline:
                outcomes.append(Outcome(key, OutcomeState.timeout, error=f"stopped after {self.time_limit:g} seconds"))
                worker.task = None
                self._replace(worker)
        self._dispatch()
        return outcomes

    def close(self) -> None:
        for worker in self._workers:
            if worker.task is None and worker.process.is_alive():
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
        deadline = time.monotonic() + 2
        for worker in self._workers:
            if worker.task is None:
                worker.process.join(max(0.0, deadline - time.monotonic()))
            worker.kill()
        self._workers = []


def default_jobs() -> int:
    return os.cpu_count() or 1
