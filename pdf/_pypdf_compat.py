"""Every use of pypdf's private API, behind a named function: when pypdf changes, this file changes.

pypdf (5.1 to 7.x) has no public way to add an object to a writer, to set the trailer's ``/ID``, to
reach the writer's document information dictionary without creating one, or to list every object
number of a file (reachable or not). The rest of the toolkit calls these functions instead.
"""

from __future__ import annotations

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, IndirectObject, PdfObject


def catalog(document: PdfReader | PdfWriter) -> DictionaryObject:
    """The document catalog (``/Root``) of a reader or a writer.

    Public in pypdf since 4.2 (``root_object``); for a writer it is the live dictionary that
    :meth:`PdfWriter.write` serialises, so changes to it are written.
    """
    return document.root_object


def add_object(writer: PdfWriter, obj: PdfObject) -> IndirectObject:
    """Add ``obj`` to ``writer`` as a new indirect object and return the reference to it (an object
    already in ``writer`` keeps its reference)."""
    return writer._add_object(obj)


def set_file_id(writer: PdfWriter, first: bytes, second: bytes) -> None:
    """Set the trailer's ``/ID`` to ``[<first> <second>]``: ``write()`` writes ``_ID`` as it is."""
    writer._ID = ArrayObject([ByteStringObject(first), ByteStringObject(second)])


def document_info(writer: PdfWriter) -> DictionaryObject | None:
    """The writer's document information dictionary (``/Info``), ``None`` when it has none; unlike
    ``writer.metadata`` this does not wrap it, so it can be changed in place."""
    info = writer._info
    return info.get_object() if info is not None else None


def object_numbers(reader: PdfReader) -> list[int]:
    """Every object number the file's cross-reference sections name (tables and object streams),
    reachable from the catalog or not, in ascending order, without the free object 0."""
    known = {number for table in reader.xref.values() for number in table} | set(reader.xref_objStm)
    return sorted(known - {0})
