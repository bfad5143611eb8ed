"""Text made safe to show: the one place every writer (XLSX, CSV, HTML, PDF letters, the terminal,
``brokerage validate``) passes what it did not write itself through.

A file name or a typed value can hold control characters: ESC starts a terminal escape sequence
(``ESC[31m`` recolours the screen, others move the cursor or set the window title), BEL rings, a
vertical tab is what Word's Shift+Enter pastes, NUL ends a C string, and openpyxl refuses to write
any of them. Bidirectional controls (U+202E) make a name read backwards. :func:`printable` keeps
every letter of every script, line breaks and tabs, and shows the rest as what they are:

- C0 controls and DEL as their Unicode *control pictures* (ESC → ␛, BEL → ␇, NUL → ␀), so a person
  sees that something odd was typed and where (line breaks ``\\n``, ``\\r`` and tabs are kept: every
  writer takes them, and the terminal's (rich) turns a carriage return into nothing);
- C1 controls, bidirectional overrides and isolates, and lone surrogates (a broken UTF-16 pair) as
  U+FFFD, the replacement character.

:func:`file_name` turns a name from the file system into text: bytes that are not UTF-8 (a name
written on another system) are shown escaped (``\\xff``) instead of stopping the batch.
"""

from __future__ import annotations

import os
import re

REPLACEMENT = "\ufffd"
_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in "\n\r\t"}
_C0_PICTURES[0x7F] = "\u2421"
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
"""Everything :func:`printable` changes."""


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return _C0_PICTURES.get(code, REPLACEMENT)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, escapes: bool = False) -> str:
    """``text`` with every control character made visible and harmless (see the module's note);
    text without any is returned as it is (one regular-expression scan, linear in its length).

    ``escapes=True`` writes them as ASCII escapes (``\\x1b``, ``\\u202e``) instead, for a writer whose
    font has no control pictures (the PDF letters)."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_escaped if escapes else _shown, text)


def is_printable(text: str) -> bool:
    """True when :func:`printable` would leave ``text`` as it is."""
    return _UNSAFE.search(text) is None


def file_name(name: str) -> str:
    """A name from the file system (``os.scandir`` gives bytes that are not UTF-8 as lone surrogates)
    as text: those bytes escaped as ``\\xff``, everything else unchanged."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def json_printable(text: str) -> str:
    """JSON text (from ``json.dumps(…, ensure_ascii=False)``, which escapes only C0 controls) with every
    character :func:`printable` would change written as a ``\\uXXXX`` escape: the same JSON value,
    safe on a terminal (DEL, C1 controls, bidirectional overrides, lone surrogates)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
