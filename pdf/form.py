"""A filled form as plain values: every terminal field with its kind, value, options and widgets
(page, rectangle, flags), the document information and the page boxes.

Nothing returned holds a pypdf object, so a batch can keep the results of many files while each
reader is let go (PERFORMANCE.md). This module and :mod:`brokerage.pdf.reader` are what a change
of reading backend (pikepdf) would replace; callers see the same values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntFlag
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, StreamObject

from brokerage.pdf._pypdf_compat import catalog
from brokerage.pdf.fields import (
    MAX_DEPTH,
    FieldKind,
    FieldNode,
    choice_options,
    full_name,
    object_key,
    on_states,
    page_widgets,
    parent_chain,
    walk_fields,
)
from brokerage.pdf.objects import Rect, integer, is_dictionary, rectangle, resolve, text_value
from brokerage.pdf.reader import RETURNED_FORM, Advice, open_pdf, reading


class AnnotationFlag(IntFlag):
    """Annotation flags (``/F``), ISO 32000-1 table 165."""

    invisible = 1 << 0
    hidden = 1 << 1
    print = 1 << 2
    no_zoom = 1 << 3
    no_rotate = 1 << 4
    no_view = 1 << 5
    read_only = 1 << 6
    locked = 1 << 7
    toggle_no_view = 1 << 8
    locked_contents = 1 << 9


@dataclass(frozen=True)
class Widget:
    """Where a field shows: one widget annotation."""

    page: int | None
    """1-based page whose ``/Annots`` list it (the first such page), ``None`` when no page does."""
    rect: Rect | None
    """``/Rect`` normalised (``x0 <= x1``, ``y0 <= y1``), ``None`` when missing or not four numbers."""
    flags: int = 0
    """The annotation flags ``/F`` (bits of :class:`AnnotationFlag`)."""
    on_state: str | None = None
    """A button widget's on-state (``Yes``, or a radio button's option), ``None`` for other kinds."""

    @property
    def hidden(self) -> bool:
        return bool(self.flags & AnnotationFlag.hidden)

    @property
    def invisible(self) -> bool:
        return bool(self.flags & AnnotationFlag.invisible)

    @property
    def no_view(self) -> bool:
        return bool(self.flags & AnnotationFlag.no_view)

    @property
    def printable(self) -> bool:
        return bool(self.flags & AnnotationFlag.print)

    @property
    def shown(self) -> bool:
        """On a page, not hidden, not kept off the screen, and with an area."""
        if self.page is None or self.hidden or self.no_view or self.rect is None:
            return False
        x0, y0, x1, y1 = self.rect
        return x1 > x0 and y1 > y0


@dataclass(frozen=True)
class Field:
    """One terminal field as plain values."""

    name: str
    """Full name: partial names joined with ``.``."""
    kind: FieldKind
    value: str | bool | None
    """As :func:`brokerage.pdf.fields.field_value` reads ``/V``."""
    flags: int = 0
    """The field flags ``/Ff``, inherited (bits of :class:`~brokerage.pdf.fields.FieldFlag`)."""
    max_length: int | None = None
    options: tuple[str, ...] = ()
    """Export values of a choice field, or the on-states of a radio group's (or check box's) widgets."""
    option_labels: tuple[str, ...] = ()
    """What a choice field shows for each option (its export value unless ``/Opt`` gives a label)."""
    tooltip: str | None = None
    """``/TU``: the question as a screen reader says it."""
    widgets: tuple[Widget, ...] = ()

    @property
    def page(self) -> int | None:
        """The first page with a widget of the field, ``None`` when none is on a page."""
        pages = [w.page for w in self.widgets if w.page is not None]
        return min(pages) if pages else None


@dataclass(frozen=True)
class StrayWidget:
    """A widget on a page that belongs to no field under ``/AcroForm``: a reader of the fields never
    sees what it shows."""

    name: str
    """The full name its ``/Parent`` chain gives (``""`` when it has none)."""
    widget: Widget


@dataclass(frozen=True)
class PdfForm:
    """Everything the toolkit reads from a PDF form, as plain values."""

    fields: tuple[Field, ...]
    """Every terminal field in form order. Two fields with one full name are both here."""
    page_count: int
    page_boxes: tuple[Rect | None, ...] = ()
    """Each page's crop box (the visible area), normalised."""
    info: Mapping[str, str] = field(default_factory=dict)
    """The document information dictionary's text entries (``/Title``, ``/BrokerageForm``…)."""
    stray_widgets: tuple[StrayWidget, ...] = ()
    xfa_datasets: bytes | None = None
    """The XML of the ``datasets`` packet of ``/AcroForm /XFA`` (the values an XFA-aware viewer shows
    instead of the fields'), ``None`` when the form has no XFA; ``b""`` when it has XFA but no
    datasets packet (or one that cannot be read)."""

    def by_name(self) -> dict[str, Field]:
        """Fields by full name; of two fields with one name the later one, at the first one's place."""
        out: dict[str, Field] = {}
        for item in self.fields:
            out[item.name] = item
        return out

    @property
    def duplicates(self) -> tuple[str, ...]:
        """Full names that more than one field has, in form order."""
        counts = Counter(item.name for item in self.fields)
        return tuple(name for name in counts if counts[name] > 1)


def _widget(widget: DictionaryObject, page: int | None, kind: FieldKind) -> Widget:
    states = on_states(widget) if kind in (FieldKind.checkbox, FieldKind.radio) else []
    return Widget(
        page=page,
        rect=rectangle(widget.get("/Rect")),
        flags=integer(widget.get("/F")),
        on_state=states[0] if states else None,
    )


def _field(node: FieldNode, widgets: list[Widget]) -> Field:
    kind = node.kind
    options: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    if kind is FieldKind.choice:
        options, labels = choice_options(node.inherited.get("/Opt"))
    elif kind in (FieldKind.radio, FieldKind.checkbox):
        options = node.on_states
    max_length = resolve(node.inherited.get("/MaxLen"))
    return Field(
        name=node.name,
        kind=kind,
        value=node.value,
        flags=node.flags,
        max_length=None if max_length is None else int(max_length),
        options=options,
        option_labels=labels,
        tooltip=text_value(node.field.get("/TU")),
        widgets=tuple(widgets),
    )


def _inherited(page: Any, key: str) -> Any:
    """A page attribute, from the page or the nearest page-tree node above it that has it."""
    node = page
    for _ in range(MAX_DEPTH):
        if not is_dictionary(node):
            return None
        if key in node:
            return node.get(key)
        node = resolve(node.get("/Parent"))
    return None


def _page_box(page: Any) -> Rect | None:
    """The page's crop box (its visible area), which defaults to its media box; both are inherited."""
    return rectangle(_inherited(page, "/CropBox")) or rectangle(_inherited(page, "/MediaBox"))


def _info(document: PdfReader) -> dict[str, str]:
    info = document.metadata
    out: dict[str, str] = {}
    for key, value in (info or {}).items():
        value = resolve(value)
        if isinstance(value, (str, bytes)) and (text := text_value(value)) is not None:
            out[str(key)] = text
    return out


MAX_XFA_BYTES = 8 * 1024 * 1024
"""The most of an XFA ``datasets`` packet read (decompressed); a larger one reads as ``b""``."""


def _xfa_datasets(document: PdfReader | PdfWriter) -> bytes | None:
    """The ``datasets`` packet of the form's XFA (a stream, or an array of name/stream pairs)."""
    acroform = resolve(catalog(document).get("/AcroForm"))
    if not is_dictionary(acroform) or "/XFA" not in acroform:
        return None
    xfa = resolve(acroform.get("/XFA"))
    packets: list[tuple[str, Any]] = []
    if isinstance(xfa, list):
        for index in range(0, len(xfa) - 1, 2):
            packets.append((str(resolve(xfa[index])), resolve(xfa[index + 1])))
    elif isinstance(xfa, StreamObject):
        packets.append(("", xfa))
    chunks: list[bytes] = []
    for name, stream in packets:
        if not isinstance(stream, StreamObject) or (name and name != "datasets"):
            continue
        data = stream.get_data()
        if len(data) > MAX_XFA_BYTES:
            return b""
        chunks.append(data)
    return b"".join(chunks)


def form_of(document: PdfReader | PdfWriter) -> PdfForm:
    """The form in an opened document as plain values (for a caller that holds a reader anyway).

    Raises what pypdf raises for a broken object, and :class:`~brokerage.pdf.reader.FieldTreeError`
    or :class:`~brokerage.pdf.reader.TooManyFieldsError`: call it inside
    :func:`~brokerage.pdf.reader.reading` to get sentences. :func:`read_pdf_form` does both.
    """
    nodes = list(walk_fields(catalog(document)))
    owner = {object_key(node.field): index for index, node in enumerate(nodes)}
    listed = {object_key(w): (index, position) for index, node in enumerate(nodes) for position, w in
              enumerate(node.widgets)}
    pages: list[list[int | None]] = [[None] * len(node.widgets) for node in nodes]
    extra: list[list[Widget]] = [[] for _ in nodes]
    stray: list[StrayWidget] = []
    boxes = [_page_box(page) for page in document.pages]
    placed: set[tuple[Any, ...]] = set()
    for number, annot, widget in page_widgets(document):
        key = object_key(annot)
        if key in placed:
            continue
        placed.add(key)
        if key in listed:  # a widget of a field the walk found (and whose /Parent chain it followed)
            index, position = listed[key]
            pages[index][position] = number
            continue
        # a widget the field tree does not list: its /Parent chain says whose it is (a loop is damage)
        chain = list(parent_chain(annot))
        index = next((owner[k] for k in map(object_key, chain) if k in owner), None)
        if index is None:
            stray.append(StrayWidget(full_name(annot), _widget(widget, number, FieldKind.text)))
        else:
            extra[index].append(_widget(widget, number, nodes[index].kind))
    fields = []
    for index, node in enumerate(nodes):
        kind = node.kind
        widgets = [_widget(w, page, kind) for w, page in zip(node.widgets, pages[index], strict=True)]
        fields.append(_field(node, widgets + extra[index]))
    info = _info(document) if isinstance(document, PdfReader) else {}
    return PdfForm(
        fields=tuple(fields),
        page_count=len(boxes),
        page_boxes=tuple(boxes),
        info=info,
        stray_widgets=tuple(stray),
        xfa_datasets=_xfa_datasets(document),
    )


def field_names_by_page(document: PdfReader | PdfWriter) -> list[set[str]]:
    """For each page, the full names (by their ``/Parent`` chains) of the widgets it lists."""
    out: list[set[str]] = [set() for _ in document.pages]
    for number, annot, _widget in page_widgets(document):
        name = full_name(annot)
        if name:
            out[number - 1].add(name)
    return out


def read_pdf_form(
    data: bytes, *, source: str = "", advice: Advice = RETURNED_FORM, max_bytes: int | None = None
) -> PdfForm:
    """Open the PDF in ``data`` and read its form as plain values; the reader is let go.

    Raises the errors of :func:`~brokerage.pdf.reader.open_pdf`, and while reading
    :class:`~brokerage.errors.DamagedPdfError` (a broken object, a loop in ``/Kids`` or ``/Parent``)
    or :class:`~brokerage.errors.TooLargeError` (a bomb, a flood of fields), each with a sentence
    naming ``source``. A PDF without fields gives a form with none: what that means is the caller's.
    """
    document = open_pdf(data, source=source, advice=advice, max_bytes=max_bytes)
    with reading(source, advice):
        return form_of(document)
