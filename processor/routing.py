"""Step 6 of the pipeline, routing: the ledger and the rest of the run decide a checked file's verdict.

Runs in the batch's parent (only it opens the ledger), in inbox order, referrals before the forms that
quote them. A checked file becomes:

- a **duplicate** when it repeats a file already filed (accepted) under another name, the same bytes or
  the same form saved again, or the same bytes as a file that could not be read (rejected); a returned
  first copy never makes a later copy a duplicate (it was never filed), and the message names the first
  copy's verdict;
- for a **referral**: the case it belongs to (the one it was attached to before; the one it quotes in
  "Brokerage reference, if this is a resubmission"; the returned case of the same child, by Mosaic ID and
  date of birth; else a new reference), the response deadline, and a summer play scheme request received
  before January of the scheme year held until the first working day of January;
- for a **provider response** or an **IPA**: the accepted case it quotes (never quoting another case's
  reference back), and for a response the days offered against the days asked and the deadline.

``RouteContext.reserve`` off: the same verdict without writing to the ledger (``brokerage validate
--ledger``), so ``validate`` and ``process`` say the same about the same file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from brokerage.pdf import label
from brokerage.processor.ledger import FirstCopy, Ledger, child_keys
from brokerage.processor.pipeline import (
    Checked,
    Examined,
    FileContext,
    Settings,
    check,
    data_hash_of,
    file_problem,
    page_of,
    policy_for,
    write,
)
from brokerage.processor.references import FORMAT, is_reference, normalise_quoted
from brokerage.processor.results import FileResult, Status
from brokerage.rules.ipa import ipa_stage
from brokerage.rules.offers import days_asked, days_offered, in_words
from brokerage.rules.summer_scheme import other_support_requested, scheme_held_until
from brokerage.rules.values import form_date
from brokerage.rules.workdays import response_deadline
from brokerage.schema import FormKind, Problem, Severity, get_at

PREVIOUS_REFERENCE = "/part_a/referral/previous_reference"
TRANSIENT_RULES = frozenset({"file:timeout", "file:crash", "file:internal-error", "file:unreadable"})
"""Verdicts not recorded in the ledger, so that the next run tries the file again."""


@dataclass(frozen=True)
class CaseNote:
    """What routing knows of a case, from the ledger or from this run: the referral in force."""

    reference: str
    status: Status
    response_due: date | None = None
    held_until: date | None = None
    data: Mapping[str, Any] | None = field(default=None, compare=False)
    child_keys: tuple[str, ...] = ()


@dataclass
class RouteContext:
    """What routing needs beyond the file: the ledger, the day, the policy, and what this run saw."""

    ledger: Ledger
    settings: Settings
    seen_sha: dict[str, FirstCopy] = field(default_factory=dict)
    """Bytes filed (accepted) or refused as unreadable (rejected) in this run → the first such file."""
    seen_data: dict[str, FirstCopy] = field(default_factory=dict)
    """Form content filed in this run → the first file that held it."""
    cases: dict[str, CaseNote] = field(default_factory=dict)
    """Cases whose referral was routed in this run."""
    reserve: bool = True
    """Reserve references in the ledger; off for a read-only check."""

    def case(self, reference: str | None) -> CaseNote | None:
        """The case ``reference``: as this run left it, else as the ledger holds it."""
        if reference is None:
            return None
        if reference in self.cases:
            return self.cases[reference]
        recorded = self.ledger.case(reference)
        if recorded is None:
            return None
        referral = recorded.referral
        return CaseNote(reference, recorded.status, referral.response_due, referral.held_until, referral.data,
                        recorded.child_keys)

    def cases_of_children(self, keys: tuple[str, ...]) -> list[str]:
        """Cases with one of these children, latest first: this run's, then the ledger's."""
        here = [ref for ref, note in reversed(self.cases.items()) if set(note.child_keys) & set(keys)]
        return list(dict.fromkeys([*here, *self.ledger.cases_of_children(keys)]))


# --- duplicates ----------------------------------------------------------------------------------


def first_copy(checked: Checked, rc: RouteContext) -> FirstCopy | None:
    """The earlier file this one repeats: the same bytes accepted or rejected, or the same form accepted."""
    if checked.sha256:
        first = rc.seen_sha.get(checked.sha256) or rc.ledger.first_copy(
            sha256=checked.sha256, other_than=checked.source, statuses=(Status.accepted, Status.rejected)
        )
        if first is not None and first.source != checked.source:
            return first
    data_hash = checked.data_hash
    if data_hash:
        first = rc.seen_data.get(data_hash) or rc.ledger.first_copy(data_hash=data_hash, other_than=checked.source)
        if first is not None and first.source != checked.source:
            return first
    return None


def _duplicate(base: FileResult, checked: Checked, first: FirstCopy) -> FileResult:
    on = f" on {form_date(first.received)}" if first.received else ""
    verdict = (
        f"which was accepted and filed{on}" if first.status is Status.accepted
        else f"which was rejected{on} because it could not be read as a brokerage form, like this copy"
    )
    return replace(
        base,
        status=Status.duplicate,
        data=None,
        duplicate_of=first.source,
        problems=(
            file_problem(
                "file:duplicate",
                f"{label(checked.source)} holds the same form as '{first.source}', {verdict}. Nothing was done "
                "with this copy; you can delete it from the inbox.",
                Severity.warning,
            ),
        ),
    )


# --- referrals: the case, the deadline, a summer scheme held --------------------------------------


def _quoted_problem(checked: Checked, pointer: str, quoted: object, why: str, what: str, rc: RouteContext) -> Problem:
    catalogue = rc.settings.catalogue
    page = page_of(pointer, checked.pages)
    message = f"{catalogue.where(pointer).describe(page)} says '{quoted}', which {why}. {what}"
    return catalogue.problem(pointer, "route:unknown-reference", Severity.error, message, page)


@dataclass(frozen=True)
class CaseChoice:
    reference: str | None
    """``None``: a new case (its reference is reserved when the file is routed for real)."""
    attach: bool = False
    """The referral continues an existing case."""
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()


def choose_case(checked: Checked, rc: RouteContext) -> CaseChoice:
    """The case a referral belongs to (see the module's description); a quoted reference that names no case,
    or another child's, is a problem and the file opens no case."""
    data = checked.data or {}
    keys = child_keys(data)
    known = rc.ledger.referral_reference(checked.sha256)
    quoted = get_at(data, PREVIOUS_REFERENCE)
    if quoted not in (None, ""):
        reference = normalise_quoted(quoted)
        case = rc.case(reference)
        if case is None or reference is None:
            return CaseChoice(None, problems=(_quoted_problem(
                checked, PREVIOUS_REFERENCE, quoted, "is not the reference of any referral the brokerage service has "
                "received", f"Copy it from the letter or email about the referral this one corrects (a reference is "
                f"written {FORMAT}), or leave the box blank if this is a new referral.", rc),))
        if keys and case.child_keys and not set(keys) & set(case.child_keys):
            return CaseChoice(None, problems=(_quoted_problem(
                checked, PREVIOUS_REFERENCE, quoted, "is the reference of a referral for another child",
                "Check the reference on the letter or email about this child's referral, or leave the box blank if "
                "this is a new referral.", rc),))
        return CaseChoice(reference, attach=True, notes=(f"Continues case {reference}, whose reference it quotes.",))
    if known is not None:  # routed before: the same case, said the same way
        opened_it = rc.ledger.reference_opened_by(checked.sha256) == known
        note = () if opened_it else (f"Continues case {known}: the same child (Mosaic ID and date of birth).",)
        return CaseChoice(known, attach=not opened_it, notes=note)
    for reference in rc.cases_of_children(keys):
        case = rc.case(reference)
        if case is not None and case.status is not Status.accepted:
            return CaseChoice(reference, attach=True,
                              notes=(f"Continues case {reference}: the same child (Mosaic ID and date of birth).",))
    return CaseChoice(None)


def _reserve(checked: Checked, choice: CaseChoice, rc: RouteContext) -> str | None:
    if not rc.reserve:
        return choice.reference
    if choice.attach and choice.reference is not None:
        return rc.ledger.attach_referral(checked.sha256, choice.reference)
    if choice.problems:
        return None
    return choice.reference or rc.ledger.reserve_reference(checked.sha256, rc.settings.today.year)


def _route_referral(checked: Checked, base: FileResult, rc: RouteContext) -> FileResult:
    data = checked.data or {}
    today = rc.settings.today
    choice = choose_case(checked, rc)
    problems = [*checked.problems, *choice.problems]
    notes = list(choice.notes)
    status = Status.returned if any(p.is_error for p in problems) else Status.accepted
    reference = _reserve(checked, choice, rc)
    response_due = held_until = None
    if status is Status.accepted:
        policy = policy_for(rc.settings.policy_path)
        held_until = scheme_held_until(data, policy, today)
        urgent = get_at(data, "/part_a/referral/urgent") == "Yes"
        if held_until is None:
            response_due = response_deadline(today, urgent, policy)
        elif other_support_requested(data, policy, today):
            response_due = response_deadline(today, urgent, policy)
            notes.append(
                f"Summer play scheme kept on file until {held_until:%A} {form_date(held_until)}, the first working day "
                "of January: the provider pack and the deadline are for the other support on the form only."
            )
        else:
            notes.append(
                f"Summer play scheme kept on file until {held_until:%A} {form_date(held_until)}, the first working day "
                "of January: no deadline and no provider pack until then."
            )
    return replace(
        base,
        status=status,
        reference=reference if reference is None or is_reference(reference) else None,
        problems=tuple(problems),
        response_due=response_due,
        held_until=held_until,
        notes=tuple(notes),
    )


# --- provider responses and IPAs: the case they quote ---------------------------------------------


def _offer_problem(checked: Checked, case: CaseNote, rc: RouteContext) -> Problem | None:
    """Days a provider offers that the referral never asked for (a warning, in words)."""
    asked = days_asked(case.data or {})
    offered = days_offered(checked.data or {})
    extra = [day for day in offered if day not in asked]
    if not asked or not extra:
        return None
    pointer = f"/part_b/offer/{extra[0]}"
    catalogue = rc.settings.catalogue
    page = page_of(pointer, checked.pages)
    message = (
        f"{catalogue.where('/part_b/offer').place()}the offer includes {in_words(extra)}, which the referral did not "
        f"ask for: it asks for {in_words(asked)}. Check the offer with the provider before the award."
    )
    return catalogue.problem(pointer, "route:offer-days", Severity.warning, message, page)


def _ipa_notes(data: Mapping[str, Any]) -> list[str]:
    stage = ipa_stage(data)
    return [stage.next_step] if stage is not None else []


def _route_quoting(checked: Checked, base: FileResult, rc: RouteContext) -> FileResult:
    assert checked.kind is not None
    pointer = checked.kind.facts.quoted_reference
    assert pointer is not None
    data = checked.data or {}
    quoted = get_at(data, pointer)
    reference = normalise_quoted(quoted)
    case = rc.case(reference)
    problems = list(checked.problems)
    notes: list[str] = []
    response_due = None
    if quoted in (None, ""):
        pass  # blank: the schema's "required" already says so
    elif case is None:
        problems.append(_quoted_problem(
            checked, pointer, quoted, "is not the reference of any referral the brokerage service has sent out",
            f"Copy the reference exactly from the referral you are answering (a reference is written {FORMAT}).", rc))
    elif case.status is not Status.accepted:
        problems.append(_quoted_problem(
            checked, pointer, quoted, "is the reference of a referral that was returned to the worker and never sent "
            "to providers", "Check the reference on the referral you are answering.", rc))
    elif checked.kind is FormKind.provider_response:
        response_due = case.response_due
        offer = _offer_problem(checked, case, rc)
        if offer is not None:
            problems.append(offer)
        if response_due is not None and rc.settings.today > response_due:
            notes.append(
                f"Received on {form_date(rc.settings.today)}, after the response deadline of {form_date(response_due)}."
            )
    if checked.kind is FormKind.ipa:
        notes.extend(_ipa_notes(data))
    status = Status.returned if any(p.is_error for p in problems) else Status.accepted
    filed = case is not None and case.status is Status.accepted
    return replace(
        base,
        status=status,
        # Only an accepted case's reference is written back (on a letter, in a folder name): a reference that
        # names a returned referral was never sent to providers, so it is not confirmed to the one who typed it.
        reference=case.reference if filed and case is not None else None,
        problems=tuple(problems),
        response_due=response_due,
        notes=tuple(notes),
    )


# --- the step --------------------------------------------------------------------------------------


def route(checked: Checked, rc: RouteContext) -> FileResult:
    """The file's verdict: rejected, duplicate, returned or accepted; a referral's case and reference."""
    base = FileResult(
        source=checked.source,
        sha256=checked.sha256,
        kind=checked.kind,
        status=Status.rejected,
        problems=checked.problems,
        data=checked.data,
        received=rc.settings.today,
    )
    transient = any(p.rule in TRANSIENT_RULES for p in checked.problems)
    first = first_copy(checked, rc) if checked.sha256 and not transient else None
    if first is not None:
        return _duplicate(base, checked, first)
    if checked.rejected or checked.kind is None:
        return base
    if checked.kind.facts.opens_case:
        return _route_referral(checked, base, rc)
    return _route_quoting(checked, base, rc)


def note_seen(result: FileResult, rc: RouteContext) -> None:
    """Remember a routed file for the rest of the run (duplicates, cases quoted or continued later)."""
    if result.status is Status.duplicate or any(p.rule in TRANSIENT_RULES for p in result.problems):
        return
    first = FirstCopy(result.source, result.status, result.received)
    if result.sha256 and result.status in (Status.accepted, Status.rejected):
        rc.seen_sha.setdefault(result.sha256, first)
    data_hash = data_hash_of(result.kind, result.data) if result.status is Status.accepted else None
    if data_hash:
        rc.seen_data.setdefault(data_hash, first)
    if result.kind is not None and result.kind.facts.opens_case and result.reference:
        known = rc.case(result.reference)
        if known is not None and known.status is Status.accepted and result.status is not Status.accepted:
            rc.cases[result.reference] = replace(
                known, child_keys=tuple(sorted(set(known.child_keys) | set(child_keys(result.data)))))
            return
        keys = set(child_keys(result.data)) | set(known.child_keys if known is not None else ())
        rc.cases[result.reference] = CaseNote(
            result.reference, result.status, result.response_due, result.held_until, result.data, tuple(sorted(keys))
        )


# --- one file, start to end (tests) ----------------------------------------------------------------


def process_one(ctx: FileContext, rc: RouteContext, out_dir: Path | None = None) -> FileResult:
    """Every step for a single file; ``out_dir`` ``None`` stops after routing."""
    checked = check(ctx)
    result = route(checked, rc)
    note_seen(result, rc)
    if out_dir is not None:
        result = replace(result, outputs=write(result, ctx.path, out_dir, ctx.settings))
    return result


def routed_check(examined: Examined, source: str, settings: Settings, ledger: Ledger) -> FileResult:
    """The verdict ``brokerage process`` would give a file already examined (``brokerage validate --ledger``),
    routed against ``ledger`` without writing to it."""
    checked = Checked(
        source=source,
        sha256=examined.sha256,
        kind=examined.identity.kind,
        data=examined.coerced.instance,
        problems=examined.problems,
        pages=examined.coerced.pages,
    )
    return route(checked, RouteContext(ledger=ledger, settings=settings, reserve=False))
