"""Layers point one way: schema ← rules ← generator, processor; only the CLI imports typer/rich."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {
    "core": {"brokerage", "brokerage.errors", "brokerage.files"},
    "schema": {"brokerage.errors", "brokerage.schema"},
    "pdf": {"brokerage.errors", "brokerage.files", "brokerage.pdf"},
    "rules": {"brokerage.errors", "brokerage.schema", "brokerage.rules"},
    "generator": {
        "brokerage.errors",
        "brokerage.files",
        "brokerage.pdf",
        "brokerage.schema",
        "brokerage.rules",
        "brokerage.generator",
    },
    "processor": {
        "brokerage.errors",
        "brokerage.files",
        "brokerage.pdf",
        "brokerage.schema",
        "brokerage.rules",
        "brokerage.generator",
        "brokerage.processor",
    },
}
CLI_ONLY = {"typer", "rich", "click"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


@pytest.mark.parametrize("folder", sorted(LAYERS))
def test_layer_imports_point_one_way(folder: str) -> None:
    allowed = LAYERS[folder]
    files = sorted((ROOT / folder).rglob("*.py"))
    assert files, folder
    for path in files:
        for module in imports_of(path):
            top = module.split(".")[0]
            assert top not in CLI_ONLY, f"{path.relative_to(ROOT)} imports {module}: only cli/ (brokerage.cli) may"
            if module.startswith("brokerage."):
                assert any(module == a or module.startswith(a + ".") for a in allowed), (
                    f"{path.relative_to(ROOT)} imports {module}, against the layer order"
                )
