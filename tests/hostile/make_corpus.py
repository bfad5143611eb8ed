"""Make the hostile corpus of issue 14: small files, each built to attack one promise of the processor.

Run ``python tests/hostile/make_corpus.py`` from the checkout to write the PDFs beside this script
(the same bytes every run: ``/ID`` drawn from the file's name, no dates). ``tests/hostile/README.md``
lists each file, how it is made, what it attacks and the verdict the processor must give;
``tests/test_hostile.py`` holds the processor to those verdicts. Things a file cannot carry in git
(names that are not UTF-8, links, named pipes) are made by the tests themselves, with the same
builders.

Every file starts from one of our forms filled by the generator's filler (``tests/pipeline_inputs``)
and is then changed with pypdf, the way an attacker with a PDF library would.
"""

from __future__ import annotations

import io
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/: pipeline_inputs

from pipeline_inputs import example, form_pdf, with_values  # noqa: E402
from pypdf import PdfReader, PdfWriter  # noqa: E402
from pypdf.generic import (  # noqa: E402
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from brokerage.pdf import add_object, catalog, stamped_bytes  # noqa: E402

HOSTILE_SCRIPT = "app.alert('hostile script ran')"
HOSTILE_URI = "https://hostile.example/steal"
HOSTILE_FILE = "hostile-attachment.txt"
HOSTILE_NOTE = "hostile sticky note"
HOSTILE_XMP = "hostile-xmp-packet"
HOSTILE_PIECE = "hostile-piece-info"
HOSTILE_MARKERS = (HOSTILE_SCRIPT, HOSTILE_URI, HOSTILE_FILE, HOSTILE_NOTE, HOSTILE_XMP, HOSTILE_PIECE)
"""Strings only the hostile objects hold: none may be found in any output the service files or sends."""
CHILD_NAME = "Zoë Łukasz-O’Brien Nguyễn"
"""The first child's name in ``tests/examples/referral-summer-scheme.json``."""
DECOY_NAME = "Decoy Child"


# --- pypdf helpers ------------------------------------------------------------------------------


def _writer(pdf: bytes) -> PdfWriter:
    return PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))


def _done(writer: PdfWriter, name: str, info: dict[str, str] | None = None) -> bytes:
    kept = {"/BrokerageForm": str(writer.metadata.get("/BrokerageForm"))} if writer.metadata else {}
    return stamped_bytes(writer, f"hostile:{name}", {**kept, **(info or {})})


def _fields(writer: PdfWriter) -> Iterator[DictionaryObject]:
    for ref in catalog(writer)["/AcroForm"]["/Fields"]:
        yield ref.get_object()


def _field(writer: PdfWriter, name: str) -> DictionaryObject:
    return next(f for f in _fields(writer) if f.get("/T") == name)


def _stream(writer: PdfWriter, data: bytes, **entries: Any) -> Any:
    stream = StreamObject()
    stream._data = data
    for key, value in entries.items():
        stream[NameObject(key)] = value
    return add_object(writer, stream)


def _js(writer: PdfWriter, script: str = HOSTILE_SCRIPT) -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(script)})


def _annot(writer: PdfWriter, page: int, entries: dict[str, Any]) -> None:
    annot = DictionaryObject({NameObject("/Type"): NameObject("/Annot")})
    for key, value in entries.items():
        annot[NameObject(key)] = value
    target = writer.pages[page]
    if "/Annots" not in target:
        target[NameObject("/Annots")] = ArrayObject()
    target["/Annots"].append(add_object(writer, annot))


def _rect(*numbers: float) -> ArrayObject:
    return ArrayObject([FloatObject(n) for n in numbers])


def _xfa(writer: PdfWriter, data_xml: str) -> None:
    template = (
        '<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="form1">'
        f'<event activity="initialize"><script contentType="application/x-javascript">{HOSTILE_SCRIPT}</script>'
        "</event></subform></template>"
    )
    datasets = (
        '<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data>'
        f"<form1>{data_xml}</form1></xfa:data></xfa:datasets>"
    )
    packets = ArrayObject()
    for name, xml in (("template", template), ("datasets", datasets)):
        packets.append(TextStringObject(name))
        packets.append(_stream(writer, xml.encode("utf-8")))
    catalog(writer)["/AcroForm"][NameObject("/XFA")] = packets


# --- the corpus ---------------------------------------------------------------------------------


def referral() -> bytes:
    return form_pdf(example("referral-summer-scheme"))


def everything_hostile(pdf: bytes, name: str) -> bytes:
    """A form that passes every check, carrying every kind of active or hidden content a PDF can hold:
    document, page and field JavaScript (``/OpenAction``, ``/AA``), ``/Launch`` and ``/URI`` links, an XFA
    packet with a script (its data agreeing with the fields), an embedded file in ``/Names`` and a
    file-attachment annotation, a sticky note, page XMP metadata and ``/PieceInfo``."""
    writer = _writer(pdf)
    root = catalog(writer)
    root[NameObject("/OpenAction")] = _js(writer)
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _js(writer)})
    page[NameObject("/Metadata")] = _stream(
        writer, f"<x:xmpmeta xmlns:x='adobe:ns:meta/'>{HOSTILE_XMP}</x:xmpmeta>".encode(),
        **{"/Type": NameObject("/Metadata"), "/Subtype": NameObject("/XML")},
    )
    page[NameObject("/PieceInfo")] = DictionaryObject(
        {NameObject("/Hostile"): DictionaryObject({NameObject("/Private"): TextStringObject(HOSTILE_PIECE)})}
    )
    for field in _fields(writer):
        if field.get("/FT") == "/Tx":
            field[NameObject("/AA")] = DictionaryObject(
                {NameObject("/K"): _js(writer), NameObject("/F"): _js(writer)}
            )
            break
    uri = DictionaryObject({NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject(HOSTILE_URI)})
    launch = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")})
    _annot(writer, 0, {"/Subtype": NameObject("/Link"), "/Rect": _rect(10, 10, 60, 30), "/A": uri})
    _annot(writer, 0, {"/Subtype": NameObject("/Link"), "/Rect": _rect(70, 10, 120, 30), "/A": launch})
    attached = _stream(writer, b"hostile payload", **{"/Type": NameObject("/EmbeddedFile")})
    spec = DictionaryObject({
        NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject(HOSTILE_FILE),
        NameObject("/EF"): DictionaryObject({NameObject("/F"): attached}),
    })
    _annot(writer, 0, {
        "/Subtype": NameObject("/FileAttachment"), "/Rect": _rect(130, 10, 150, 30), "/FS": spec,
        "/Contents": TextStringObject(HOSTILE_FILE),
    })
    root[NameObject("/Names")] = DictionaryObject({
        NameObject("/EmbeddedFiles"): DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject(HOSTILE_FILE), add_object(writer, spec)])}
        ),
        NameObject("/JavaScript"): DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("hostile"), add_object(writer, _js(writer))])}
        ),
    })
    _annot(writer, 0, {
        "/Subtype": NameObject("/Text"), "/Rect": _rect(160, 10, 180, 30), "/Contents": TextStringObject(HOSTILE_NOTE),
    })
    _xfa(writer, "")  # a script and no data: nothing disagrees with the fields
    return _done(writer, name)


def hidden_duplicate() -> bytes:
    """A second field named like the first child's name box, 1×1 and hidden, holding another name."""
    writer = _writer(referral())
    original = _field(writer, "part_a__children__0__name")
    twin = DictionaryObject({
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("part_a__children__0__name"),
        NameObject("/V"): TextStringObject(DECOY_NAME), NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Widget"), NameObject("/Rect"): _rect(0, 0, 1, 1),
        NameObject("/F"): NumberObject(2), NameObject("/P"): original["/P"],
    })
    ref = add_object(writer, twin)
    catalog(writer)["/AcroForm"]["/Fields"].append(ref)
    original["/P"].get_object()["/Annots"].append(ref)
    return _done(writer, "hidden-duplicate")


def _with_widget(change: Callable[[DictionaryObject], None], name: str, field: str) -> bytes:
    writer = _writer(referral())
    change(_field(writer, field))
    return _done(writer, name)


def hidden_box() -> bytes:
    """The first child's school box flagged hidden: viewers show nothing, the field holds a value."""
    return _with_widget(
        lambda w: w.__setitem__(NameObject("/F"), NumberObject(2 | 4)), "hidden-box", "part_a__children__0__school"
    )


def off_page_box() -> bytes:
    """The first child's school box moved off the page (x beyond the page's width)."""
    return _with_widget(
        lambda w: w.__setitem__(NameObject("/Rect"), _rect(5000, 5000, 5200, 5020)), "off-page-box",
        "part_a__children__0__school",
    )


def xfa_differs() -> bytes:
    """An XFA packet whose data names another child: XFA-aware viewers show that name."""
    writer = _writer(referral())
    _xfa(writer, f"<part_a__children__0__name>{DECOY_NAME}</part_a__children__0__name>")
    return _done(writer, "xfa-differs")


def huge_index() -> bytes:
    """A field named for child number 10^12 + 1 (the form has room for 3): a reader that sizes a list
    by it needs terabytes."""
    writer = _writer(referral())
    original = _field(writer, "part_a__children__0__school")
    name = "part_a__children__1000000000000__name"
    extra = DictionaryObject({
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject(name),
        NameObject("/V"): TextStringObject(DECOY_NAME), NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Widget"), NameObject("/Rect"): _rect(300, 10, 400, 30),
        NameObject("/P"): original["/P"],
    })
    ref = add_object(writer, extra)
    catalog(writer)["/AcroForm"]["/Fields"].append(ref)
    original["/P"].get_object()["/Annots"].append(ref)
    return _done(writer, "huge-index")


def deep_kids(depth: int = 500) -> bytes:
    """A widget 500 ``/Kids`` deep under one field (the walk stops at 32 levels)."""
    writer = _writer(referral())
    fields = catalog(writer)["/AcroForm"]["/Fields"]
    top = DictionaryObject({NameObject("/T"): TextStringObject("deep")})
    top_ref = add_object(writer, top)
    node, node_ref = top, top_ref
    for level in range(depth):
        child = DictionaryObject({NameObject("/T"): TextStringObject(f"k{level}"), NameObject("/Parent"): node_ref})
        child_ref = add_object(writer, child)
        node[NameObject("/Kids")] = ArrayObject([child_ref])
        node, node_ref = child, child_ref
    node[NameObject("/FT")] = NameObject("/Tx")
    node[NameObject("/V")] = TextStringObject("deep value")
    fields.append(top_ref)
    return _done(writer, "deep-kids")


def control_characters() -> bytes:
    """ESC, BEL and a vertical tab typed into boxes (a date, a name, free text): the summary, letters
    and terminal must show them harmlessly."""
    data = with_values(example("referral-summer-scheme"), {
        "/part_a/children/0/school": "Oak\x07 School \x1b[31mred\x1b[0m",
        "/part_a/services/short_break/additional_notes": "Line one\x0bline two (Shift+Enter in Word)\x00",
    })
    pdf = form_pdf(data)
    writer = _writer(pdf)
    _field(writer, "part_a__children__0__date_of_birth")[NameObject("/V")] = TextStringObject("\x1b[2J01/02/2015")
    return _done(writer, "control-characters")


def long_text(size: int = 250_000) -> bytes:
    """250 KB of capitalised words in a free-text box: the names rule was quadratic (43 s at 200 KB)."""
    words = " ".join(f"and Q{n:06d}" for n in range(size // 11))
    data = with_values(example("referral-summer-scheme"), {"/part_a/services/short_break/additional_notes": words})
    return form_pdf(data)


def huge_name(size: int = 5_000_000) -> bytes:
    """A 5 MB name: it reached the return letter."""
    writer = _writer(referral())
    _field(writer, "part_a__children__0__name")[NameObject("/V")] = TextStringObject("N" * size)
    return _done(writer, "huge-name")


def other_parts_on_part_a_page() -> bytes:
    """An Annex 1 box moved onto page 1 (a Part A page) and a Part B box added there: splitting the
    received file into Part A and Annex 1 failed for ever."""
    writer = _writer(referral())
    moved = _field(writer, "annex_1__children__0__name")
    old_page = moved["/P"].get_object()
    old_page[NameObject("/Annots")] = ArrayObject(a for a in old_page["/Annots"] if a.get_object() is not moved)
    first = writer.pages[0]
    moved[NameObject("/P")] = first.indirect_reference
    moved[NameObject("/Rect")] = _rect(300, 40, 500, 58)
    first["/Annots"].append(moved.indirect_reference)
    part_b = DictionaryObject({
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("part_b__provider__name"),
        NameObject("/V"): TextStringObject("A provider"), NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Widget"), NameObject("/Rect"): _rect(300, 60, 500, 78),
        NameObject("/P"): first.indirect_reference,
    })
    ref = add_object(writer, part_b)
    catalog(writer)["/AcroForm"]["/Fields"].append(ref)
    first["/Annots"].append(ref)
    return _done(writer, "other-parts-on-part-a-page")


def blank_form_of(kind: str) -> bytes:
    from pipeline_inputs import blank

    return blank(kind)


def other_kind_form_id() -> bytes:
    """A referral whose embedded form id says it is a provider response."""
    from pipeline_inputs import with_form_id

    return with_form_id(referral(), "provider-response 1.0")


def flate_bomb_name() -> bytes:
    """The child's name as a Flate stream that expands to 100 MB."""
    writer = _writer(referral())
    bomb = StreamObject()
    bomb._data = zlib.compress(bytes(100_000_000), 9)
    bomb[NameObject("/Filter")] = NameObject("/FlateDecode")
    _field(writer, "part_a__children__0__name")[NameObject("/V")] = add_object(writer, bomb)
    return _done(writer, "flate-bomb-name")


def response_everything_hostile() -> bytes:
    from pipeline_inputs import fillable

    return everything_hostile(form_pdf(fillable(example("provider-response"))), "response-everything-hostile")


CORPUS: dict[str, Callable[[], bytes]] = {
    "everything-hostile-referral.pdf": lambda: everything_hostile(referral(), "everything-hostile-referral"),
    "everything-hostile-response.pdf": response_everything_hostile,
    "hidden-duplicate.pdf": hidden_duplicate,
    "hidden-box.pdf": hidden_box,
    "off-page-box.pdf": off_page_box,
    "xfa-differs.pdf": xfa_differs,
    "huge-index.pdf": huge_index,
    "deep-kids.pdf": deep_kids,
    "control-characters.pdf": control_characters,
    "long-text.pdf": long_text,
    "huge-name.pdf": huge_name,
    "blank-provider-response.pdf": lambda: blank_form_of("provider-response"),
    "blank-ipa.pdf": lambda: blank_form_of("ipa"),
    "referral-says-provider-response.pdf": other_kind_form_id,
    "other-parts-on-part-a-page.pdf": other_parts_on_part_a_page,
    "flate-bomb-name.pdf": flate_bomb_name,
}
"""File name → its maker (the README's table says what each attacks and its verdict)."""
MADE_BY_THE_TESTS = frozenset({"long-text.pdf", "huge-name.pdf"})
"""Too large to keep in git (1.6 MB and 5 MB): the tests make them with their maker when they need them."""


def main() -> None:
    for name, make in CORPUS.items():
        if name in MADE_BY_THE_TESTS and "--all" not in sys.argv:
            (HERE / name).unlink(missing_ok=True)
            continue
        data = make()
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
