"""Which of our forms a file is: from the embedded kind and version, else from its field names.

Every form carries ``"<kind> <schema version>"`` in a hidden ``form_id`` field and in the document
info (``/BrokerageForm``). A viewer may strip both (a "Save as" that drops metadata, a field
removed by a form editor); the field names still say which parts of the schema the file holds,
because names come from pointers by one reversible function.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from brokerage.errors import NotOurFormError, WrongVersionError
from brokerage.schema import FORMS, SCHEMA_VERSION, pointer_from_name


@dataclass(frozen=True)
class Identity:
    kind: str
    """``referral``, ``provider-response`` or ``ipa``."""
    version: str
    """The schema version the form was made for (ours when known only from field names)."""
    from_names: bool = False
    """True when the embedded kind was missing and the field names decided."""


def _named(source: str) -> str:
    return f"'{source}'" if source else "This file"


def _part_of(name: str) -> str | None:
    try:
        pointer = pointer_from_name(name)
    except ValueError:
        return None
    return pointer.split("/")[1]


def kind_from_names(names: Iterable[str]) -> str | None:
    """The form kind whose parts the field names belong to, or ``None`` when they fit none or several."""
    part_to_kind = {part: form.kind for form in FORMS.values() for part in form.parts}
    kinds = {part_to_kind[p] for p in (_part_of(n) for n in names) if p in part_to_kind}
    return kinds.pop() if len(kinds) == 1 else None


def parse_form_id(form_id: str) -> tuple[str, str] | None:
    parts = form_id.strip().split()
    if len(parts) != 2:
        return None
    return parts[0], parts[1]


def _version_key(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return ()


def identify(form_id: str | None, field_names: Iterable[str], *, source: str = "") -> Identity:
    """The form's kind and version, or :class:`NotOurFormError` / :class:`WrongVersionError`."""
    label = _named(source)
    parsed = parse_form_id(form_id) if form_id else None
    if parsed is not None and parsed[0] in FORMS:
        kind, version = parsed
        if version != SCHEMA_VERSION:
            title = FORMS[kind].title
            if _version_key(version) > _version_key(SCHEMA_VERSION):
                raise WrongVersionError(
                    f"{label} is the {title} form version {version}, newer than version {SCHEMA_VERSION} that "
                    f"this toolkit reads. Update the brokerage toolkit, or ask the sender to use form version "
                    f"{SCHEMA_VERSION}."
                )
            raise WrongVersionError(
                f"{label} is the {title} form version {version}, but this service now reads version "
                f"{SCHEMA_VERSION} only. Ask the sender to copy their answers into the current form "
                f"(version {SCHEMA_VERSION}) and send it again."
            )
        return Identity(kind=kind, version=version)
    kind = kind_from_names(field_names)
    if kind is None:
        if parsed is not None or form_id:
            detail = f"it says it is a '{form_id}' form, which is not one of ours"
        else:
            detail = "its fields are not those of the referral (Part A), provider response (Part B) or IPA (Part C)"
        raise NotOurFormError(
            f"{label} is a PDF form but not a brokerage form: {detail}. Ask the sender to use the "
            "brokerage service's own form."
        )
    return Identity(kind=kind, version=SCHEMA_VERSION, from_names=True)
