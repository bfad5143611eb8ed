"""What the pipeline does with a returned file that has no form fields left.

The fillable reader (:func:`brokerage.processor.pdf_read.read_form`) raises
:class:`~brokerage.errors.FlattenedFormError` for a PDF with no fields. The pipeline's read step then
hands the bytes to :func:`read_copy`, which reads the file by our blank form's boxes
(:func:`~brokerage.processor.flattened.read_flattened`) and gives:

- for a file that is none of our forms: the same error, with a sentence saying so (the batch rejects it);
- for a copy of an older or newer form version: :class:`~brokerage.errors.WrongVersionError`, naming the
  copy ("a flattened copy of the …, form version 0.9");
- otherwise a :class:`Copy`: the boxes read well enough as the fillable reader's ``RawForm`` (so the same
  identify, coerce and checks run on them) and the read itself (where each value came from, how sure).

After the checks, :func:`copy_problems` makes the verdict's problems: one warning naming the copy; every
box that could not be read, as an error when the form needs it (then the form is returned, and the letter
asks for the fillable form) or a warning when it does not; the reader's notes (pages of another form, text
written outside the boxes) as warnings. A box that could not be read is never taken as blank: what the
checks said about it being blank is replaced by the sentence that it could not be read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from brokerage.errors import FlattenedFormError, WrongVersionError
from brokerage.pdf import RETURNED_FORM, label
from brokerage.processor.flattened.as_raw import as_raw_form, unreadable_problems
from brokerage.processor.flattened.box_map import form_map
from brokerage.processor.flattened.read import read_flattened
from brokerage.processor.flattened.results import READABLE, BoxRead, FlattenedRead, Source
from brokerage.processor.pdf_read import RawForm
from brokerage.schema import Catalogue, Problem, Severity, default_catalogue, pointer_from_name

COPY_RULE = "file:flattened-copy"
"""The one warning on every return read by its boxes from page text (a flattened or printed-to-PDF copy)."""
SCAN_RULE = "file:scanned-copy"
"""The one warning on a return whose pages are pictures (a scan), read by its boxes."""
UNREADABLE_RULE = "flattened:unreadable"
NOTE_RULE = "flattened:note"
ALWAYS_NEEDED = frozenset({"checkbox", "signature"})
"""Box kinds whose absence is itself an answer (not ticked, not signed): one that cannot be read on a page of
the file is never passed over, whatever the checks say."""


@dataclass(frozen=True)
class Copy:
    """A returned file without fields, read by the boxes of the form it is a copy of."""

    form: RawForm
    """The boxes read well enough, as the fillable reader gives them."""
    read: FlattenedRead

    @property
    def description(self) -> str:
        """"a flattened copy of the Brokerage referral (Part A and Annex 1), form version 1.0", "a scan of …"."""
        return self.read.description()


def read_copy(data: bytes, *, source: str = "", catalogue: Catalogue | None = None, ocr: bool = False) -> Copy:
    """Read a returned PDF that has no form fields by the boxes of our forms.

    Raises :class:`~brokerage.errors.FlattenedFormError` (none of its pages is a page of ours),
    :class:`~brokerage.errors.WrongVersionError` (a copy of another version of our form) and the reader's
    :class:`~brokerage.errors.InputFileError` sentences, each naming ``source``.
    """
    catalogue = catalogue or default_catalogue()
    read = read_flattened(data, source=source, ocr=ocr)
    named = label(source, RETURNED_FORM)
    if read.kind is None:
        if read.pages and all(page.image_only for page in read.pages):
            message = (
                f"{named} has no form fields, and none of its pages is a page of a brokerage form (they hold pictures "
                "or almost no text, and none looks like a page of ours). Ask the sender to fill in the brokerage form "
                "itself and return that file."
            )
        else:
            message = read.notes[0] if read.notes else (
                f"{named} has no form fields, and none of its pages is a page of a brokerage form. Ask the sender to "
                "fill in the brokerage form itself and return that file."
            )
        raise FlattenedFormError(message)
    if read.version != catalogue.version:
        raise WrongVersionError(
            f"{named} is {read.description()}, but this service reads form version {catalogue.version} only. Ask "
            f"the sender to copy their answers into the current fillable form (version {catalogue.version}) and "
            "send that file."
        )
    return Copy(form=as_raw_form(read), read=read)


def needed(problems: Iterable[Problem], pointer: str) -> bool:
    """Whether the checks say the form needs the box at ``pointer``: an error at it, or at a group holding it."""
    for problem in problems:
        if not problem.is_error or not problem.pointer:
            continue
        if pointer == problem.pointer or pointer.startswith(problem.pointer + "/"):
            return True
    return False


def copy_problems(copy: Copy, problems: Iterable[Problem], catalogue: Catalogue | None = None) -> tuple[Problem, ...]:
    """The problems of a copy's verdict, in form order: ``problems`` (the checks on the boxes read) with what
    they say about boxes that could not be read replaced by one problem per such box, the reader's notes and
    the one warning naming the copy."""
    catalogue = catalogue or default_catalogue()
    problems = list(problems)
    read = copy.read
    unreadable: dict[str, BoxRead] = {}
    for name, box in read.boxes.items():
        if box.readable:
            continue
        try:
            unreadable[pointer_from_name(name)] = box
        except ValueError:
            continue
    # a tick box or signature on a page that is there but could not be read is always needed; on a page the
    # file does not have, it is as absent as on a fillable form with that page taken out
    required = {
        pointer for pointer, box in unreadable.items()
        if (box.kind in ALWAYS_NEEDED and box.page is not None) or needed(problems, pointer)
    }
    kept = [p for p in problems if p.pointer not in unreadable]
    # a box on a page the file does not have is named only when the form needs it (as a fillable form with
    # pages taken out has no field there); the missing pages are one note
    boxes = [p for p in unreadable_problems(read, catalogue, required=required) if p.is_error or p.page is not None]
    notes = [file_warning(NOTE_RULE, note) for note in (*read.notes, *missing_pages(copy))]
    return tuple(catalogue.in_form_order([copy_warning(copy, len(boxes)), *notes, *boxes, *kept]))


def missing_pages(copy: Copy) -> tuple[str, ...]:
    """One sentence naming the pages of the form the file does not have (people print only the pages they
    filled in), or none."""
    read = copy.read
    if read.kind is None:
        return ()
    form = form_map(read.kind)
    present = {page.form_page for page in read.pages if page.kind == read.kind}
    missing = [page.index + 1 for page in form.pages if page.index not in present]
    if not missing:
        return ()
    shown = ", ".join(str(n) for n in missing[:-1]) + (" and " if len(missing) > 1 else "") + str(missing[-1])
    many = len(missing) > 1
    return (f"{'Pages' if many else 'Page'} {shown} of the {form.title} form {'are' if many else 'is'} not in "
            f"{label(read.source, RETURNED_FORM)}, so nothing on {'them' if many else 'it'} was read; a box there that "
            "the form needs is listed.",)


def file_warning(rule: str, message: str) -> Problem:
    """A warning about the file as a whole (no box), as the pipeline's other file problems are."""
    return Problem(pointer="", field="", rule=rule, severity=Severity.warning, message=message)


def copy_warning(copy: Copy, unread: int) -> Problem:
    """The one warning every copy gets: what the file is and how its answers were read."""
    read = copy.read
    named = label(read.source, RETURNED_FORM)
    if read.image_only:
        what = "its pages are pictures (scanned or photographed)"
        how = "its ticks and choices were read from what is drawn in each box"
        if any(b.source is Source.ocr and b.readable for b in read.boxes.values()):
            how += " and its typed text by OCR"
    else:
        what = "it has no fillable boxes left (flattened or printed to PDF)"
        how = "its answers were read from the text and marks drawn in each box"
    if unread:
        outcome = f"{unread} box{'es' if unread != 1 else ''} could not be read (listed)"
    else:
        outcome = "every box was read"
    return file_warning(
        SCAN_RULE if read.image_only else COPY_RULE,
        f"{named} is {copy.description}: {what}, so {how}; {outcome}. Please send the fillable form itself next "
        "time.",
    )


def copy_of(problems: Iterable[Problem]) -> str | None:
    """What kind of copy a verdict's problems say the file was: ``"a flattened copy"``, ``"a scan"``, or
    ``None`` for a fillable form."""
    for problem in problems:
        if problem.rule == COPY_RULE:
            return "a flattened copy"
        if problem.rule == SCAN_RULE:
            return "a scan"
    return None


def unreadable_needed(problems: Iterable[Problem]) -> int:
    """How many boxes the form needs could not be read on a copy: when any, its letter asks the sender for
    the fillable form."""
    return sum(1 for p in problems if p.rule == UNREADABLE_RULE and p.is_error)


# --- where each value came from (``brokerage extract --json``) ------------------------------------


@dataclass(frozen=True)
class BoxValue:
    """One box of a returned form: what was read, from where, how sure."""

    pointer: str
    read: str | bool | None
    """What the box shows, as the fillable reader gives it (``None``: empty, or not read)."""
    source: Source
    confidence: float
    page: int | None
    note: str = ""

    @property
    def readable(self) -> bool:
        return self.confidence >= READABLE

    def as_dict(self) -> dict[str, Any]:
        return {
            "pointer": self.pointer, "read": self.read, "source": self.source.value,
            "confidence": round(self.confidence, 2), "page": self.page, "note": self.note,
        }


def box_values(form: RawForm, copy: Copy | None, parts: Iterable[str]) -> tuple[BoxValue, ...]:
    """Every box of the form's ``parts`` in the file's order, with where its value came from: the form field
    (confidence 1) for a fillable form, the copy's reading for a copy."""
    wanted = set(parts)

    def ours(name: str) -> str | None:
        try:
            pointer = pointer_from_name(name)
        except ValueError:
            return None
        return pointer if pointer.split("/")[1] in wanted else None

    out: list[BoxValue] = []
    if copy is None:
        for name, raw in form.fields.items():
            pointer = ours(name)
            if pointer is not None:
                out.append(BoxValue(pointer, raw.value, Source.field, 1.0, raw.page))
        return tuple(out)
    for name, box in copy.read.boxes.items():
        pointer = ours(name)
        if pointer is not None:
            out.append(BoxValue(pointer, box.value if box.readable else None, box.source, box.confidence, box.page,
                                box.note))
    return tuple(out)
