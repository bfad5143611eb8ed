"""The kinds of form and one table of what the toolkit knows about each.

A form's *kind* is written in every PDF (``"<kind> <schema version>"`` in the ``form_id`` field and the
``/BrokerageForm`` document information), in the ledger and in the summaries, so the string values
never change. Which parts of the schema a form holds comes from the schema's ``x-form`` annotations
(:class:`brokerage.schema.Form`); everything else about a kind is one row of :data:`KIND_FACTS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

FORM_ID_FIELD = "form_id"
"""The hidden read-only field every form carries, holding :attr:`brokerage.schema.Form.form_id`."""
FORM_ID_INFO_KEY = "/BrokerageForm"
"""The document-information key holding the same value, for files whose fields a viewer renamed."""
DOCUMENT_INFO_KEY = "/BrokerageDocument"
"""The document-information key of every document the service makes and does not expect back (a filed
copy, a letter, a referral for providers): ``"<what> <reference or hash>"``. The one output marker: a
file carrying it is never read as a returned form (a form sent out to be filled, such as the Part B
prefilled with a reference, does not carry it)."""


class FormKind(StrEnum):
    referral = "referral"
    provider_response = "provider-response"
    ipa = "ipa"

    @property
    def facts(self) -> KindFacts:
        return KIND_FACTS[self]

    @property
    def filename(self) -> str:
        """The blank form's file name: ``referral.pdf``."""
        return f"{self.value}.pdf"

    def form_id(self, version: str) -> str:
        """What identifies a file as this form of schema ``version``: ``"referral 1.0"``."""
        return f"{self.value} {version}"


@dataclass(frozen=True)
class KindFacts:
    """Everything that differs between kinds of form, apart from the parts they hold."""

    title: str
    """The form's title: at the top of every page and in the PDF's document information."""
    label: str
    """The kind in a list of files (``summary.html``): "Provider response"."""
    plural: str
    """Its sheet of ``summary.xlsx``: "Provider responses"."""
    in_letter: str
    """How a return letter names it: "Your provider response (Part B) has been returned"."""
    addressee: str
    """Pointer of the name a return letter is addressed to (the person who completed the form)."""
    guidance: str
    """The guidance sheet that explains it: ``guidance-<guidance>.pdf``."""
    quoted_reference: str | None = None
    """Pointer of the brokerage reference the form quotes; ``None`` for the form that opens a case
    (a referral, which is given its reference when it is accepted)."""

    @property
    def opens_case(self) -> bool:
        return self.quoted_reference is None

    @property
    def deferred(self) -> bool:
        """Routed after every referral of a batch, so that it may quote one received in the same batch."""
        return not self.opens_case


KIND_FACTS: dict[FormKind, KindFacts] = {
    FormKind.referral: KindFacts(
        title="Brokerage referral (Part A and Annex 1)",
        label="Referral",
        plural="Referrals",
        in_letter="referral",
        addressee="/part_a/allocated_worker/name",
        guidance="referral",
    ),
    FormKind.provider_response: KindFacts(
        title="Provider response (Part B)",
        label="Provider response",
        plural="Provider responses",
        in_letter="provider response (Part B)",
        addressee="/part_b/responder/name",
        guidance="provider",
        quoted_reference="/part_b/referral_reference",
    ),
    FormKind.ipa: KindFacts(
        title="Individual Placement Agreement (Part C)",
        label="Placement agreement",
        plural="Placement agreements",
        in_letter="Individual Placement Agreement (Part C)",
        addressee="/part_c/provider_signatory/name",
        guidance="provider",
        quoted_reference="/part_c/reference",
    ),
}
"""One row per kind; :func:`brokerage.schema.Catalogue` refuses a schema whose ``x-form`` names a kind
missing here."""


def form_kind(value: object) -> FormKind | None:
    """The kind a string names (``"provider-response"``), ``None`` for anything else."""
    try:
        return FormKind(value)
    except ValueError:
        return None
