"""Flowing documents: read-only A4 PDFs made from data, where a long answer flows over as many pages
as it needs instead of shrinking in a fixed box.

A :class:`FlowingDocument` is a title, a few words for every page (a running line at the top, a footer)
and a list of blocks: headings (from the schema's sections), fields (a box's label and its value),
lists, grids (timetables, holiday dates) and notes. :func:`render_flowing` lays them out with
reportlab's platypus in the forms' embedded font (DejaVu Sans, so "Zoë Łukasz-O’Brien Nguyễn" prints
as typed), with headings as bookmarks, ``/Lang``, the title shown by viewers, "Page n of m", chosen
document-information keys and nothing else (no dates). The same document gives the same bytes.

reportlab writes no structure tree, so the file is not a tagged PDF; what a screen reader gets is the
text in reading order, the title, the language and the bookmarks.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFInfo, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from brokerage import __version__
from brokerage.generator.font import REPORTLAB_NAME, reportlab_font
from brokerage.schema import DOCUMENT_INFO_KEY as DOCUMENT_INFO_KEY  # the one output marker, re-exported

PRODUCER = f"brokerage-forms {__version__}"
BLANK = "–"
"""What an empty box prints as."""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2
    """1 (the document's parts), 2 (sections), 3 and 4 (sub-sections, repeated items and what is inside them)."""


@dataclass(frozen=True)
class Field:
    label: str
    value: str
    """As printed; line breaks kept; empty prints as :data:`BLANK`."""


@dataclass(frozen=True)
class Items:
    label: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Grid:
    label: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = "None given."
    """Printed instead of the table when it has no rows."""


@dataclass(frozen=True)
class Note:
    text: str
    strong: bool = False
    """Printed in a coloured box (the urgent line, what to do)."""


Block = Heading | Field | Items | Grid | Note


@dataclass(frozen=True)
class FlowingDocument:
    title: str
    blocks: tuple[Block, ...]
    subject: str = ""
    author: str = "Brokerage service"
    running: str = ""
    """Printed at the top of every page (a marking, the reference)."""
    footer: str = ""
    """Printed at the foot of every page, left of "Page n of m"."""
    info: Mapping[str, str] = field(default_factory=dict)
    """Extra document-information keys, e.g. ``{"/BrokerageDocument": "provider-referral BRK-2026-0001"}``."""
    lang: str = "en-GB"


def texts(document: FlowingDocument) -> Iterator[str]:
    """Every piece of text the rendered file holds as words: for searching it before it is written."""
    yield from (document.title, document.subject, document.author, document.running, document.footer)
    yield from document.info.values()
    for block in document.blocks:
        if isinstance(block, Heading | Note):
            yield block.text
        elif isinstance(block, Field):
            yield from (block.label, block.value)
        elif isinstance(block, Items):
            yield block.label
            yield from block.items
        elif isinstance(block, Grid):
            yield from (block.label, block.empty, *block.header)
            for row in block.rows:
                yield from row


NAVY = colors.HexColor("#1F3A5F")
GREY_HEX = "#4D4D4D"
GREY = colors.HexColor(GREY_HEX)
RED = colors.HexColor("#8A1C1C")
PAGE = A4
MARGIN = 18 * mm


@cache
def _styles() -> dict[str, ParagraphStyle]:
    font = reportlab_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=14, spaceAfter=0)
    return {
        "title": ParagraphStyle("title", parent=body, fontSize=18, leading=23, textColor=NAVY, spaceAfter=6),
        "h1": ParagraphStyle("h1", parent=body, fontSize=15, leading=19, textColor=NAVY, spaceBefore=10,
                             spaceAfter=4, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontSize=13, leading=17, textColor=NAVY, spaceBefore=8,
                             spaceAfter=3, keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=body, fontSize=11.5, leading=15, textColor=NAVY, spaceBefore=6,
                             spaceAfter=2, keepWithNext=1),
        "h4": ParagraphStyle("h4", parent=body, fontSize=10.5, leading=14, textColor=NAVY, spaceBefore=5,
                             spaceAfter=1, keepWithNext=1),
        "label": ParagraphStyle("label", parent=body, fontSize=9, leading=11.5, textColor=GREY, spaceBefore=5,
                                spaceAfter=1, keepWithNext=1),
        "body": body,
        "field": ParagraphStyle("field", parent=body, spaceBefore=6),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        "strong": ParagraphStyle("strong", parent=body, fontSize=11.5, leading=15, textColor=RED),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _value(text: str, style: ParagraphStyle) -> list[Flowable]:
    """A value as paragraphs, one per line, so a long answer splits across pages line by line (and a
    very long line splits too: a paragraph breaks at page ends, and long words at the margin)."""
    return _paragraphs(_lines(text), style)


def _paragraphs(lines: list[str], style: ParagraphStyle) -> list[Flowable]:
    out: list[Flowable] = []
    for line in lines:
        out.append(_p(line, style) if line.strip() else Spacer(1, style.leading / 2))
    return out


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if text.strip() else [BLANK]


def _field(block: Field, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The label and the first line of the value in one paragraph, so a label never ends a page alone and
    a long first line starts under its label on the same page; further lines follow as paragraphs."""
    first, *rest = _lines(block.value)
    label = styles["label"]
    opening = Paragraph(f'<font size="{label.fontSize}" color="{GREY_HEX}">{escape(block.label)}</font><br/>'
                        f"{escape(first)}", styles["field"])
    while rest and not rest[-1].strip():
        rest.pop()
    return [opening, *_paragraphs(rest, styles["body"])]


class _Bookmark(Paragraph):
    """A heading paragraph that adds itself to the outline when drawn."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str) -> None:
        super().__init__(escape(text), style)
        self._outline = (text, level, key)

    def draw(self) -> None:
        text, level, key = self._outline
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        super().draw()


def _grid(block: Grid, styles: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    label = _p(block.label, styles["label"])  # keepWithNext: the label stays with the table's first rows
    if not block.rows:
        return [label, _p(block.empty, styles["body"])]
    cell = styles["cell"]
    data = [[_p(h, cell) for h in block.header]] + [[_p(v or "", cell) for v in row] for row in block.rows]
    table = Table(data, colWidths=[width / len(block.header)] * len(block.header), repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REPORTLAB_NAME),  # else reportlab names Helvetica, which no one embeds
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE6F2")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8A9AA9")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [label, table]


def _note(block: Note, styles: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    if not block.strong:
        return _value(block.text, styles["body"])
    table = Table([[_value(block.text, styles["strong"])]], colWidths=[width])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REPORTLAB_NAME),
        ("BOX", (0, 0), (-1, -1), 1.2, RED),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#FBEFEF")),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return [Spacer(1, 3), table, Spacer(1, 3)]


def _story(document: FlowingDocument, width: float) -> list[Flowable]:
    styles = _styles()
    story: list[Flowable] = [_Bookmark(document.title, styles["title"], 0, "top")]
    headings = 0
    for block in document.blocks:
        if isinstance(block, Heading):
            headings += 1
            level = min(max(block.level, 1), 4)
            story.append(_Bookmark(block.text, styles[f"h{level}"], level, f"h{headings}"))
        elif isinstance(block, Field):
            story += _field(block, styles)
        elif isinstance(block, Items):
            story.append(_p(block.label, styles["label"]))
            if block.items:
                story.append(ListFlowable([ListItem(_value(item, styles["body"])) for item in block.items],
                                          bulletType="bullet", start="•", leftIndent=12, bulletFontName=REPORTLAB_NAME))
            else:
                story.append(_p(BLANK, styles["body"]))
        elif isinstance(block, Grid):
            story += _grid(block, styles, width)
        elif isinstance(block, Note):
            story += _note(block, styles, width)
    return story


class _Info(PDFInfo):
    """The document information: title, author, subject, producer and the caller's keys; no dates
    (reportlab's invariant mode would write 1 January 2000), no "anonymous" creator."""

    def __init__(self, base: PDFInfo, extra: Mapping[str, str]) -> None:
        super().__init__()
        self.title, self.author, self.subject = base.title, base.author, base.subject
        self.extra = dict(extra)

    def format(self, document: Any) -> bytes:
        entries: dict[str, Any] = {"Title": PDFString(self.title), "Author": PDFString(self.author),
                                   "Producer": PDFString(PRODUCER), "Creator": PDFString(PRODUCER)}
        if self.subject:
            entries["Subject"] = PDFString(self.subject)
        for key, value in sorted(self.extra.items()):
            entries[key.lstrip("/")] = PDFString(value)
        return PDFDictionary(entries).format(document)


def _canvas_class(document: FlowingDocument) -> type[Canvas]:
    class PagedCanvas(Canvas):
        """Draws the running line and "Page n of m" once the page count is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self.setViewerPreference("DisplayDocTitle", "true")

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            count = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._furniture(number, count)
                Canvas.showPage(self)
            self._doc.info = _Info(self._doc.info, document.info)
            Canvas.save(self)

        def _furniture(self, number: int, count: int) -> None:
            width, height = PAGE
            self.saveState()
            self.setFont(REPORTLAB_NAME, 8)
            if document.running:
                self.setFillColor(RED)
                self.drawString(MARGIN, height - 11 * mm, document.running)
            self.setFillColor(GREY)
            self.drawString(MARGIN, 10 * mm, document.footer)
            self.drawRightString(width - MARGIN, 10 * mm, f"Page {number} of {count}")
            self.restoreState()

    return PagedCanvas


def render_flowing(document: FlowingDocument) -> bytes:
    """The document as PDF bytes (see the module's description)."""
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=16 * mm, bottomMargin=16 * mm,
        title=document.title, author=document.author, subject=document.subject, lang=document.lang, invariant=1,
        initialFontName=reportlab_font(),
    )
    template.build(_story(document, PAGE[0] - 2 * MARGIN), canvasmaker=_canvas_class(document))
    return buffer.getvalue()

