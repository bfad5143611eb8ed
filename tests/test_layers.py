"""Layers point one way: core ← schema ← rules ← generator, processor, and core ← pdf ← generator, processor; only
the CLI imports typer/rich; core imports nothing but the standard library, schema nothing but the standard library
and jsonschema, pdf nothing but the standard library and pypdf."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = {"brokerage", "brokerage.errors", "brokerage.files", "brokerage.text"}
"""``brokerage`` itself (the version) is core's package, so it is allowed by its exact name only: as a prefix
it would let a layer import anything."""
LAYERS = {
    "core": CORE,
    "schema": {*CORE, "brokerage.schema"},
    "pdf": {*CORE, "brokerage.pdf"},
    "rules": {*CORE, "brokerage.schema", "brokerage.rules"},
    "generator": {*CORE, "brokerage.pdf", "brokerage.schema", "brokerage.rules", "brokerage.generator"},
    "processor": {
        *CORE,
        "brokerage.pdf",
        "brokerage.schema",
        "brokerage.rules",
        "brokerage.generator",
        "brokerage.processor",
    },
}
CLI_ONLY = {"typer", "rich", "click"}
THIRD_PARTY = {"core": set(), "schema": {"jsonschema"}, "pdf": {"pypdf"}}
"""The only packages outside the standard library and brokerage a layer may import (where it is limited)."""


def allowed_import(module: str, allowed: set[str]) -> bool:
    return module in allowed or any(module.startswith(a + ".") for a in allowed if a != "brokerage")


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
            if top == "brokerage":
                assert allowed_import(module, allowed), (
                    f"{path.relative_to(ROOT)} imports {module}, against the layer order"
                )
            elif folder in THIRD_PARTY:
                assert top in sys.stdlib_module_names or top in THIRD_PARTY[folder], (
                    f"{path.relative_to(ROOT)} imports {module}: {folder}/ may import only the standard library"
                    + "".join(f" and {name}" for name in sorted(THIRD_PARTY[folder]))
                )


def test_the_layer_check_refuses_what_it_should(tmp_path: Path) -> None:
    """The check itself: an import the layer may not make is seen, whatever form it takes."""
    source = tmp_path / "mod.py"
    source.write_text("import brokerage.processor.batch\nfrom pypdf import PdfReader\nimport brokerage\n")
    assert imports_of(source) == {"brokerage.processor.batch", "pypdf", "brokerage"}
    assert not allowed_import("brokerage.processor.batch", LAYERS["core"])
    assert not allowed_import("brokerage.schema", LAYERS["core"])
    assert allowed_import("brokerage", LAYERS["core"]) and allowed_import("brokerage.errors", LAYERS["schema"])
    assert not allowed_import("brokerage.generator.build", LAYERS["rules"])
    assert "pypdf" not in sys.stdlib_module_names and "pypdf" not in THIRD_PARTY["core"]
