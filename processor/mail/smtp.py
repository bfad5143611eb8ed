"""Sending emails through the council's mail relay (optional: drafts are the default).

:func:`send` opens one SMTP connection, upgrades it with STARTTLS when the server offers it (or
refuses to go on when ``require_tls`` and it does not), and sends each message's
:func:`~brokerage.processor.mail.message.sendable_bytes` unchanged, so what arrives is byte for byte
what the manifest describes. A failure is a :class:`MailError` naming the server and saying that the
drafts are still there to send by hand; messages sent before it stay sent and are reported.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from brokerage.processor.mail.message import MailError, sendable_bytes


@dataclass(frozen=True)
class Sent:
    message_id: str
    to: str
    server: str
    tls: bool
    at: datetime

    @property
    def manifest(self) -> str:
        """How the manifest says it was sent."""
        return f"sent {self.at.isoformat(timespec='seconds')} via {self.server}{' (TLS)' if self.tls else ''}"


class SendError(MailError):
    def __init__(self, message: str, sent: Sequence[Sent]) -> None:
        super().__init__(message)
        self.sent = tuple(sent)


def send(messages: Sequence[EmailMessage], host: str, port: int = 25, *, timeout: float = 30.0,
         ssl_context: ssl.SSLContext | None = None, require_tls: bool = False,
         now: datetime | None = None) -> list[Sent]:
    """Send ``messages`` through ``host:port``; returns what was sent, or raises :class:`SendError`."""
    server = f"{host}:{port}"
    done: list[Sent] = []
    current = None
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            smtp.ehlo()
            tls = smtp.has_extn("starttls")
            if tls:
                smtp.starttls(context=ssl_context or ssl.create_default_context())
                smtp.ehlo()
            elif require_tls:
                raise SendError(f"The mail server {server} does not offer STARTTLS, so nothing was sent. Use a server "
                                "that encrypts the connection, or send the drafts from your mail client.", done)
            for message in messages:
                current = message
                sender = message["From"].addresses[0].addr_spec
                to = [address.addr_spec for address in message["To"].addresses]
                smtp.sendmail(sender, to, sendable_bytes(message))
                done.append(Sent(str(message["Message-ID"]), ", ".join(to), server, tls,
                                 now or datetime.now().astimezone()))
    except SendError:
        raise
    except (smtplib.SMTPException, OSError, ssl.SSLError) as error:
        which = f" to {current['To']}" if current is not None else ""
        raise SendError(
            f"Sending{which} through {server} failed ({type(error).__name__}: {error}); {len(done)} of "
            f"{len(messages)} email(s) were sent. The drafts are in the outbox folder: send the rest from your "
            "mail client, or run again when the server is reachable.", done) from error
    return done
