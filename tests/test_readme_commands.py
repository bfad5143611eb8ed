"""The README's first lines are the two commands a new officer or developer runs on a fresh machine,
and CI runs the very test command the README gives."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _first_block() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```sh\n(.*?)```", text, re.S)
    assert match, "the README starts with a ```sh block holding the two commands"
    return [line.split("#", 1)[0].strip() for line in match.group(1).splitlines() if line.strip()]


def test_readme_starts_with_the_demo_and_the_test_command() -> None:
    assert _first_block() == ["bash scripts/demo", "bash scripts/test"]
    head = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:4]
    assert "```sh" in head, "the commands are in the README's first lines"


def test_ci_runs_the_readme_test_command() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^exec bash scripts/test\b", run, re.M), run


def test_the_scripts_never_pip_install_outside_the_venv() -> None:
    """PEP 668: a system pip install is refused on Debian and Ubuntu, so every install goes into .venv."""
    for name in ("demo", "test", "venv.sh"):
        text = (ROOT / "scripts" / name).read_text(encoding="utf-8")
        for line in text.splitlines():
            if "pip install" in line and not line.lstrip().startswith("#"):
                assert ".venv/bin/python -m pip install" in line, f"scripts/{name}: {line.strip()}"
        subprocess.run(["bash", "-n", str(ROOT / "scripts" / name)], check=True)
