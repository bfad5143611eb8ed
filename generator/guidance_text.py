"""The guidance's general points and the brokerage process, in our words.

From the council's guidance on making a referral to the brokerage service (see
``docs/DOMAIN.md``). Every year-dependent number or date is a ``{placeholder}`` filled from the
policy settings (:meth:`brokerage.rules.policy.Policy.template_values`), never written here.

Only what is not a rule is worded here: a point that a guidance rule states is printed in the rule's
words (:func:`brokerage.rules.catalogue`), never restated.
"""

from __future__ import annotations

from dataclasses import dataclass

REFERRAL_INTRO = (
    "Use this guidance beside the referral form (Part A, with Annex 1 for a summer play scheme). "
    "You complete Part A only; the content must be objective and factual. Make sure the details are "
    "accurate and complete the first time: every request for more information delays the search for a provider."
)

PROVIDER_INTRO = (
    "Use this guidance beside the provider response (Part B) and the Individual Placement Agreement "
    "(Part C). The brokerage service sends you an anonymised referral; answer it on Part B by the deadline "
    "in the email. If your offer is chosen, the brokerage service completes Part C for you to sign."
)

@dataclass(frozen=True)
class GeneralPoint:
    """One of the guidance's general points, in words that are not a rule's.

    Where a point is (or partly is) a rule, the rule's own sentence says it: :attr:`RuleInfo.guidance
    <brokerage.rules.RuleInfo.guidance>` is the one wording. On the referral sheet the rules of general
    point *n* are printed under "What the brokerage service checks" and the point refers to them;
    ``quotes`` names rules whose sentences are printed in the point itself (the provider sheet, which
    lists no checks).
    """

    title: str
    text: str = ""
    """Words of the point that no rule says; empty when the point's rules say it all."""
    quotes: tuple[str, ...] = ()
    """Rule ids whose guidance sentences are printed, in this order, before ``text``."""


# The guidance's 11 general points in its order: REFERRAL_POINTS[n - 1] is general point n, the
# ``point`` of the rules registered for it (brokerage.rules.registry.POINTS).
REFERRAL_POINTS: tuple[GeneralPoint, ...] = (
    GeneralPoint(
        "Contacting the brokerage service",
        "Call the duty line on {duty_line} or email {email}. Put the child's initials and Mosaic ID in the "
        "subject of every email about the case.",
    ),
    GeneralPoint("New or increased support"),
    GeneralPoint("Urgent cases"),
    GeneralPoint("Transport"),
    GeneralPoint("Names"),
    GeneralPoint("Summer play schemes"),
    GeneralPoint("Data protection"),
    GeneralPoint("Bank holidays"),
    GeneralPoint(
        "Previous providers and specific providers",
        "Put a negative experience with a previous provider in Additional notes.",
    ),
    GeneralPoint(
        "Contact with providers",
        "All contact with providers during brokering goes through the brokerage service, so every provider has "
        "the same information. If a provider contacts you, ask them to contact the brokerage service.",
    ),
    GeneralPoint(
        "Changes after you refer",
        "Tell the brokerage service at once if the support is no longer needed, even before it is awarded. "
        "Send any change after an award to the brokerage service; an increase needs panel approval again.",
    ),
)

PROVIDER_POINTS: tuple[GeneralPoint, ...] = (
    GeneralPoint(
        "Contacting the brokerage service",
        "Call the duty line on {duty_line} or email {email}, quoting the brokerage reference. Do not contact "
        "the child's social worker or family about a referral that has not been awarded to you.",
    ),
    GeneralPoint(
        "Response deadline",
        "Return Part B within {working_days} working days of the email, or {urgent_working_days} working days "
        "for a referral marked urgent. Working days exclude weekends and bank holidays in England.",
    ),
    GeneralPoint("Transport", "Do not include transport in your rates.", quotes=("guidance-4-transport",)),
    GeneralPoint("Bank holidays", quotes=("guidance-8-bank-holidays",)),
    GeneralPoint(
        "Signing the agreement",
        "Sign the Individual Placement Agreement digitally in the provider's signature box and save the file "
        "incrementally (for example in Acrobat or Okular). Saving it again in a browser rewrites the file and "
        "breaks the signature. The brokerage officer countersigns it and sends you a copy.",
    ),
)

CHECKS_TITLE = "What the brokerage service checks"

CHECKS_INTRO = (
    "The brokerage service checks every referral against the points below. Some must be put right before the "
    "referral is accepted; the others are checked and pointed out to you."
)

# How a general point refers to its rules, printed under CHECKS_TITLE.
CHECKS_REFERENCE = "The brokerage service checks this: see below."

# What a rule's severity means for the person who sent the referral.
SEVERITY_WORDS: dict[str, str] = {
    "error": "must be put right before the referral is accepted",
    "warning": "checked and pointed out",
}

PROCESS: tuple[str, ...] = (
    "The brokerage service reviews the referral, anonymises it and picks the framework providers that fit.",
    "The anonymised referral goes to all of them by email; they answer on Part B within {working_days} working "
    "days ({urgent_working_days} working days when the referral is marked urgent).",
    "After the deadline, if there are offers, the duty brokerage officer awards the package. You are told who "
    "the provider is and tell the parent or carer; the provider then contacts the family directly.",
    "If no framework provider can meet the package, the same request goes to suitable providers off the framework.",
    "If there is still no offer, you are asked whether the package can be changed. A revised referral goes "
    "round the framework a second time, with the same timescales, and then off the framework again.",
    "Once the package is awarded, the brokerage service completes Part C, the Individual Placement Agreement. "
    "The provider signs it, the duty brokerage officer countersigns it, a copy goes back to the provider and "
    "a copy onto the child's record. The agreement is the contract for that child.",
)
