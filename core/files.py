"""Writing files atomically: a temporary name in the same folder, fsync, then rename.

The one writer for every output of the toolkit (forms, filled forms, case folders, letters,
summaries): a reader sees the old file or the whole new one, never half of it. Raises ``OSError``;
callers turn it into a :class:`~brokerage.errors.OutputError` with a sentence about what they were
writing.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the whole new one.

    The file gets the permissions an ordinary new file would (``0o666`` less the umask), not the
    ``0o600`` of the temporary file, unless ``mode`` is given (``0o600`` for a private key: the file
    is never readable by others, not even for a moment).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, (0o666 & ~_umask()) if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
