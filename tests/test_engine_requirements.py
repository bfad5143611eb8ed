"""In CI a missing PDF engine fails the run; only on a developer's machine is the test skipped."""

from __future__ import annotations

import pytest
from engines import require_tool


def test_missing_engine_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no-such-engine is not installed"):
        require_tool("no-such-engine")


def test_missing_engine_skips_only_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_tool("no-such-engine")
