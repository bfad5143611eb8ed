"""A form whose field tree loops is a damaged file, everywhere, at once.

The three files of ``tests/data`` (``make_loop_forms.py``): a ``/Kids`` loop, a ``/Parent`` loop and a
field that lists itself in its ``/Kids``. Before ``brokerage.pdf`` they made ``validate`` and
``extract`` die with a RecursionError (exit 1, "the form has errors"), ``fields`` and the batch hang,
and the batch reject them as a fault to retry on every run. Now each gives the damaged-file sentence:
exit 3 from ``validate``, ``fields``, ``extract`` and ``fill``; ``rejected`` with ``file:damaged`` in a
batch, recorded so the next run does not read it again.

Each command runs under a one-second alarm (a guard against a hang or a runaway recursion, not a
measure of speed: the files are 1.5 KB); ``process`` gets ``--time-limit 1``, so a worker that hangs
is stopped and the verdict would be ``file:timeout`` instead.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from brokerage.cli import app
from brokerage.errors import DamagedPdfError
from brokerage.pdf import FieldTreeError
from brokerage.processor.ledger import Ledger
from brokerage.processor.pdf_read import read_form

DATA = Path(__file__).parent / "data"
runner = CliRunner()
DAMAGED = "is damaged: its form fields cannot be read."


def _maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_loop_forms", DATA / "make_loop_forms.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKER = _maker()
KINDS = list(MAKER.FILES)


class Hung(Exception):
    pass


@contextmanager
def within_a_second() -> Iterator[None]:
    """Raise :class:`Hung` in the test if the block runs for more than a second."""

    def stop(signum: int, frame: object) -> None:
        raise Hung("still running after a second: the field walk does not end")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def loop_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("loops")
    out = {}
    for kind, name in MAKER.FILES.items():
        out[kind] = folder / name
        out[kind].write_bytes((DATA / name).read_bytes())
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_the_files_are_what_the_script_makes_and_only_the_loop_breaks_them(kind: str) -> None:
    assert (DATA / MAKER.FILES[kind]).read_bytes() == MAKER.build(kind)
    sound = read_form(MAKER.build(kind, loop=False), source="sound.pdf")
    assert sound.form_id == "provider-response 1.0"
    assert sound.value("part_b.comments") == MAKER.VALUE
    assert sound.fields["part_b.comments"].page == 1


@pytest.mark.parametrize("kind", KINDS)
def test_the_reader_says_damaged(kind: str) -> None:
    name = MAKER.FILES[kind]
    with within_a_second(), pytest.raises(DamagedPdfError) as caught:
        read_form((DATA / name).read_bytes(), source=name)
    assert caught.value.message == (
        f"'{name}' {DAMAGED} Ask the sender to save the form again and resend it."
    )
    assert isinstance(caught.value.__cause__, FieldTreeError)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", ["validate", "extract"])
def test_validate_and_extract_exit_3_with_the_damaged_sentence(
    loop_files: dict[str, Path], kind: str, command: str
) -> None:
    path = loop_files[kind]
    with within_a_second():
        result = runner.invoke(app, [command, str(path)])
    assert result.exit_code == 3, result.output
    assert f"'{path.name}' {DAMAGED} Ask the sender" in " ".join(result.stderr.split())
    assert "Traceback" not in result.output and "Recursion" not in result.output


@pytest.mark.parametrize("kind", KINDS)
def test_fields_exits_3_with_the_damaged_sentence(loop_files: dict[str, Path], kind: str) -> None:
    path = loop_files[kind]
    with within_a_second():
        result = runner.invoke(app, ["fields", str(path), "--json"])
    assert result.exit_code == 3, result.output
    assert f"'{path}' {DAMAGED} Generate the form again." in " ".join(result.stderr.split())
    assert result.stdout == ""


@pytest.mark.parametrize("kind", KINDS)
def test_fill_exits_3_with_the_damaged_sentence(loop_files: dict[str, Path], kind: str, tmp_path: Path) -> None:
    path = loop_files[kind]
    data = tmp_path / "data.json"
    data.write_text(json.dumps({"part_b": {"comments": "x"}}), encoding="utf-8")
    with within_a_second():
        result = runner.invoke(app, ["fill", str(path), str(data), "-o", str(tmp_path / "out.pdf")])
    assert result.exit_code == 3, result.output
    assert f"'{path}' {DAMAGED} Generate the form again." in " ".join(result.stderr.split())
    assert not (tmp_path / "out.pdf").exists()


def test_process_rejects_them_as_damaged_and_does_not_read_them_again(
    loop_files: dict[str, Path], tmp_path: Path
) -> None:
    inbox = next(iter(loop_files.values())).parent
    out = tmp_path / "out"
    args = ["process", str(inbox), "-o", str(out), "--jobs", "1", "--time-limit", "1", "--today", "2026-02-02"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    files = {f["source"]: f for f in json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"]}
    assert set(files) == {path.name for path in loop_files.values()}
    for name, entry in files.items():
        assert entry["status"] == "rejected", entry
        assert [p["rule"] for p in entry["problems"]] == ["file:damaged"], entry
        assert f"'{name}' {DAMAGED}" in entry["problems"][0]["message"]
    with Ledger(out / "ledger.sqlite3") as ledger:
        for path in loop_files.values():
            recorded = ledger.recorded(hashlib.sha256(path.read_bytes()).hexdigest(), path.name)
            assert recorded is not None, f"{path.name} is not recorded: the next run would read it again"
            assert recorded.problems[0].rule == "file:damaged"
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "3 rejected" in again.stdout

