"""The batch: every file of an inbox through the pipeline, in parallel, with nothing lost.

Workers (:mod:`brokerage.processor.pool`) run the checking steps and write each file's outputs;
only this parent process opens the ledger. The order of events for one file is:

1. the parent hashes the file (the only time it is hashed; its size is taken in the same pass); a file
   the ledger holds as accepted (same bytes, same name) is final: it keeps its verdict and is not read
   again (its outputs are rewritten only if some are missing). A file returned, rejected or found a
   duplicate before is checked again, because its verdict may depend on the day (``--today``) or on the
   ledger (a referral accepted since, a first copy returned);
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

import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from brokerage.errors import BrokerageError, InputFileError, OutputError
from brokerage.files import OWNER_ONLY, Permissions, atomic_write_text, create_private, make_folder, set_mode
from brokerage.text import file_name

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from brokerage.processor.ledger import LEDGER_NAME, Ledger
from brokerage.processor.pipeline import (
    Checked,
    Examined,
    FileContext,
    Settings,
    check,
    data_hash_of,
    examine,
    file_problem,
    fingerprint,
    write,
)
from brokerage.processor.pool import Outcome, OutcomeState, WorkerPool, default_jobs
from brokerage.processor.results import FileResult, Status
from brokerage.processor.routing import TRANSIENT_RULES, RouteContext, note_seen, route

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
    skipped: tuple[Skipped, ...] = ()
    """What was in the inbox but not read as a returned form, with why (links, special files, hidden
    files, the output folder, documents this toolkit made)."""
    changed: tuple[str, ...] = ()
    """Outputs (paths under OUT_DIR) whose bytes differ from what the ledger recorded for them."""

    @property
    def complete(self) -> bool:
        """Every file got a verdict and its outputs."""
        return not self.unfinished

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status is status)


class SkipReason(StrEnum):
    """Why something in the inbox was not read: one rule, listed in the summary and on the terminal."""

    link = "a link: links are never followed (copy the file itself into the inbox)"
    special = "not a regular file (a device, a named pipe or a socket)"
    hidden = "hidden (its name starts with a dot)"
    output_folder = "the output folder of this run"
    unlistable = "a folder that cannot be opened"
    our_output = "a document this toolkit made, not a returned form"


@dataclass(frozen=True)
class Skipped:
    source: str
    """The name relative to the inbox (shown escaped when it is not UTF-8)."""
    reason: SkipReason
    detail: str = ""

    @property
    def why(self) -> str:
        return f"{self.reason.value} ({self.detail})" if self.detail else self.reason.value


@dataclass(frozen=True)
class Inbox:
    files: list[tuple[str, Path]]
    """(source, path) of every regular file to read, sorted by source."""
    skipped: list[Skipped] = field(default_factory=list)


def list_inbox(inbox: Path, exclude: Path | None = None) -> Inbox:
    """Every regular file under ``inbox``, and everything else with why it is skipped.

    One rule: links are never followed (a link to ``/etc/passwd``, to a referral outside the inbox, to
    a folder, or to nothing); only regular files are read (never a device such as ``/dev/zero`` or a
    named pipe); hidden entries and the output folder (when inside the inbox) are left out. Each of
    these is listed with why. A name that is not valid UTF-8 gets a verdict like any other file, shown
    escaped (``\\xff``).
    """
    skip = exclude.resolve() if exclude is not None else None
    files: list[tuple[str, Path]] = []
    skipped: list[Skipped] = []
    used: set[str] = set()

    def source_of(prefix: str, name: str) -> str:
        shown = prefix + file_name(name)
        source, n = shown, 1
        while source in used:  # two names that escape alike ("a\\xff" typed, and the byte 0xff)
            n += 1
            source = f"{shown} ({n})"
        used.add(source)
        return source

    def walk(folder: Path, prefix: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: os.fsencode(e.name))
        except OSError as error:
            skipped.append(Skipped(prefix.rstrip("/") or ".", SkipReason.unlistable, error.strerror or str(error)))
            return
        for entry in entries:
            source = source_of(prefix, entry.name)
            path = Path(entry.path)
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as error:
                skipped.append(Skipped(source, SkipReason.unlistable, error.strerror or str(error)))
                continue
            if stat.S_ISLNK(mode):
                skipped.append(Skipped(source, SkipReason.link))
            elif entry.name.startswith("."):
                skipped.append(Skipped(source, SkipReason.hidden))
            elif stat.S_ISDIR(mode):
                if skip is not None and path.resolve() == skip:
                    skipped.append(Skipped(source, SkipReason.output_folder))
                else:
                    walk(path, source + "/")
            elif stat.S_ISREG(mode):
                files.append((source, path))
            else:
                skipped.append(Skipped(source, SkipReason.special))

    walk(inbox, "")
    return Inbox(files=sorted(files), skipped=sorted(skipped, key=lambda s: s.source))


def inbox_files(inbox: Path, exclude: Path | None = None) -> list[tuple[str, Path]]:
    """(source, path) for every regular file under ``inbox`` (:func:`list_inbox`)."""
    return list_inbox(inbox, exclude).files


_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{6,}\.tmp$")
"""Names :func:`brokerage.files.atomic_write_bytes` writes before renaming."""


def remove_stale_temporaries(out_dir: Path, keep: Path | None = None) -> list[Path]:
    """Delete half-written temporary files a killed run left in ``out_dir`` (never under ``keep``,
    the inbox, should it lie inside the output folder; links are not followed). Only called while
    holding the output folder's lock."""
    keep_at = keep.resolve() if keep is not None else None
    removed = []
    for folder, dirs, names in os.walk(out_dir):
        here = Path(folder)
        if keep_at is not None and here.resolve().is_relative_to(keep_at):
            dirs[:] = []
            continue
        for name in names:
            path = here / name
            if _TEMPORARY.match(name) and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


OUTPUT_FOLDERS = ("cases", "returned", "received")
"""The folders of OUT_DIR the batch writes into (every file under them is an output about a child)."""


def tighten(out_dir: Path, permissions: Permissions, keep: Path | None = None) -> None:
    """Give OUT_DIR, the batch's folders in it and their files the modes ``permissions`` sets (an
    earlier run may have used others, or an older toolkit the umask's). Nothing else in OUT_DIR is
    touched; links are neither followed nor changed."""
    keep_at = keep.resolve() if keep is not None else None
    _own(out_dir, permissions)
    for top in OUTPUT_FOLDERS:
        root = out_dir / top
        if root.is_symlink() or not root.is_dir():
            continue
        for folder, dirs, names in os.walk(root):
            here = Path(folder)
            if keep_at is not None and here.resolve().is_relative_to(keep_at):
                dirs[:] = []
                continue
            _own(here, permissions)
            for name in names:
                if not (here / name).is_symlink():
                    _own(here / name, permissions)


def _own(path: Path, permissions: Permissions) -> None:
    """:func:`set_mode` on what this user owns; another user's file is left as it is."""
    try:
        if os.lstat(path).st_uid == os.geteuid():
            set_mode(path, permissions)
    except OSError:
        pass


def _prepare(inbox: Path, out_dir: Path, permissions: Permissions = OWNER_ONLY) -> None:
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
        make_folder(out_dir, permissions)
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


OUR_OUTPUT_RULE = "file:our-output"
"""The rule of a document this toolkit made: skipped and listed, never given a verdict."""


def output_hash(path: Path) -> str | None:
    """The sha256 of an output file, ``None`` when it is missing (or not a regular file)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        digest = hashlib.sha256()
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def output_hashes(out_dir: Path, paths: tuple[str, ...]) -> dict[str, str]:
    """path → sha256 of the outputs just written (a missing one is left out)."""
    found = {path: output_hash(out_dir / path) for path in paths}
    return {path: digest for path, digest in found.items() if digest is not None}


def cannot_file(result: FileResult, outcome: Outcome) -> FileResult:
    """A file whose outputs cannot be made from what it holds: rejected with a sentence, recorded (the
    next run would fail the same way). Only an unwritable OUT_DIR is retried."""
    raised = outcome.exception
    if isinstance(raised, BrokerageError):
        detail = raised.message
    elif outcome.state is OutcomeState.timeout:
        detail = f"making them took longer than the time limit ({outcome.error})"
    elif outcome.state is OutcomeState.crash:
        detail = f"making them stopped the worker ({outcome.error})"
    else:
        detail = (outcome.error.splitlines() or ["an unknown error"])[0]
    problem = file_problem(
        "file:cannot-file",
        f"'{result.source}' passed the checks, but the documents the service files for it cannot be made from "
        f"what it holds: {detail.rstrip('.')}. Ask the sender to fill in the form as it was sent and send it again.",
    )
    return replace(result, status=Status.rejected, reference=None, response_due=None, problems=(problem,), outputs=())


def machine_condition(outcome: Outcome) -> bool:
    """A write that failed because of the machine (OUT_DIR unwritable or full), not the file."""
    return isinstance(outcome.exception, OSError | OutputError)


class _Run:
    """The state of one batch run (parent side)."""

    def __init__(
        self,
        inbox: Inbox,
        out_dir: Path,
        settings: Settings,
        options: BatchOptions,
        ledger: Ledger,
        pool: WorkerPool,
        progress: Progress | None,
    ) -> None:
        self.files = inbox.files
        self.paths = dict(inbox.files)
        self.skipped: list[Skipped] = list(inbox.skipped)
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
        self.ours: set[str] = set()
        """Sources found to be documents this toolkit made (skipped, not given a verdict)."""
        self.route_order: list[str] = []
        self.next_route = 0
        self.deferred: list[str] = []
        self.checks_pending = 0
        self.writing: dict[str, FileResult] = {}
        self.recorded: dict[str, dict[str, str]] = {}
        """Sources rewritten from the ledger → the output hashes it recorded."""
        self.unfinished: list[str] = []
        self.changed: list[str] = []
        self.case_queue: dict[str, list[str]] = {}
        """References with a write in flight → sources waiting to write into the same case folder."""

    @property
    def done(self) -> int:
        return len(self.final) + len(self.ours)

    def finish(self, result: FileResult, *, record: bool = True, outputs: Mapping[str, str] | None = None) -> None:
        if record:
            ours = result.status in (Status.accepted, Status.returned)
            self.ledger.record(
                result, data_hash=data_hash_of(result.kind, result.data) if ours else None, outputs=outputs
            )
        self.final[result.source] = result
        if self.progress is not None:
            self.progress(self.done, len(self.files), result)

    def verify(self, result: FileResult) -> tuple[list[str], list[str]]:
        """(missing, changed) outputs of a recorded file, against the hashes the ledger holds; a ledger of
        version 1 holds none, so the outputs found are recorded now."""
        expected = self.ledger.output_hashes(result.sha256, result.source)
        found = {path: output_hash(self.out_dir / path) for path in result.outputs}
        missing = [path for path, digest in found.items() if digest is None]
        if not expected:
            present = {path: digest for path, digest in found.items() if digest is not None}
            if present:
                self.ledger.record_outputs(result, present)
            return missing, []
        changed = [path for path, digest in found.items() if digest is not None and digest != expected.get(path)]
        return missing, changed

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
            if recorded is not None and recorded.status is Status.accepted:  # filed: final
                note_seen(recorded, self.rc)
                missing, changed = self.verify(recorded)
                if changed:
                    self.changed.extend(changed)
                    note = (
                        f"{len(changed)} output(s) differ from what was recorded for this file: {', '.join(changed)}. "
                        "They were left as they are: check who changed them before using them."
                    )
                    recorded = replace(recorded, notes=(*recorded.notes, note))
                if missing:
                    self.recorded[source] = self.ledger.output_hashes(sha, source)
                    self.writing[source] = recorded
                    self._submit_write(source)
                else:
                    self.finish(recorded, record=False)
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
        if source in self.recorded:  # a recorded file whose missing outputs were rewritten
            expected = self.recorded.pop(source)
            if outcome.ok:
                written = output_hashes(self.out_dir, pending.outputs)
                changed = [path for path, digest in written.items() if expected and expected.get(path) != digest]
                if changed:
                    self.changed.extend(changed)
                self.finish(pending, record=False)
                return
        elif outcome.ok:
            outputs = tuple(outcome.value)
            self.finish(replace(pending, outputs=outputs), outputs=output_hashes(self.out_dir, outputs))
            return
        if machine_condition(outcome):
            detail = outcome.error.splitlines()[0] if outcome.error else outcome.state.value
            note = (
                f"The outputs for this file could not be written ({detail}). Nothing was recorded for it: "
                "run the batch again to retry."
            )
            self.unfinished.append(source)
            self.finish(replace(pending, notes=(*pending.notes, note)), record=False)
            return
        self.finish(cannot_file(pending, outcome))

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
        if checked.rejected and checked.problems and checked.problems[0].rule == OUR_OUTPUT_RULE:
            self.ours.add(checked.source)
            self.skipped.append(Skipped(checked.source, SkipReason.our_output))
            return
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
        while self.done < len(self.files):
            if not self.pool.busy:  # nothing running and nothing left to route: a fault, not a wait
                missing = [s for s, _ in self.files if s not in self.final and s not in self.ours]
                raise RuntimeError(f"The batch stalled with no verdict for {missing[:5]}")
            for outcome in self.pool.poll(timeout=1.0):
                self.on_outcome(outcome)
            self.route_ready()


@contextmanager
def _locked(lock_path: Path, busy: str, permissions: Permissions) -> Iterator[None]:
    """Hold an OS record lock on ``lock_path`` while the block runs; :class:`OutputError` with ``busy``
    when another process holds it."""
    if fcntl is None:  # pragma: no cover - not POSIX
        yield
        return
    try:
        create_private(lock_path, permissions)
        handle = lock_path.open("r+b")
    except OSError as error:
        raise OutputError(
            f"The lock '{lock_path}' cannot be created ({error.strerror or error}). Check the folder is writable, "
            "or give another path."
        ) from error
    with handle:
        try:
            fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            raise OutputError(busy) from None
        yield


@contextmanager
def exclusive(ledger_path: Path, permissions: Permissions = OWNER_ONLY) -> Iterator[None]:
    """Hold ``<ledger>.lock`` for the run, so two batches never share a ledger.

    The operating system drops the lock when the process ends, however it ends (kill -9 included).
    It is a POSIX record lock (``lockf``), owned by this process alone: worker processes forked
    while it is held do not inherit it, so a restart right after a kill -9 is not refused while
    the dead run's workers wind down (``flock`` locks are shared with forked children).
    """
    lock_path = ledger_path.with_name(ledger_path.name + ".lock")
    busy = (
        f"Another 'brokerage process' is using the case ledger '{ledger_path}'. Wait for it to finish, then run again."
    )
    with _locked(lock_path, busy, permissions):
        yield


OUTPUT_LOCK = ".brokerage-output.lock"
OWNER_FILE = "brokerage-output.json"
"""In OUT_DIR: which ledger owns the folder (``{"ledger_id": …, "ledger": …}``)."""


@contextmanager
def exclusive_output(out_dir: Path, permissions: Permissions = OWNER_ONLY) -> Iterator[None]:
    """Hold OUT_DIR's own lock for the run: two runs never write into one output folder, whatever
    ledgers they use."""
    busy = f"Another 'brokerage process' is writing into '{out_dir}'. Wait for it to finish, then run again."
    with _locked(out_dir / OUTPUT_LOCK, busy, permissions):
        yield


def claim_output_folder(out_dir: Path, ledger: Ledger, permissions: Permissions = OWNER_ONLY) -> None:
    """Record in OUT_DIR that ``ledger`` owns it, or refuse a ledger that does not.

    Two ledgers issue the same references (BRK-2026-0001 …), so two ledgers writing into one output
    folder would overwrite one child's case folder with another's. An output folder that holds case
    folders but no owner (made by an older toolkit) is claimed only by a ledger that has recorded files.
    """
    owner_path = out_dir / OWNER_FILE
    mine = {"ledger_id": ledger.ledger_id, "ledger": str(ledger.path.resolve())}
    if owner_path.is_file() and not owner_path.is_symlink():
        try:
            owner = json.loads(owner_path.read_text(encoding="utf-8"))
            owner_id = str(owner["ledger_id"])
            owner_ledger = str(owner.get("ledger", "?"))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise OutputError(
                f"The output folder '{out_dir}' has an unreadable '{OWNER_FILE}' ({error}), so it cannot be told which "
                "case ledger owns it. Choose another output folder with -o."
            ) from error
        if owner_id == mine["ledger_id"]:
            if owner_ledger != mine["ledger"]:  # the same ledger, moved: follow it
                atomic_write_text(owner_path, json.dumps(mine, indent=2) + "\n", mode=permissions)
            return
        raise OutputError(
            f"The output folder '{out_dir}' belongs to the case ledger '{owner_ledger}', not to '{ledger.path}'. Two "
            "ledgers issue the same references, so one would overwrite the other's case folders: give that ledger "
            "with --ledger, or choose another output folder with -o."
        )
    if owner_path.exists() or owner_path.is_symlink():
        raise OutputError(f"'{owner_path}' is not a file. Remove it, or choose another output folder with -o.")
    if ledger.is_empty() and _holds_outputs(out_dir):
        raise OutputError(
            f"The output folder '{out_dir}' already holds case folders, but not from the case ledger '{ledger.path}' "
            "(it has recorded nothing). Give the ledger that wrote them with --ledger, or choose another output "
            "folder with -o."
        )
    atomic_write_text(owner_path, json.dumps(mine, indent=2) + "\n", mode=permissions)


def _holds_outputs(out_dir: Path) -> bool:
    """Whether the batch's folders in OUT_DIR hold any output (half-written temporaries do not count)."""
    for top in OUTPUT_FOLDERS:
        for _folder, _dirs, names in os.walk(out_dir / top):
            if any(not _TEMPORARY.match(name) for name in names):
                return True
    return False


def run_batch(
    inbox: Path,
    out_dir: Path,
    settings: Settings,
    options: BatchOptions | None = None,
    progress: Progress | None = None,
) -> BatchReport:
    """Process every file in ``inbox`` into ``out_dir``. Raises only when the run itself cannot go on
    (inbox missing, output folder or ledger unwritable or owned by another ledger); every file gets a
    verdict otherwise, and everything that is not read is listed with why (:attr:`BatchReport.skipped`)."""
    options = options or BatchOptions()
    permissions = settings.permissions
    _prepare(inbox, out_dir, permissions)
    listing = list_inbox(inbox, exclude=out_dir)
    ledger_path = options.ledger_path or out_dir / LEDGER_NAME
    jobs = options.jobs or default_jobs()
    with (
        exclusive_output(out_dir, permissions),
        exclusive(ledger_path, permissions),
        Ledger(ledger_path, permissions=permissions) as ledger,
    ):
        claim_output_folder(out_dir, ledger, permissions)
        remove_stale_temporaries(out_dir, keep=inbox)
        tighten(out_dir, permissions, keep=inbox)
        pool_size = max(1, min(jobs, len(listing.files)))
        with WorkerPool(pool_size, time_limit=options.time_limit, memory_limit=options.memory_limit) as pool:
            run = _Run(listing, out_dir, settings, options, ledger, pool, progress)
            run.run()
            restarts = pool.restarts
        results = tuple(run.final[source] for source, _ in listing.files if source in run.final)
        skipped = tuple(sorted(run.skipped, key=lambda s: s.source))
        summary_paths = write_summaries(results, out_dir, permissions, skipped)
    return BatchReport(
        results=results,
        summary_paths=summary_paths,
        ledger_path=ledger_path,
        restarts=restarts,
        unfinished=tuple(sorted(run.unfinished)),
        skipped=skipped,
        changed=tuple(sorted(set(run.changed))),
    )


def examine_in_worker(
    ctx: FileContext, *, time_limit: float = DEFAULT_TIME_LIMIT, memory_limit: int | None = DEFAULT_MEMORY_LIMIT
) -> Examined:
    """:func:`~brokerage.processor.pipeline.examine` for ``brokerage validate``, in a worker with the
    batch's time and memory limits: a file built to hang the reader or fill the memory is stopped and
    becomes a sentence (:class:`InputFileError`), as it would in a batch."""
    with WorkerPool(1, time_limit=time_limit, memory_limit=memory_limit) as pool:
        pool.submit(Task(TaskKind.check, ctx.source), examine, ctx)
        outcomes: list[Outcome] = []
        while not outcomes:
            outcomes = pool.poll(timeout=1.0)
    (outcome,) = outcomes
    if outcome.ok:
        return outcome.value  # type: ignore[no-any-return]
    if isinstance(outcome.exception, BrokerageError):
        raise outcome.exception
    if isinstance(outcome.exception, MemoryError) or outcome.state is not OutcomeState.error:
        checked = failed_check(ctx.source, ctx.sha256 or "", outcome, time_limit)
        raise InputFileError(checked.problems[0].message)
    raise RuntimeError(outcome.error.splitlines()[0] if outcome.error else "the check failed")


def write_summaries(
    results: tuple[FileResult, ...],
    out_dir: Path,
    permissions: Permissions = OWNER_ONLY,
    skipped: tuple[Skipped, ...] = (),
) -> tuple[str, ...]:
    """summary.json, .csv, .xlsx and .html (the outputs package's), paths relative to ``out_dir``."""
    from brokerage.processor.outputs import write_summaries as write_all

    try:
        listed = [(s.source, s.why) for s in skipped]
        return tuple(str(p) for p in write_all(list(results), out_dir, permissions=permissions, skipped=listed))
    except OSError as error:
        raise OutputError(
            f"The summary could not be written to '{out_dir}' ({error.strerror or error}). Check the output "
            "folder is writable and has space, then run again."
        ) from error
