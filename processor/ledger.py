"""The case ledger: every file seen, every case with the files that belong to it and its history, in one
SQLite file.

Only the batch's parent process opens the ledger for writing (workers never write to SQLite); ``brokerage
validate --ledger`` and ``brokerage status`` only read it. WAL mode, one short transaction per change. The
order that makes a killed run safe to restart:

1. a referral's reference is *reserved* against the file's sha256 before its outputs are written (its own
   transaction): a new reference, or the case a resubmission continues, so a re-run gives the same file the
   same reference;
2. outputs are written atomically (temporary name, then rename);
3. the file's verdict, its case rows and an event in the case's history are recorded in one transaction.

A file with outputs but no verdict (killed between 2 and 3) is simply processed again: the same reference,
the same output names, the same bytes.

**Cases.** A case is keyed by its brokerage reference (``cases``, a view over ``referrals``: one row per
case with the referral in force: the latest accepted version, else the latest). Every referral file of the
case is in ``referral_files`` (a corrected or revised referral continues the case it quotes, or the
returned case of the same child: ``case_children`` keys each case by its children's Mosaic ID and date of
birth, hashed); every file quoting the case has its reference in ``files``; ``case_events`` is the case's
history, one row each time a file of the case gets a verdict (in order). Issue 15 adds case states and
events of its own on top of these tables.

**Versions.** ``meta.ledger_version`` says which tables a ledger has. Opening a ledger of an older version
migrates it forward in one transaction (version 1, made before cases had files and a history, gains
``referral_files``, ``case_children``, ``case_events`` and ``referrals.held_until``, filled from what it
holds; version 2 gains ``outputs`` (the sha256 of every output, for a re-run to check) and
``meta.ledger_id`` (the id an output folder records for the ledger that owns it, issue 14)); a ledger of a
newer version is refused with a sentence.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from brokerage.errors import OutputError
from brokerage.files import Permissions, create_private, set_mode
from brokerage.processor.references import format_reference
from brokerage.processor.results import FileResult, Status
from brokerage.schema import FormKind, Problem, Severity, form_kind, get_at

LEDGER_NAME = "ledger.sqlite3"
LEDGER_VERSION = 3
"""The version of the tables this toolkit writes (``meta.ledger_version``)."""

_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    data_hash TEXT,
    kind TEXT,
    status TEXT NOT NULL,
    reference TEXT,
    result_json TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (sha256, source)
);
CREATE INDEX IF NOT EXISTS files_sha ON files (sha256);
CREATE INDEX IF NOT EXISTS files_data ON files (data_hash);
CREATE TABLE IF NOT EXISTS references_issued (
    reference TEXT PRIMARY KEY,
    year INTEGER NOT NULL,
    sequence INTEGER NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    reserved_at TEXT NOT NULL,
    UNIQUE (year, sequence)
);
CREATE TABLE IF NOT EXISTS referrals (
    reference TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    received TEXT,
    urgent INTEGER NOT NULL DEFAULT 0,
    response_due TEXT,
    children INTEGER NOT NULL DEFAULT 0,
    services TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS responses (
    sha256 TEXT PRIMARY KEY,
    reference TEXT,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    provider TEXT,
    can_meet TEXT,
    received TEXT
);
CREATE TABLE IF NOT EXISTS ipas (
    sha256 TEXT PRIMARY KEY,
    reference TEXT,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    provider TEXT,
    provider_signed INTEGER NOT NULL DEFAULT 0,
    countersigned INTEGER NOT NULL DEFAULT 0,
    received TEXT
);
"""

_TO_V2 = """
ALTER TABLE referrals ADD COLUMN held_until TEXT;
CREATE TABLE referral_files (
    sha256 TEXT PRIMARY KEY,
    reference TEXT NOT NULL,
    attached_at TEXT NOT NULL
);
CREATE INDEX referral_files_reference ON referral_files (reference);
CREATE TABLE case_children (
    reference TEXT NOT NULL,
    child_key TEXT NOT NULL,
    PRIMARY KEY (reference, child_key)
);
CREATE INDEX case_children_key ON case_children (child_key);
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    received TEXT,
    kind TEXT,
    sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    event TEXT NOT NULL
);
CREATE INDEX case_events_reference ON case_events (reference);
CREATE VIEW cases AS SELECT reference, status, received AS opened, held_until FROM referrals;
"""

_TO_V3 = """
CREATE TABLE IF NOT EXISTS outputs (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outputs_file ON outputs (file_sha256, source);
"""
"""Issue 14: the hash of every output a file's verdict wrote (a re-run checks them), and the ledger's id."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def child_keys(data: Mapping[str, Any] | None) -> tuple[str, ...]:
    """A key for each child of a referral with a Mosaic ID and a date of birth (hashed: the ledger's index
    holds no identifier a person could read), sorted."""
    keys = set()
    for child in get_at(data or {}, "/part_a/children") or []:
        if not isinstance(child, Mapping):
            continue
        mosaic, born = child.get("mosaic_id"), child.get("date_of_birth")
        if isinstance(mosaic, str) and isinstance(born, str) and mosaic.strip() and born.strip():
            keys.add(hashlib.sha256(f"child:{mosaic.strip()}:{born.strip()}".encode()).hexdigest()[:32])
    return tuple(sorted(keys))


# --- FileResult <-> JSON -------------------------------------------------------------------------


def result_to_json(result: FileResult) -> str:
    data = {
        "source": result.source,
        "sha256": result.sha256,
        "kind": result.kind,
        "status": result.status.value,
        "reference": result.reference,
        "problems": [p.as_dict() for p in result.problems],
        "data": result.data,
        "outputs": list(result.outputs),
        "received": result.received.isoformat() if result.received else None,
        "response_due": result.response_due.isoformat() if result.response_due else None,
        "notes": list(result.notes),
        "duplicate_of": result.duplicate_of,
        "held_until": result.held_until.isoformat() if result.held_until else None,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _day(text: object) -> date | None:
    return date.fromisoformat(text) if isinstance(text, str) and text else None


def result_from_json(text: str) -> FileResult:
    data = json.loads(text)
    problems = tuple(Problem(**{**p, "severity": Severity(p["severity"])}) for p in data.get("problems", []))
    return FileResult(
        source=data["source"],
        sha256=data["sha256"],
        kind=form_kind(data["kind"]),
        status=Status(data["status"]),
        reference=data["reference"],
        problems=problems,
        data=data.get("data"),
        outputs=tuple(data.get("outputs", ())),
        received=_day(data.get("received")),
        response_due=_day(data.get("response_due")),
        notes=tuple(data.get("notes", ())),
        duplicate_of=data.get("duplicate_of"),
        held_until=_day(data.get("held_until")),
    )


# --- case rows -----------------------------------------------------------------------------------


def _services(data: Mapping[str, Any]) -> str:
    return ", ".join(
        words
        for name, words in (("short_break", "Short break"), ("domiciliary_care", "Domiciliary care"))
        if get_at(data, f"/part_a/services/{name}/required") is True
    )


def _referral_rows(db: sqlite3.Connection, result: FileResult, data: Mapping[str, Any]) -> None:
    """The file joins its case; the case's row is worked out again from every referral of the case."""
    if not result.reference:
        return
    db.execute(
        "INSERT OR IGNORE INTO referral_files (sha256, reference, attached_at) VALUES (?, ?, ?)",
        (result.sha256, result.reference, _now()),
    )
    db.executemany(
        "INSERT OR IGNORE INTO case_children (reference, child_key) VALUES (?, ?)",
        [(result.reference, key) for key in child_keys(data)],
    )
    _refresh_case(db, result.reference)


def _refresh_case(db: sqlite3.Connection, reference: str) -> None:
    """The case's row from the referral in force: the latest accepted version, else the latest version
    (a returned correction never takes an accepted case back; a returned first try is replaced by the next)."""
    rows = db.execute(
        "SELECT f.result_json, f.status FROM referral_files rf JOIN files f ON f.sha256 = rf.sha256 "
        "WHERE rf.reference = ? AND f.kind = 'referral' AND f.status IN ('accepted', 'returned') "
        "ORDER BY rf.rowid, f.id",
        (reference,),
    ).fetchall()
    if not rows:
        return
    accepted = [text for text, status in rows if status == Status.accepted.value]
    current = result_from_json((accepted or [text for text, _ in rows])[-1])
    data = current.data or {}
    db.execute(
        "INSERT INTO referrals (reference, sha256, source, status, received, urgent, response_due, children, "
        "services, held_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (reference) DO UPDATE SET "
        "sha256 = excluded.sha256, source = excluded.source, status = excluded.status, received = excluded.received, "
        "urgent = excluded.urgent, response_due = excluded.response_due, children = excluded.children, "
        "services = excluded.services, held_until = excluded.held_until",
        (
            reference,
            current.sha256,
            current.source,
            current.status.value,
            current.received.isoformat() if current.received else None,
            int(get_at(data, "/part_a/referral/urgent") == "Yes"),
            current.response_due.isoformat() if current.response_due else None,
            len(get_at(data, "/part_a/children", []) or []),
            _services(data),
            current.held_until.isoformat() if current.held_until else None,
        ),
    )


def _response_row(db: sqlite3.Connection, result: FileResult, data: Mapping[str, Any]) -> None:
    db.execute(
        "INSERT INTO responses (sha256, reference, source, status, provider, can_meet, received) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET reference = excluded.reference, "
        "source = excluded.source, status = excluded.status, provider = excluded.provider, "
        "can_meet = excluded.can_meet, received = excluded.received",
        (
            result.sha256,
            result.reference,
            result.source,
            result.status.value,
            get_at(data, "/part_b/provider/name"),
            get_at(data, "/part_b/can_meet"),
            result.received.isoformat() if result.received else None,
        ),
    )


def _ipa_row(db: sqlite3.Connection, result: FileResult, data: Mapping[str, Any]) -> None:
    db.execute(
        "INSERT INTO ipas (sha256, reference, source, status, provider, provider_signed, countersigned, received) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET reference = excluded.reference, "
        "source = excluded.source, status = excluded.status, provider = excluded.provider, "
        "provider_signed = excluded.provider_signed, countersigned = excluded.countersigned, "
        "received = excluded.received",
        (
            result.sha256,
            result.reference,
            result.source,
            result.status.value,
            get_at(data, "/part_c/provider/name"),
            int(get_at(data, "/part_c/provider_signatory/signature") is True),
            int(get_at(data, "/part_c/countersignature/signature") is True),
            result.received.isoformat() if result.received else None,
        ),
    )


_CASE_ROWS = {FormKind.referral: _referral_rows, FormKind.provider_response: _response_row, FormKind.ipa: _ipa_row}
"""The case rows each kind of form adds (referral versions and the case, responses, placement agreements)."""


def event_name(result: FileResult) -> str:
    """What happened, in the case's history: ``referral accepted``, ``provider-response returned`` …"""
    kind = result.kind.value if result.kind is not None else "file"
    held = " (summer play scheme held)" if result.held_until else ""
    return f"{kind} {result.status.value}{held}"


def _event(db: sqlite3.Connection, result: FileResult, recorded_at: str) -> None:
    if not result.reference:
        return
    db.execute(
        "INSERT INTO case_events (reference, recorded_at, received, kind, sha256, source, status, event) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            result.reference,
            recorded_at,
            result.received.isoformat() if result.received else None,
            result.kind.value if result.kind is not None else None,
            result.sha256,
            result.source,
            result.status.value,
            event_name(result),
        ),
    )


# --- migrations ----------------------------------------------------------------------------------


def _script(db: sqlite3.Connection, script: str) -> None:
    """Run each statement of ``script`` inside the open transaction (``executescript`` would commit it first)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _migrate_1_to_2(db: sqlite3.Connection) -> None:
    _script(db, _TO_V2)
    db.execute(
        "INSERT OR IGNORE INTO referral_files (sha256, reference, attached_at) "
        "SELECT sha256, reference, reserved_at FROM references_issued"
    )
    files = db.execute(
        "SELECT result_json, recorded_at FROM files WHERE reference IS NOT NULL ORDER BY id"
    ).fetchall()
    for text, recorded_at in files:
        result = result_from_json(text)
        if result.kind is FormKind.referral and result.status in (Status.accepted, Status.returned):
            db.executemany(
                "INSERT OR IGNORE INTO case_children (reference, child_key) VALUES (?, ?)",
                [(result.reference, key) for key in child_keys(result.data)],
            )
        _event(db, result, recorded_at)


def _migrate_2_to_3(db: sqlite3.Connection) -> None:
    _script(db, _TO_V3)
    _give_id(db)


def _give_id(db: sqlite3.Connection) -> None:
    db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('ledger_id', ?)", (uuid.uuid4().hex,))


MIGRATIONS = {1: _migrate_1_to_2, 2: _migrate_2_to_3}
"""``version → step`` that brings a ledger of that version to the next."""


# --- the ledger ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirstCopy:
    """The file a later copy repeats: its name, its verdict and when it was received."""

    source: str
    status: Status
    received: date | None = None


@dataclass(frozen=True)
class CaseRow:
    """One case as ``brokerage status`` lists it."""

    reference: str
    status: str
    received: str | None
    response_due: str | None
    urgent: bool
    services: str
    responses: int
    positive_responses: int
    ipa: str
    """``""`` (none yet), ``received``, ``signed`` (provider) or ``countersigned``."""
    held_until: str | None = None
    """The day a summer play scheme request kept on file is dealt with."""


@dataclass(frozen=True)
class CaseFile:
    """A file that belongs to a case, with its current verdict."""

    source: str
    sha256: str
    kind: FormKind | None
    status: Status


@dataclass(frozen=True)
class FileEvent:
    """One line of a case's history in the ledger: a file of the case got a verdict."""

    recorded_at: str
    received: str | None
    kind: FormKind | None
    source: str
    sha256: str
    status: Status
    event: str


@dataclass(frozen=True)
class CaseRecord:
    """A case as the ledger records it: its reference, the referral in force, every file that belongs to it and
    its history of verdicts. (The case's workflow, states and events of the brokerage process, is
    :class:`brokerage.processor.cases.Case`, issue 15's.)"""

    reference: str
    status: Status
    """The referral's: ``accepted`` once a version was accepted, else ``returned``."""
    referral: FileResult
    """The referral in force (the latest accepted version, else the latest)."""
    files: tuple[CaseFile, ...]
    history: tuple[FileEvent, ...]
    child_keys: tuple[str, ...] = ()

    @property
    def response_due(self) -> date | None:
        return self.referral.response_due

    @property
    def held_until(self) -> date | None:
        return self.referral.held_until


class Ledger:
    """The SQLite ledger at ``path`` (created when missing, migrated when older). Use as a context manager.

    ``read_only``: open an existing ledger without changing it (``brokerage validate --ledger``); a ledger
    that would need migrating is refused with a sentence. ``permissions``: the database file (and so
    SQLite's ``-wal`` and ``-shm``, which take its mode) is created with them whatever the umask, and an
    existing one is given them (issue 14).
    """

    def __init__(self, path: Path, *, read_only: bool = False, permissions: Permissions | None = None) -> None:
        self.path = path
        self.read_only = read_only
        try:
            if read_only:
                self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30,
                                           isolation_level=None)
            else:
                if permissions is not None:
                    create_private(path, permissions)
                else:
                    path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=FULL")
                if permissions is not None:
                    for suffix in ("-wal", "-shm"):
                        side = path.with_name(path.name + suffix)
                        if side.exists():
                            set_mode(side, permissions)
            self.version = self._bring_up_to_date()
        except (OSError, sqlite3.Error) as error:
            raise OutputError(
                f"The case ledger '{path}' cannot be opened or created ({error}). Check the folder exists "
                "and is writable, or give another path with --ledger."
            ) from error

    def _stored_version(self) -> int | None:
        has_meta = self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        if not has_meta:
            return None
        row = self._db.execute("SELECT value FROM meta WHERE key = 'ledger_version'").fetchone()
        try:
            return int(row[0]) if row else None
        except ValueError:
            return None

    def _bring_up_to_date(self) -> int:
        version = self._stored_version()
        if version is not None and version > LEDGER_VERSION:
            raise OutputError(
                f"The case ledger '{self.path}' was written by a newer version of the brokerage toolkit (ledger "
                f"version {version}; this one reads up to {LEDGER_VERSION}). Update the toolkit before using it."
            )
        if self.read_only:
            if version != LEDGER_VERSION:
                raise OutputError(
                    f"The case ledger '{self.path}' is from an older version of the toolkit. Run 'brokerage process' "
                    "with it once to bring it up to date, then try again."
                )
            return version
        with self._transaction() as db:
            if version is None:  # a new ledger: every table of every version
                _script(db, _SCHEMA_V1)
                _script(db, _TO_V2)
                _script(db, _TO_V3)
                _give_id(db)
                db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('ledger_version', ?)", (str(LEDGER_VERSION),)
                )
                return LEDGER_VERSION
            while version < LEDGER_VERSION:
                MIGRATIONS[version](db)
                version += 1
                db.execute("UPDATE meta SET value = ? WHERE key = 'ledger_version'", (str(version),))
        return version

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction; a failure of SQLite itself (the disk full, the file gone read-only) is the
        output sentence (:class:`OutputError`, exit status 5), never a traceback."""
        if self.read_only:
            raise OutputError(f"The case ledger '{self.path}' was opened to read only; nothing can be recorded.")
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            raise OutputError(
                f"The case ledger '{self.path}' could not be written ({error}), so nothing was recorded. Make room "
                "on the disk (or make the ledger writable), then run again."
            ) from error

    @property
    def ledger_id(self) -> str:
        """This ledger's own id (``meta.ledger_id``), written into the output folders it owns."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'ledger_id'").fetchone()
        return str(row[0]) if row else ""

    # files ---------------------------------------------------------------------------------------

    def recorded(self, sha256: str, source: str) -> FileResult | None:
        """The verdict recorded for this very file (same bytes, same name), if any."""
        row = self._db.execute(
            "SELECT result_json FROM files WHERE sha256 = ? AND source = ?", (sha256, source)
        ).fetchone()
        return result_from_json(row[0]) if row else None

    def first_copy(
        self, *, other_than: str, sha256: str | None = None, data_hash: str | None = None,
        statuses: Iterable[Status] = (Status.accepted,),
    ) -> FirstCopy | None:
        """The first file recorded with the same bytes (``sha256``) or the same content (``data_hash``) under
        another name than ``other_than``, whose verdict is one of ``statuses``."""
        column, value = ("sha256", sha256) if sha256 is not None else ("data_hash", data_hash)
        if value is None:
            return None
        wanted = [status.value for status in statuses]
        row = self._db.execute(
            f"SELECT source, status, result_json FROM files WHERE {column} = ? AND source != ? "
            f"AND status IN ({', '.join('?' for _ in wanted)}) ORDER BY id LIMIT 1",
            (value, other_than, *wanted),
        ).fetchone()
        if row is None:
            return None
        return FirstCopy(row[0], Status(row[1]), result_from_json(row[2]).received)

    # references and cases ------------------------------------------------------------------------

    def reserve_reference(self, sha256: str, year: int) -> str:
        """The reference for the referral in the file with ``sha256``: the case it was attached to before,
        or the next in ``year`` (``BRK-2026-0001``), reserved now in its own transaction."""
        with self._transaction() as db:
            known = self._attached(db, sha256)
            if known:
                return known
            (last,) = db.execute(
                "SELECT COALESCE(MAX(sequence), 0) FROM references_issued WHERE year = ?", (year,)
            ).fetchone()
            sequence = int(last) + 1
            reference = format_reference(year, sequence)
            now = _now()
            db.execute(
                "INSERT INTO references_issued (reference, year, sequence, sha256, reserved_at) VALUES (?, ?, ?, ?, ?)",
                (reference, year, sequence, sha256, now),
            )
            db.execute("INSERT INTO referral_files (sha256, reference, attached_at) VALUES (?, ?, ?)",
                       (sha256, reference, now))
            return reference

    def attach_referral(self, sha256: str, reference: str) -> str:
        """Attach the referral in the file with ``sha256`` to the case ``reference`` (a resubmission), before
        its outputs are written; the case it was attached to before, if it was."""
        with self._transaction() as db:
            known = self._attached(db, sha256)
            if known:
                return known
            db.execute("INSERT INTO referral_files (sha256, reference, attached_at) VALUES (?, ?, ?)",
                       (sha256, reference, _now()))
            return reference

    @staticmethod
    def _attached(db: sqlite3.Connection, sha256: str) -> str | None:
        row = db.execute("SELECT reference FROM referral_files WHERE sha256 = ?", (sha256,)).fetchone()
        if row:
            return str(row[0])
        row = db.execute("SELECT reference FROM references_issued WHERE sha256 = ?", (sha256,)).fetchone()
        return str(row[0]) if row else None

    def reference_opened_by(self, sha256: str) -> str | None:
        """The reference issued for the referral in the file with ``sha256`` (the file that opened its case)."""
        row = self._db.execute("SELECT reference FROM references_issued WHERE sha256 = ?", (sha256,)).fetchone()
        return str(row[0]) if row else None

    def referral_reference(self, sha256: str) -> str | None:
        """The case the referral in the file with ``sha256`` belongs to, if it was routed before."""
        return self._attached(self._db, sha256)

    def referral_status(self, reference: str) -> str | None:
        """``accepted`` or ``returned`` for a case recorded under ``reference``, else ``None``."""
        row = self._db.execute("SELECT status FROM referrals WHERE reference = ?", (reference,)).fetchone()
        return str(row[0]) if row else None

    def cases_of_children(self, keys: Iterable[str]) -> list[str]:
        """References of the cases with one of these children (:func:`child_keys`), the latest first."""
        keys = list(keys)
        if not keys:
            return []
        rows = self._db.execute(
            f"SELECT DISTINCT c.reference, (SELECT MAX(rowid) FROM referral_files rf WHERE rf.reference = c.reference) "
            f"AS latest FROM case_children c WHERE c.child_key IN ({', '.join('?' for _ in keys)}) "
            "ORDER BY latest DESC, c.reference DESC",
            keys,
        ).fetchall()
        return [str(row[0]) for row in rows]

    def case(self, reference: str) -> CaseRecord | None:
        """The case ``reference`` with the referral in force, its files and its history; ``None`` if unknown."""
        row = self._db.execute("SELECT sha256, source, status FROM referrals WHERE reference = ?",
                               (reference,)).fetchone()
        if row is None:
            return None
        referral = self.recorded(row[0], row[1])
        if referral is None:
            return None
        files = tuple(
            CaseFile(source, sha, form_kind(kind), Status(status))
            for source, sha, kind, status in self._db.execute(
                "SELECT source, sha256, kind, status FROM files WHERE reference = ? ORDER BY id", (reference,)
            )
        )
        history = tuple(
            FileEvent(at, received, form_kind(kind), source, sha, Status(status), event)
            for at, received, kind, source, sha, status, event in self._db.execute(
                "SELECT recorded_at, received, kind, source, sha256, status, event FROM case_events "
                "WHERE reference = ? ORDER BY id",
                (reference,),
            )
        )
        keys = tuple(k for (k,) in self._db.execute(
            "SELECT child_key FROM case_children WHERE reference = ? ORDER BY child_key", (reference,)
        ))
        return CaseRecord(reference, Status(row[2]), referral, files, history, keys)

    # recording -----------------------------------------------------------------------------------

    def record(
        self, result: FileResult, *, data_hash: str | None = None, outputs: Mapping[str, str] | None = None
    ) -> None:
        """Record a file's verdict, the hashes of its outputs (path → sha256), its case rows and, when the
        verdict is new or changed, an event in its case's history, in one transaction. The same verdict again
        changes nothing (idempotent); a file checked again (returned or rejected before) gets its new verdict."""
        text = result_to_json(result)
        with self._transaction() as db:
            if outputs:
                self._record_outputs(db, result, outputs)
            before = db.execute(
                "SELECT result_json FROM files WHERE sha256 = ? AND source = ?", (result.sha256, result.source)
            ).fetchone()
            if before is not None and before[0] == text:
                return
            now = _now()
            db.execute(
                "INSERT INTO files (sha256, source, data_hash, kind, status, reference, result_json, recorded_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256, source) DO UPDATE SET "
                "data_hash = excluded.data_hash, kind = excluded.kind, status = excluded.status, "
                "reference = excluded.reference, result_json = excluded.result_json, "
                "recorded_at = excluded.recorded_at",
                (result.sha256, result.source, data_hash, result.kind, result.status.value, result.reference, text,
                 now),
            )
            earlier = result_from_json(before[0]) if before is not None else None
            changed = earlier is None or (earlier.status, earlier.reference) != (result.status, result.reference)
            if changed:
                _event(db, result, now)
            if result.status not in (Status.accepted, Status.returned) or result.kind is None:
                return
            _CASE_ROWS[result.kind](db, result, result.data or {})

    @staticmethod
    def _record_outputs(db: sqlite3.Connection, result: FileResult, outputs: Mapping[str, str]) -> None:
        db.executemany(
            "INSERT INTO outputs (path, sha256, file_sha256, source) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, file_sha256 = excluded.file_sha256, "
            "source = excluded.source",
            [(path, digest, result.sha256, result.source) for path, digest in sorted(outputs.items())],
        )

    def record_outputs(self, result: FileResult, outputs: Mapping[str, str]) -> None:
        """Record (or replace) the hashes of a recorded file's outputs: a ledger before version 3 had none."""
        with self._transaction() as db:
            self._record_outputs(db, result, outputs)

    def output_hashes(self, sha256: str, source: str) -> dict[str, str]:
        """path → sha256 of the outputs recorded for this very file."""
        rows = self._db.execute(
            "SELECT path, sha256 FROM outputs WHERE file_sha256 = ? AND source = ?", (sha256, source)
        ).fetchall()
        return {str(path): str(digest) for path, digest in rows}

    # reading back --------------------------------------------------------------------------------

    def is_empty(self) -> bool:
        """Nothing recorded and no reference issued."""
        return self.file_count() == 0 and self._db.execute("SELECT COUNT(*) FROM references_issued").fetchone()[0] == 0

    def file_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM files").fetchone()[0])

    def files(self) -> list[FileResult]:
        return [result_from_json(r[0]) for r in self._db.execute("SELECT result_json FROM files ORDER BY id")]

    def cases(self) -> list[CaseRow]:
        rows = self._db.execute(
            """
            SELECT r.reference, r.status, r.received, r.response_due, r.urgent, r.services, r.held_until,
                   (SELECT COUNT(*) FROM responses s WHERE s.reference = r.reference AND s.status = 'accepted'),
                   (SELECT COUNT(*) FROM responses s WHERE s.reference = r.reference AND s.status = 'accepted'
                        AND s.can_meet IN ('All of the package', 'Part of the package')),
                   (SELECT MAX(2 * i.countersigned + i.provider_signed) FROM ipas i
                        WHERE i.reference = r.reference AND i.status = 'accepted'),
                   (SELECT COUNT(*) FROM ipas i WHERE i.reference = r.reference AND i.status = 'accepted')
            FROM referrals r ORDER BY r.reference
            """
        ).fetchall()
        out = []
        for ref, status, received, due, urgent, services, held, responses, positive, signed, ipas in rows:
            if not ipas:
                ipa = ""
            elif signed and signed >= 2:
                ipa = "countersigned"
            elif signed:
                ipa = "signed"
            else:
                ipa = "received"
            out.append(CaseRow(ref, status, received, due, bool(urgent), services, responses, positive, ipa, held))
        return out
