"""The batch: every file of an inbox through the pipeline, in parallel, with nothing lost.

Workers (:mod:`brokerage.processor.pool`) run the checking steps and write each file's outputs;
only this parent process opens the ledger. The order of events for one file is:

1. the parent hashes the file (the only time it is hashed; its size is taken in the same pass); a file
   the ledger already holds (same bytes, same name) keeps its recorded verdict and is not read again
   (its outputs are rewritten only if some are missing);
2. a worker checks its size, reads, identifies, extracts, coerces and validates it (per-file time limit);
3. the parent routes it in inbox order (so references do not depend on which worker was faster;
   provider responses and IPAs after every referral of the run), reserving a referral's reference;
4. a worker writes its outputs atomically;
5. the parent records the verdict in one ledger transaction.

A run killed anywhere is safe to start again: what was recorded is kept, what was not is redone
with the same reference and the same output names.

The two steps run in workers are :class:`Tasks`, given in :class:`BatchOptions`: the seam the
fault-injection tests use to put a step that hangs, crashes or fails in a worker and prove the batch
survives it (a whole ``brokerage process`` run uses :data:`DEFAULT_TASKS`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from brokerage.errors import InputFileError, OutputError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from brokerage.processor.ledger import LEDGER_NAME, Ledger
from brokerage.processor.pipeline import (
    Checked,
    FileContext,
    RouteContext,
    Settings,
    check,
    data_hash_of,
    file_problem,
    fingerprint,
    note_seen,
    route,
    write,
)
from brokerage.processor.pool import Outcome, OutcomeState, WorkerPool, default_jobs
from brokerage.processor.results import FileResult, Status

DEFAULT_TIME_LIMIT = 60.0
DEFAULT_MEMORY_LIMIT = 2 * 1024**3

Progress = Callable[[int, int, FileResult], None]
"""Called with (files done, files in the inbox, the file's result) as each file gets its verdict."""


class TaskKind(StrEnum):
    """The two steps of a file that run in a worker."""

    check = "check"
    """Read, identify, extract, coerce and validate (:func:`brokerage.processor.pipeline.check`)."""
    write = "write"
    """Write the outputs of a routed file (:func:`brokerage.processor.pipeline.write`)."""


@dataclass(frozen=True)
class Task:
    """What a worker is doing: which step, for which inbox file (the pool's key for its outcome)."""

    kind: TaskKind
    source: str


CheckTask = Callable[[FileContext], Checked]
WriteTask = Callable[[FileResult, Path, Path, Settings], tuple[str, ...]]


@dataclass(frozen=True)
class Tasks:
    """The functions the workers run for each file: module-level functions (a worker receives them by
    name). Tests replace one with a function that hangs, crashes or fails for chosen files, to prove the
    batch stops it, reports it, records nothing for it and carries on."""

    check: CheckTask = check
    write: WriteTask = write


DEFAULT_TASKS = Tasks()
"""What :class:`BatchOptions` uses unless given others; a test of a whole CLI run may replace it."""


@dataclass(frozen=True)
class BatchOptions:
    jobs: int = 0
    """Worker processes; 0 means one per CPU core."""
    time_limit: float = DEFAULT_TIME_LIMIT
    """Seconds one file may take in a worker before it is stopped and reported."""
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT
    """Bytes of address space each worker may add to its starting size (POSIX), so a decompression
    bomb fails with a memory error instead of swapping the machine; ``None``: no cap."""
    ledger_path: Path | None = None
    """Default: ``OUT_DIR/ledger.sqlite3``."""
    tasks: Tasks | None = None
    """The steps the workers run; ``None``: :data:`DEFAULT_TASKS`."""


@dataclass(frozen=True)
class BatchReport:
    results: tuple[FileResult, ...]
    """One per inbox file, in inbox order."""
    summary_paths: tuple[str, ...]
    ledger_path: Path
    restarts: int = 0
    """Workers replaced after a time-out or a crash."""
    unfinished: tuple[str, ...] = ()
    """Sources whose outputs could not be written (nothing recorded: the next run retries them)."""

    @property
    def complete(self) -> bool:
        """Every file got a verdict and its outputs."""
        return not self.unfinished

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status is status)


def inbox_files(inbox: Path, exclude: Path | None = None) -> list[tuple[str, Path]]:
    """(source, path) for every file under ``inbox``, sorted by source; hidden files, linked
    folders and the output folder (when inside the inbox) are left out. A linked file is read
    like any other (never written)."""
    skip = exclude.resolve() if exclude is not None else None
    out: list[tuple[str, Path]] = []

    def walk(folder: Path) -> Iterator[Path]:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                if skip is not None and path.resolve() == skip:
                    continue
                yield from walk(path)
            elif entry.is_file():
                yield path

    for path in walk(inbox):
        out.append((path.relative_to(inbox).as_posix(), path))
    return sorted(out)


_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{6,}\.tmp$")
"""Names :func:`brokerage.files.atomic_write_bytes` writes before renaming."""


def remove_stale_temporaries(out_dir: Path, keep: Path | None = None) -> list[Path]:
    """Delete half-written temporary files a killed run left in ``out_dir`` (never under ``keep``,
    the inbox, should it lie inside the output folder). Only called while holding the ledger lock."""
    keep_at = keep.resolve() if keep is not None else None
    removed = []
    for path in out_dir.rglob(".*.tmp"):
        if not _TEMPORARY.match(path.name) or not path.is_file() or path.is_symlink():
            continue
        if keep_at is not None and path.resolve().is_relative_to(keep_at):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _prepare(inbox: Path, out_dir: Path) -> None:
    if not inbox.is_dir():
        raise InputFileError(
            f"The inbox folder '{inbox}' does not exist or is not a folder. Give the folder that holds the "
            "returned forms."
        )
    if out_dir.resolve() == inbox.resolve():
        raise OutputError(
            f"The output folder '{out_dir}' is the inbox itself. Give a separate folder with -o, so that "
            "outputs are never read back as returned forms."
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / ".brokerage-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise OutputError(
            f"The output folder '{out_dir}' cannot be written to ({error.strerror or error}). Choose a folder "
            "you can write to with -o."
        ) from error


def failed_check(source: str, sha256: str, outcome: Outcome, time_limit: float) -> Checked:
    """A rejected file for a worker that timed out, crashed or hit a fault."""
    label = f"'{source}'"
    if outcome.state is OutcomeState.timeout:
        rule = "file:timeout"
        message = (
            f"{label} took longer than {time_limit:g} seconds to read and was stopped. It may be damaged or "
            "built to overload readers: ask the sender to save the form again and resend it."
        )
    elif outcome.state is OutcomeState.crash:
        rule = "file:crash"
        message = (
            f"{label} stopped the PDF reader ({outcome.error}). It may be damaged or too large to open: ask "
            "the sender to save the form again and resend it."
        )
    else:
        rule = "file:internal-error"
        first = outcome.error.splitlines()[0] if outcome.error else "unknown error"
        message = (
            f"{label} could not be checked because of a fault in the processor ({first}). The file is "
            "unchanged in the inbox; please report the fault and run again once it is fixed."
        )
    return Checked(source=source, sha256=sha256, problems=(file_problem(rule, message),), rejected=True)


TRANSIENT_RULES = frozenset({"file:timeout", "file:crash", "file:internal-error", "file:unreadable"})
"""Verdicts not recorded in the ledger, so that the next run tries the file again."""


def _outputs_present(result: FileResult, out_dir: Path) -> bool:
    return all((out_dir / p).is_file() for p in result.outputs)


class _Run:
    """The state of one batch run (parent side)."""

    def __init__(
        self,
        files: list[tuple[str, Path]],
        out_dir: Path,
        settings: Settings,
        options: BatchOptions,
        ledger: Ledger,
        pool: WorkerPool,
        progress: Progress | None,
    ) -> None:
        self.files = files
        self.paths = dict(files)
        self.out_dir = out_dir
        self.settings = settings
        self.options = options
        self.ledger = ledger
        self.pool = pool
        self.progress = progress
        self.tasks = options.tasks or DEFAULT_TASKS
        self.rc = RouteContext(ledger=ledger, settings=settings)
        self.sha: dict[str, str] = {}
        self.checked: dict[str, Checked] = {}
        self.final: dict[str, FileResult] = {}
        self.route_order: list[str] = []
        self.next_route = 0
        self.deferred: list[str] = []
        self.checks_pending = 0
        self.writing: dict[str, FileResult] = {}
        self.unfinished: list[str] = []
        self.case_queue: dict[str, list[str]] = {}
        """References with a write in flight → sources waiting to write into the same case folder."""

    def finish(self, result: FileResult, *, record: bool = True) -> None:
        if record:
            ours = result.status in (Status.accepted, Status.returned)
            self.ledger.record(result, data_hash=data_hash_of(result.kind, result.data) if ours else None)
        self.final[result.source] = result
        if self.progress is not None:
            self.progress(len(self.final), len(self.files), result)

    def start(self) -> None:
        for source, path in self.files:
            try:
                found = fingerprint(path)
            except OSError as error:
                problem = file_problem(
                    "file:unreadable",
                    f"'{source}' cannot be opened ({error.strerror or error}). Check the file's permissions "
                    "and run again.",
                )
                self.finish(
                    FileResult(source=source, sha256="", kind=None, status=Status.rejected, problems=(problem,)),
                    record=False,
                )
                continue
            sha = found.sha256
            self.sha[source] = sha
            recorded = self.ledger.recorded(sha, source)
            if recorded is not None:
                note_seen(recorded, self.rc)
                if _outputs_present(recorded, self.out_dir):
                    self.finish(recorded, record=False)
                else:
                    self.writing[source] = recorded
                    self._submit_write(source)
                continue
            self.route_order.append(source)
            self.checks_pending += 1
            ctx = FileContext(path=path, source=source, settings=self.settings, sha256=sha, size=found.size)
            self.pool.submit(Task(TaskKind.check, source), self.tasks.check, ctx)

    def on_outcome(self, outcome: Outcome) -> None:
        task = outcome.key
        assert isinstance(task, Task)
        source = task.source
        if task.kind is TaskKind.check:
            self.checks_pending -= 1
            if outcome.ok:
                self.checked[source] = outcome.value
            else:
                self.checked[source] = failed_check(source, self.sha.get(source, ""), outcome, self.options.time_limit)
            return
        pending = self.writing.pop(source)
        self._write_done(pending.reference)
        if outcome.ok:
            self.finish(replace(pending, outputs=tuple(outcome.value)))
        else:
            detail = outcome.error.splitlines()[0] if outcome.error else outcome.state.value
            note = (
                f"The outputs for this file could not be written ({detail}). Nothing was recorded for it: "
                "run the batch again to retry."
            )
            self.unfinished.append(source)
            self.finish(replace(pending, notes=(*pending.notes, note)), record=False)

    def route_ready(self) -> None:
        while self.next_route < len(self.route_order):
            source = self.route_order[self.next_route]
            checked = self.checked.get(source)
            if checked is None:
                return
            self.next_route += 1
            if checked.kind is not None and checked.kind.facts.deferred and not checked.rejected:
                self.deferred.append(source)
                continue
            self._route(checked)
        if self.checks_pending == 0 and self.deferred:
            for source in self.deferred:
                self._route(self.checked[source])
            self.deferred = []

    def _route(self, checked: Checked) -> None:
        self.checked.pop(checked.source, None)  # the result carries what is still needed
        result = route(checked, self.rc)
        note_seen(result, self.rc)
        transient = any(p.rule in TRANSIENT_RULES for p in result.problems)
        if result.status in (Status.rejected, Status.duplicate):
            self.finish(result, record=not transient)
            return
        self.writing[checked.source] = result
        self._submit_write(checked.source)

    def _submit_write(self, source: str) -> None:
        """Writes into one case folder run one at a time, in routing order (response numbers count
        the responses already filed)."""
        reference = self.writing[source].reference
        if reference is not None:
            if reference in self.case_queue:
                self.case_queue[reference].append(source)
                return
            self.case_queue[reference] = []
        self._write(source)

    def _write(self, source: str) -> None:
        self.pool.submit(
            Task(TaskKind.write, source), self.tasks.write, self.writing[source], self.paths[source], self.out_dir,
            self.settings,
        )

    def _write_done(self, reference: str | None) -> None:
        if reference is None or reference not in self.case_queue:
            return
        waiting = self.case_queue[reference]
        if not waiting:
            del self.case_queue[reference]
            return
        self._write(waiting.pop(0))

    def run(self) -> None:
        self.start()
        self.route_ready()
        while len(self.final) < len(self.files):
            if not self.pool.busy:  # nothing running and nothing left to route: a fault, not a wait
                missing = [s for s, _ in self.files if s not in self.final]
                raise RuntimeError(f"The batch stalled with no verdict for {missing[:5]}")
            for outcome in self.pool.poll(timeout=1.0):
                self.on_outcome(outcome)
            self.route_ready()


@contextmanager
def exclusive(ledger_path: Path) -> Iterator[None]:
    """Hold ``<ledger>.lock`` for the run, so two batches never share a ledger and its outputs.

    The operating system drops the lock when the process ends, however it ends (kill -9 included).
    It is a POSIX record lock (``lockf``), owned by this process alone: worker processes forked
    while it is held do not inherit it, so a restart right after a kill -9 is not refused while
    the dead run's workers wind down (``flock`` locks are shared with forked children).
    """
    if fcntl is None:  # pragma: no cover - not POSIX
        yield
        return
    lock_path = ledger_path.with_name(ledger_path.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = lock_path.open("a+b")
    except OSError as error:
        raise OutputError(
            f"The case ledger's lock '{lock_path}' cannot be created ({error.strerror or error}). Check the "
            "folder is writable, or give another ledger path with --ledger."
        ) from error
    with handle:
        try:
            fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            raise OutputError(
                f"Another 'brokerage process' is using the case ledger '{ledger_path}'. Wait for it to finish, "
                "then run again."
            ) from None
        yield


def run_batch(
    inbox: Path,
    out_dir: Path,
    settings: Settings,
    options: BatchOptions | None = None,
    progress: Progress | None = None,
) -> BatchReport:
    """Process every file in ``inbox`` into ``out_dir``. Raises only when the run itself cannot go on
    (inbox missing, output folder or ledger unwritable); every file gets a verdict otherwise."""
    options = options or BatchOptions()
    _prepare(inbox, out_dir)
    files = inbox_files(inbox, exclude=out_dir)
    ledger_path = options.ledger_path or out_dir / LEDGER_NAME
    jobs = options.jobs or default_jobs()
    with exclusive(ledger_path), Ledger(ledger_path) as ledger:
        remove_stale_temporaries(out_dir, keep=inbox)
        pool_size = max(1, min(jobs, len(files)))
        with WorkerPool(pool_size, time_limit=options.time_limit, memory_limit=options.memory_limit) as pool:
            run = _Run(files, out_dir, settings, options, ledger, pool, progress)
            run.run()
            restarts = pool.restarts
        results = tuple(run.final[source] for source, _ in files)
        summary_paths = write_summaries(results, out_dir)
    return BatchReport(
        results=results,
        summary_paths=summary_paths,
        ledger_path=ledger_path,
        restarts=restarts,
        unfinished=tuple(sorted(run.unfinished)),
    )


def write_summaries(results: tuple[FileResult, ...], out_dir: Path) -> tuple[str, ...]:
    """summary.json, .csv, .xlsx and .html (the outputs package's), paths relative to ``out_dir``."""
    from brokerage.processor.outputs import write_summaries as write_all

    try:
        return tuple(str(p) for p in write_all(list(results), out_dir))
    except OSError as error:
        raise OutputError(
            f"The summary could not be written to '{out_dir}' ({error.strerror or error}). Check the output "
            "folder is writable and has space, then run again."
        ) from error
