"""Writing the generator's files: the toolkit's one atomic writer, with a sentence on failure."""

from __future__ import annotations

from pathlib import Path

from brokerage.errors import OutputError
from brokerage.files import atomic_write_bytes


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; raises :class:`OutputError` with a sentence."""
    try:
        atomic_write_bytes(Path(path), data)
    except OSError as error:
        raise OutputError(
            f"Cannot write {path}: {error.strerror or error}. Check the folder exists and you may write to it."
        ) from error
