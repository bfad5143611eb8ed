"""The emails of a brokerage case (issues 15 and 16), each a :class:`Draft` from plain values.

To providers (never the child's name or initials; the subject carries the reference, and for a
send-out or a reminder the deadline and ``URGENT`` when it applies): the send-out with the
anonymised referral and Part B attached, the reminder, "not awarded", the withdrawal notice, the
countersigned IPA. To the allocated worker (the subject leads with the children's initials and
Mosaic IDs, as guidance point 1 asks): the award, the flexibility request, no provider found, and a
returned referral with its letter attached. Bodies come from ``templates/mail-*.txt.j2`` (plain text)
with the policy's duty line and email.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined

from brokerage.processor.mail.message import Attachment, Draft, Recipient, one_line
from brokerage.processor.providers import Lot
from brokerage.processor.references import is_reference
from brokerage.rules.policy import Contact

LOT_WORDS = {Lot.SHORT_BREAKS: "short breaks", Lot.DOMICILIARY_CARE: "domiciliary care"}


def _load(name: str) -> str:
    return files("brokerage.templates").joinpath(name).read_text(encoding="utf-8")


@cache
def _environment() -> Environment:
    # Plain-text bodies: nothing is HTML, so nothing is escaped; StrictUndefined makes a missing value an error.
    return Environment(loader=FunctionLoader(_load), autoescape=False, undefined=StrictUndefined,
                       keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


def _body(template: str, **context: Any) -> str:
    return _environment().get_template(f"mail-{template}.txt.j2").render(**context)


def long_day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def lots_words(lots: Iterable[Lot]) -> str:
    """``short breaks and domiciliary care`` in the register's order."""
    chosen = set(lots)
    return " and ".join(LOT_WORDS[lot] for lot in Lot if lot in chosen) or "support"


def _reference(reference: str) -> str:
    if not is_reference(reference):
        raise ValueError(f"Not a brokerage reference: {reference!r}")
    return reference


def _provider_draft(kind: str, reference: str, provider: Recipient, subject: str, template: str,
                    contact: Contact, attachments: tuple[Attachment, ...] = (), **context: Any) -> Draft:
    body = _body(template, provider=one_line(provider.name), reference=reference, contact=contact, **context)
    return Draft(kind, reference, provider, subject, body, attachments)


def send_out_draft(reference: str, provider: Recipient, *, deadline: date, urgent: bool, lots: Iterable[Lot],
                   contact: Contact, referral_pdf: bytes, part_b_pdf: bytes, round_number: int = 1) -> Draft:
    """The referral to one provider, with the anonymised referral and Part B attached."""
    reference = _reference(reference)
    words = lots_words(lots)
    subject = (f"{'URGENT: ' if urgent else ''}Referral {reference} for {words}"
               f"{' (revised, second round)' if round_number > 1 else ''} – reply by {long_day(deadline)}")
    attachments = (Attachment(f"{reference}-referral-for-providers.pdf", referral_pdf),
                   Attachment(f"{reference}-part-b-response.pdf", part_b_pdf))
    return _provider_draft("send-out", reference, provider, subject, "send-out", contact, attachments,
                           deadline=long_day(deadline), urgent=urgent, lots=words, round_number=round_number)


def chase_draft(reference: str, provider: Recipient, *, deadline: date, urgent: bool, contact: Contact) -> Draft:
    reference = _reference(reference)
    subject = f"{'URGENT: ' if urgent else ''}Reminder: referral {reference} – reply by {long_day(deadline)}"
    return _provider_draft("chase", reference, provider, subject, "chase", contact,
                           deadline=long_day(deadline), urgent=urgent)


def not_awarded_draft(reference: str, provider: Recipient, *, contact: Contact) -> Draft:
    reference = _reference(reference)
    return _provider_draft("not-awarded", reference, provider,
                           f"Referral {reference}: awarded to another provider – thank you", "not-awarded", contact)


def withdrawal_draft(reference: str, provider: Recipient, *, contact: Contact) -> Draft:
    """The referral is withdrawn (guidance point 11). The reason stays in the case: it may be the family's."""
    reference = _reference(reference)
    return _provider_draft("withdrawal", reference, provider,
                           f"Referral {reference} withdrawn – no response needed", "withdrawal", contact)


def countersigned_ipa_draft(reference: str, provider: Recipient, *, ipa_pdf: bytes, contact: Contact) -> Draft:
    reference = _reference(reference)
    return _provider_draft("countersigned-ipa", reference, provider,
                           f"Referral {reference}: countersigned Individual Placement Agreement",
                           "countersigned-ipa", contact, (Attachment(f"{reference}-ipa-countersigned.pdf", ipa_pdf),))


def _worker_subject(children: str, words: str, reference: str | None) -> str:
    """Guidance point 1: the children's initials and Mosaic IDs first."""
    lead = f"{children}: " if children.strip() else ""
    return f"{lead}{words}" + (f" ({reference})" if reference else "")


def _worker_draft(kind: str, reference: str, worker: Recipient, children: str, words: str, template: str,
                  contact: Contact, attachments: tuple[Attachment, ...] = (), **context: Any) -> Draft:
    context = {key: one_line(value) if isinstance(value, str) else value for key, value in context.items()}
    body = _body(template, worker=one_line(worker.name), children=one_line(children) or "the child",
                 reference=reference, contact=contact, **context)
    return Draft(kind, reference, worker, _worker_subject(children, words, reference), body, attachments)


def award_draft(reference: str, worker: Recipient, *, children: str, provider: str, contact: Contact,
                provider_telephone: str = "") -> Draft:
    """Tell the worker who was awarded the package and ask them to tell the family."""
    reference = _reference(reference)
    return _worker_draft("award", reference, worker, children, f"package awarded to {provider}", "award", contact,
                         provider=provider, provider_telephone=provider_telephone)


def flexibility_draft(reference: str, worker: Recipient, *, children: str, contact: Contact) -> Draft:
    reference = _reference(reference)
    return _worker_draft("flexibility", reference, worker, children,
                         "no provider found yet – is there flexibility in the package?", "flexibility", contact)


def no_provider_draft(reference: str, worker: Recipient, *, children: str, contact: Contact) -> Draft:
    reference = _reference(reference)
    return _worker_draft("no-provider", reference, worker, children, "no provider found", "no-provider", contact)


def returned_referral_draft(reference: str | None, worker: Recipient, *, children: str, letter_pdf: bytes,
                            contact: Contact) -> Draft:
    """A returned referral's letter to the worker (``reference`` when the referral was given one)."""
    reference = _reference(reference) if reference else None
    name = f"{reference}-returned-referral-letter.pdf" if reference else "returned-referral-letter.pdf"
    return _worker_draft("returned-referral", reference or "", worker, children,
                         "referral returned – please correct and resend", "returned-referral", contact,
                         (Attachment(name, letter_pdf),))
