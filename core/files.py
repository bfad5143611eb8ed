"""Writing files atomically: a temporary name in the same folder, fsync, then rename; and who may
read what is written.

The one writer for every output of the toolkit (forms, filled forms, case folders, letters,
summaries): a reader sees the old file or the whole new one, never half of it. Raises ``OSError``;
callers turn it into a :class:`~brokerage.errors.OutputError` with a sentence about what they were
writing.

Who may read a file is the writer's business too, whatever the caller's umask: outputs about
children are written :data:`OWNER_ONLY` (folders ``0700``, files ``0600``) or, when a team shares
them through a group, :data:`GROUP_READABLE` (``0750``/``0640``). The temporary file is never
readable by anyone else, so nobody sees the data even for a moment.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Permissions:
    """The modes of the files and folders a command writes."""

    file: int
    folder: int

    @property
    def name(self) -> str:
        return "group-readable" if self.file & 0o040 else "owner-only"


OWNER_ONLY = Permissions(file=0o600, folder=0o700)
"""The default for everything about a child: only the user who ran the command can read it."""
GROUP_READABLE = Permissions(file=0o640, folder=0o750)
"""``--group-readable``: the user's group may read (never write); others get nothing."""


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | Permissions | None = None) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the whole new one.

    ``mode``: ``None`` gives the permissions an ordinary new file would (``0o666`` less the umask;
    blank forms, generated files); an ``int`` is the file's mode (``0o600`` for a private key);
    :class:`Permissions` sets the file's mode and that of every folder it creates on the way
    (:func:`make_folder`). Either way the temporary file is ``0o600`` until it is renamed, so a private
    file is never readable by others, not even for a moment.
    """
    path = Path(path)
    if isinstance(mode, Permissions):
        make_folder(path.parent, mode)
        file_mode = mode.file
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        file_mode = (0o666 & ~_umask()) if mode is None else mode
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), file_mode)
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str, *, mode: int | Permissions | None = None) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def make_folder(folder: Path, permissions: Permissions) -> None:
    """Create ``folder`` and its missing parents with ``permissions.folder`` (whatever the umask);
    a folder that exists is left as it is (the caller tightens the folders it owns with
    :func:`set_mode`)."""
    folder = Path(folder)
    missing: list[Path] = []
    at = folder
    while not at.is_dir():
        missing.append(at)
        if at.parent == at:
            break
        at = at.parent
    for created in reversed(missing):
        with contextlib.suppress(FileExistsError):
            created.mkdir(mode=permissions.folder)
        os.chmod(created, permissions.folder)


def set_mode(path: Path, permissions: Permissions) -> None:
    """Give an existing file or folder (never a link: it is left alone) the mode ``permissions`` sets
    for its type. Raises ``OSError`` (a file of another user, a read-only file system)."""
    info = os.lstat(path)
    if stat.S_ISDIR(info.st_mode):
        wanted = permissions.folder
    elif stat.S_ISREG(info.st_mode):
        wanted = permissions.file
    else:
        return
    if stat.S_IMODE(info.st_mode) != wanted:
        os.chmod(path, wanted)


def create_private(path: Path, permissions: Permissions) -> None:
    """Make sure ``path`` exists as a file with ``permissions.file`` before another library opens it
    (SQLite gives a new database ``0644`` less the umask, and its ``-wal`` and ``-shm`` files the
    database file's mode)."""
    path = Path(path)
    make_folder(path.parent, permissions)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), permissions.file)
    try:
        os.fchmod(fd, permissions.file)
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
