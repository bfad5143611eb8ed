"""Email drafts for a brokerage case, their manifest, and optional sending (issues 15 and 16).

Public API::

    Draft, Recipient, Attachment, MailError
    send_out_draft(reference, provider, *, deadline, urgent, lots, contact, referral_pdf, part_b_pdf,
                   round_number=1) -> Draft
    chase_draft(reference, provider, *, deadline, urgent, contact) -> Draft
    not_awarded_draft(reference, provider, *, contact); withdrawal_draft(reference, provider, *, contact)
    countersigned_ipa_draft(reference, provider, *, ipa_pdf, contact)
    award_draft(reference, worker, *, children, provider, contact, provider_telephone="")
    flexibility_draft(reference, worker, *, children, contact); no_provider_draft(...)
    returned_referral_draft(reference | None, worker, *, children, letter_pdf, contact)
    build_message(draft, service_email, when, *, unsent=True) -> EmailMessage    # deterministic
    message_bytes(message) -> bytes (.eml); sendable_bytes(message) -> bytes (no X-Unsent)
    morning(day) -> datetime                                    # 09:00 Europe/London, for --today
    write_outbox(folder, [(message, role)], sent=None) -> [ManifestRow]   # NN-kind.eml + manifest.csv/json
    send(messages, host, port=25, *, ssl_context=None, require_tls=False) -> [Sent]   # STARTTLS if offered
"""

from brokerage.processor.mail.drafts import (
    award_draft,
    chase_draft,
    countersigned_ipa_draft,
    flexibility_draft,
    lots_words,
    no_provider_draft,
    not_awarded_draft,
    returned_referral_draft,
    send_out_draft,
    withdrawal_draft,
)
from brokerage.processor.mail.message import (
    Attachment,
    Draft,
    MailError,
    Recipient,
    build_message,
    mailbox,
    message_bytes,
    morning,
    one_line,
    sendable_bytes,
)
from brokerage.processor.mail.outbox import ManifestRow, manifest_csv, manifest_json, manifest_row, write_outbox
from brokerage.processor.mail.smtp import SendError, Sent, send

__all__ = [
    "Attachment",
    "Draft",
    "MailError",
    "ManifestRow",
    "Recipient",
    "SendError",
    "Sent",
    "award_draft",
    "build_message",
    "chase_draft",
    "countersigned_ipa_draft",
    "flexibility_draft",
    "lots_words",
    "mailbox",
    "manifest_csv",
    "manifest_json",
    "manifest_row",
    "message_bytes",
    "morning",
    "no_provider_draft",
    "not_awarded_draft",
    "one_line",
    "returned_referral_draft",
    "send",
    "send_out_draft",
    "sendable_bytes",
    "withdrawal_draft",
    "write_outbox",
]
