"""Everything a PDF holds as text, for searching: raw bytes, every stream inflated, every string,
and text drawn with the form font's glyph ids decoded back to characters.

Used to prove an anonymised file carries no personal value: in its metadata, form fields, old
revisions (every stream in the file is visited, reachable or not), appearance streams or XMP.
Font programs are left out: a font's tables hold runs like "0123456789" that would match a
Mosaic ID, and a font carries no one's details.
"""

from __future__ import annotations

import contextlib
import io
import re
import zlib
from collections.abc import Iterator
from functools import cache

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject, TextStringObject

from brokerage.generator.font import form_font
from brokerage.pdf import READ_ERRORS, object_numbers

_HEX = re.compile(rb"<([0-9A-Fa-f\s]{4,})>")
FONT_SIGNATURES = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"typ1", b"ttcf", b"%!PS-AdobeFont", b"%!FontType1",
                   b"\x01\x00\x04")


def is_font_program(data: bytes) -> bool:
    return data.startswith(FONT_SIGNATURES)


def _inflate(body: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(body, 50_000_000)
    except zlib.error:
        return body


def _stream_bodies(data: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of every stream body in the file, found by scanning for the keywords."""
    position = 0
    while (start := data.find(b"stream", position)) >= 0:
        position = start + 6
        if data[start - 3 : start] == b"end":
            continue
        if data[position : position + 2] == b"\r\n":
            position += 2
        elif data[position : position + 1] in (b"\n", b"\r"):
            position += 1
        else:
            continue
        end = data.find(b"endstream", position)
        if end < 0:
            return
        yield position, end
        position = end + 9


def _raw_streams(data: bytes) -> tuple[bytes, list[bytes]]:
    """(the file's bytes with font programs blanked out, every other stream body inflated)."""
    kept: list[bytes] = []
    pieces: list[bytes] = []
    last = 0
    for start, end in _stream_bodies(data):
        body = _inflate(data[start:end])
        if is_font_program(body):
            pieces.append(data[last:start])
            last = end
            continue
        kept.append(body)
    pieces.append(data[last:])
    return b"".join(pieces), kept


@cache
def _glyph_to_char() -> dict[int, str]:
    out: dict[int, str] = {}
    for code, glyph in sorted(form_font().glyph_of.items()):
        out.setdefault(glyph, chr(code))
    return out


def glyph_text(stream: bytes) -> Iterator[str]:
    """Hex strings of two-byte glyph ids (the form font, Identity-H) decoded to the text they draw."""
    table = _glyph_to_char()
    for match in _HEX.finditer(stream):
        digits = re.sub(rb"\s", b"", match.group(1))
        if len(digits) % 4:
            continue
        yield "".join(table.get(int(digits[i : i + 4], 16), "\ufffd") for i in range(0, len(digits), 4))


def _strings(obj: object, depth: int = 0) -> Iterator[str]:
    if depth > 50 or isinstance(obj, IndirectObject):
        return
    if isinstance(obj, TextStringObject):
        yield str(obj)
    elif isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            yield str(key)
            yield from _strings(value, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            yield from _strings(value, depth + 1)


def _objects(data: bytes) -> Iterator[object]:
    """Every object the file's cross-reference sections name, reachable or not. The file is opened
    without :func:`brokerage.pdf.open_pdf`'s checks on purpose: a scan for leaks reads what it can."""
    with contextlib.suppress(*READ_ERRORS):
        reader = PdfReader(io.BytesIO(data), strict=False)
        for idnum in object_numbers(reader):
            with contextlib.suppress(*READ_ERRORS):
                obj = reader.get_object(idnum)
                if obj is not None:
                    yield obj


def haystacks(data: bytes) -> list[bytes | str]:
    """The file's bytes, each stream inflated (a raw scan of the bytes, so streams of objects no
    longer referenced count too, and pypdf's filters), each string object decoded to text, and
    glyph-id text decoded with the form font."""
    raw, streams = _raw_streams(data)
    out: list[bytes | str] = [raw, *streams]
    for obj in _objects(data):
        if isinstance(obj, StreamObject):
            with contextlib.suppress(*READ_ERRORS, zlib.error, NotImplementedError):
                body = obj.get_data()
                if not is_font_program(body):
                    out.append(body)
        out.extend(_strings(obj))
    out.extend(text for stream in streams for text in glyph_text(stream))
    return out
