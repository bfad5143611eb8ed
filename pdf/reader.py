"""Opening a PDF from bytes, with every way it can fail turned into one sentence, once.

A sentence says what is wrong with the file, then what to do. What is wrong is the same for every
caller; what to do depends on who reads the sentence and where the file came from, so callers pass
an :class:`Advice`: :data:`RETURNED_FORM` for files sent back to the brokerage service (ask the
sender), :data:`OUR_FORM` for a blank form someone runs a command on (make it again).

pypdf parses lazily, so a damaged object or a decompression bomb may only surface while fields are
read. :func:`reading` maps those errors in the same words.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError, PyPdfError

from brokerage.errors import DamagedPdfError, EncryptedPdfError, NotAPdfError, TooLargeError

READ_ERRORS: tuple[type[Exception], ...] = (
    PdfReadError,
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
)
"""What pypdf raises on a damaged file, besides the errors that have their own sentence."""


class FieldTreeError(ValueError):
    """The form's field tree cannot be walked: ``/Kids`` or ``/Parent`` loop back, or it is nested
    deeper than any form. Raised by the walk, turned into the damaged-file sentence by :func:`reading`."""


class TooManyFieldsError(ValueError):
    """The form has more fields and widgets than any form holds (a file built to exhaust readers)."""


@dataclass(frozen=True)
class Advice:
    """What the sentences for an unreadable file tell a person to do, for one audience.

    Each entry is a whole sentence that follows the one saying what is wrong.
    """

    unnamed: str
    """What a file without a name is called at the start of a sentence: ``This file``."""
    size_limit: str
    """What the size limit is for, after "more than the N MB": ``a returned form can be``."""
    too_large: str
    not_a_pdf: str
    cut_off: str
    damaged: str
    password: str
    cannot_decrypt: str
    expands: str


RETURNED_FORM = Advice(
    unnamed="This file",
    size_limit="a returned form can be",
    too_large="Ask the sender for the form itself, without attachments or scans.",
    not_a_pdf="Ask the sender to return the brokerage form itself as a PDF.",
    cut_off="Ask the sender to send it again.",
    damaged="Ask the sender to save the form again and resend it.",
    password="Ask the sender to remove the password (save an unprotected copy) and send the form again.",
    cannot_decrypt="Reinstall the brokerage toolkit, or ask the sender for an unprotected copy.",
    expands="Ask the sender for the brokerage form itself.",
)
"""For a file sent back to the brokerage service: the sender can put it right."""

OUR_FORM = Advice(
    unnamed="The file",
    size_limit="a brokerage form can be",
    too_large="Give the path of a brokerage form made by brokerage generate.",
    not_a_pdf="Give the path of a brokerage form (a .pdf file).",
    cut_off="Generate the form again.",
    damaged="Generate the form again.",
    password="Use the unprotected form made by brokerage generate.",
    cannot_decrypt="Reinstall the brokerage toolkit, or use the unprotected form made by brokerage generate.",
    expands="Generate the form again.",
)
"""For a blank or prefilled form given to a command (``brokerage fields``, ``brokerage fill``)."""


def label(source: str, advice: Advice = RETURNED_FORM) -> str:
    """How a sentence names the file: ``'referral.pdf'``, or the advice's word for an unnamed one."""
    return f"'{source}'" if source else advice.unnamed


def too_large(size: int, max_bytes: int, source: str = "", advice: Advice = RETURNED_FORM) -> TooLargeError:
    """The error for a file of ``size`` bytes, over the limit of ``max_bytes``."""
    return TooLargeError(
        f"{label(source, advice)} is {size / 1_048_576:.0f} MB, more than the {max_bytes / 1_048_576:.0f} MB "
        f"{advice.size_limit}. {advice.too_large}"
    )


def expands_too_far(source: str = "", advice: Advice = RETURNED_FORM) -> TooLargeError:
    """The error for a file that inflates past pypdf's limits (``LimitReachedError``) or holds far
    more fields than a form, while opening or reading."""
    return TooLargeError(
        f"{label(source, advice)} expands to far more data than a form holds and was not read. {advice.expands}"
    )


def damaged_fields(source: str = "", advice: Advice = RETURNED_FORM) -> DamagedPdfError:
    """The damaged-file error for a PDF that opens but whose form fields cannot be read (a broken
    object, a loop in the field tree)."""
    return DamagedPdfError(f"{label(source, advice)} is damaged: its form fields cannot be read. {advice.damaged}")


def open_pdf(
    data: bytes, *, source: str = "", advice: Advice = RETURNED_FORM, max_bytes: int | None = None
) -> PdfReader:
    """A reader for the PDF in ``data``, decrypted when it needs no password.

    Raises :class:`~brokerage.errors.TooLargeError` (over ``max_bytes``, or inflating past pypdf's
    limits), :class:`~brokerage.errors.NotAPdfError`, :class:`~brokerage.errors.DamagedPdfError`
    (cut off, or unreadable) and :class:`~brokerage.errors.EncryptedPdfError` (a non-empty password,
    or no ``cryptography`` to decrypt with), each with a sentence naming ``source`` and saying what to
    do as ``advice`` says.
    """
    named = label(source, advice)
    if max_bytes is not None and len(data) > max_bytes:
        raise too_large(len(data), max_bytes, source, advice)
    if b"%PDF-" not in data[:1024]:
        raise NotAPdfError(f"{named} is not a PDF file. {advice.not_a_pdf}")
    if b"%%EOF" not in data[-2048:]:
        raise DamagedPdfError(f"{named} is incomplete: the PDF is cut off before its end. {advice.cut_off}")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedPdfError(f"{named} is protected with a password. {advice.password}")
        _ = len(reader.pages)
    except EncryptedPdfError:
        raise
    except DependencyError as error:
        raise EncryptedPdfError(
            f"{named} is encrypted and this installation cannot decrypt it (the 'cryptography' package is "
            f"missing). {advice.cannot_decrypt}"
        ) from error
    except FileNotDecryptedError as error:
        raise EncryptedPdfError(f"{named} is protected with a password. {advice.password}") from error
    except LimitReachedError as error:
        raise expands_too_far(source, advice) from error
    except READ_ERRORS as error:
        raise DamagedPdfError(f"{named} is damaged and cannot be read as a PDF. {advice.damaged}") from error
    return reader


@contextmanager
def reading(source: str = "", advice: Advice = RETURNED_FORM) -> Iterator[None]:
    """Map what reading an opened file's objects may raise to the sentences of :func:`open_pdf`:
    a loop in the field tree or a broken object is damage, a bomb or a flood of fields too large."""
    try:
        yield
    except (LimitReachedError, TooManyFieldsError) as error:
        raise expands_too_far(source, advice) from error
    except READ_ERRORS as error:
        raise damaged_fields(source, advice) from error
