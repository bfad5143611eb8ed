"""Round trip through real engines: fill every field with PDFium's form-fill API (as Chrome/Edge do),
with ``pdftk fill_form`` (UTF-8 XFDF) and with MuPDF's form API (``mutool run``), read the result
with the project's reader, compare.

Each form is filled in three rounds so every radio and choice option is chosen somewhere, every
checkbox is both ticked and unticked, and text boxes get tricky values: non-Latin names, curly
quotes and dashes, 1,500 characters over several lines, empty boxes and "N/A".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from engines import WidgetSpot, fill_with_mupdf, fill_with_pdfium, fill_with_pdftk, widget_spots, write_blank_forms

from brokerage.generator import FORM_ID_FIELD
from brokerage.processor.pdf_read import read_form
from brokerage.schema import default_catalogue

FORMS = default_catalogue().forms

LONG_TEXT = "\n".join(
    f"Line {i:02d}: Zoë’s plan – “calm space”, ear defenders; Nguyễn family prefers mornings." for i in range(19)
)[:1500]
assert len(LONG_TEXT) == 1500

ONE_LINE = (
    "Zoë Łukasz-O’Brien Nguyễn",
    "N/A",
    "",
    "Ștefan Țepeș – “Mum” ‘Dad’",
    "Gwenllïan ap Siôn ŵ ŷ",
    "None",
    "O'Connor & Sons <Ltd> £12.50 €",
)
MULTI_LINE = (LONG_TEXT, "None", "", "First line\nSecond line – ’quoted’\n\nAfter a blank line", "N/A")
ROUNDS = (0, 1, 2)


def tricky_values(spots: list[WidgetSpot], round_: int) -> dict[str, str | bool]:
    """A value for every fillable field of a form, different in each round."""
    values: dict[str, str | bool] = {}
    radio_options: dict[str, list[str]] = {}
    for spot in spots:
        if spot.kind == "radio" and spot.state:
            radio_options.setdefault(spot.name, []).append(spot.state)
    for index, spot in enumerate(spots):
        if spot.readonly or spot.name in values or spot.kind == "signature":
            continue
        position = index + round_
        if spot.kind == "text":
            multiline = spot.rect[3] - spot.rect[1] > 30
            pool = MULTI_LINE if multiline else ONE_LINE
            values[spot.name] = pool[position % len(pool)]
        elif spot.kind == "checkbox":
            values[spot.name] = position % 2 == 0
        elif spot.kind == "radio":
            options = radio_options[spot.name]
            values[spot.name] = options[position % len(options)]
        elif spot.kind == "choice":
            options = [o for o in spot.options if o]
            values[spot.name] = options[position % len(options)]
    return values


def expected(value: str | bool) -> str | bool | None:
    if isinstance(value, bool):
        return value
    return value or None


def assert_round_trip(path: Path, values: dict[str, str | bool]) -> None:
    form = read_form(path.read_bytes(), source=path.name)
    wrong = {
        name: (value, form.fields[name].value)
        for name, value in values.items()
        if form.fields[name].value != expected(value)
    }
    assert not wrong, f"{len(wrong)} values changed, e.g. {list(wrong.items())[:3]}"
    assert all(f.max_length is None for f in form.fields.values())
    assert form.form_id is not None and form.form_id.endswith("1.0")


@pytest.fixture(scope="module")
def blank_forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_blank_forms(tmp_path_factory.mktemp("blank"))


def test_every_option_and_both_tick_states_are_exercised(blank_forms: dict[str, Path]) -> None:
    for kind, path in blank_forms.items():
        spots = widget_spots(path)
        rounds = [tricky_values(spots, r) for r in ROUNDS]
        for spot in spots:
            if spot.kind == "radio":
                assert spot.state in {r[spot.name] for r in rounds} or _shared_enum(spots, spot, rounds), spot.name
            if spot.kind == "checkbox":
                assert {r[spot.name] for r in rounds} == {True, False}, (kind, spot.name)
        texts = {v for r in rounds for v in r.values() if isinstance(v, str)}
        if kind == "referral":
            assert LONG_TEXT in texts and "" in texts and "N/A" in texts


def _shared_enum(spots: list[WidgetSpot], spot: WidgetSpot, rounds: list[dict[str, str | bool]]) -> bool:
    """A radio option chosen in some group with the same options counts as exercised."""
    same = {s.name for s in spots if s.kind == "radio" and s.state == spot.state}
    return any(r.get(name) == spot.state for r in rounds for name in same)


ENGINES = {"pdfium": fill_with_pdfium, "pdftk": fill_with_pdftk, "mupdf": fill_with_mupdf}


@pytest.mark.parametrize("round_", ROUNDS)
@pytest.mark.parametrize("kind", tuple(FORMS))
@pytest.mark.parametrize("engine", tuple(ENGINES))
def test_engine_fill_round_trip(blank_forms: dict[str, Path], engine: str, kind: str, round_: int,
                                tmp_path: Path) -> None:
    values = tricky_values(widget_spots(blank_forms[kind]), round_)
    out = tmp_path / f"{kind}-{engine}.pdf"
    ENGINES[engine](blank_forms[kind], values, out)
    assert_round_trip(out, values)


def test_form_id_survives_both_engines(blank_forms: dict[str, Path], tmp_path: Path) -> None:
    path = blank_forms["provider-response"]
    values = {"part_b__provider__name": "Ţara Care – Nguyễn & Co"}
    for name, fill in (("pdfium", fill_with_pdfium), ("pdftk", fill_with_pdftk)):
        out = tmp_path / f"{name}.pdf"
        fill(path, values, out)
        form = read_form(out.read_bytes())
        assert form.form_id == "provider-response 1.0"
        assert form.fields[FORM_ID_FIELD].value == "provider-response 1.0"
