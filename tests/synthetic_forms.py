"""Small AcroForms built here with pypdf's objects, each field made to test one rule of the PDF layer.

Fields of :func:`every_kind_form`, each with what it tests:

- ``push_radio``: ``/Btn`` with both the radio and the push-button flag. Push button wins: ISO 32000-1
  table 226 says Radio "may be set only if the Pushbutton flag is clear".
- ``group.inner``: no ``/FT``, ``/Ff`` or ``/V`` of its own, under ``group`` (``/Btn``, radio,
  ``/V /B``), two buttons ``A`` and ``B``: inheritance, full names, a radio group is one field.
- ``choose.c``: a field-widget without ``/FT`` under ``choose`` (``/Ch``, combo,
  ``/Opt [[x Ex] y]``), ``/V (y)`` and a stale ``/I [0]``: inherited ``/Opt``, ``[export, label]``
  pairs, ``/V`` never ``/I``.
- ``multi``: a check box (no flags) with buttons ``One`` and ``Two``, ``/V /Two``: several
  on-states are one choice.
- ``tick``: a check box ticked with ``/On``: any on-state but ``/Off`` is ticked.
- ``sign``: a ``/Sig`` field whose ``/V`` is a signature dictionary: signed.
- ``note``: text with ``\\r\\n`` and ``\\r``, a reversed ``/Rect``, hidden and printable: line
  breaks, rectangles, annotation flags.
- ``twice`` (two fields of one name, ``first`` and ``second``): duplicates are visible.
- ``ghost``: a text field whose widget no page lists: a widget off every page.
- ``orphan``: a widget on the page whose field ``/AcroForm`` does not list: stray widgets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from brokerage.pdf import add_object, catalog, pdf_bytes

RADIO = 1 << 15
PUSH_BUTTON = 1 << 16
COMBO = 1 << 17


def _n(name: str) -> NameObject:
    return NameObject(name)


def _t(text: str) -> TextStringObject:
    return TextStringObject(text)


class FormBuilder:
    """A one-page form being built: add fields, then :meth:`bytes`."""

    def __init__(self) -> None:
        self.writer = PdfWriter()
        self.page = self.writer.add_blank_page(595, 842)
        self.page_ref = self.page.indirect_reference
        self.annots = ArrayObject()
        self.fields = ArrayObject()
        self.y = 800.0

    def add(self, obj: DictionaryObject) -> IndirectObject:
        return add_object(self.writer, obj)

    def next_rect(self) -> tuple[float, float, float, float]:
        self.y -= 30
        return (72, self.y, 172, self.y + 20)

    def appearance(self, states: Iterable[str]) -> DictionaryObject:
        normal = DictionaryObject()
        for state in states:
            stream = StreamObject()
            stream.set_data(b"0 0 m 10 10 l S")
            stream[_n("/BBox")] = ArrayObject([FloatObject(0), FloatObject(0), FloatObject(10), FloatObject(10)])
            normal[_n("/" + state)] = self.add(stream)
        return DictionaryObject({_n("/N"): normal})

    def widget(self, rect: tuple[float, float, float, float] | None = None, **entries: Any) -> DictionaryObject:
        widget = DictionaryObject(
            {
                _n("/Type"): _n("/Annot"),
                _n("/Subtype"): _n("/Widget"),
                _n("/Rect"): ArrayObject(FloatObject(v) for v in (rect or self.next_rect())),
                _n("/P"): self.page_ref,
                _n("/F"): NumberObject(4),
            }
        )
        widget.update({_n(key): value for key, value in entries.items()})
        return widget

    def place(self, widget: DictionaryObject, *, on_page: bool = True) -> IndirectObject:
        ref = self.add(widget)
        if on_page:
            self.annots.append(ref)
        return ref

    def bytes(self) -> bytes:
        self.page[_n("/Annots")] = self.annots
        catalog(self.writer)[_n("/AcroForm")] = DictionaryObject(
            {_n("/Fields"): self.fields, _n("/DA"): _t("/Helv 0 Tf 0 g")}
        )
        return pdf_bytes(self.writer)


def every_kind_form() -> bytes:
    """The form of the table above."""
    b = FormBuilder()
    # push_radio: both flags, one appearance stream
    push = b.widget(**{"/FT": _n("/Btn"), "/T": _t("push_radio"), "/Ff": NumberObject(RADIO | PUSH_BUTTON)})
    push[_n("/AP")] = DictionaryObject({_n("/N"): b.appearance(["N"])["/N"].raw_get("/N")})
    b.fields.append(b.place(push))
    # group.inner: inherits /FT /Ff /V from group
    group = DictionaryObject(
        {_n("/T"): _t("group"), _n("/FT"): _n("/Btn"), _n("/Ff"): NumberObject(RADIO), _n("/V"): _n("/B")}
    )
    group_ref = b.add(group)
    inner = DictionaryObject({_n("/T"): _t("inner"), _n("/Parent"): group_ref})
    inner_ref = b.add(inner)
    kids = ArrayObject()
    for state in ("A", "B"):
        button = b.widget(**{"/Parent": inner_ref, "/AS": _n("/B" if state == "B" else "/Off")})
        button[_n("/AP")] = b.appearance([state, "Off"])
        kids.append(b.place(button))
    inner[_n("/Kids")] = kids
    group[_n("/Kids")] = ArrayObject([inner_ref])
    b.fields.append(group_ref)
    # choose.c: inherits /FT /Ff /Opt; stale /I
    choose = DictionaryObject(
        {
            _n("/T"): _t("choose"),
            _n("/FT"): _n("/Ch"),
            _n("/Ff"): NumberObject(COMBO),
            _n("/Opt"): ArrayObject([ArrayObject([_t("x"), _t("Ex")]), _t("y")]),
        }
    )
    choose_ref = b.add(choose)
    chosen = b.widget(**{"/T": _t("c"), "/Parent": choose_ref, "/V": _t("y"), "/I": ArrayObject([NumberObject(0)]),
                         "/DA": _t("/Helv 0 Tf 0 g")})
    choose[_n("/Kids")] = ArrayObject([b.place(chosen)])
    b.fields.append(choose_ref)
    # multi: a check box with two on-states
    multi = DictionaryObject({_n("/T"): _t("multi"), _n("/FT"): _n("/Btn"), _n("/Ff"): NumberObject(0),
                              _n("/V"): _n("/Two")})
    multi_ref = b.add(multi)
    kids = ArrayObject()
    for state in ("One", "Two"):
        button = b.widget(**{"/Parent": multi_ref, "/AS": _n("/Two" if state == "Two" else "/Off")})
        button[_n("/AP")] = b.appearance([state, "Off"])
        kids.append(b.place(button))
    multi[_n("/Kids")] = kids
    b.fields.append(multi_ref)
    # tick: ticked with /On
    tick = b.widget(**{"/FT": _n("/Btn"), "/T": _t("tick"), "/V": _n("/On"), "/AS": _n("/On")})
    tick[_n("/AP")] = b.appearance(["On", "Off"])
    b.fields.append(b.place(tick))
    # sign: signed
    sign = b.widget(**{"/FT": _n("/Sig"), "/T": _t("sign"),
                       "/V": DictionaryObject({_n("/Type"): _n("/Sig"), _n("/Filter"): _n("/Adobe.PPKLite")})})
    b.fields.append(b.place(sign))
    # note: CRLF/CR, reversed rect, hidden + print
    note = b.widget((300, 700, 100, 650), **{"/FT": _n("/Tx"), "/T": _t("note"), "/V": _t("one\r\ntwo\rthree"),
                                            "/F": NumberObject(2 | 4), "/DA": _t("/Helv 0 Tf 0 g")})
    b.fields.append(b.place(note))
    # twice: two fields with one name
    for value in ("first", "second"):
        twice = b.widget(**{"/FT": _n("/Tx"), "/T": _t("twice"), "/V": _t(value), "/DA": _t("/Helv 0 Tf 0 g")})
        b.fields.append(b.place(twice))
    # ghost: a field whose widget is on no page
    ghost = b.widget(**{"/FT": _n("/Tx"), "/T": _t("ghost"), "/V": _t("unseen"), "/DA": _t("/Helv 0 Tf 0 g")})
    b.fields.append(b.place(ghost, on_page=False))
    # orphan: a widget on the page under a field /AcroForm does not list
    lost = DictionaryObject({_n("/T"): _t("orphan"), _n("/FT"): _n("/Tx"), _n("/V"): _t("not read")})
    lost_ref = b.add(lost)
    orphan = b.widget(**{"/Parent": lost_ref, "/DA": _t("/Helv 0 Tf 0 g")})
    lost[_n("/Kids")] = ArrayObject([b.place(orphan)])
    return b.bytes()


def nested_form(depth: int) -> bytes:
    """A text field ``depth`` levels below ``/Fields`` (``l0.l1.…``)."""
    b = FormBuilder()
    parent_ref: IndirectObject | None = None
    top: IndirectObject | None = None
    for level in range(depth):
        node = DictionaryObject({_n("/T"): _t(f"l{level}")})
        if parent_ref is not None:
            node[_n("/Parent")] = parent_ref
        ref = b.add(node)
        if parent_ref is not None:
            parent_ref.get_object()[_n("/Kids")] = ArrayObject([ref])
        top = top or ref
        parent_ref = ref
    assert parent_ref is not None and top is not None
    leaf = parent_ref.get_object()
    leaf.update(b.widget(**{"/FT": _n("/Tx"), "/V": _t("deep")}))
    b.annots.append(parent_ref)
    b.fields.append(top)
    return b.bytes()


def shared_field_form() -> bytes:
    """One text field listed twice in ``/Fields``: reached twice, but no loop."""
    b = FormBuilder()
    field = b.widget(**{"/FT": _n("/Tx"), "/T": _t("once"), "/V": _t("here")})
    ref = b.place(field)
    b.fields.extend([ref, ref])
    return b.bytes()
