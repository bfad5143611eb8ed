"""``brokerage.pdf`` on its own: the walk, inheritance, kinds, on-states, values, widgets (pages,
rectangles, flags), duplicates and stray widgets, its bounds, its sentences for two audiences, and
the reproducible write. The forms are built in :mod:`synthetic_forms`, one field per rule."""

from __future__ import annotations

import dataclasses
import enum
import io
import pickle
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas
from synthetic_forms import every_kind_form, nested_form, shared_field_form
from test_layers import imports_of

from brokerage.errors import DamagedPdfError, EncryptedPdfError, NotAPdfError, TooLargeError
from brokerage.pdf import (
    MAX_DEPTH,
    OUR_FORM,
    RETURNED_FORM,
    FieldKind,
    Widget,
    field_kind,
    file_id,
    open_pdf,
    pdf_bytes,
    read_pdf_form,
    stamped_bytes,
)
from brokerage.pdf import fields as fields_module
from brokerage.processor.pdf_read import read_form

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def form():  # type: ignore[no-untyped-def]
    return read_pdf_form(every_kind_form(), source="synthetic.pdf")


def by_name(form) -> dict:  # type: ignore[no-untyped-def]
    return {f.name: f for f in form.fields}


def test_the_layer_imports_only_the_standard_library_pypdf_errors_and_files() -> None:
    allowed = {"pypdf", "brokerage.errors", "brokerage.files", "brokerage.pdf"}
    for path in sorted((ROOT / "pdf").glob("*.py")):
        for module in imports_of(path):
            top = module.split(".")[0]
            assert top in sys.stdlib_module_names or any(
                module == a or module.startswith(a + ".") for a in allowed
            ), f"pdf/{path.name} imports {module}: the PDF layer may use only the standard library and pypdf"


def test_walk_gives_full_names_in_form_order_with_a_radio_group_as_one_field(form) -> None:  # type: ignore[no-untyped-def]
    assert [f.name for f in form.fields] == [
        "push_radio", "group.inner", "choose.c", "multi", "tick", "sign", "note", "twice", "twice", "ghost",
    ]
    group = by_name(form)["group.inner"]
    assert [w.on_state for w in group.widgets] == ["A", "B"]


def test_kinds_follow_the_spec_and_inheritance(form) -> None:  # type: ignore[no-untyped-def]
    kinds = {f.name: f.kind for f in form.fields}
    assert kinds == {
        "push_radio": FieldKind.push_button,  # the push-button flag wins over the radio flag
        "group.inner": FieldKind.radio,  # /FT and /Ff from its parent
        "choose.c": FieldKind.choice,  # /FT from its parent
        "multi": FieldKind.radio,  # a check box with two on-states is picked one of
        "tick": FieldKind.checkbox,
        "sign": FieldKind.signature,
        "note": FieldKind.text,
        "twice": FieldKind.text,
        "ghost": FieldKind.text,
    }


@pytest.mark.parametrize(
    ("field_type", "flags", "states", "kind"),
    [
        ("/Btn", (1 << 15) | (1 << 16), (), FieldKind.push_button),
        ("/Btn", 1 << 16, ("Yes", "No"), FieldKind.push_button),
        ("/Btn", 1 << 15, ("Yes",), FieldKind.radio),
        ("/Btn", 0, ("Yes", "No"), FieldKind.radio),
        ("/Btn", 0, ("Yes", "Yes"), FieldKind.checkbox),
        ("/Btn", 0, (), FieldKind.checkbox),
        ("/Ch", 1 << 17, (), FieldKind.choice),
        ("/Sig", 0, (), FieldKind.signature),
        ("/Tx", 1 << 12, (), FieldKind.text),
        (None, 0, (), FieldKind.text),
    ],
)
def test_field_kind(field_type: str | None, flags: int, states: tuple[str, ...], kind: FieldKind) -> None:
    assert field_kind(field_type, flags, states) is kind


def test_values_are_plain_and_read_as_engines_store_them(form) -> None:  # type: ignore[no-untyped-def]
    fields = by_name(form)
    assert fields["group.inner"].value == "B"  # the group's /V, inherited
    assert fields["choose.c"].value == "y"  # /V, not the stale /I [0] (which is "x")
    assert fields["multi"].value == "Two"
    assert fields["tick"].value is True  # /On is as ticked as /Yes
    assert fields["sign"].value is True
    assert fields["push_radio"].value is None
    assert fields["note"].value == "one\ntwo\nthree"


def test_options_and_labels(form) -> None:  # type: ignore[no-untyped-def]
    fields = by_name(form)
    assert fields["choose.c"].options == ("x", "y")
    assert fields["choose.c"].option_labels == ("Ex", "y")
    assert fields["group.inner"].options == ("A", "B")
    assert fields["multi"].options == ("One", "Two")
    assert fields["tick"].options == ("On",)


def test_widgets_have_pages_normalised_rectangles_and_flags(form) -> None:  # type: ignore[no-untyped-def]
    fields = by_name(form)
    (note,) = fields["note"].widgets
    assert note.rect == (100.0, 650.0, 300.0, 700.0)  # written as [300 700 100 650]
    assert note.page == 1
    assert note.hidden and note.printable and not note.no_view and not note.invisible
    assert not note.shown
    (tick,) = fields["tick"].widgets
    assert tick.shown and not tick.hidden
    assert form.page_boxes == ((0.0, 0.0, 595.0, 842.0),)


def test_a_widget_on_no_page_and_a_widget_of_no_field_are_visible(form) -> None:  # type: ignore[no-untyped-def]
    (ghost,) = by_name(form)["ghost"].widgets
    assert ghost.page is None and not ghost.shown
    assert by_name(form)["ghost"].page is None
    assert [(s.name, s.widget.page) for s in form.stray_widgets] == [("orphan", 1)]
    assert "orphan" not in by_name(form)


def test_two_fields_with_one_name_are_both_there(form) -> None:  # type: ignore[no-untyped-def]
    assert form.duplicates == ("twice",)
    assert [f.value for f in form.fields if f.name == "twice"] == ["first", "second"]
    assert form.by_name()["twice"].value == "second"
    raw = read_form(every_kind_form())
    assert raw.duplicates == ("twice",)
    assert raw.value("twice") == "second"  # as before: the later field's value
    assert list(raw.fields).index("twice") == list(raw.fields).index("sign") + 2  # at the first one's place


def test_a_field_reached_twice_without_a_loop_is_read_once() -> None:
    form = read_pdf_form(shared_field_form())
    assert [(f.name, f.value) for f in form.fields] == [("once", "here")]
    assert form.duplicates == ()


def test_depth_is_bounded() -> None:
    deep = read_pdf_form(nested_form(MAX_DEPTH))
    assert [f.name for f in deep.fields] == [".".join(f"l{i}" for i in range(MAX_DEPTH))]
    with pytest.raises(DamagedPdfError) as caught:
        read_pdf_form(nested_form(MAX_DEPTH + 1), source="deep.pdf")
    assert caught.value.message.startswith("'deep.pdf' is damaged: its form fields cannot be read.")


def test_the_number_of_fields_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(read_pdf_form(every_kind_form()).fields) == 10
    monkeypatch.setattr(fields_module, "MAX_NODES", 8)
    with pytest.raises(TooLargeError) as caught:
        read_pdf_form(every_kind_form(), source="flood.pdf")
    assert "'flood.pdf' expands to far more data than a form holds" in caught.value.message


def _plain(value: object) -> bool:
    if value is None or isinstance(value, (str, int, float, bool, enum.Enum)):
        return type(value).__module__ in ("builtins", "brokerage.pdf.fields", "brokerage.pdf.form")
    if isinstance(value, (tuple, list)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    if dataclasses.is_dataclass(value):
        return all(_plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    return False


def test_what_the_reader_returns_holds_no_pypdf_object(form) -> None:  # type: ignore[no-untyped-def]
    assert _plain(form)
    assert pickle.loads(pickle.dumps(form)) == form


def _scribble(**kwargs: object) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, **kwargs)  # type: ignore[arg-type]
    c.drawString(72, 720, "a page")
    c.showPage()
    c.save()
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("advice", "not_pdf", "cut", "password"),
    [
        (RETURNED_FORM, "Ask the sender to return the brokerage form itself as a PDF.",
         "Ask the sender to send it again.", "Ask the sender to remove the password"),
        (OUR_FORM, "Give the path of a brokerage form (a .pdf file).", "Generate the form again.",
         "Use the unprotected form made by brokerage generate."),
    ],
)
def test_open_says_what_is_wrong_and_what_this_reader_should_do(advice, not_pdf: str, cut: str,  # type: ignore[no-untyped-def]
                                                                password: str) -> None:
    pdf = _scribble(invariant=1)
    with pytest.raises(NotAPdfError) as caught:
        open_pdf(b"Dear team, the form is attached.", source="note.pdf", advice=advice)
    assert caught.value.message == f"'note.pdf' is not a PDF file. {not_pdf}"
    with pytest.raises(DamagedPdfError) as caught:
        open_pdf(pdf[: len(pdf) // 2], source="half.pdf", advice=advice)
    assert caught.value.message == f"'half.pdf' is incomplete: the PDF is cut off before its end. {cut}"
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    with pytest.raises(EncryptedPdfError) as caught:
        open_pdf(pdf_bytes(writer), advice=advice)
    assert caught.value.message.startswith(f"{advice.unnamed} is protected with a password. {password}")
    with pytest.raises(TooLargeError) as caught:
        open_pdf(pdf, source="big.pdf", advice=advice, max_bytes=100)
    assert caught.value.message.startswith("'big.pdf' is 0 MB, more than the 0 MB")
    assert len(open_pdf(pdf, advice=advice).pages) == 1


def test_stamped_write_is_reproducible_and_carries_only_what_it_is_given() -> None:
    dated = _scribble()  # reportlab stamps the time and an /ID drawn from it
    assert b"/CreationDate" in dated

    def stamp(seed: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(dated)))
        writer.add_metadata({"/Author": "someone", "/CreationDate": "D:20260101000000"})
        return stamped_bytes(writer, seed, {"Title": "A title", "/Producer": "test"})

    first, second, other = stamp("seed"), stamp("seed"), stamp("another seed")
    assert first == second
    assert first != other
    reader = PdfReader(io.BytesIO(first))
    assert [bytes(part) for part in reader.trailer["/ID"]] == [file_id("seed")] * 2
    assert dict(reader.metadata or {}) == {"/Producer": "test", "/Title": "A title"}
    assert b"/CreationDate" not in first and b"/Author" not in first
    assert "/Metadata" not in reader.trailer["/Root"]


def test_plain_write_is_reproducible() -> None:
    data = every_kind_form()
    assert data == every_kind_form()
    assert pdf_bytes(PdfWriter(clone_from=PdfReader(io.BytesIO(data)))) == pdf_bytes(
        PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    )


def test_widget_without_a_rectangle_is_not_shown() -> None:
    assert not Widget(page=1, rect=None).shown
    assert not Widget(page=1, rect=(10.0, 10.0, 10.0, 30.0)).shown
    assert Widget(page=1, rect=(10.0, 10.0, 20.0, 30.0)).shown
