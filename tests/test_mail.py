"""Email drafts: they parse back with Python's email package and carry their attachments; subjects follow
the rules (reference, deadline, URGENT, never the child for providers; initials and Mosaic ID for the
worker); no header can be injected; the same inputs give the same bytes; the manifest is formula-safe;
sending through a local SMTP server (with and without STARTTLS) delivers the very bytes of the draft."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import socket
import ssl
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from casework_support import REFERENCE, needles_for_providers, richest_referral, sending

from brokerage.processor.cases import case_facts
from brokerage.processor.mail import (
    Draft,
    MailError,
    Recipient,
    SendError,
    award_draft,
    build_message,
    chase_draft,
    countersigned_ipa_draft,
    flexibility_draft,
    message_bytes,
    morning,
    no_provider_draft,
    not_awarded_draft,
    returned_referral_draft,
    send,
    send_out_draft,
    sendable_bytes,
    withdrawal_draft,
    write_outbox,
)
from brokerage.processor.outputs.provider_referral import provider_referral_pdf
from brokerage.processor.outputs.providers import part_b_prefilled
from brokerage.processor.providers import Lot
from brokerage.rules import load_policy

CONTACT = load_policy().brokerage
WHEN = morning(date(2026, 2, 2))
PROVIDER = Recipient("Bright Days Play Ltd", "referrals@brightdays.example", "provider")
LOTS = frozenset({Lot.SHORT_BREAKS, Lot.DOMICILIARY_CARE})


@pytest.fixture(scope="module")
def richest() -> dict:
    return richest_referral()


@pytest.fixture(scope="module")
def pdfs(richest: dict) -> tuple[bytes, bytes]:
    return provider_referral_pdf(richest, sending()), part_b_prefilled(REFERENCE, "test")


@pytest.fixture(scope="module")
def worker(richest: dict) -> tuple[Recipient, str]:
    facts = case_facts(richest)
    return Recipient(facts.worker_name, facts.worker_email, "worker"), facts.worker_subject


def send_out(pdfs: tuple[bytes, bytes], urgent: bool = True, provider: Recipient = PROVIDER, **extra) -> Draft:  # type: ignore[no-untyped-def]
    return send_out_draft(REFERENCE, provider, deadline=date(2026, 2, 4) if urgent else date(2026, 2, 9),
                          urgent=urgent, lots=LOTS, contact=CONTACT, referral_pdf=pdfs[0], part_b_pdf=pdfs[1], **extra)


def provider_drafts(pdfs: tuple[bytes, bytes]) -> list[Draft]:
    return [
        send_out(pdfs),
        send_out(pdfs, urgent=False, round_number=2),
        chase_draft(REFERENCE, PROVIDER, deadline=date(2026, 2, 4), urgent=True, contact=CONTACT),
        not_awarded_draft(REFERENCE, PROVIDER, contact=CONTACT),
        withdrawal_draft(REFERENCE, PROVIDER, contact=CONTACT),
        countersigned_ipa_draft(REFERENCE, PROVIDER, ipa_pdf=b"%PDF-1.7 ipa", contact=CONTACT),
    ]


def parsed(message: EmailMessage) -> EmailMessage:
    return message_from_bytes(message_bytes(message), policy=policy.default)  # type: ignore[return-value]


def test_send_out_parses_back_with_both_attachments(pdfs: tuple[bytes, bytes]) -> None:
    back = parsed(build_message(send_out(pdfs), CONTACT.email, WHEN))
    assert back.get_content_type() == "multipart/mixed"
    parts = list(back.iter_attachments())
    assert [(p.get_content_type(), p.get_filename()) for p in parts] == [
        ("application/pdf", "BRK-2026-0042-referral-for-providers.pdf"),
        ("application/pdf", "BRK-2026-0042-part-b-response.pdf"),
    ]
    assert [p.get_content() for p in parts] == list(pdfs)  # the very bytes, not a copy made anew
    body = back.get_body(("plain",)).get_content()
    assert "URGENT: please answer by the end of Wednesday 4 February 2026." in body
    assert f"quoting {REFERENCE}, to {CONTACT.email}" in body
    assert f"duty line on {CONTACT.duty_line}" in body
    assert str(back["From"]) == f"Brokerage service <{CONTACT.email}>"
    assert str(back["To"]) == "Bright Days Play Ltd <referrals@brightdays.example>"
    assert back["X-Brokerage-Reference"] == REFERENCE and back["X-Unsent"] == "1"
    assert back["Message-ID"].endswith("@leics.gov.uk>")


@pytest.mark.parametrize(
    ("urgent", "round_number", "subject"),
    [
        (True, 1, "URGENT: Referral BRK-2026-0042 for short breaks and domiciliary care – reply by Wednesday "
                  "4 February 2026"),
        (False, 1, "Referral BRK-2026-0042 for short breaks and domiciliary care – reply by Monday 9 February 2026"),
        (False, 2, "Referral BRK-2026-0042 for short breaks and domiciliary care (revised, second round) – reply by "
                   "Monday 9 February 2026"),
    ],
)
def test_send_out_subject(pdfs: tuple[bytes, bytes], urgent: bool, round_number: int, subject: str) -> None:
    back = parsed(build_message(send_out(pdfs, urgent, round_number=round_number), CONTACT.email, WHEN))
    assert back["Subject"] == subject


def test_nothing_personal_in_what_providers_get(pdfs: tuple[bytes, bytes], richest: dict,
                                                worker: tuple[Recipient, str]) -> None:
    needles = needles_for_providers(richest)
    initials = [part.split()[0] for part in worker[1].split(", ")]  # ZŁON, TN
    assert initials == ["ZŁON", "TN"]
    for draft in provider_drafts(pdfs):
        raw = message_bytes(build_message(draft, CONTACT.email, WHEN))
        back = message_from_bytes(raw, policy=policy.default)
        headers = "\n".join(f"{k}: {v}" for k, v in back.items())
        body = back.get_body(("plain",)).get_content()
        head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")  # (base64 attachments hold any two letters)
        for text in (headers, body, head):
            assert [n for n in needles if n in text] == [], draft.kind
            assert not [i for i in initials if i in text], draft.kind
        assert REFERENCE in back["Subject"]


def test_the_attachments_providers_get_hold_nothing_personal(pdfs: tuple[bytes, bytes], richest: dict,
                                                            tmp_path: Path) -> None:
    """Whole .eml as written: decode each attachment and search it as the provider's reader would."""
    import subprocess

    from engines import require_tool
    from outputs_support import leaks, qpdf_inflated

    raw = message_bytes(build_message(send_out(pdfs), CONTACT.email, WHEN))
    needles = needles_for_providers(richest)
    for part in message_from_bytes(raw, policy=policy.default).iter_attachments():
        data = part.get_content()
        assert leaks([qpdf_inflated(data, tmp_path)], needles) == set(), part.get_filename()
        path = tmp_path / "attachment.pdf"
        path.write_bytes(data)
        text = subprocess.run([require_tool("pdftotext"), str(path), "-"], capture_output=True, check=True).stdout
        assert [n for n in needles if n in text.decode("utf-8")] == [], part.get_filename()
        assert REFERENCE in text.decode("utf-8") or part.get_filename().endswith("part-b-response.pdf")


def test_reminder_and_notices_subjects(pdfs: tuple[bytes, bytes]) -> None:
    subjects = [parsed(build_message(d, CONTACT.email, WHEN))["Subject"] for d in provider_drafts(pdfs)[2:]]
    assert subjects == [
        "URGENT: Reminder: referral BRK-2026-0042 – reply by Wednesday 4 February 2026",
        "Referral BRK-2026-0042: awarded to another provider – thank you",
        "Referral BRK-2026-0042 withdrawn – no response needed",
        "Referral BRK-2026-0042: countersigned Individual Placement Agreement",
    ]
    ipa = parsed(build_message(provider_drafts(pdfs)[-1], CONTACT.email, WHEN))
    assert [(p.get_filename(), p.get_content()) for p in ipa.iter_attachments()] == [
        ("BRK-2026-0042-ipa-countersigned.pdf", b"%PDF-1.7 ipa")]


def test_worker_emails_lead_with_initials_and_mosaic_ids(worker: tuple[Recipient, str]) -> None:
    to, children = worker
    drafts = [
        award_draft(REFERENCE, to, children=children, provider="Bright Days Play Ltd", contact=CONTACT,
                    provider_telephone="0116 496 0001"),
        flexibility_draft(REFERENCE, to, children=children, contact=CONTACT),
        no_provider_draft(REFERENCE, to, children=children, contact=CONTACT),
        returned_referral_draft(REFERENCE, to, children=children, letter_pdf=b"%PDF letter", contact=CONTACT),
        returned_referral_draft(None, to, children=children, letter_pdf=b"%PDF letter", contact=CONTACT),
    ]
    backs = [parsed(build_message(d, CONTACT.email, WHEN)) for d in drafts]
    assert [b["Subject"] for b in backs] == [
        "ZŁON 1234567, TN 7654321: package awarded to Bright Days Play Ltd (BRK-2026-0042)",
        "ZŁON 1234567, TN 7654321: no provider found yet – is there flexibility in the package? (BRK-2026-0042)",
        "ZŁON 1234567, TN 7654321: no provider found (BRK-2026-0042)",
        "ZŁON 1234567, TN 7654321: referral returned – please correct and resend (BRK-2026-0042)",
        "ZŁON 1234567, TN 7654321: referral returned – please correct and resend",
    ]
    assert str(backs[0]["To"]) == "=?utf-8?q?Si=C3=A2n_=C3=93_D=C3=B3naill-=C3=98yen?= <sian.odonaill@example.gov.uk>" \
        or backs[0]["To"].addresses[0].display_name == "Siân Ó Dónaill-Øyen"
    award = backs[0].get_body(("plain",)).get_content()
    assert "awarded to Bright Days Play Ltd (telephone 0116 496 0001)" in award
    assert "Please tell the parent or carer the name of the provider" in award
    letter = list(backs[3].iter_attachments())
    assert [(p.get_content_type(), p.get_filename()) for p in letter] == [
        ("application/pdf", "BRK-2026-0042-returned-referral-letter.pdf")]
    returned = backs[3].get_body(("plain",)).get_content()
    assert CONTACT.duty_line in returned and CONTACT.email in returned


@pytest.mark.parametrize(
    "name",
    ["Evil Ltd\r\nBcc: victim@elsewhere.example", "Evil Ltd\nBcc: victim@elsewhere.example",
     "Evil Ltd\rBcc: victim@elsewhere.example", "Evil\u2028Bcc: victim@elsewhere.example",
     "Evil Ltd\r\n\r\nInjected body", "Evil\x00Ltd\x0bBcc: victim@elsewhere.example"],
)
def test_no_header_can_be_injected(pdfs: tuple[bytes, bytes], name: str) -> None:
    provider = Recipient(name, "referrals@evil.example", "provider")
    draft = send_out(pdfs, provider=provider)
    draft = Draft(draft.kind, draft.reference, draft.to, draft.subject + "\r\nBcc: victim@elsewhere.example",
                  draft.body, draft.attachments)
    raw = message_bytes(build_message(draft, CONTACT.email, WHEN))
    back = message_from_bytes(raw, policy=policy.default)
    assert back["Bcc"] is None and back["Cc"] is None
    assert [a.addr_spec for a in back["To"].addresses] == ["referrals@evil.example"]
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert "\r\nBcc:" not in head and "\nBcc:" not in head
    assert "Dear Evil" in back.get_body(("plain",)).get_content().splitlines()[0]  # the body's greeting is one line
    names = [line.split(":", 1)[0] for line in head.split("\r\n") if line and not line[0].isspace()]
    assert names == ["From", "To", "Reply-To", "Subject", "Date", "Message-ID", "X-Brokerage-Reference",
                     "X-Brokerage-Kind", "X-Unsent", "MIME-Version", "Content-Type"]
    assert "victim@elsewhere.example" in back["Subject"]  # kept as words in the subject line, harmless there


@pytest.mark.parametrize("email", ["a@b.example\r\nBcc: x@y.example", "not an address", "a@b", "a b@c.example",
                                   "a@b.example, c@d.example", "<a@b.example>"])
def test_a_bad_address_is_refused_with_a_sentence(pdfs: tuple[bytes, bytes], email: str) -> None:
    draft = send_out(pdfs, provider=Recipient("Bright Days", email, "provider"))
    with pytest.raises(MailError, match="The email address of provider 'Bright Days'") as caught:
        build_message(draft, CONTACT.email, WHEN)
    assert "Correct it where it was typed" in str(caught.value)


def test_attachment_names_and_references_are_fixed_words(pdfs: tuple[bytes, bytes]) -> None:
    with pytest.raises(ValueError, match="Not a brokerage reference"):
        not_awarded_draft("../../etc/passwd", PROVIDER, contact=CONTACT)
    draft = send_out(pdfs)
    from brokerage.processor.mail import Attachment

    bad = Draft(draft.kind, draft.reference, draft.to, draft.subject, draft.body, (Attachment("../x.pdf", b""),))
    with pytest.raises(ValueError, match="Attachment names are fixed words"):
        build_message(bad, CONTACT.email, WHEN)


def test_same_inputs_same_bytes(pdfs: tuple[bytes, bytes]) -> None:
    first = message_bytes(build_message(send_out(pdfs), CONTACT.email, WHEN))
    assert message_bytes(build_message(send_out(pdfs), CONTACT.email, WHEN)) == first
    later = message_bytes(build_message(send_out(pdfs), CONTACT.email, morning(date(2026, 2, 3))))
    assert later != first
    ids = [message_from_bytes(b, policy=policy.default)["Message-ID"] for b in (first, later)]
    assert ids[0] != ids[1]
    other = message_bytes(build_message(send_out(pdfs, provider=Recipient("Other", "o@other.example", "provider")),
                                        CONTACT.email, WHEN))
    assert message_from_bytes(other, policy=policy.default)["Message-ID"] != ids[0]


def test_outbox_and_formula_safe_manifest(pdfs: tuple[bytes, bytes], tmp_path: Path) -> None:
    sly = Recipient('=HYPERLINK("http://evil.example","Click")', "sly@evil.example", "provider")
    messages = [(build_message(send_out(pdfs), CONTACT.email, WHEN), "provider"),
                (build_message(send_out(pdfs, provider=sly), CONTACT.email, WHEN), "provider")]
    rows = write_outbox(tmp_path, messages)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["01-send-out.eml", "02-send-out.eml", "manifest.csv",
                                                          "manifest.json"]
    assert (tmp_path / "01-send-out.eml").read_bytes() == message_bytes(messages[0][0])
    table = list(csv.DictReader(io.StringIO((tmp_path / "manifest.csv").read_text(encoding="utf-8"))))
    assert table[0]["to_email"] == "referrals@brightdays.example" and table[0]["sent"] == "draft"
    assert table[0]["attachments"] == "BRK-2026-0042-referral-for-providers.pdf; BRK-2026-0042-part-b-response.pdf"
    assert table[0]["prepared"] == "2026-02-02T09:00:00+00:00"
    assert table[1]["to_name"].startswith("'=HYPERLINK")  # inert in a spreadsheet
    data = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert data[1]["to_name"] == '=HYPERLINK("http://evil.example","Click")'  # JSON keeps the value as it is
    assert [r.file for r in rows] == ["01-send-out.eml", "02-send-out.eml"]


# -- sending through a local SMTP server ---------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Collect:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.envelopes.append(envelope)
        return "250 OK"


def certificate(tmp_path: Path) -> tuple[Path, Path]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    from aiosmtpd.controller import Controller

    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture
def tls_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    from aiosmtpd.controller import Controller

    cert, key = certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), tls_context=context,
                            require_starttls=True)
    controller.start()
    yield controller, handler, ssl.create_default_context(cafile=str(cert))
    controller.stop()


def two_messages(pdfs: tuple[bytes, bytes]) -> list[EmailMessage]:
    other = Recipient("Zoë’s Play & Co", "hello@zoes.example", "provider")
    return [build_message(send_out(pdfs), CONTACT.email, WHEN),
            build_message(send_out(pdfs, provider=other), CONTACT.email, WHEN)]


def test_smtp_delivers_the_same_bytes(server, pdfs: tuple[bytes, bytes]) -> None:  # type: ignore[no-untyped-def]
    controller, handler = server
    messages = two_messages(pdfs)
    sent = send(messages, controller.hostname, controller.port)
    assert [s.to for s in sent] == ["referrals@brightdays.example", "hello@zoes.example"]
    assert [s.tls for s in sent] == [False, False]
    assert [e.rcpt_tos for e in handler.envelopes] == [["referrals@brightdays.example"], ["hello@zoes.example"]]
    assert [e.mail_from for e in handler.envelopes] == [CONTACT.email] * 2
    for envelope, message in zip(handler.envelopes, messages, strict=True):
        assert envelope.original_content.rstrip(b"\r\n") == sendable_bytes(message).rstrip(b"\r\n")
        assert sendable_bytes(message) == message_bytes(message).replace(b"X-Unsent: 1\r\n", b"")
    assert sent[0].manifest.startswith("sent ") and sent[0].manifest.endswith(f"via 127.0.0.1:{controller.port}")


def test_smtp_upgrades_to_tls_when_offered(tls_server, pdfs: tuple[bytes, bytes]) -> None:  # type: ignore[no-untyped-def]
    controller, handler, trust = tls_server
    messages = two_messages(pdfs)
    sent = send(messages, controller.hostname, controller.port, ssl_context=trust, require_tls=True)
    assert [s.tls for s in sent] == [True, True]
    assert [e.original_content.rstrip(b"\r\n") for e in handler.envelopes] == [
        sendable_bytes(m).rstrip(b"\r\n") for m in messages]


def test_smtp_without_tls_is_refused_when_tls_is_required(server, pdfs: tuple[bytes, bytes]) -> None:  # type: ignore[no-untyped-def]
    controller, handler = server
    with pytest.raises(SendError, match="does not offer STARTTLS, so nothing was sent") as caught:
        send(two_messages(pdfs), controller.hostname, controller.port, require_tls=True)
    assert caught.value.sent == () and handler.envelopes == []


def test_smtp_failure_says_what_to_do(pdfs: tuple[bytes, bytes]) -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(SendError) as caught:
        send(two_messages(pdfs), "127.0.0.1", port, timeout=5)
    message = str(caught.value)
    assert f"through 127.0.0.1:{port} failed" in message and "0 of 2 email(s) were sent" in message
    assert "send the rest from your mail client" in message


def test_smtp_untrusted_certificate_is_refused(tls_server, pdfs: tuple[bytes, bytes]) -> None:  # type: ignore[no-untyped-def]
    controller, handler, _trust = tls_server
    with pytest.raises(SendError, match=r"SSLCertVerificationError|certificate verify failed"):
        send(two_messages(pdfs), controller.hostname, controller.port)
    assert handler.envelopes == []
