"""PDF objects as plain Python values: resolve a reference, a string as text, a name, a number, a
rectangle."""

from __future__ import annotations

from typing import Any

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

Rect = tuple[float, float, float, float]
"""``(x0, y0, x1, y1)`` in PDF points with ``x0 <= x1`` and ``y0 <= y1``."""


def resolve(obj: Any) -> Any:
    """``obj`` itself, or the object an indirect reference points at."""
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def is_dictionary(obj: Any) -> bool:
    """A dictionary that is not a stream (a stream is a dictionary with data, in pypdf a subclass)."""
    return isinstance(obj, DictionaryObject) and not isinstance(obj, StreamObject)


def text_value(value: Any) -> str | None:
    """A string (or a stream's data) as text with line breaks as ``\\n``; ``None`` for nothing or ``""``.

    ``\\r\\n`` and ``\\r`` become ``\\n`` (PDFium stores multi-line text with ``\\r\\n``).
    """
    value = resolve(value)
    if value is None:
        return None
    if isinstance(value, StreamObject):
        value = value.get_data().decode("utf-8", "replace")
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
    if isinstance(value, NameObject):
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
    if not isinstance(value, (ArrayObject, list)) or len(value) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(v.get_object() if isinstance(v, IndirectObject) else v) for v in value)
    except (TypeError, ValueError):
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
