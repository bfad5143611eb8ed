"""The flattened reader (``brokerage.processor.flattened``) on returns made the ways people make them.

The truth for every box is what the fillable reader (``pdf_read.read_form``) gets from the same file
before it was flattened: the flattened copy must give the same raw values, box for box, or say it could
not read a box, never a different value.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from engines import require_pdfium
from flattened_support import (
    ENGINES,
    FLATTENERS,
    as_scan,
    fill,
    flatten,
    overlay,
    printed,
    richest_referral,
    without_markers,
)

from brokerage.errors import DamagedPdfError, NotAPdfError
from brokerage.processor.flattened import READABLE, Source, as_raw_form, read_flattened, unreadable_problems
from brokerage.processor.flattened.box_map import form_map
from brokerage.processor.pdf_read import RawForm, read_form
from brokerage.schema import FORM_ID_FIELD

REFERRAL_TITLE = "Brokerage referral (Part A and Annex 1)"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_pdfium()
    return tmp_path_factory.mktemp("flattened")


@pytest.fixture(scope="module")
def filled(work: Path) -> dict[str, Path]:
    instance = richest_referral()
    return {engine: fill(engine, work, instance) for engine in ENGINES}


@pytest.fixture(scope="module")
def truth(filled: dict[str, Path]) -> dict[str, RawForm]:
    return {engine: read_form(path.read_bytes(), source=path.name) for engine, path in filled.items()}


def assert_same_values(path: Path, original: RawForm, *, marks_only: bool = False) -> None:
    read = read_flattened(path.read_bytes(), source=path.name)
    raw = as_raw_form(read)
    wrong, unread = {}, {}
    for name, field in original.fields.items():
        if name == FORM_ID_FIELD:
            continue
        box = read.boxes[name]
        if marks_only and box.kind not in ("checkbox", "radio"):
            continue
        if not box.readable:
            unread[name] = box.note
        elif raw.value(name) != field.value:
            wrong[name] = (raw.value(name), field.value)
    assert not wrong, f"{len(wrong)} boxes read wrong, e.g. {list(wrong.items())[:3]}"
    assert not unread, f"{len(unread)} boxes not read, e.g. {list(unread.items())[:3]}"


@pytest.mark.parametrize("tool", FLATTENERS)
@pytest.mark.parametrize("engine", ENGINES)
def test_flattened_copies_read_exact(engine: str, tool: str, work: Path, filled: dict[str, Path],
                                     truth: dict[str, RawForm]) -> None:
    path = flatten(tool, filled[engine], work / f"{engine}-{tool}-flat.pdf")
    read = read_flattened(path.read_bytes(), source=path.name)
    assert read.description() == f"a flattened copy of the {REFERRAL_TITLE}, form version 1.0"
    # pdftk and qpdf keep the document info; mutool convert keeps nothing but the drawing
    assert read.recognised_by == ("printed labels" if tool == "mutool" else "document marker")
    assert [m.form_page for m in read.pages] == list(range(17))
    assert not read.notes
    assert_same_values(path, truth[engine])
    ticks = [b for b in read.boxes.values() if b.kind in ("checkbox", "radio")]
    assert {b.source for b in ticks} == {Source.drawn_mark}
    # ticked boxes, chosen radio buttons and radio groups left empty (the third child's) are all there
    assert {True, "Yes", "No", None} <= {b.value for b in ticks}


def test_our_own_appearances_are_read_with_full_confidence(work: Path, filled: dict[str, Path]) -> None:
    """Our generator's wrapping is known, so every line break is told exactly (wrap or typed)."""
    path = flatten("qpdf", filled["ours"], work / "ours-qpdf-confidence.pdf")
    read = read_flattened(path.read_bytes())
    text = [b for b in read.boxes.values() if b.source is Source.flattened_text]
    assert text and all(b.confidence == 1.0 for b in text)
    address = read.boxes["part_a__children__0__address"]
    assert address.value == "12 Example Street\nLeicester\nLE1 1AA"  # typed breaks kept
    wrapped = read.boxes["part_a__children__0__sen_disability"]
    assert "\n" not in str(wrapped.value) and str(wrapped.value).endswith("tires after 10 minutes' walking.")


def test_printed_at_97_percent_with_a_5_mm_offset_still_reads(work: Path, filled: dict[str, Path],
                                                             truth: dict[str, RawForm]) -> None:
    path = printed(flatten("qpdf", filled["ours"], work / "ours-for-print.pdf"), work / "printed-97.pdf")
    read = read_flattened(path.read_bytes())
    assert read.recognised_by == "printed labels"
    transform = read.pages[0].transform
    assert transform is not None
    assert transform.sx == pytest.approx(0.97, abs=1e-3) and transform.sy == pytest.approx(0.97, abs=1e-3)
    assert transform.tx == pytest.approx(5 * 72 / 25.4, abs=0.2) and transform.ty == pytest.approx(-5 * 72 / 25.4,
                                                                                                   abs=0.2)
    assert_same_values(path, truth["ours"])


def test_without_any_marker_the_labels_still_name_every_page(work: Path, filled: dict[str, Path],
                                                            truth: dict[str, RawForm]) -> None:
    path = without_markers(flatten("pdftk", filled["pdfium"], work / "pdfium-marked.pdf"), work / "unmarked.pdf")
    read = read_flattened(path.read_bytes(), source="unmarked.pdf")
    assert read.recognised_by == "printed labels"
    assert read.description() == f"a flattened copy of the {REFERRAL_TITLE}, form version 1.0"
    assert [(m.how, m.form_page) for m in read.pages] == [("printed labels", i) for i in range(17)]
    assert_same_values(path, truth["pdfium"])


@pytest.mark.parametrize("dpi", [150, 300])
def test_scans_name_every_page_and_read_ticks_and_radios(dpi: int, work: Path, filled: dict[str, Path],
                                                        truth: dict[str, RawForm]) -> None:
    flat = flatten("qpdf", filled["ours"], work / f"ours-for-scan-{dpi}.pdf")
    path = as_scan(flat, dpi, work / f"scan-{dpi}.pdf")
    read = read_flattened(path.read_bytes(), source=path.name)
    assert read.description() == f"a scan of the {REFERRAL_TITLE}, form version 1.0"
    assert [(m.how, m.form_page) for m in read.pages] == [("picture", i) for i in range(17)]
    assert_same_values(path, truth["ours"], marks_only=True)
    original = truth["ours"]
    for name, box in read.boxes.items():
        if box.kind in ("checkbox", "radio"):
            continue
        typed = original.value(name)
        if typed:  # writing in the box: never taken as blank, never guessed
            assert not box.readable and "without OCR" in box.note, name
        else:
            assert box.readable and box.value is None, name
    problems = unreadable_problems(read)
    assert problems and all(p.rule == "flattened:unreadable" and "could not be read on the scanned copy" in
                            p.message for p in problems)


def test_a_page_of_another_form_gets_a_sentence(work: Path, filled: dict[str, Path]) -> None:
    from pypdf import PdfReader, PdfWriter

    from brokerage.generator import build_form
    from brokerage.schema import default_catalogue

    flat = flatten("qpdf", filled["ours"], work / "ours-for-mix.pdf")
    response = work / "response.pdf"
    response.write_bytes(build_form(default_catalogue().form("provider-response")))
    response_flat = flatten("qpdf", response, work / "response-flat.pdf")
    writer = PdfWriter()
    writer.append(PdfReader(str(flat)), pages=[0, 1])
    writer.append(PdfReader(str(response_flat)), pages=[0])
    mixed = work / "mixed.pdf"
    writer.write(str(mixed))
    read = read_flattened(mixed.read_bytes(), source="mixed.pdf")
    assert read.kind == "referral"
    assert read.pages[2].kind == "provider-response"
    assert (f"Page 3 of 'mixed.pdf' is a page of the Provider response (Part B) form, not of the {REFERRAL_TITLE} "
            "form; it was not read.") in read.notes
    missing = read.boxes["part_a__services__start_date"]
    assert not missing.readable and missing.page is None and "not in the file" in missing.note
    assert read.boxes["part_a__allocated_worker__name"].value == "Priya Sharma"


def test_a_pdf_that_is_not_ours_is_named_as_such(work: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = work / "letter.pdf"
    canvas = Canvas(str(path))
    for line in range(40):
        canvas.drawString(72, 800 - line * 18, f"Dear colleague, line {line} of a letter that is not a form.")
    canvas.save()
    read = read_flattened(path.read_bytes(), source="letter.pdf")
    assert read.kind is None and read.description() == "not a brokerage form"
    assert read.notes == ("'letter.pdf' has no form fields, and none of its pages is a page of a brokerage form. "
                          "Ask the sender to fill in the brokerage form itself and return that file.",)
    assert not read.boxes and not as_raw_form(read).fields


def test_values_written_outside_the_boxes_are_never_taken(work: Path, filled: dict[str, Path],
                                                          truth: dict[str, RawForm]) -> None:
    flat = flatten("qpdf", filled["ours"], work / "ours-for-overlay.pdf")
    page = form_map("referral").pages[0]
    name_box = next(b for b in page.boxes if b.name == "part_a__allocated_worker__name").rect
    reason_box = next(b for b in page.boxes if b.name == "part_a__referral__urgent_reason").rect

    def draw(canvas) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont("Helvetica", 9)
        canvas.drawString(name_box[2] - 30, name_box[1] + 5, "Sharma-Jones")  # runs out of the box
        canvas.drawString(575, 400, "see")  # in the margin, near no box
        canvas.rect(reason_box[0] + 20, reason_box[1] + 20, 30, 20, fill=1)  # drawn, not text

    path = overlay(flat, work / "outside.pdf", 0, draw)
    read = read_flattened(path.read_bytes(), source="outside.pdf")
    spilled = read.boxes["part_a__allocated_worker__name"]
    assert not spilled.readable and spilled.value is None and "past the edge" in spilled.note
    assert read.boxes["part_a__referral__urgent_reason"].readable  # it holds text: the drawing is beside it
    assert any("Page 1 has text outside the form's boxes" in note and "see" in note for note in read.notes)
    original = truth["ours"]
    raw = as_raw_form(read)
    assert all(raw.value(n) == original.value(n) for n in raw.fields if n != FORM_ID_FIELD)


def test_something_drawn_in_an_empty_box_or_a_half_tick_is_not_read(work: Path, filled: dict[str, Path]) -> None:
    flat = flatten("qpdf", filled["ours"], work / "ours-for-marks.pdf")
    pages = form_map("referral").pages
    blank = next(b for b in pages[7].boxes if b.name == "part_a__children__2__name").rect  # child 3: blank
    tick = next(b for p in pages for b in p.boxes if b.name == "part_a__services__domiciliary_care__required")

    def on_child_3(canvas) -> None:  # type: ignore[no-untyped-def]
        canvas.rect(blank[0] + 10, blank[1] + 4, 40, 8, fill=1)

    def on_tick(canvas) -> None:  # type: ignore[no-untyped-def]
        x0, y0, x1, y1 = tick.rect
        canvas.setFillGray(1)
        canvas.rect(x0 + 1, y0 + 1, x1 - x0 - 2, y1 - y0 - 2, fill=1, stroke=0)  # rub the tick out…
        canvas.setFillGray(0)
        canvas.rect((x0 + x1) / 2 - 1.5, (y0 + y1) / 2 - 0.6, 3, 1.2, fill=1, stroke=0)  # …leaving a smudge

    path = overlay(overlay(flat, work / "drawn.pdf", 7, on_child_3), work / "drawn2.pdf", tick.page, on_tick)
    read = read_flattened(path.read_bytes())
    drawn = read.boxes["part_a__children__2__name"]
    assert not drawn.readable and drawn.value is None and "not text" in drawn.note
    half = read.boxes["part_a__services__domiciliary_care__required"]
    assert not half.readable and half.value is None and half.confidence < READABLE


def test_the_values_go_through_the_same_coercion_as_the_fillable_form(work: Path, filled: dict[str, Path],
                                                                     truth: dict[str, RawForm]) -> None:
    from brokerage.processor.coerce import coerce_form
    from brokerage.processor.identify import identify
    from brokerage.processor.pipeline import extract

    path = flatten("pdftk", filled["pdftk"], work / "pdftk-for-coerce.pdf")
    raw = as_raw_form(read_flattened(path.read_bytes()))
    identity = identify(raw.form_id, raw.fields)
    assert identity.kind == "referral" and not identity.from_names
    flattened = coerce_form(extract(raw, identity), identity.kind)
    fillable = coerce_form(extract(truth["pdftk"], identity), identity.kind)
    assert flattened.instance == fillable.instance
    assert flattened.instance["part_a"]["services"]["domiciliary_care"]["term_time"]["wednesday"]["hours"] == 1.5


def test_not_a_pdf_and_a_damaged_pdf_get_sentences(work: Path) -> None:
    with pytest.raises(NotAPdfError, match=r"'notes\.txt' is not a PDF file"):
        read_flattened(b"hello", source="notes.txt")
    with pytest.raises(DamagedPdfError, match=r"'broken\.pdf' is damaged"):
        read_flattened(b"%PDF-1.7\n" + b"\x00garbage" * 50, source="broken.pdf")
