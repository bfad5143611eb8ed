"""The guidance's general points and the brokerage process, in our words.

From the council's guidance on making a referral to the brokerage service (see
``docs/DOMAIN.md``). Every year-dependent number or date is a ``{placeholder}`` filled from the
policy settings (:meth:`brokerage.rules.policy.Policy.template_values`), never written here.
"""

from __future__ import annotations

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

REFERRAL_POINTS: tuple[tuple[str, str], ...] = (
    ("Contacting the brokerage service",
     "Call the duty line on {duty_line} or email {email}. Put the child's initials and Mosaic ID in the "
     "subject of every email about the case."),
    ("New or increased support",
     "New support, or an increase in support, must be approved by the Resource Allocation Panel before "
     "the referral is sent."),
    ("Urgent cases",
     "Call the duty line before you send an urgent referral and mark it urgent on the form. A manager must "
     "approve it before the search starts; providers are then asked to answer within {urgent_working_days} "
     "working days instead of {working_days}."),
    ("Transport",
     "Transport is not funded by the short breaks and domiciliary care framework. Where the council funds "
     "transport it is arranged separately from this referral; the brokerage officers do not deal with it."),
    ("Names",
     "Use only the child's name and the principal contact's name. Refer to everyone else as Mum, Dad, "
     "Carer, sibling and so on, so the referral can be anonymised."),
    ("Summer play schemes",
     "A referral with a summer play scheme received before {kept_on_file_before} is kept on file and the "
     "scheme dealt with later; any other support on the same form is processed straight away. A place is "
     "for one year only. At most {day_cap} days are given in {scheme_year}, more only for an identified "
     "need. The closing date for cases already open to you is {closing_date_open_cases}. New cases need "
     "panel approval and are processed until {new_case_cut_off}, if places are available. Until "
     "{care_plan_route_until} a scheme can come straight to the brokerage service if it is in a care plan "
     "reviewed in the last {care_plan_review_months} months; otherwise it goes to panel."),
    ("Data protection",
     "Include only information relevant to the support needed."),
    ("Bank holidays",
     "No support is given on bank holidays unless it was assessed as a need and is named in the right "
     "Additional notes box."),
    ("Previous providers and specific providers",
     "Put a negative experience with a previous provider in Additional notes. If only one provider will do, "
     "explain the impact on the child of using another; 'the provider knows the child and it works well' is "
     "not a reason, because another provider can get to know the child too."),
    ("Contact with providers",
     "All contact with providers during brokering goes through the brokerage service, so every provider has "
     "the same information. If a provider contacts you, ask them to contact the brokerage service."),
    ("Changes after you refer",
     "Tell the brokerage service at once if the support is no longer needed, even before it is awarded. "
     "Send any change after an award to the brokerage service; an increase needs panel approval again."),
)

PROVIDER_POINTS: tuple[tuple[str, str], ...] = (
    ("Contacting the brokerage service",
     "Call the duty line on {duty_line} or email {email}, quoting the brokerage reference. Do not contact "
     "the child's social worker or family about a referral that has not been awarded to you."),
    ("Response deadline",
     "Return Part B within {working_days} working days of the email, or {urgent_working_days} working days "
     "for a referral marked urgent. Working days exclude weekends and bank holidays in England."),
    ("Transport",
     "Transport is not funded by the framework; do not include it in your rates."),
    ("Bank holidays",
     "Support on bank holidays is only commissioned when the referral names it as an assessed need."),
    ("Signing the agreement",
     "Sign the Individual Placement Agreement digitally in the provider's signature box and save the file "
     "incrementally (for example in Acrobat or Okular). Saving it again in a browser rewrites the file and "
     "breaks the signature. The brokerage officer countersigns it and sends you a copy."),
)

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
