"""Opening a (possibly signed) IPA with pyHanko's reader and reading its boxes as plain values.

pyHanko reads every revision of the file, so the boxes can be read as they were when a signature
was made (:func:`field_states` on a historical revision's catalogue) as well as now. The fields are
found by the toolkit's one field walk (:func:`brokerage.pdf.walk_fields`, which takes pyHanko's
objects as well as pypdf's): the same names, kinds, inheritance and loop checks as every other
reader. Values are returned as ``str``/``bool``; no pyHanko object leaves this package.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pyhanko.pdf_utils import misc
from pyhanko.pdf_utils.reader import PdfFileReader

from brokerage.errors import DamagedPdfError, EncryptedPdfError, NotAPdfError
from brokerage.pdf import FieldFlag, FieldKind, FieldNode, reading, walk_fields
from brokerage.processor.signatures.errors import NotAnIpaError
from brokerage.processor.signatures.ipa import IPA_KIND, OFFICER_SIGNATURE, PROVIDER_SIGNATURE
from brokerage.schema import FORM_ID_FIELD

PDF_ERRORS = (misc.PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, AssertionError)
"""What pyHanko raises on a damaged or unusual file."""


@contextmanager
def quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs its findings (a path to no trusted authority, a difference analysis that failed, with a
    traceback) as warnings; with no logging set up Python prints them on stderr. Our sentences say the
    same in words, so they are held back while this library calls pyHanko."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@dataclass(frozen=True)
class FieldState:
    """One box as it is in one revision of the file."""

    name: str
    kind: FieldKind
    value: str | None
    """Text and choices: the text (line breaks as ``\\n``), ``None`` when empty; checkbox and radio:
    the chosen on-state, ``None`` when off; signature: ``"signed"`` or ``None``."""
    read_only: bool

    @property
    def filled(self) -> bool:
        return bool(self.value and self.value.strip())


def label(source: str) -> str:
    return f"'{source}'" if source else "The file"


def open_reader(data: bytes, source: str = "") -> PdfFileReader:
    """pyHanko's reader on ``data``, or a sentence saying why the file cannot be read."""
    name = label(source)
    if b"%PDF-" not in data[:1024]:
        raise NotAPdfError(f"{name} is not a PDF file. Give the Individual Placement Agreement as a PDF.")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        encrypted = reader.encrypted
    except PDF_ERRORS as error:
        raise DamagedPdfError(
            f"{name} is damaged and cannot be read as a PDF ({type(error).__name__}). Ask the sender to send the "
            "agreement again."
        ) from error
    if encrypted:
        raise EncryptedPdfError(
            f"{name} is protected with a password or encryption. Ask the sender to return the agreement without "
            "protection."
        )
    return reader


def _value(node: FieldNode) -> str | None:
    value = node.value
    if value is True:  # a ticked box (named by its on-state) or a signed signature box
        return "signed" if node.kind is FieldKind.signature else (node.on_states[0] if node.on_states else "Yes")
    return value or None


def field_states(root: Any) -> dict[str, FieldState]:
    """Every terminal field of the catalogue ``root`` (pyHanko's) as a plain :class:`FieldState`, by full name.

    Raises :class:`~brokerage.pdf.FieldTreeError` (a ``ValueError``) for a loop in the field tree.
    """
    return {
        node.name: FieldState(name=node.name, kind=node.kind, value=_value(node),
                              read_only=bool(node.flags & FieldFlag.read_only))
        for node in walk_fields(root)
    }


def read_states(reader: PdfFileReader, source: str = "") -> dict[str, FieldState]:
    """:func:`field_states` of the file as it is now; a field tree that loops or a broken object is the
    damaged-file sentence naming ``source``."""
    with reading(source):
        return field_states(reader.root)


def require_ipa(reader: PdfFileReader, states: dict[str, FieldState], source: str = "") -> None:
    """Raise :class:`NotAnIpaError` unless the file is our IPA form (its ``form_id`` and both signature boxes)."""
    form_id = states.get(FORM_ID_FIELD)
    kind = ((form_id.value if form_id is not None else None) or "").split(" ")[0]
    has_boxes = states.get(PROVIDER_SIGNATURE) is not None and states.get(OFFICER_SIGNATURE) is not None
    if kind != IPA_KIND or not has_boxes:
        raise NotAnIpaError(
            f"{label(source)} is not an Individual Placement Agreement made by the brokerage toolkit (form "
            f"{kind or 'unknown'}). Give the IPA issued for the case, as the provider returned it."
        )
