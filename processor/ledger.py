"""The case ledger: every file seen, every referral, response and IPA, in one SQLite file.

Only the batch's parent process opens the ledger (workers never write to SQLite). WAL mode, one
short transaction per change. The order that makes a killed run safe to restart:

1. a referral's reference is *reserved* against the file's sha256 before its outputs are written
   (its own transaction), so a re-run gives the same file the same reference;
2. outputs are written atomically (temporary name, then rename);
3. the file's verdict and its case rows are recorded in one transaction.

A file with outputs but no verdict (killed between 2 and 3) is simply processed again: the same
reference, the same output names, the same bytes.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import uuid
from collections.abc import Iterator, Mapping
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
LEDGER_VERSION = 2
"""``meta.ledger_version``: 1 had no ``outputs`` table and no ``ledger_id``; 2 adds both (migrated forward
when a version 1 ledger is opened)."""

_SCHEMA = """
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
CREATE TABLE IF NOT EXISTS outputs (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outputs_file ON outputs (file_sha256, source);
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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


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
        received=date.fromisoformat(data["received"]) if data.get("received") else None,
        response_due=date.fromisoformat(data["response_due"]) if data.get("response_due") else None,
        notes=tuple(data.get("notes", ())),
        duplicate_of=data.get("duplicate_of"),
    )


def _referral_row(db: sqlite3.Connection, result: FileResult, data: Mapping[str, Any]) -> None:
    if not result.reference:
        return
    services = [
        words
        for name, words in (("short_break", "Short break"), ("domiciliary_care", "Domiciliary care"))
        if get_at(data, f"/part_a/services/{name}/required") is True
    ]
    db.execute(
        "INSERT OR IGNORE INTO referrals (reference, sha256, source, status, received, urgent, "
        "response_due, children, services) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            result.reference,
            result.sha256,
            result.source,
            result.status.value,
            result.received.isoformat() if result.received else None,
            int(get_at(data, "/part_a/referral/urgent") == "Yes"),
            result.response_due.isoformat() if result.response_due else None,
            len(get_at(data, "/part_a/children", []) or []),
            ", ".join(services),
        ),
    )


def _response_row(db: sqlite3.Connection, result: FileResult, data: Mapping[str, Any]) -> None:
    db.execute(
        "INSERT OR IGNORE INTO responses (sha256, reference, source, status, provider, can_meet, "
        "received) VALUES (?, ?, ?, ?, ?, ?, ?)",
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
        "INSERT OR IGNORE INTO ipas (sha256, reference, source, status, provider, provider_signed, "
        "countersigned, received) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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


_CASE_ROWS = {FormKind.referral: _referral_row, FormKind.provider_response: _response_row, FormKind.ipa: _ipa_row}
"""The case table each kind of form adds a row to (referrals, responses, placement agreements)."""


# --- the ledger ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    """One referral as ``brokerage status`` lists it."""

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


class Ledger:
    """The SQLite ledger at ``path`` (created when missing). Use as a context manager."""

    def __init__(self, path: Path, permissions: Permissions | None = None) -> None:
        """Open (or create) the ledger. With ``permissions`` the file (and so SQLite's ``-wal`` and
        ``-shm``, which take the database's mode) is created with them whatever the umask, and an
        existing one is given them."""
        self.path = path
        try:
            if permissions is not None:
                create_private(path, permissions)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._migrate()
            if permissions is not None:
                for suffix in ("-wal", "-shm"):
                    side = path.with_name(path.name + suffix)
                    if side.exists():
                        set_mode(side, permissions)
        except (OSError, sqlite3.Error) as error:
            raise OutputError(
                f"The case ledger '{path}' cannot be opened or created ({error}). Check the folder exists "
                "and is writable, or give another path with --ledger."
            ) from error

    def _migrate(self) -> None:
        """Create the tables, or bring a ledger of an earlier version forward; refuse a newer one."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            row = db.execute("SELECT value FROM meta WHERE key = 'ledger_version'").fetchone()
            version = int(row[0]) if row else 0
            if version > LEDGER_VERSION:
                raise OutputError(
                    f"The case ledger '{self.path}' was written by a newer brokerage toolkit (ledger version "
                    f"{version}; this one knows {LEDGER_VERSION}). Update the toolkit before processing into it."
                )
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('ledger_id', ?)", (uuid.uuid4().hex,))
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('ledger_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(LEDGER_VERSION),),
            )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    @property
    def ledger_id(self) -> str:
        """This ledger's own id (``meta.ledger_id``), written into the output folders it owns."""
        return str(self._db.execute("SELECT value FROM meta WHERE key = 'ledger_id'").fetchone()[0])

    @property
    def version(self) -> int:
        return int(self._db.execute("SELECT value FROM meta WHERE key = 'ledger_version'").fetchone()[0])

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
                f"The case ledger '{self.path}' could not record the verdict ({error}). Nothing of this file was "
                "recorded: make room on the disk (or make the ledger writable), then run again."
            ) from error

    # files ---------------------------------------------------------------------------------------

    def recorded(self, sha256: str, source: str) -> FileResult | None:
        """The verdict recorded for this very file (same bytes, same name), if any."""
        row = self._db.execute(
            "SELECT result_json FROM files WHERE sha256 = ? AND source = ?", (sha256, source)
        ).fetchone()
        return result_from_json(row[0]) if row else None

    def first_source_with_sha(self, sha256: str, *, other_than: str) -> str | None:
        row = self._db.execute(
            "SELECT source FROM files WHERE sha256 = ? AND source != ? AND status != 'duplicate' ORDER BY id LIMIT 1",
            (sha256, other_than),
        ).fetchone()
        return row[0] if row else None

    def first_source_with_data(self, data_hash: str, *, other_than: str) -> str | None:
        row = self._db.execute(
            "SELECT source FROM files WHERE data_hash = ? AND source != ? AND status != 'duplicate' "
            "ORDER BY id LIMIT 1",
            (data_hash, other_than),
        ).fetchone()
        return row[0] if row else None

    # references ----------------------------------------------------------------------------------

    def reserve_reference(self, sha256: str, year: int) -> str:
        """The reference for the referral in the file with ``sha256``: the one reserved before, or the
        next in ``year`` (``BRK-2026-0001``), reserved now in its own transaction."""
        with self._transaction() as db:
            row = db.execute("SELECT reference FROM references_issued WHERE sha256 = ?", (sha256,)).fetchone()
            if row:
                return str(row[0])
            (last,) = db.execute(
                "SELECT COALESCE(MAX(sequence), 0) FROM references_issued WHERE year = ?", (year,)
            ).fetchone()
            sequence = int(last) + 1
            reference = format_reference(year, sequence)
            db.execute(
                "INSERT INTO references_issued (reference, year, sequence, sha256, reserved_at) VALUES (?, ?, ?, ?, ?)",
                (reference, year, sequence, sha256, _now()),
            )
            return reference

    def referral_status(self, reference: str) -> str | None:
        """``accepted`` or ``returned`` for a referral recorded under ``reference``, else ``None``."""
        row = self._db.execute("SELECT status FROM referrals WHERE reference = ?", (reference,)).fetchone()
        return str(row[0]) if row else None

    # recording -----------------------------------------------------------------------------------

    def record(
        self, result: FileResult, *, data_hash: str | None = None, outputs: Mapping[str, str] | None = None
    ) -> None:
        """Record a file's verdict, the hashes of its outputs (path → sha256) and its case rows in one
        transaction (idempotent)."""
        with self._transaction() as db:
            self._record_outputs(db, result, outputs or {})
            db.execute(
                "INSERT INTO files (sha256, source, data_hash, kind, status, reference, result_json, recorded_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256, source) DO NOTHING",
                (
                    result.sha256,
                    result.source,
                    data_hash,
                    result.kind,
                    result.status.value,
                    result.reference,
                    result_to_json(result),
                    _now(),
                ),
            )
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
        """Record (or replace) the hashes of a recorded file's outputs: a ledger of version 1 had none."""
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
            SELECT r.reference, r.status, r.received, r.response_due, r.urgent, r.services,
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
        for ref, status, received, due, urgent, services, responses, positive, signed, ipas in rows:
            if not ipas:
                ipa = ""
            elif signed and signed >= 2:
                ipa = "countersigned"
            elif signed:
                ipa = "signed"
            else:
                ipa = "received"
            out.append(CaseRow(ref, status, received, due, bool(urgent), services, responses, positive, ipa))
        return out
