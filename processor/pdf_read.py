"""Read what people typed into one of our PDF forms, as plain values.

The only module of the processor that opens PDFs with pypdf for reading fields. It returns plain
``str``/``bool`` values and lets the reader go, so a batch stays linear in files (PERFORMANCE.md).

What real engines do to a filled form (PDF-ENGINES.md) and what this reader does about it:

- the value is the field's ``/V``, never ``/I`` (MuPDF leaves a stale ``/I``);
- ``\\r\\n`` and ``\\r`` (PDFium) become ``\\n``;
- a checkbox is ticked for any on-state other than ``/Off`` (``/Yes``, ``/On``, ``/1`` …);
- a radio group's value is the group's ``/V`` (pypdf's filler also writes ``/V`` on each widget);
- a signature field is "signed" when its ``/V`` holds a signature dictionary;
- inherited ``/FT`` and ``/Ff`` are taken from parent fields; full names join ``/T`` with ``.``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

from brokerage.errors import DamagedPdfError, EncryptedPdfError, FlattenedFormError, NotAPdfError, TooLargeError
from brokerage.schema import FORM_ID_FIELD, FORM_ID_INFO_KEY

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

READ_ERRORS = (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError)
"""What pypdf raises on a damaged file, besides the errors that have their own sentence."""

_RADIO = 1 << 15
_PUSHBUTTON = 1 << 16


@dataclass(frozen=True)
class RawField:
    name: str
    kind: str
    """``text``, ``checkbox``, ``radio``, ``choice``, ``signature`` or ``button`` (push button)."""
    value: str | bool | None
    """Text and choices: the string (``None`` when empty); checkbox and signature: ticked/signed."""
    page: int | None
    """1-based page of the field's first widget, ``None`` when it has no widget on a page."""
    max_length: int | None = None
    options: tuple[str, ...] = ()
    """Export values of a radio group or choice list, in form order."""


@dataclass(frozen=True)
class RawForm:
    form_id: str | None
    """``"<kind> <schema version>"`` from the hidden ``form_id`` field or the document info."""
    fields: dict[str, RawField]
    page_count: int

    def value(self, name: str) -> str | bool | None:
        raw = self.fields.get(name)
        return None if raw is None else raw.value


def _named(source: str) -> str:
    return f"'{source}'" if source else "This file"


def _expands_too_far(label: str) -> TooLargeError:
    """The error for a file that inflates past pypdf's limits (``LimitReachedError``), while opening or reading."""
    return TooLargeError(
        f"{label} expands to far more data than a form holds and was not read. Ask the sender for the "
        "brokerage form itself."
    )


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _text(value: Any) -> str | None:
    value = _resolve(value)
    if value is None:
        return None
    if isinstance(value, StreamObject):
        value = value.get_data().decode("utf-8", "replace")
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text if text != "" else None


def _name_value(value: Any) -> str | None:
    value = _resolve(value)
    if value is None:
        return None
    if isinstance(value, NameObject):
        name = str(value)[1:]
        return None if name == "Off" or name == "" else name
    return _text(value)


def _open(data: bytes, source: str, max_bytes: int) -> PdfReader:
    label = _named(source)
    if len(data) > max_bytes:
        raise TooLargeError(
            f"{label} is {len(data) / 1_048_576:.0f} MB, more than the {max_bytes / 1_048_576:.0f} MB a "
            "returned form can be. Ask the sender for the form itself, without attachments or scans."
        )
    if b"%PDF-" not in data[:1024]:
        raise NotAPdfError(
            f"{label} is not a PDF file. Ask the sender to return the brokerage form itself as a PDF."
        )
    if b"%%EOF" not in data[-2048:]:
        raise DamagedPdfError(
            f"{label} is incomplete: the PDF is cut off before its end. Ask the sender to send it again."
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedPdfError(
                f"{label} is protected with a password. Ask the sender to remove the password "
                "(save an unprotected copy) and send the form again."
            )
        _ = len(reader.pages)
    except EncryptedPdfError:
        raise
    except DependencyError as error:
        raise EncryptedPdfError(
            f"{label} is encrypted and this installation cannot decrypt it (the 'cryptography' package is "
            "missing). Reinstall the brokerage toolkit, or ask the sender for an unprotected copy."
        ) from error
    except FileNotDecryptedError as error:
        raise EncryptedPdfError(
            f"{label} is protected with a password. Ask the sender to remove the password and send it again."
        ) from error
    except LimitReachedError as error:
        raise _expands_too_far(label) from error
    except READ_ERRORS as error:
        raise DamagedPdfError(
            f"{label} is damaged and cannot be read as a PDF. Ask the sender to save the form again and resend it."
        ) from error
    return reader


def _walk_fields(node: Any, prefix: str, inherited: dict[str, Any]) -> Iterator[tuple[str, DictionaryObject, dict]]:
    """Yield (full name, terminal field dictionary, inherited attributes) for every terminal field."""
    field = _resolve(node)
    if not isinstance(field, DictionaryObject):
        return
    attrs = dict(inherited)
    for key in ("/FT", "/Ff", "/V", "/Opt", "/MaxLen"):
        if key in field:
            attrs[key] = field[key]
    partial = field.get("/T")
    name = prefix if partial is None else (f"{prefix}.{partial}" if prefix else str(partial))
    kids = _resolve(field.get("/Kids"))
    child_fields = [k for k in (kids or []) if "/T" in _resolve(k)] if isinstance(kids, ArrayObject) else []
    if child_fields:
        for kid in child_fields:
            yield from _walk_fields(kid, name, attrs)
        return
    if name:
        yield name, field, attrs


def _kind(attrs: dict[str, Any]) -> str:
    ft = attrs.get("/FT")
    flags = int(_resolve(attrs.get("/Ff", 0)) or 0)
    if ft == "/Btn":
        if flags & _PUSHBUTTON:
            return "button"
        return "radio" if flags & _RADIO else "checkbox"
    if ft == "/Ch":
        return "choice"
    if ft == "/Sig":
        return "signature"
    return "text"


def _options(field: DictionaryObject, attrs: dict[str, Any], kind: str) -> tuple[str, ...]:
    if kind == "choice":
        out = []
        for opt in _resolve(attrs.get("/Opt")) or []:
            opt = _resolve(opt)
            if isinstance(opt, ArrayObject) and opt:
                opt = _resolve(opt[0])
            out.append(str(opt))
        return tuple(out)
    if kind in ("radio", "checkbox"):
        states: list[str] = []
        widgets = _resolve(field.get("/Kids")) or [field]
        for widget in widgets:
            ap = _resolve(_resolve(widget).get("/AP"))
            normal = _resolve(ap.get("/N")) if isinstance(ap, DictionaryObject) else None
            if isinstance(normal, DictionaryObject):
                states.extend(str(k)[1:] for k in normal if k != "/Off" and str(k)[1:] not in states)
        return tuple(states)
    return ()


def _value(kind: str, attrs: dict[str, Any]) -> str | bool | None:
    raw = _resolve(attrs.get("/V"))
    if kind == "checkbox":
        return _name_value(raw) is not None
    if kind == "radio":
        return _name_value(raw)
    if kind == "signature":
        return isinstance(raw, DictionaryObject)
    if kind == "choice":
        if isinstance(raw, ArrayObject):
            items = [t for t in (_text(v) for v in raw) if t]
            return "\n".join(items) if items else None
        return _name_value(raw)
    if kind == "button":
        return None
    return _text(raw)


def _widget_pages(reader: PdfReader) -> dict[int, int]:
    """Map id of each field dictionary with a widget on a page → 1-based page number."""
    pages: dict[int, int] = {}
    for number, page in enumerate(reader.pages, start=1):
        for annot in _resolve(page.get("/Annots")) or []:
            ref = annot
            widget = _resolve(annot)
            if not isinstance(widget, DictionaryObject) or widget.get("/Subtype") != "/Widget":
                continue
            for target in (ref, widget.get("/Parent")):
                while target is not None:
                    key = target.idnum if isinstance(target, IndirectObject) else id(target)
                    pages.setdefault(key, number)
                    parent = _resolve(target).get("/Parent")
                    target = parent if isinstance(parent, IndirectObject) else None
    return pages


def read_form(data: bytes, *, source: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> RawForm:
    """Every field of a filled PDF form as plain values.

    Raises :class:`~brokerage.errors.NotAPdfError`, :class:`~brokerage.errors.DamagedPdfError`,
    :class:`~brokerage.errors.EncryptedPdfError` (only when a non-empty password is needed),
    :class:`~brokerage.errors.TooLargeError` and :class:`~brokerage.errors.FlattenedFormError`
    (a PDF with no form fields left), each with a sentence naming ``source``.
    """
    reader = _open(data, source, max_bytes)
    label = _named(source)
    try:
        acroform = _resolve(reader.trailer["/Root"].get("/AcroForm"))
        top = _resolve(acroform.get("/Fields")) if isinstance(acroform, DictionaryObject) else None
        pages = _widget_pages(reader)
        fields: dict[str, RawField] = {}
        for ref in top or []:
            for name, field, attrs in _walk_fields(ref, "", {}):
                kind = _kind(attrs)
                options = _options(field, attrs, kind)
                if kind == "checkbox" and len(options) > 1:
                    # A button group with several on-states is a radio group even without the
                    # radio flag (some writers drop it): its value is the chosen state's name.
                    kind = "radio"
                key = field.indirect_reference.idnum if field.indirect_reference else id(field)
                max_len = _resolve(attrs.get("/MaxLen"))
                fields[name] = RawField(
                    name=name,
                    kind=kind,
                    value=_value(kind, attrs),
                    page=pages.get(key),
                    max_length=int(max_len) if max_len is not None else None,
                    options=options,
                )
        info = reader.metadata
        info_id = _text(info.get(FORM_ID_INFO_KEY)) if info else None
        page_count = len(reader.pages)
    except LimitReachedError as error:
        raise _expands_too_far(label) from error
    except READ_ERRORS as error:
        raise DamagedPdfError(
            f"{label} is damaged: its form fields cannot be read. Ask the sender to save the form again and resend it."
        ) from error
    if not fields:
        raise FlattenedFormError(
            f"{label} has no form fields: it was printed to PDF, scanned or flattened, or it is not a "
            "brokerage form. Ask the sender to fill in the original form and return that file."
        )
    field_id = fields.get(FORM_ID_FIELD)
    form_id = (field_id.value if field_id and isinstance(field_id.value, str) else None) or info_id
    return RawForm(form_id=form_id, fields=fields, page_count=page_count)
