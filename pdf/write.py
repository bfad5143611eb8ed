"""Writing a pypdf writer to bytes, the same bytes on every run.

pypdf writes what the writer holds and nothing else: no clock, no random ``/ID`` unless one is asked
for (encryption draws one). :func:`pdf_bytes` is that write. Outputs made from a received file
also get :func:`stamped_bytes`: an ``/ID`` drawn from a seed (the source file's sha256 and what the
output is), no XMP and no dates, and the document information the caller gives, so running a batch
again rewrites identical files.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping

from pypdf import PdfWriter
from pypdf.generic import NameObject, TextStringObject

from brokerage.pdf._pypdf_compat import catalog, document_info, set_file_id


def pdf_bytes(writer: PdfWriter) -> bytes:
    """The writer's PDF as bytes, as it holds it."""
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def file_id(seed: str) -> bytes:
    """16 bytes for the PDF ``/ID`` drawn from ``seed``: the same seed, the same ID."""
    return hashlib.sha256(seed.encode("utf-8")).digest()[:16]


def stamped_bytes(writer: PdfWriter, seed: str, info: Mapping[str, str]) -> bytes:
    """The writer's PDF as bytes with an ``/ID`` drawn from ``seed`` and ``info`` (keys with or
    without their slash) as the whole document information: what was there before, XMP metadata
    included, is removed, so no date or old producer is left in."""
    ident = file_id(seed)
    set_file_id(writer, ident, ident)
    root = catalog(writer)
    if "/Metadata" in root:
        del root["/Metadata"]
    metadata = document_info(writer)
    if metadata is not None:
        for key in list(metadata.keys()):
            del metadata[key]
    entries = {key if key.startswith("/") else "/" + key: value for key, value in info.items()}
    writer.add_metadata({NameObject(key): TextStringObject(value) for key, value in entries.items()})
    return pdf_bytes(writer)
