"""One email as a value (:class:`Draft`) and as bytes any mail client opens (``.eml``).

Built with Python's ``email`` package (``EmailMessage``, ``policy.SMTP``: CRLF line ends, RFC 2047
for names and subjects in any script). Every header value is made one line first (:func:`one_line`):
a carriage return or line feed typed into a provider's name or a subject becomes a space and can
never start a header of its own. Addresses are checked (:func:`mailbox`). The same draft and the same
time give the same bytes: the ``Message-ID`` and the MIME boundary are drawn from the content, the
``Date`` is the time given. Drafts carry ``X-Unsent: 1`` so Outlook opens them ready to edit and send;
:func:`sendable_bytes` leaves it out for sending.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from brokerage.errors import OutputError

SERVICE_NAME = "Brokerage service"
POLICY = policy.SMTP.clone(max_line_length=None)
"""Writing: CRLF line ends; headers are not folded (a subject stays one line of at most a few hundred characters, well
inside RFC 5322's 998): Python's folding leaves a space before the fold next to an encoded word, which
readers then show as two spaces."""
LONDON = ZoneInfo("Europe/London")
_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_FILENAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")


class MailError(OutputError):
    """An email cannot be made or sent: the sentence names the recipient or server and what to do."""


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    role: str
    """``provider`` or ``worker``: who the email is for, for the manifest."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    """Fixed words and the reference only (``BRK-2026-0001-referral-for-providers.pdf``), never typed text."""
    data: bytes
    mime: str = "application/pdf"


@dataclass(frozen=True)
class Draft:
    kind: str
    """What the email is: ``send-out``, ``award``, ``not-awarded`` … (the manifest and the file name use it)."""
    reference: str
    to: Recipient
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()


def one_line(value: str) -> str:
    """``value`` as one header-safe line: line breaks and control characters become one space."""
    return " ".join(_BREAKS.sub(" ", value).split())


def mailbox(name: str, email: str, whose: str) -> Address:
    """A checked address; :class:`MailError` naming ``whose`` address it is when it cannot be one."""
    email = email.strip()
    if not _ADDRESS.match(email):
        raise MailError(f"The email address of {whose} ({email!r}) is not one address like name@example.org, so no "
                        "email was made for them. Correct it where it was typed (the register or the form).")
    return Address(display_name=one_line(name), addr_spec=email)


def morning(day: date) -> datetime:
    """09:00 in London on ``day``: the time stamped on drafts made for a day given with ``--today``."""
    return datetime.combine(day, time(9, 0), LONDON)


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\x00")
    return h.hexdigest()


def build_message(draft: Draft, service_email: str, when: datetime, *, unsent: bool = True) -> EmailMessage:
    """The email of ``draft`` from the brokerage service (``service_email``), dated ``when``."""
    if when.tzinfo is None:
        raise ValueError("build_message needs a time with its time zone (see morning())")
    sender = mailbox(SERVICE_NAME, service_email, "the brokerage service (brokerage.email in the policy)")
    to = mailbox(draft.to.name, draft.to.email, f"{draft.to.role} {one_line(draft.to.name)!r}")
    for attachment in draft.attachments:
        if not _FILENAME.match(attachment.filename):
            raise ValueError(f"Attachment names are fixed words, not {attachment.filename!r}")
    digest = _digest(draft.kind, draft.reference, str(to), draft.subject, draft.body, when.isoformat(),
                     *(a.filename + _digest(a.data) for a in draft.attachments))
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = sender
    message["To"] = to
    message["Reply-To"] = sender
    message["Subject"] = one_line(draft.subject)
    message["Date"] = format_datetime(when)
    message["Message-ID"] = f"<{digest[:32]}@{sender.domain}>"
    message["X-Brokerage-Reference"] = one_line(draft.reference)
    message["X-Brokerage-Kind"] = one_line(draft.kind)
    if unsent:
        message["X-Unsent"] = "1"
    message.set_content(draft.body, subtype="plain", charset="utf-8", cte="quoted-printable")
    for attachment in draft.attachments:
        maintype, subtype = attachment.mime.split("/", 1)
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    # A boundary drawn from the content, so the same draft gives the same bytes. "=_" never occurs in
    # quoted-printable or base64 text, so it cannot clash with a part's content.
    for index, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_brokerage_{digest[32:56]}_{index}")
    return message


def message_bytes(message: EmailMessage) -> bytes:
    """The ``.eml`` bytes (CRLF line ends)."""
    return message.as_bytes(policy=POLICY)


def sendable_bytes(message: EmailMessage) -> bytes:
    """The bytes to send: the draft without ``X-Unsent`` (a received email must not open as a draft)."""
    copy = EmailMessage(policy=policy.SMTP)
    for key, value in message.items():
        if key.lower() != "x-unsent":
            copy[key] = value
    copy.set_payload(message.get_payload())
    return message_bytes(copy)


def recipients(messages: Sequence[EmailMessage]) -> list[str]:
    return [str(m["To"]) for m in messages]
