"""Writing drafts to a folder, with a manifest of who was sent what, when.

Each email is ``NN-<kind>.eml`` (numbered in the order given; never a name or an address in a path),
written atomically. ``manifest.csv`` and ``manifest.json`` list, per email: the reference, what it
is, the recipient (role, name, address), the subject, the attachments, the file, the Message-ID, when
it was prepared and whether it was sent (and how). CSV cells that a spreadsheet would run as a
formula are made inert (:func:`brokerage.processor.outputs.cells.cell`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from brokerage.files import OWNER_ONLY, Permissions, atomic_write_bytes, atomic_write_text
from brokerage.processor.mail.message import message_bytes
from brokerage.processor.outputs.cells import cell

MANIFEST_COLUMNS = ("reference", "kind", "role", "to_name", "to_email", "subject", "attachments", "file",
                    "message_id", "prepared", "sent")


@dataclass(frozen=True)
class ManifestRow:
    reference: str
    kind: str
    role: str
    to_name: str
    to_email: str
    subject: str
    attachments: str
    file: str
    message_id: str
    prepared: str
    sent: str
    """``draft`` (not sent), or ``sent <ISO time> via <host:port>``."""


def manifest_row(message: EmailMessage, file: str, role: str, sent: str = "draft") -> ManifestRow:
    to = message["To"].addresses[0]
    names = [part.get_filename() or "" for part in message.iter_attachments()]
    return ManifestRow(
        reference=str(message["X-Brokerage-Reference"] or ""),
        kind=str(message["X-Brokerage-Kind"] or ""),
        role=role,
        to_name=to.display_name,
        to_email=to.addr_spec,
        subject=str(message["Subject"]),
        attachments="; ".join(names),
        file=file,
        message_id=str(message["Message-ID"]),
        prepared=parsedate_to_datetime(str(message["Date"])).isoformat(),
        sent=sent,
    )


def manifest_csv(rows: Sequence[ManifestRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(MANIFEST_COLUMNS)
    for row in rows:
        writer.writerow([cell(getattr(row, column)) for column in MANIFEST_COLUMNS])
    return buffer.getvalue()


def manifest_json(rows: Sequence[ManifestRow]) -> str:
    return json.dumps([asdict(row) for row in rows], indent=2, ensure_ascii=False) + "\n"


def write_outbox(folder: Path, messages: Sequence[tuple[EmailMessage, str]],
                 sent: Mapping[str, str] | None = None, *, permissions: Permissions = OWNER_ONLY) -> list[ManifestRow]:
    """Write each ``(message, role)`` as ``NN-<kind>.eml`` in ``folder`` and the manifests beside them;
    ``sent`` maps a Message-ID to how it was sent. Returns the manifest rows. The drafts are about
    children: owner-only unless ``permissions`` says otherwise (issue 14)."""
    rows: list[ManifestRow] = []
    for number, (message, role) in enumerate(messages, start=1):
        kind = "".join(c for c in str(message["X-Brokerage-Kind"] or "email") if c.isalnum() or c == "-") or "email"
        name = f"{number:02d}-{kind}.eml"
        atomic_write_bytes(Path(folder) / name, message_bytes(message), mode=permissions)
        rows.append(manifest_row(message, name, role, (sent or {}).get(str(message["Message-ID"]), "draft")))
    atomic_write_text(Path(folder) / "manifest.csv", manifest_csv(rows), mode=permissions)
    atomic_write_text(Path(folder) / "manifest.json", manifest_json(rows), mode=permissions)
    return rows
