"""The processor's outputs name this toolkit as their producer and are written reproducibly.

How (a fixed ``/ID`` from a seed, no dates, no XMP) is :func:`brokerage.pdf.stamped_bytes`; this
module adds the producer, so every output of a batch says which version made it.
"""

from __future__ import annotations

from collections.abc import Mapping

from pypdf import PdfWriter

from brokerage import __version__
from brokerage.pdf import stamped_bytes

PRODUCER = f"brokerage-forms {__version__}"


def finish(writer: PdfWriter, seed: str, info: Mapping[str, str] | None = None) -> bytes:
    """The writer's PDF as bytes, with a deterministic ``/ID`` drawn from ``seed``, ``info`` as the
    document information (nothing else: no dates, no XMP) and ``/Producer`` set to this toolkit."""
    return stamped_bytes(writer, seed, {"/Producer": PRODUCER, **(info or {})})
