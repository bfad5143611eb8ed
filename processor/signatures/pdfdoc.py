"""Opening a (possibly signed) IPA with pyHanko's reader and reading its boxes as plain values.

pyHanko reads every revision of the file, so the boxes can be read as they were when a signature
was made (:func:`field_states` on a historical revision's catalogue) as well as now. Values are
returned as ``str``/``bool``; no pyHanko object leaves this package.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.reader import PdfFileReader

from brokerage.errors import DamagedPdfError, EncryptedPdfError, NotAPdfError
from brokerage.processor.signatures.errors import NotAnIpaError
from brokerage.processor.signatures.ipa import IPA_KIND, OFFICER_SIGNATURE, PROVIDER_SIGNATURE
from brokerage.schema import FORM_ID_FIELD

READ_ONLY = 1
_RADIO = 1 << 15
_PUSHBUTTON = 1 << 16

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
    kind: str
    """``text``, ``choice``, ``checkbox``, ``radio``, ``signature`` or ``button``."""
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


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, generic.IndirectObject) else obj


def _text(value: Any) -> str | None:
    value = _resolve(value)
    if value is None or isinstance(value, generic.NullObject):
        return None
    if isinstance(value, generic.NameObject):
        name = str(value)[1:]
        return None if name in ("", "Off") else name
    if isinstance(value, generic.StreamObject):
        value = value.data.decode("utf-8", "replace")
    if isinstance(value, generic.ByteStringObject):
        value = bytes(value).decode("latin-1")
    if isinstance(value, generic.ArrayObject):
        value = ", ".join(t for t in (_text(v) for v in value) if t)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text or None


def _kind(ft: Any, flags: int) -> str:
    if ft == "/Btn":
        if flags & _PUSHBUTTON:
            return "button"
        return "radio" if flags & _RADIO else "checkbox"
    return {"/Tx": "text", "/Ch": "choice", "/Sig": "signature"}.get(str(ft), "text")


def walk_fields(root: generic.DictionaryObject) -> Iterator[tuple[str, generic.DictionaryObject, dict[str, Any]]]:
    """Every terminal field of the catalogue ``root``: (full name, field dictionary, inherited ``/FT /Ff /V``)."""
    try:
        top = _resolve(_resolve(root.get("/AcroForm")).get("/Fields")) or []
    except (AttributeError, *PDF_ERRORS):
        return

    def descend(refs: Any, prefix: str, inherited: dict[str, Any], seen: set[int]) -> Iterator[tuple[str, Any, dict]]:
        for ref in _resolve(refs) or []:
            if isinstance(ref, generic.IndirectObject):
                if ref.idnum in seen:
                    continue
                seen.add(ref.idnum)
            node = _resolve(ref)
            if not isinstance(node, generic.DictionaryObject):
                continue
            part = node.get("/T")
            name = prefix + (_text(part) or "") if part is not None else prefix.rstrip(".")
            here = dict(inherited)
            for key in ("/FT", "/Ff", "/V"):
                if key in node:
                    here[key] = node.raw_get(key)
            kids = [_resolve(k) for k in _resolve(node.get("/Kids")) or []]
            if any(isinstance(k, generic.DictionaryObject) and "/T" in k for k in kids):
                yield from descend(node.raw_get("/Kids"), name + ".", here, seen)
            else:
                yield name, node, here

    yield from descend(top, "", {}, set())


def field_states(root: generic.DictionaryObject) -> dict[str, FieldState]:
    """Every terminal field of the catalogue ``root`` as a plain :class:`FieldState`, by full name."""
    out: dict[str, FieldState] = {}
    for name, _node, inherited in walk_fields(root):
        flags = int(_resolve(inherited.get("/Ff", 0)) or 0)
        kind = _kind(_resolve(inherited.get("/FT")), flags)
        raw = inherited.get("/V")
        if kind == "signature":
            value = "signed" if isinstance(_resolve(raw), generic.DictionaryObject) else None
        else:
            value = _text(raw)
        out[name] = FieldState(name=name, kind=kind, value=value, read_only=bool(flags & READ_ONLY))
    return out


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
