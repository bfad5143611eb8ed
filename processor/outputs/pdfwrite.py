"""Writing PDFs byte for byte the same on every run: a fixed /ID and no dates.

pypdf leaves ``/ID`` out unless it is asked for one (and then draws it at random); reportlab
stamps the time unless told ``invariant``. Outputs here derive the ``/ID`` from a seed (the
source file's sha256 and what the output is), carry no creation or modification dates and name
the producer, so re-running a batch rewrites identical files.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

from brokerage import __version__

PRODUCER = f"brokerage-forms {__version__}"


def file_id(seed: str) -> bytes:
    """16 bytes for the PDF ``/ID`` drawn from ``seed``: the same seed, the same ID."""
    return hashlib.sha256(seed.encode("utf-8")).digest()[:16]


def finish(writer: PdfWriter, seed: str, info: Mapping[str, str] | None = None) -> bytes:
    """The writer's PDF as bytes, with a deterministic ``/ID``, ``info`` as the document
    information (nothing else: no dates, no XMP) and ``/Producer`` set to this toolkit."""
    ident = ByteStringObject(file_id(seed))
    # pypdf has no public setter for the trailer /ID; _ID is what its write() puts there.
    writer._ID = ArrayObject([ident, ident])
    root = writer._root_object
    if "/Metadata" in root:
        del root["/Metadata"]
    metadata = writer._info.get_object() if writer._info is not None else None
    if metadata is not None:
        for key in list(metadata.keys()):
            del metadata[key]
    document_info = {"/Producer": PRODUCER, **{k if k.startswith("/") else "/" + k: v for k, v in (info or {}).items()}}
    writer.add_metadata({NameObject(k): TextStringObject(v) for k, v in document_info.items()})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
