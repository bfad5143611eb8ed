"""PDF objects as plain Python values: resolve a reference, a string as text, a name, a number, a
rectangle.

Two libraries' objects pass through here: pypdf's (every reader and writer of the toolkit) and
pyHanko's (the signature library's reader, which keeps a signed file's earlier revisions, and its
incremental writer, which appends to a signed file without touching what was signed). pyHanko forked
PyPDF2's object model, as pypdf grew from it: the same classes (``IndirectObject``,
``DictionaryObject``, ``ArrayObject``, ``NameObject``, ``StreamObject``) with the same methods, in
another module. So the one field walk reads both, and this module is the only place that tells
them apart. pyHanko is never imported here: its objects exist only once it is loaded, so its
classes are looked up in :data:`sys.modules` when an object is not pypdf's.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject, StreamObject

Rect = tuple[float, float, float, float]
"""``(x0, y0, x1, y1)`` in PDF points with ``x0 <= x1`` and ``y0 <= y1``."""

PYHANKO_OBJECTS = "pyhanko.pdf_utils.generic"
"""pyHanko's module of PDF object classes."""


def _pyhanko() -> ModuleType | None:
    """pyHanko's object classes when pyHanko is loaded (only then can one of its objects be here)."""
    return sys.modules.get(PYHANKO_OBJECTS)


def _is(obj: Any, pypdf_class: type, name: str) -> bool:
    """``obj`` is an instance of pypdf's class, or of pyHanko's class of the same ``name``."""
    if isinstance(obj, pypdf_class):
        return True
    if isinstance(obj, PdfObject) or obj is None:
        return False
    generic = _pyhanko()
    return generic is not None and isinstance(obj, getattr(generic, name))


def is_reference(obj: Any) -> bool:
    """An indirect reference (it has ``idnum`` and ``generation``)."""
    return _is(obj, IndirectObject, "IndirectObject")


def resolve(obj: Any) -> Any:
    """``obj`` itself, or the object an indirect reference points at."""
    if isinstance(obj, IndirectObject):  # pypdf's objects first: this is the walk's hottest line
        return obj.get_object()
    if obj is None or isinstance(obj, PdfObject):
        return obj
    return obj.get_object() if is_reference(obj) else obj


def is_stream(obj: Any) -> bool:
    return _is(obj, StreamObject, "StreamObject")


def is_dictionary(obj: Any) -> bool:
    """A dictionary that is not a stream (a stream is a dictionary with data, a subclass in both libraries)."""
    if isinstance(obj, DictionaryObject):
        return not isinstance(obj, StreamObject)
    return _is(obj, DictionaryObject, "DictionaryObject") and not is_stream(obj)


def is_array(obj: Any) -> bool:
    return _is(obj, ArrayObject, "ArrayObject")


def is_name(obj: Any) -> bool:
    """A name (``/Yes``): a ``str`` whose text starts with the slash, as opposed to a text string."""
    return _is(obj, NameObject, "NameObject")


def stream_data(stream: Any) -> bytes:
    """A stream's data, decoded (pypdf's ``get_data()``, pyHanko's ``data``)."""
    return stream.get_data() if isinstance(stream, StreamObject) else stream.data


def text_value(value: Any) -> str | None:
    """A string (or a stream's data) as text with line breaks as ``\\n``; ``None`` for nothing or ``""``.

    ``\\r\\n`` and ``\\r`` become ``\\n`` (PDFium stores multi-line text with ``\\r\\n``).
    """
    value = resolve(value)
    if value is None:
        return None
    if is_stream(value):
        value = stream_data(value).decode("utf-8", "replace")
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text if text != "" else None


def name_value(value: Any) -> str | None:
    """A name without its slash (``/Yes`` → ``Yes``), ``None`` for ``/Off`` and the empty name; a
    string is taken as :func:`text_value`."""
    value = resolve(value)
    if value is None:
        return None
    if is_name(value):
        name = str(value)[1:]
        return None if name in ("Off", "") else name
    return text_value(value)


def integer(value: Any, default: int = 0) -> int:
    """A number as an integer (a float loses its fraction), ``default`` when there is none.

    Raises ``TypeError`` or ``ValueError`` for something that is not a number: a flag word that is
    a name or a string is damage, not zero.
    """
    value = resolve(value)
    return default if value is None else int(value)


def rectangle(value: Any) -> Rect | None:
    """A ``/Rect`` (or page box) as four floats, normalised so that ``x0 <= x1`` and ``y0 <= y1``;
    ``None`` unless it is an array of four numbers."""
    value = resolve(value)
    if not isinstance(value, list) or len(value) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(resolve(v)) for v in value)
    except (TypeError, ValueError):
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
