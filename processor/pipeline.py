"""The per-file pipeline: read, identify, extract, coerce, validate, route, write.

Each step is a plain function of the file's context (and the previous step's value) returning an
immutable value; the drivers (:func:`examine`, :func:`check`, :func:`process_one`) are a few lines
each. The first five steps need only the file and the policy, so the batch runs them in worker
processes (:func:`check`). Routing needs the ledger, so it runs in the batch's parent
(:func:`brokerage.processor.routing.route`); writing needs only the routed result and the file, so it
runs in a worker again (:func:`write`), and the parent records the verdict once the outputs are on disk.

Nothing of pypdf's leaves :func:`read`: the reader returns plain values and lets the parser go.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brokerage.errors import (
    BrokerageError,
    CannotFileError,
    DamagedPdfError,
    EncryptedPdfError,
    FlattenedFormError,
    InputFileError,
    NotAPdfError,
    NotOurFormError,
    OurOutputError,
    OutputError,
    TooLargeError,
    WrongVersionError,
)
from brokerage.files import OWNER_ONLY, Permissions
from brokerage.pdf import RETURNED_FORM, label, too_large
from brokerage.processor import coerce as coerce_module
from brokerage.processor.identify import Identity
from brokerage.processor.identify import identify as identify_form
from brokerage.processor.integrity import check_integrity, drop
from brokerage.processor.pdf_read import DEFAULT_MAX_BYTES, RawField, RawForm, read_form
from brokerage.processor.results import FileResult, Status
from brokerage.schema import Catalogue, FormKind, Problem, Severity, default_catalogue, pointer_from_name

if TYPE_CHECKING:
    from brokerage.processor.flattened.returns import Copy

# --- settings and context ------------------------------------------------------------------------


RECEIVABLE = (date(2000, 1, 1), date(2099, 12, 31))
"""The days forms can be received on (``--today``): response deadlines, bank holidays and references count
from it, and every date on a form is judged against it."""


@dataclass(frozen=True)
class Settings:
    """What every file of a run shares. Plain values, so it crosses into worker processes (the shipped
    catalogue crosses as a name and is built once in each worker)."""

    today: date
    """The day the forms are received: response deadlines and references count from it."""
    policy_path: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    catalogue: Catalogue = field(default_factory=default_catalogue, repr=False, compare=False)
    """The schema the forms are read and checked against."""
    permissions: Permissions = OWNER_ONLY
    """Who may read the outputs (owner only unless ``--group-readable``), whatever the umask."""
    ocr: bool = False
    """Read typed text on scanned returns with OCR (when an OCR engine is installed)."""

    def __post_init__(self) -> None:
        first, last = RECEIVABLE
        if not first <= self.today <= last:
            raise ValueError(f"{self.today} is not a day forms could be received ({first} to {last}).")


@dataclass(frozen=True)
class FileContext:
    path: Path
    source: str
    """The file's name relative to the inbox (``/`` separated)."""
    settings: Settings
    sha256: str | None = None
    """The file's hash when the caller has it already (the batch hashes every file before it is read)."""
    size: int | None = None
    """The file's size in bytes, with :attr:`sha256`."""


@cache
def policy_for(path: str | None) -> Any:
    """The policy in force (loaded once per process)."""
    from brokerage.rules.policy import load_policy

    return load_policy(Path(path) if path else None)


def file_problem(rule: str, message: str, severity: Severity = Severity.error) -> Problem:
    """A problem with the file as a whole (no field): what is wrong and what to do."""
    return Problem(pointer="", field="", rule=rule, severity=severity, message=message)


_ERROR_RULES: tuple[tuple[type[BrokerageError], str], ...] = (
    # most specific first: a flattened form is also "not our form"
    (NotAPdfError, "file:not-a-pdf"),
    (DamagedPdfError, "file:damaged"),
    (EncryptedPdfError, "file:encrypted"),
    (TooLargeError, "file:too-large"),
    (FlattenedFormError, "file:flattened"),
    (WrongVersionError, "file:wrong-version"),
    (OurOutputError, "file:our-output"),
    (NotOurFormError, "file:not-our-form"),
)


def rule_for_error(error: BrokerageError) -> str:
    """The summary's rule id for a file-level error: ``file:encrypted`` and so on."""
    for cls, rule in _ERROR_RULES:
        if isinstance(error, cls):
            return rule
    return "file:unreadable"


@dataclass(frozen=True)
class Fingerprint:
    """A file's hash and size, taken in one pass."""

    sha256: str
    size: int


def fingerprint(path: Path) -> Fingerprint:
    """Hash and size of a regular file (never through a link, never a device or a named pipe)."""
    digest = hashlib.sha256()
    size = 0
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return Fingerprint(digest.hexdigest(), size)


def sha256_of(path: Path) -> str:
    return fingerprint(path).sha256


# --- step 1: read --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    sha256: str
    form: RawForm
    copy: Copy | None = None
    """For a return with no fields left (flattened, printed to PDF, scanned): the boxes read by our blank
    form's map, where each value came from and how sure (``form`` then holds the boxes read well enough)."""


def read(ctx: FileContext) -> Read:
    """The file's hash and fields. Raises an :class:`InputFileError` with a sentence for a bad file.

    A PDF with no form fields is read as a copy of one of our forms (:mod:`brokerage.processor.flattened`):
    by the boxes of our blank form, or a sentence saying it is none of our forms.

    The size is checked here, once, before the file is read (a file past the limit is never loaded); the
    hash is the caller's when it has one (:attr:`FileContext.sha256`), else taken from the bytes read.
    """
    size = ctx.size if ctx.size is not None else ctx.path.stat().st_size
    limit = ctx.settings.max_bytes
    if size > limit:
        raise too_large(size, limit, ctx.source, RETURNED_FORM)
    data = read_regular(ctx.path)
    known = ctx.sha256 is not None and len(data) == ctx.size  # the file has not changed since it was hashed
    sha256 = ctx.sha256 if known and ctx.sha256 is not None else hashlib.sha256(data).hexdigest()
    # The reader's own limit guards callers that hand it bytes; here it only catches a file that grew
    # past the limit between the check above and the read.
    try:
        form = read_form(data, source=ctx.source, max_bytes=limit)
    except FlattenedFormError:
        from brokerage.processor.flattened.returns import read_copy

        copy = read_copy(data, source=ctx.source, catalogue=ctx.settings.catalogue, ocr=ctx.settings.ocr)
        return Read(sha256=sha256, form=copy.form, copy=copy)
    return Read(sha256=sha256, form=form)


# --- step 2: identify ----------------------------------------------------------------------------


def identify(ctx: FileContext, form: RawForm) -> Identity:
    return identify_form(form.form_id, form.fields, source=ctx.source, catalogue=ctx.settings.catalogue)


# --- step 3: extract -----------------------------------------------------------------------------


def extract(form: RawForm, identity: Identity, catalogue: Catalogue | None = None) -> dict[str, RawField]:
    """The fields that belong to the identified form's parts, by name, in the file's order."""
    parts = set((catalogue or default_catalogue()).form(identity.kind).parts)
    out: dict[str, RawField] = {}
    for name, raw in form.fields.items():
        try:
            part = pointer_from_name(name).split("/")[1]
        except ValueError:
            continue
        if part in parts:
            out[name] = raw
    return out


# --- step 4: coerce ------------------------------------------------------------------------------


def coerce(
    fields: Mapping[str, RawField], identity: Identity, catalogue: Catalogue | None = None
) -> coerce_module.Coerced:
    return coerce_module.coerce_form(fields, identity.kind, catalogue)


def values(form: RawForm, identity: Identity, catalogue: Catalogue | None = None) -> coerce_module.Coerced:
    """Steps 3 and 4 with what lies between them: the form's fields (:func:`extract`), less the boxes
    whose value cannot be taken as the sender's answer (:func:`~brokerage.processor.integrity.check_integrity`:
    each is a problem naming it), coerced (:func:`coerce`)."""
    catalogue = catalogue or default_catalogue()
    seen = check_integrity(form, frozenset(catalogue.form(identity.kind).parts), catalogue)
    coerced = coerce(drop(extract(form, identity, catalogue), seen.dropped), identity, catalogue)
    if seen.problems:
        coerced = replace(coerced, problems=(*seen.problems, *coerced.problems))
    return coerced


# --- step 5: validate ----------------------------------------------------------------------------


def page_of(pointer: str, pages: Mapping[str, int]) -> int | None:
    """The page of a field, or of the first field under a group's pointer."""
    if pointer in pages:
        return pages[pointer]
    if not pointer:
        return None
    under = [page for at, page in pages.items() if at.startswith(pointer + "/")]
    return min(under) if under else None


def validate(ctx: FileContext, coerced: coerce_module.Coerced, identity: Identity) -> tuple[Problem, ...]:
    """Coercion, schema and guidance problems in form order (:func:`brokerage.rules.validate` puts them in
    order, the one place that does), each with the page of its field."""
    from brokerage.rules import validate as run_rules

    settings = ctx.settings
    found = run_rules(
        coerced.instance,
        policy=policy_for(settings.policy_path),
        received=settings.today,
        kind=identity.kind,
        catalogue=settings.catalogue,
        found=coerced.problems,
    )
    pages = coerced.pages
    return tuple(p if p.page is not None else replace(p, page=page_of(p.pointer, pages)) for p in found)


# --- the checking driver (runs in a worker) ------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """Everything the first five steps learnt about a file: plain values only."""

    source: str
    sha256: str
    kind: FormKind | None = None
    data: Mapping[str, Any] | None = None
    problems: tuple[Problem, ...] = ()
    pages: Mapping[str, int] = field(default_factory=dict)
    rejected: bool = False

    def __post_init__(self) -> None:
        if self.kind is not None and not isinstance(self.kind, FormKind):  # "referral", as JSON holds it
            object.__setattr__(self, "kind", FormKind(self.kind))

    @property
    def data_hash(self) -> str | None:
        """Hash of the form's content (kind and coerced data), to spot the same form saved twice."""
        return None if self.rejected else data_hash_of(self.kind, self.data)


def rejected(source: str, sha256: str, error: BrokerageError, kind: FormKind | None = None) -> Checked:
    return Checked(
        source=source,
        sha256=sha256,
        kind=kind,
        problems=(file_problem(rule_for_error(error), error.message),),
        rejected=True,
    )


@dataclass(frozen=True)
class Examined:
    """The first five steps' values for a readable form of ours."""

    sha256: str
    identity: Identity
    coerced: coerce_module.Coerced
    problems: tuple[Problem, ...]


def examine(ctx: FileContext) -> Examined:
    """Read, identify, extract, coerce and validate one file; raises :class:`InputFileError` for a
    file that is not a readable form of ours (``brokerage validate`` reports it as such)."""
    got = read(ctx)
    identity = identify(ctx, got.form)
    catalogue = ctx.settings.catalogue
    coerced = values(got.form, identity, catalogue)
    problems = validate(ctx, coerced, identity)
    if got.copy is not None:  # read from a flattened or scanned copy: what could not be read, and one warning
        from brokerage.processor.flattened.returns import copy_problems

        problems = copy_problems(got.copy, problems, catalogue)
    return Examined(got.sha256, identity, coerced, problems)


def check(ctx: FileContext) -> Checked:
    """:func:`examine` for the batch: a bad file becomes a rejected :class:`Checked`, never an exception."""
    try:
        examined = examine(ctx)
    except InputFileError as error:
        return rejected(ctx.source, _safe_sha(ctx), error)
    except OSError as error:
        return Checked(
            source=ctx.source,
            sha256=_safe_sha(ctx),
            problems=(
                file_problem(
                    "file:unreadable",
                    f"{label(ctx.source)} cannot be opened ({error.strerror or error}). Check the file's "
                    "permissions and run again.",
                ),
            ),
            rejected=True,
        )
    return Checked(
        source=ctx.source,
        sha256=examined.sha256,
        kind=examined.identity.kind,
        data=examined.coerced.instance,
        problems=examined.problems,
        pages=examined.coerced.pages,
    )


def _safe_sha(ctx: FileContext) -> str:
    """The file's hash for a verdict on a file that could not be read: the caller's, or taken now."""
    if ctx.sha256 is not None:
        return ctx.sha256
    try:
        return sha256_of(ctx.path)
    except OSError:
        return ""


# --- step 6: route (parent: the ledger decides): brokerage.processor.routing ------------------------


def data_hash_of(kind: FormKind | None, data: Mapping[str, Any] | None) -> str | None:
    """Hash of a form's content (kind and coerced data), to spot the same form saved twice."""
    if not data or kind is None:
        return None
    text = json.dumps({"kind": kind, "data": data}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- step 7: write (outputs first, atomically; the ledger records after) -------------------------


def write(result: FileResult, path: Path, out_dir: Path, settings: Settings) -> tuple[str, ...]:
    """Write the outputs for one routed file and return their paths relative to ``out_dir``, sorted.

    Case folders, letters and filed responses are the outputs package's; each output is written to
    a temporary name and renamed, and the same result always gives the same names and bytes.
    """
    if result.status in (Status.rejected, Status.duplicate):
        return ()
    from brokerage.processor.outputs import write_case, write_return_letter

    catalogue = settings.catalogue
    try:
        if result.status is Status.accepted:
            written = write_case(result, read_regular(path), out_dir, catalogue, permissions=settings.permissions)
        else:
            written = write_return_letter(result, out_dir, catalogue, permissions=settings.permissions)
    except OSError as error:
        raise OutputError(
            f"The outputs for '{result.source}' could not be written to '{out_dir}' ({error.strerror or error}). "
            "Check the output folder is writable and has space, then run again."
        ) from error
    except BrokerageError as error:
        raise CannotFileError(error.message) from error
    except Exception as error:  # what it holds breaks a builder (pypdf's writer, reportlab): a verdict, not a retry
        raise CannotFileError(f"{type(error).__name__} while making them ({str(error)[:120]})") from error
    return tuple(sorted(str(p) for p in written))


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file at ``path``, never through a link and never from a device or a named
    pipe (which would block or never end): ``OSError`` for anything else."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return handle.read()
