"""Field names derived from JSON pointers by one reversible function.

``/part_a/children/0/name`` ↔ ``part_a__children__0__name``. Property names in the schema use
``[a-z0-9_]`` without a double underscore and without a leading or trailing underscore (a test
holds the schema to that), so the mapping is exact in both directions and every PDF engine keeps
the name unchanged (no dots, which readers turn into hierarchies).
"""

from __future__ import annotations

import re

SEPARATOR = "__"
_TOKEN = re.compile(r"^(?:[0-9]+|[a-z0-9](?:[a-z0-9_]*[a-z0-9])?)$")
_NAME = re.compile(r"^[a-z0-9_]+$")


def is_valid_token(token: str) -> bool:
    """True when ``token`` can be one step of a pointer that becomes a field name."""
    return bool(_TOKEN.match(token)) and SEPARATOR not in token


def field_name(pointer: str) -> str:
    """The AcroForm field name for a concrete JSON pointer."""
    if not pointer.startswith("/"):
        raise ValueError(f"A JSON pointer starts with '/': {pointer!r}")
    tokens = pointer[1:].split("/")
    for token in tokens:
        if not is_valid_token(token):
            raise ValueError(f"Pointer {pointer!r} has a step {token!r} that cannot be a field name")
    return SEPARATOR.join(tokens)


def pointer_from_name(name: str) -> str:
    """The JSON pointer for a field name made by :func:`field_name`.

    Raises ``ValueError`` for a name that :func:`field_name` cannot have produced.
    """
    if not _NAME.match(name):
        raise ValueError(f"{name!r} is not a brokerage field name")
    pointer = "/" + name.replace(SEPARATOR, "/")
    if field_name(pointer) != name:
        raise ValueError(f"{name!r} is not a brokerage field name")
    return pointer
