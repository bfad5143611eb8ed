"""`pip install .` into a fresh venv outside the repo gives a working `brokerage`.

The venv sees nothing of the interpreter running the tests (no system site-packages): the wheel brings
its dependencies from the package index pip is configured with, so the test passes whether or not the
base interpreter has the toolkit or any of its dependencies installed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_installs_under_one_namespace_and_runs(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    source = tmp_path / "source"  # a clean copy: a stale build/ folder would hide a package missing from pyproject
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = wheels.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_levels = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert top_levels == {"brokerage"}, top_levels
    assert "brokerage/schema/brokerage-form.schema.json" in names
    source_dirs = {
        "core": "brokerage",
        "cli": "brokerage/cli",
        "schema": "brokerage/schema",
        "rules": "brokerage/rules",
        "generator": "brokerage/generator",
        "processor": "brokerage/processor",
        "templates": "brokerage/templates",
        "pdf": "brokerage/pdf",
    }
    for folder, installed in source_dirs.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            wanted = f"{installed}/{init.parent.relative_to(ROOT / folder).as_posix()}/__init__.py".replace("/./", "/")
            assert wanted in names, f"{init.relative_to(ROOT)} is not packaged: add it to pyproject's packages"
    assert any(n.startswith("brokerage/templates/") and n.endswith(".j2") for n in names), "templates not shipped"

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(  # with its dependencies, from the same index as the pip running the tests
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", str(wheel)],
        check=True,
        cwd=tmp_path,
    )
    site_dirs = json.loads(subprocess.run(
        [str(python), "-c", "import json, sys; print(json.dumps([p for p in sys.path if 'site-packages' in p]))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout)
    assert site_dirs and all(d.startswith(str(env_dir)) for d in site_dirs), site_dirs  # nothing of the base's
    where = subprocess.run(
        [str(python), "-c", "import brokerage.schema as s; print(s.__file__)"],
        check=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    ).stdout
    assert str(env_dir) in where, f"the venv imported brokerage from {where}"
    brokerage = env_dir / "bin" / "brokerage"
    help_text = subprocess.run([str(brokerage), "--help"], check=True, cwd=tmp_path, capture_output=True, text=True)
    assert "schema" in help_text.stdout
    catalogue = subprocess.run(
        [str(brokerage), "schema", "--json"], check=True, cwd=tmp_path, capture_output=True, text=True
    )
    assert json.loads(catalogue.stdout)["schema_version"] == "1.0"
