"""Issue 14: hostile files and children's data. Outputs carry nothing of the sender's, are readable by
their owner only, are tied to the ledger that issued them; runs never wedge.

Inputs are the corpus of ``tests/hostile/`` (``make_corpus.py`` makes it; its README lists each file,
what it attacks and the verdict asserted here). Each file is processed alone, into its own output
folder and ledger, so one file's verdict never depends on another's.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from engines import require_tool
from pipeline_inputs import example, form_pdf

from brokerage.errors import OutputError
from brokerage.processor.batch import BatchOptions, BatchReport, SkipReason, run_batch
from brokerage.processor.ledger import LEDGER_NAME, LEDGER_VERSION, Ledger
from brokerage.processor.pipeline import Settings
from brokerage.processor.results import Status

HOSTILE = Path(__file__).parent / "hostile"
sys.path.insert(0, str(HOSTILE))
import make_corpus as corpus  # noqa: E402

TODAY = date(2026, 2, 2)
SETTINGS = Settings(today=TODAY)


def corpus_file(name: str) -> bytes:
    """A corpus file: the committed one, or (for the large ones) made now by its maker."""
    path = HOSTILE / name
    return path.read_bytes() if path.exists() else corpus.CORPUS[name]()


def process(
    tmp_path: Path, files: dict[str, bytes], *, settings: Settings = SETTINGS, **options: object
) -> BatchReport:
    inbox = tmp_path / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (inbox / name).write_bytes(data)
    return run_batch(inbox, tmp_path / "out", settings, BatchOptions(jobs=1, **options))  # type: ignore[arg-type]


def rules(report: BatchReport, source: str) -> set[str]:
    result = next(r for r in report.results if r.source == source)
    return {p.rule for p in result.problems}


# --- item 3 and 10: a problem naming the box, never a silent choice; bounded work ---------------

EXPECTED = {
    # file: (status, rule, pointer of the box it names or None for the whole file)
    "hidden-duplicate.pdf": (Status.returned, "file:duplicate-box", "/part_a/children/0/name"),
    "hidden-box.pdf": (Status.returned, "file:hidden-box", "/part_a/children/0/school"),
    "off-page-box.pdf": (Status.returned, "file:hidden-box", "/part_a/children/0/school"),
    "xfa-differs.pdf": (Status.returned, "file:xfa-differs", "/part_a/children/0/name"),
    "huge-index.pdf": (Status.returned, "file:extra-box", ""),
    "deep-kids.pdf": (Status.rejected, "file:damaged", ""),
    "control-characters.pdf": (Status.returned, "coerce:date", "/part_a/children/0/date_of_birth"),
    "long-text.pdf": (Status.returned, "coerce:too-long", "/part_a/services/short_break/additional_notes"),
    "huge-name.pdf": (Status.returned, "coerce:too-long", "/part_a/children/0/name"),
    "flate-bomb-name.pdf": (Status.rejected, "file:too-large", ""),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_file_gets_its_verdict_naming_the_box(tmp_path: Path, name: str) -> None:
    status, rule, pointer = EXPECTED[name]
    report = process(tmp_path, {name: corpus_file(name)}, time_limit=30)
    (result,) = report.results
    assert result.status is status, [p.message for p in result.problems]
    named = [p for p in result.problems if p.rule == rule]
    assert named and named[0].pointer == pointer, result.problems
    assert report.complete
    if result.data is not None:  # the decoy value is never filed as the child's
        assert corpus.DECOY_NAME not in repr(result.data)
    if status is Status.returned:  # the letter is written, and a huge value is quoted, not copied
        letter = next(p for p in result.outputs if p.endswith(".pdf"))
        assert (tmp_path / "out" / letter).stat().st_size < 200_000


def test_a_hidden_duplicate_is_never_the_value_filed(tmp_path: Path) -> None:
    report = process(tmp_path, {"dup.pdf": corpus_file("hidden-duplicate.pdf")})
    (result,) = report.results
    problem = next(p for p in result.problems if p.rule == "file:duplicate-box")
    assert "'Child's name'" in problem.message and "twice" in problem.message
    assert "name" not in (result.data or {}).get("part_a", {}).get("children", [{}])[0]


@pytest.mark.parametrize(
    "name", ["blank-provider-response.pdf", "blank-ipa.pdf", "referral-says-provider-response.pdf"]
)
def test_a_file_whose_outputs_failed_for_ever_gets_a_recorded_verdict_and_the_run_completes(
    tmp_path: Path, name: str
) -> None:
    first = process(tmp_path, {name: corpus_file(name)})
    (result,) = first.results
    assert first.complete, "only an unwritable output folder leaves a file unfinished"
    assert result.status in (Status.rejected, Status.returned), result
    assert result.problems and all(p.message for p in result.problems)
    again = run_batch(tmp_path / "inbox", tmp_path / "out", SETTINGS, BatchOptions(jobs=1))
    assert again.complete and again.results == first.results
    with Ledger(tmp_path / "out" / LEDGER_NAME) as ledger:
        assert ledger.recorded(result.sha256, name) is not None


# --- item 2: outputs built from checked data --------------------------------------------------

FORBIDDEN = re.compile(rb"/(Launch|XFA|EmbeddedFiles?|FileAttachment|PieceInfo|URI|OpenAction|Metadata)\b")
OUR_SCRIPTS = re.compile(rb"^\s*/JS \((AF(Date|Number|Special)_\w+\\\(.*\\\);)\)\s*$")


def active_content(pdf: Path) -> list[str]:
    """What qpdf shows of scripts, links, XFA, attachments, notes, XMP and piece info in ``pdf``,
    other than our own forms' date and number formatting."""
    qpdf = require_tool("qpdf")
    expanded = pdf.with_suffix(".qdf")
    subprocess.run([qpdf, "--qdf", "--object-streams=disable", str(pdf), str(expanded)], check=True)
    data = expanded.read_bytes()
    found = [m.group(0).decode() for m in FORBIDDEN.finditer(data)]
    for line in data.splitlines():
        if b"/JS " in line and not OUR_SCRIPTS.match(line):
            found.append(line.decode("latin-1").strip())
    found += [m.decode() for m in re.findall(rb"/Subtype /(?:Text|Link|FileAttachment)\b", data)]
    found += [marker for marker in corpus.HOSTILE_MARKERS if marker.encode() in data]
    return found


def test_nothing_of_a_hostile_senders_file_is_filed_or_sent_on(tmp_path: Path) -> None:
    clean_referral = form_pdf(example("referral-summer-scheme"))  # BRK-2026-0001, which the response quotes
    report = process(tmp_path, {
        "1-referral.pdf": clean_referral,
        "2-hostile-referral.pdf": form_pdf(example("referral-two-children")),
    })
    hostile = {
        "3-hostile-referral.pdf": corpus_file("everything-hostile-referral.pdf"),
        "4-hostile-response.pdf": corpus_file("everything-hostile-response.pdf"),
    }
    for name, data in hostile.items():
        (tmp_path / "inbox" / name).write_bytes(data)
    report = run_batch(tmp_path / "inbox", tmp_path / "out", SETTINGS, BatchOptions(jobs=1))
    by = {r.source: r for r in report.results}
    assert by["4-hostile-response.pdf"].status is Status.accepted, by["4-hostile-response.pdf"].problems
    hostile_referral = by["3-hostile-referral.pdf"]
    assert hostile_referral.status in (Status.accepted, Status.duplicate)
    if hostile_referral.status is Status.duplicate:  # same data as 1-referral.pdf: process it alone too
        alone = process(tmp_path / "alone", {"hostile.pdf": hostile["3-hostile-referral.pdf"]})
        (result,) = alone.results
        assert result.status is Status.accepted, result.problems
        outputs = [tmp_path / "alone" / "out" / p for p in result.outputs]
    else:
        outputs = [tmp_path / "out" / p for p in hostile_referral.outputs]
    response = by["4-hostile-response.pdf"]
    outputs += [tmp_path / "out" / p for p in response.outputs]
    received = [p for p in outputs if "/received/" in p.as_posix()]
    assert len(received) == 1 and received[0].read_bytes() == hostile["4-hostile-response.pdf"], "kept as evidence"
    sent = [p for p in outputs if p.suffix == ".pdf" and p not in received]
    assert {p.name for p in sent} >= {"part-a.pdf", "annex-1.pdf", "anonymised-referral.pdf", "1-response.pdf"}
    for pdf in sent:
        assert active_content(pdf) == [], pdf.name
    assert active_content(received[0]) != [], "the check finds what the hostile file holds"


# --- item 1: owner-only outputs whatever the umask ---------------------------------------------


def modes(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): stat.S_IMODE(p.lstat().st_mode)
        for p in [root, *root.rglob("*")]
        if not p.is_symlink()
    }


@pytest.mark.parametrize(("group", "folder", "file"), [(False, 0o700, 0o600), (True, 0o750, 0o640)])
def test_outputs_are_owner_only_or_group_readable_whatever_the_umask(
    tmp_path: Path, group: bool, folder: int, file: int
) -> None:
    from typer.testing import CliRunner

    from brokerage.cli import app

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "referral.pdf").write_bytes(form_pdf(example("referral-summer-scheme")))
    (inbox / "returned.pdf").write_bytes(corpus_file("hidden-box.pdf"))
    out = tmp_path / "out"
    previous = os.umask(0o022)
    try:
        args = ["process", str(inbox), "-o", str(out), "--jobs", "1", "--today", "2026-02-02"]
        result = CliRunner().invoke(app, args + (["--group-readable"] if group else []))
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    found = modes(out)
    assert {"ledger.sqlite3", "ledger.sqlite3.lock", "brokerage-output.json", "summary.xlsx"} <= set(found)
    assert any(p.startswith("cases/BRK-2026-0001/") for p in found) and any(p.startswith("returned/") for p in found)
    wrong = {p: oct(m) for p, m in found.items() if m != (folder if (out / p).is_dir() else file)}
    assert wrong == {}


def test_the_ledger_and_its_wal_and_shm_files_are_owner_only_while_open(tmp_path: Path) -> None:
    from brokerage.files import OWNER_ONLY

    path = tmp_path / "folder" / "ledger.sqlite3"
    previous = os.umask(0o022)
    try:
        with Ledger(path, permissions=OWNER_ONLY) as ledger:
            ledger.reserve_reference("ab" * 32, 2026)
            sides = {p.name: stat.S_IMODE(p.stat().st_mode) for p in path.parent.iterdir()}
    finally:
        os.umask(previous)
    assert sides == {"ledger.sqlite3": 0o600, "ledger.sqlite3-wal": 0o600, "ledger.sqlite3-shm": 0o600}
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_rerun_tightens_outputs_an_older_run_left_world_readable(tmp_path: Path) -> None:
    report = process(tmp_path, {"referral.pdf": form_pdf(example("referral-domiciliary-only"))})
    out = tmp_path / "out"
    part_a = out / next(p for p in report.results[0].outputs if p.endswith("part-a.pdf"))
    part_a.chmod(0o644)
    part_a.parent.chmod(0o755)
    run_batch(tmp_path / "inbox", out, SETTINGS, BatchOptions(jobs=1))
    assert stat.S_IMODE(part_a.stat().st_mode) == 0o600
    assert stat.S_IMODE(part_a.parent.stat().st_mode) == 0o700


# --- item 4: an output folder belongs to one ledger; re-runs check the outputs' hashes --------


def test_a_second_ledger_cannot_write_into_an_output_folder(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.pdf").write_bytes(form_pdf(example("referral-summer-scheme")))
    out = tmp_path / "out"
    run_batch(inbox, out, SETTINGS, BatchOptions(jobs=1, ledger_path=tmp_path / "one.sqlite3"))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "ledger" not in p.name}
    other = tmp_path / "other-inbox"
    other.mkdir()
    (other / "b.pdf").write_bytes(form_pdf(example("referral-two-children")))
    with pytest.raises(OutputError, match=r"belongs to the case ledger .*one\.sqlite3"):
        run_batch(other, out, SETTINGS, BatchOptions(jobs=1, ledger_path=tmp_path / "two.sqlite3"))
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "ledger" not in p.name}
    assert after == before, "no case folder was overwritten"


def test_an_output_folder_with_cases_but_no_owner_is_not_taken_by_an_empty_ledger(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "cases" / "BRK-2026-0001").mkdir(parents=True)
    (out / "cases" / "BRK-2026-0001" / "referral.json").write_text("{}")
    (tmp_path / "inbox").mkdir()
    with pytest.raises(OutputError, match="already holds case folders"):
        run_batch(tmp_path / "inbox", out, SETTINGS, BatchOptions(jobs=1))


def test_a_rerun_says_which_outputs_differ_and_rewrites_only_missing_ones(tmp_path: Path) -> None:
    report = process(tmp_path, {"referral.pdf": form_pdf(example("referral-summer-scheme"))})
    out = tmp_path / "out"
    outputs = report.results[0].outputs
    changed = next(p for p in outputs if p.endswith("referral.json"))
    missing = next(p for p in outputs if p.endswith("part-a.pdf"))
    original = (out / missing).read_bytes()
    (out / changed).write_text('{"part_a": "someone else"}')
    (out / missing).unlink()
    again = run_batch(tmp_path / "inbox", out, SETTINGS, BatchOptions(jobs=1))
    assert again.changed == (changed,)
    assert (out / changed).read_text() == '{"part_a": "someone else"}', "left for a person to look at"
    assert (out / missing).read_bytes() == original
    assert any(changed in note for note in again.results[0].notes)


def test_earlier_ledgers_are_migrated_forward_with_an_id_and_an_outputs_table(tmp_path: Path) -> None:
    from brokerage.processor import ledger as ledger_module

    one = tmp_path / "v1.sqlite3"  # a real version-1 ledger, made by bb37636's demo
    db = sqlite3.connect(one)
    db.executescript((Path(__file__).parent / "data" / "ledger-v1-demo.sql").read_text(encoding="utf-8"))
    db.close()
    two = tmp_path / "v2.sqlite3"  # version 2: cases, before outputs and ids
    db = sqlite3.connect(two)
    db.executescript(ledger_module._SCHEMA_V1 + ledger_module._TO_V2)
    db.execute("INSERT INTO meta (key, value) VALUES ('ledger_version', '2')")
    db.commit()
    db.close()
    for path in (one, two):
        with Ledger(path) as ledger:
            assert ledger.version == LEDGER_VERSION == 3 and len(ledger.ledger_id) == 32
            first_id = ledger.ledger_id
            assert ledger.output_hashes("x", "y") == {}
        with Ledger(path) as ledger:
            assert ledger.version == LEDGER_VERSION and ledger.ledger_id == first_id, "the id never changes"


def test_a_ledger_that_cannot_record_is_the_output_sentence_and_exit_5(tmp_path: Path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from brokerage.cli import app

    def full(*args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.pdf").write_bytes(form_pdf(example("referral-summer-scheme")))
    monkeypatch.setattr(Ledger, "_record_outputs", staticmethod(full))
    result = CliRunner().invoke(app, ["process", str(inbox), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 5
    assert "could not be written (database or disk is full)" in result.stderr
    assert "Traceback" not in result.output


# --- item 5: our own outputs are never read as returns ------------------------------------------


def test_an_earlier_output_folder_inside_the_inbox_is_skipped_in_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from brokerage.cli import app

    first = process(tmp_path / "first", {"referral.pdf": form_pdf(example("referral-summer-scheme"))})
    assert first.results[0].status is Status.accepted
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    old = tmp_path / "first" / "out" / "cases" / "BRK-2026-0001"
    for name in ("part-a.pdf", "annex-1.pdf", "anonymised-referral.pdf"):
        (inbox / f"old-{name}").write_bytes((old / name).read_bytes())
    (inbox / "new.pdf").write_bytes(form_pdf(example("referral-two-children")))
    result = CliRunner().invoke(
        app, ["process", str(inbox), "-o", str(tmp_path / "out"), "--jobs", "1", "--today", "2026-02-02"]
    )
    assert result.exit_code == 0, result.output
    import json

    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert [f["source"] for f in summary["files"]] == ["new.pdf"]
    skipped = {s["source"] for s in summary["skipped"]}
    assert skipped == {"old-part-a.pdf", "old-annex-1.pdf", "old-anonymised-referral.pdf"}
    assert all(SkipReason.our_output.value in s["why"] for s in summary["skipped"])
    lines = [line for line in result.stdout.splitlines() if line.startswith("Not read (3)")]
    assert len(lines) == 1 and "old-annex-1.pdf" in lines[0]


# --- no false alarms: our own forms, and forms filled by real engines, raise none of item 3's problems --


@pytest.mark.parametrize("engine", ["pdfium", "pdftk", "mupdf", "blank"])
def test_engine_filled_forms_have_no_integrity_problems(engine: str) -> None:
    from brokerage.processor.integrity import check_integrity
    from brokerage.processor.pdf_read import read_form
    from brokerage.schema import default_catalogue

    data = (Path(__file__).parent / "data" / f"provider-response-{engine}.pdf").read_bytes()
    found = check_integrity(read_form(data), frozenset({"part_b"}), default_catalogue())
    assert found.problems == () and found.dropped == frozenset()


@pytest.mark.parametrize("name", ["referral-summer-scheme", "referral-two-children", "provider-response", "ipa"])
def test_our_filled_forms_have_no_integrity_problems(name: str) -> None:
    from pipeline_inputs import fillable

    from brokerage.processor.integrity import check_integrity
    from brokerage.processor.pdf_read import read_form
    from brokerage.schema import default_catalogue

    catalogue = default_catalogue()
    instance = fillable(example(name))
    form = read_form(form_pdf(instance))
    kind = {"referral": "referral", "provider": "provider-response", "ipa": "ipa"}[name.split("-")[0]]
    found = check_integrity(form, frozenset(catalogue.form(kind).parts), catalogue)
    assert found.problems == () and found.dropped == frozenset()


def _crash_while_writing(result, path, out_dir, settings):  # runs in a forked worker
    os._exit(9)


def test_a_file_that_crashes_the_writer_is_rejected_and_recorded(tmp_path: Path) -> None:
    from brokerage.processor.batch import Tasks

    report = process(
        tmp_path, {"a.pdf": form_pdf(example("referral-summer-scheme"))}, tasks=Tasks(write=_crash_while_writing)
    )
    (result,) = report.results
    assert report.complete and result.status is Status.rejected and result.reference is None
    assert result.problems[0].rule == "file:cannot-file"
    assert "stopped the worker" in result.problems[0].message
    with Ledger(tmp_path / "out" / LEDGER_NAME) as ledger:
        assert ledger.recorded(result.sha256, "a.pdf") is not None


def test_a_full_disk_under_the_ledger_is_the_output_sentence_and_exit_5(tmp_path: Path) -> None:
    """A real full file system (a 320 KB tmpfs holding the ledger), not a simulated error."""
    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=320k", "tmpfs", str(small)], capture_output=True)
    if mounted.returncode != 0 and not os.environ.get("CI"):
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    assert mounted.returncode == 0, mounted.stderr
    try:
        ledger = small / "ledger.sqlite3"
        with Ledger(ledger) as opened:
            opened.reserve_reference("00" * 32, 2026)
        filler = small / "filler"
        # fill what is left, then free a few pages: the run starts, and the ledger fills up while recording
        with filler.open("wb", buffering=0) as handle, contextlib.suppress(OSError):
            while True:
                handle.write(b"\0" * 4096)
        os.truncate(filler, max(0, filler.stat().st_size - 48 * 1024))
        inbox = tmp_path / "inbox"
        inbox.mkdir()
        for number in range(12):
            (inbox / f"{number:02d}.pdf").write_bytes(corpus_file("control-characters.pdf") + b"%" * (number + 1))
        result = subprocess.run(
            [sys.executable, "-c", "from brokerage.cli import main; main()", "process", str(inbox),
             "-o", str(tmp_path / "out"), "--ledger", str(ledger), "--jobs", "1", "--today", "2026-02-02"],
            capture_output=True, text=True, timeout=300,
        )
    finally:
        subprocess.run(["umount", str(small)], check=False)
    assert result.returncode == 5, (result.stdout[-1000:], result.stderr[-2000:])
    assert "could not be written" in result.stderr and "Make room on the disk" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_fields_of_other_parts_on_a_part_a_page_no_longer_stop_the_outputs(tmp_path: Path) -> None:
    report = process(tmp_path, {"mixed.pdf": corpus_file("other-parts-on-part-a-page.pdf")})
    (result,) = report.results
    assert report.complete and result.status is Status.accepted, result.problems
    names = {Path(p).name for p in result.outputs}
    assert {"part-a.pdf", "annex-1.pdf", "referral.json"} <= names
