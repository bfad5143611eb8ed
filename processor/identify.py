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
from brokerage.schema import Catalogue, FormKind, default_catalogue, form_kind, pointer_from_name


@dataclass(frozen=True)
class Identity:
    kind: FormKind
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


def kind_from_names(names: Iterable[str], catalogue: Catalogue | None = None) -> FormKind | None:
    """The form kind whose parts the field names belong to, or ``None`` when they fit none or several."""
    catalogue = catalogue or default_catalogue()
    forms = {form.kind for form in (catalogue.form_of_part(part) for part in map(_part_of, names) if part) if form}
    return forms.pop() if len(forms) == 1 else None


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


def identify(
    form_id: str | None, field_names: Iterable[str], *, source: str = "", catalogue: Catalogue | None = None
) -> Identity:
    """The form's kind and version, or :class:`NotOurFormError` / :class:`WrongVersionError`."""
    catalogue = catalogue or default_catalogue()
    current = catalogue.version
    label = _named(source)
    parsed = parse_form_id(form_id) if form_id else None
    kind = form_kind(parsed[0]) if parsed is not None else None
    if parsed is not None and kind is not None and kind in catalogue.forms:
        version = parsed[1]
        if version != current:
            title = catalogue.form(kind).title
            if _version_key(version) > _version_key(current):
                raise WrongVersionError(
                    f"{label} is the {title} form version {version}, newer than version {current} that "
                    f"this toolkit reads. Update the brokerage toolkit, or ask the sender to use form version "
                    f"{current}."
                )
            raise WrongVersionError(
                f"{label} is the {title} form version {version}, but this service now reads version "
                f"{current} only. Ask the sender to copy their answers into the current form "
                f"(version {current}) and send it again."
            )
        return Identity(kind=kind, version=version)
    kind = kind_from_names(field_names, catalogue)
    if kind is None:
        if parsed is not None or form_id:
            detail = f"it says it is a '{form_id}' form, which is not one of ours"
        else:
            detail = "its fields are not those of the referral (Part A), provider response (Part B) or IPA (Part C)"
        raise NotOurFormError(
            f"{label} is a PDF form but not a brokerage form: {detail}. Ask the sender to use the "
            "brokerage service's own form."
        )
    return Identity(kind=kind, version=current, from_names=True)
