"""``brokerage fill``, ``brokerage fields`` and ``brokerage generate`` as a person uses them."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from engines import write_blank_forms
from typer.testing import CliRunner

from brokerage.cli import app
from brokerage.errors import DataFileError, ExitCode, InputFileError, OutputError
from brokerage.generator import fill_file, fill_pdf, generate
from brokerage.processor.pdf_read import read_form

EXAMPLES = Path(__file__).parent / "examples"
runner = CliRunner()


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_blank_forms(tmp_path_factory.mktemp("cli-forms"))


def test_fill_writes_values_as_a_person_types_them(forms: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "filled.pdf"
    result = runner.invoke(app, ["fill", str(forms["referral"]), str(EXAMPLES / "referral-two-children.json"),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    form = read_form(out.read_bytes())
    assert form.value("part_a__children__0__name") == "Zoë Łukasz-O’Brien Nguyễn"
    assert form.value("part_a__children__0__date_of_birth") == "14/06/2015"
    assert form.value("part_a__children__0__address") == "12 Example Street\nLeicester\nLE1 1AA"
    assert form.value("part_a__referral__urgent") == "No"
    assert form.value("part_a__services__short_break__required") is True
    assert form.value("part_a__services__domiciliary_care__required") is False
    assert form.value("part_a__services__short_break__timetable__saturday__hours") == "5"
    assert form.value("part_a__children__0__current_support_funding") == "Direct payment"
    assert form.value("part_a__children__1__desired_outcomes__0") == "Makes friends outside school"


def test_fill_every_example(forms: dict[str, Path]) -> None:
    for example in sorted(EXAMPLES.glob("*.json")):
        kind = next(k for k in ("referral", "provider-response", "ipa") if example.name.startswith(k))
        filled = fill_pdf(forms[kind].read_bytes(), json.loads(example.read_text(encoding="utf-8")))
        assert read_form(filled).form_id == f"{kind} 1.0"


def test_money_is_written_as_typed(forms: dict[str, Path]) -> None:
    filled = fill_pdf(forms["provider-response"].read_bytes(), {"part_b": {"hourly_rate": 18.75, "can_meet":
                                                                        "Part of the package"}})
    form = read_form(filled)
    assert form.value("part_b__hourly_rate") == "18.75"
    assert form.value("part_b__can_meet") == "Part of the package"


def test_unknown_pointers_are_named(forms: dict[str, Path], tmp_path: Path) -> None:
    data = tmp_path / "data.json"
    data.write_text(json.dumps({"part_b": {"provider": {"name": "X", "fax": "none"}}, "part_z": 1}))
    out = tmp_path / "out.pdf"
    result = runner.invoke(app, ["fill", str(forms["provider-response"]), str(data), "-o", str(out)])
    assert result.exit_code == ExitCode.input_file
    assert "/part_b/provider/fax" in result.output and "/part_z" in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [data], "a temporary file was left behind"


def test_wrong_option_and_wrong_tick_are_refused(forms: dict[str, Path]) -> None:
    with pytest.raises(DataFileError, match="can_meet is 'Maybe', not one of All of the package"):
        fill_pdf(forms["provider-response"].read_bytes(), {"part_b": {"can_meet": "Maybe"}})
    with pytest.raises(DataFileError, match="tick box: give true or false"):
        fill_pdf(forms["referral"].read_bytes(), {"part_a": {"services": {"short_break": {"required": "yes"}}}})


def test_fill_refuses_to_overwrite_the_form(forms: dict[str, Path], tmp_path: Path) -> None:
    form = tmp_path / "form.pdf"
    form.write_bytes(forms["ipa"].read_bytes())
    before = form.read_bytes()
    result = runner.invoke(app, ["fill", str(form), str(EXAMPLES / "ipa.json"), "-o", str(form)])
    assert result.exit_code == ExitCode.output
    assert "is the form itself" in result.output
    assert form.read_bytes() == before


def test_fill_reports_a_broken_data_file(forms: dict[str, Path], tmp_path: Path) -> None:
    data = tmp_path / "data.json"
    data.write_text("{not json")
    result = runner.invoke(app, ["fill", str(forms["ipa"]), str(data), "-o", str(tmp_path / "o.pdf")])
    assert result.exit_code == ExitCode.input_file
    assert "is not valid JSON" in result.output


def test_fields_json_lists_form_id_apart(forms: dict[str, Path]) -> None:
    result = runner.invoke(app, ["fields", str(forms["provider-response"]), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["form_id"] == "provider-response 1.0"
    pointers = [f["pointer"] for f in payload["fields"]]
    assert "/part_b/can_meet" in pointers and None not in pointers
    can_meet = next(f for f in payload["fields"] if f["pointer"] == "/part_b/can_meet")
    assert can_meet["type"] == "radio" and can_meet["required"] is True and can_meet["page"] == 1
    assert can_meet["options"] == ["All of the package", "Part of the package", "None of the package"]


def test_fields_table_and_a_file_that_is_not_a_pdf(forms: dict[str, Path], tmp_path: Path) -> None:
    result = runner.invoke(app, ["fields", str(forms["ipa"])])
    assert result.exit_code == 0
    assert "/part_c/provider_signatory/signature" in result.output and "signature" in result.output
    text = tmp_path / "notes.pdf"
    text.write_text("hello")
    result = runner.invoke(app, ["fields", str(text)])
    assert result.exit_code == ExitCode.input_file
    assert "is not a PDF file" in result.output


def test_generate_writes_every_file_quickly(tmp_path: Path) -> None:
    timings = []
    for _ in range(2):  # the best of two: a busy CI machine should not fail this
        start = time.perf_counter()
        result = runner.invoke(app, ["generate", str(tmp_path / "out")])
        timings.append(time.perf_counter() - start)
        assert result.exit_code == 0, result.output
    elapsed = min(timings)
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["guidance-provider.html", "guidance-provider.pdf", "guidance-referral.html",
                     "guidance-referral.pdf", "ipa.pdf", "provider-response.pdf", "referral.pdf"]
    assert elapsed < 5, f"generate took {elapsed:.1f} s"


def test_generate_into_a_file_path_fails_with_a_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="Cannot write"):
        generate(blocker / "sub")


def test_outputs_get_the_usual_file_permissions(forms: dict[str, Path], tmp_path: Path) -> None:
    import os

    mask = os.umask(0)
    os.umask(mask)
    out = tmp_path / "filled.pdf"
    fill_file(forms["ipa"], EXAMPLES / "ipa.json", out)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_signed_form_is_not_filled(forms: dict[str, Path]) -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(forms["ipa"]))
    for field in writer._root_object["/AcroForm"]["/Fields"]:
        field = field.get_object()
        if field.get("/FT") == "/Sig":
            field[NameObject("/V")] = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Sig")}))
            break
    import io

    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(InputFileError, match=r"already signed \(part_c__provider_signatory__signature\)"):
        fill_pdf(buffer.getvalue(), {"part_c": {"reference": "BRK-2026-0001"}})


def test_fields_of_a_pdf_without_a_form(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    plain = tmp_path / "letter.pdf"
    canvas = Canvas(str(plain))
    canvas.drawString(72, 720, "Dear provider")
    canvas.save()
    result = runner.invoke(app, ["fields", str(plain)])
    assert result.exit_code == ExitCode.not_our_form
    assert "has no form fields" in result.output
