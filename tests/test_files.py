"""The one atomic writer: whole file or old file, ordinary permissions, nothing left behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from brokerage.files import atomic_write_bytes, atomic_write_text


def test_writes_whole_file_with_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "cases" / "BRK-2026-0001" / "referral.json"
    atomic_write_text(target, "{}\n")
    mask = os.umask(0)
    os.umask(mask)
    assert target.read_text(encoding="utf-8") == "{}\n"
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert sorted(p.name for p in target.parent.iterdir()) == ["referral.json"]


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "summary.json"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        atomic_write_bytes(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.json"]


def test_a_private_file_is_written_with_the_mode_asked_for(tmp_path: Path) -> None:
    target = tmp_path / "officer.p12"
    atomic_write_bytes(target, b"key", mode=0o600)
    assert target.read_bytes() == b"key"
    assert target.stat().st_mode & 0o777 == 0o600
