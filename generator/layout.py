"""The default layout: from the schema's structure to pages of drawing operations and boxes.

Pure data, no PDF: the walk follows the schema (parts, ``x-section`` headings, ``x-new-page``,
arrays with one slot per ``maxItems``, ``x-page-per-item``, ``x-widget: timetable`` tables) and asks
:mod:`brokerage.generator.widgets` which box each leaf becomes. :mod:`brokerage.generator.build`
draws the result. Labels, hints and tooltips all come from the schema's titles and descriptions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit

from brokerage.errors import SchemaError
from brokerage.generator.tooltips import tooltip
from brokerage.generator.widgets import CHECKBOX, CHOICE, RADIO, Widget, widget_of
from brokerage.schema import Form, Leaf, Node, field_name

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 40.0
MARGIN_TOP = 48.0
MARGIN_BOTTOM = 46.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
GUTTER = 12.0

LABEL_FONT, LABEL_SIZE, LABEL_LEADING = "Helvetica-Bold", 8.5, 10.0
HINT_FONT, HINT_SIZE, HINT_LEADING = "Helvetica", 6.8, 8.0
TEXT_FONT, TEXT_SIZE, TEXT_LEADING = "Helvetica", 8.5, 10.5
ROW_HEIGHT = 16.0
ROW_LABEL_WIDTH = 64.0
BLOCK_GAP = 7.0


@dataclass(frozen=True)
class Placement:
    """One widget on a page: the field it belongs to and where it goes (PDF points, origin bottom left)."""

    name: str
    pointer: str
    leaf: Leaf
    widget: Widget
    rect: tuple[float, float, float, float]
    option: str | None = None
    """For a radio button: the option (export value) this button stands for."""
    tooltip: str = ""
    """What a screen reader says for the box (``/TU``)."""


@dataclass(frozen=True)
class Op:
    """One static drawing operation (text, band, box, line)."""

    kind: str
    x: float
    y: float
    w: float = 0.0
    h: float = 0.0
    text: str = ""
    font: str = TEXT_FONT
    size: float = TEXT_SIZE


@dataclass
class PageLayout:
    part: str
    part_title: str
    ops: list[Op] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)


@dataclass
class _Block:
    """A field with its label and hint, waiting to be placed in a row."""

    leaf: Leaf
    pointer: str
    widget: Widget
    width: float
    label: list[str]
    hint: list[str]
    height: float

    @property
    def text_height(self) -> float:
        return len(self.label) * LABEL_LEADING + len(self.hint) * HINT_LEADING

    @property
    def has_box(self) -> bool:
        """A box drawn under its label (not a checkbox beside its label, nor radio buttons)."""
        return self.widget is not CHECKBOX and self.widget is not RADIO


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    return simpleSplit(text, font, size, width) if text else []


class _Flow:
    """A cursor running down the pages of one form."""

    def __init__(self, form: Form) -> None:
        self.form = form
        self.catalogue = form.catalogue
        self.pages: list[PageLayout] = []
        self.y = 0.0
        self.part = ""
        self.part_title = ""
        self.row: list[_Block] = []

    def leaf(self, pointer: str) -> Leaf:
        leaf = self.catalogue.leaf(pointer)
        if leaf is None:
            raise SchemaError(f"The layout reached {pointer}, which the schema catalogue does not list.")
        return leaf

    def placement(self, pointer: str, leaf: Leaf, widget: Widget, rect: tuple[float, float, float, float],
                  option: str | None = None) -> Placement:
        tip = tooltip(pointer, leaf, self.catalogue)
        return Placement(field_name(pointer), pointer, leaf, widget, rect, option, tip)

    # pages -----------------------------------------------------------------------------------
    def new_page(self) -> None:
        self.flush_row()
        self.pages.append(PageLayout(self.part, self.part_title))
        self.y = PAGE_HEIGHT - MARGIN_TOP

    @property
    def page(self) -> PageLayout:
        return self.pages[-1]

    @property
    def page_is_empty(self) -> bool:
        return not self.page.ops and not self.page.placements

    def ensure(self, height: float) -> None:
        if self.y - height < MARGIN_BOTTOM and not self.page_is_empty:
            self.new_page()

    def page_break(self) -> None:
        self.flush_row()
        if not self.page_is_empty:
            self.new_page()

    # static text -----------------------------------------------------------------------------
    def paragraph(self, text: str, font: str = TEXT_FONT, size: float = TEXT_SIZE, leading: float = TEXT_LEADING,
                  indent: float = 0.0, gap: float = 4.0) -> None:
        lines = wrap(text, font, size, CONTENT_WIDTH - indent)
        for line in lines:
            self.ensure(leading)
            self.y -= leading
            self.page.ops.append(Op("text", MARGIN_X + indent, self.y + 2, text=line, font=font, size=size))
        self.y -= gap

    def band(self, text: str, level: int) -> None:
        self.flush_row()
        height = 22.0 if level == 0 else 16.0 if level == 1 else 14.0
        self.ensure(height + 40)
        self.y -= height
        kind = ("band0", "band1", "band2")[level]
        size = (13.0, 10.5, 9.5)[level]
        self.page.ops.append(Op(kind, MARGIN_X, self.y, CONTENT_WIDTH, height, text, "Helvetica-Bold", size))
        self.y -= 5

    def bullets(self, title: str, points: list[str]) -> None:
        self.flush_row()
        lines = [wrap(p, TEXT_FONT, TEXT_SIZE, CONTENT_WIDTH - 26) for p in points]
        height = 16 + sum(len(x) for x in lines) * TEXT_LEADING + 8
        self.ensure(height)
        top = self.y
        self.page.ops.append(Op("notebox", MARGIN_X, top - height, CONTENT_WIDTH, height))
        self.page.ops.append(Op("text", MARGIN_X + 8, top - 13, text=title, font=LABEL_FONT, size=9))
        y = top - 16
        for point_lines in lines:
            for i, line in enumerate(point_lines):
                y -= TEXT_LEADING
                if i == 0:
                    self.page.ops.append(Op("text", MARGIN_X + 10, y + 2, text="•"))
                self.page.ops.append(Op("text", MARGIN_X + 20, y + 2, text=line))
        self.y = top - height - BLOCK_GAP

    # fields ----------------------------------------------------------------------------------
    def add_field(self, leaf: Leaf, pointer: str, widget: Widget, label: str) -> None:
        width_share = widget.width
        width = _block_width(width_share)
        text_width = width - (CHECKBOX.cell_width if widget is CHECKBOX else 0)
        if widget.placeholder:
            label = f"{label} ({widget.placeholder})"
        label_lines = wrap(label, LABEL_FONT, LABEL_SIZE, text_width)
        hint_lines = wrap(leaf.description, HINT_FONT, HINT_SIZE, text_width)
        text_height = len(label_lines) * LABEL_LEADING + len(hint_lines) * HINT_LEADING
        if widget is CHECKBOX:
            height = max(text_height, widget.height) + 2
        elif widget is RADIO:
            options = leaf.enum or ()
            height = text_height + 2 + _radio_rows(options, width) * 14
        else:
            height = text_height + 2 + widget.height
        block = _Block(leaf, pointer, widget, width_share, label_lines, hint_lines, height)
        if sum(b.width for b in self.row) + block.width > 1.0 + 1e-9:
            self.flush_row()
        self.row.append(block)
        if sum(b.width for b in self.row) >= 1.0 - 1e-9:
            self.flush_row()

    def flush_row(self) -> None:
        if not self.row:
            return
        blocks, self.row = self.row, []
        # Boxes side by side start at the same height, under the longest label and hint.
        label_area = max((b.text_height for b in blocks if b.has_box), default=0.0)
        height = max(b.height if not b.has_box else label_area + 2 + b.widget.height for b in blocks)
        self.ensure(height + BLOCK_GAP)
        top = self.y
        x = MARGIN_X
        for block in blocks:
            width = _block_width(block.width)
            self._place_block(block, x, top, width, top - label_area)
            x += width + GUTTER
        self.y = top - height - BLOCK_GAP

    def _place_block(self, block: _Block, x: float, top: float, width: float, box_top: float) -> None:
        ops, widget = self.page.ops, block.widget
        text_x = x
        if widget is CHECKBOX:
            box = (x, top - 12.5, x + 12.5, top)
            self.page.placements.append(self.placement(block.pointer, block.leaf, widget, box))
            ops.append(Op("box", box[0], box[1], 12.5, 12.5))
            text_x = x + CHECKBOX.cell_width + 2
        y = top
        for line in block.label:
            y -= LABEL_LEADING
            ops.append(Op("text", text_x, y + 2, text=line, font=LABEL_FONT, size=LABEL_SIZE))
        for line in block.hint:
            y -= HINT_LEADING
            ops.append(Op("hint", text_x, y + 1.5, text=line, font=HINT_FONT, size=HINT_SIZE))
        if widget is CHECKBOX:
            return
        if block.has_box:
            y = min(y, box_top)
        y -= 2
        if widget is RADIO:
            self._place_radio(block, x, y, width)
            return
        rect = (x, y - widget.height, x + width, y)
        ops.append(Op("box", x, y - widget.height, width, widget.height))
        self.page.placements.append(self.placement(block.pointer, block.leaf, widget, rect))

    def _place_radio(self, block: _Block, x: float, y: float, width: float) -> None:
        for option, cx, cy in _radio_spots(block.leaf.enum or (), x, y - 12, width):
            rect = (cx, cy, cx + 11, cy + 11)
            self.page.ops.append(Op("circle", cx, cy, 11, 11))
            self.page.ops.append(Op("text", cx + 15, cy + 2.5, text=option, font=TEXT_FONT, size=TEXT_SIZE))
            self.page.placements.append(self.placement(block.pointer, block.leaf, RADIO, rect, option))

    def table(self, title: str, description: str, rows: list[tuple[str, str]], columns: list[tuple[str, str, Widget]],
              notes: str) -> None:
        """A table of boxes: ``rows`` are (label, pointer prefix), ``columns`` (title, suffix, widget)."""
        self.flush_row()
        title_lines = wrap(title, LABEL_FONT, LABEL_SIZE, CONTENT_WIDTH)
        hint_lines = wrap(description, HINT_FONT, HINT_SIZE, CONTENT_WIDTH)
        note_lines = wrap(notes, HINT_FONT, HINT_SIZE, CONTENT_WIDTH)
        height = (len(title_lines) * LABEL_LEADING + len(hint_lines) * HINT_LEADING + 4
                  + ROW_HEIGHT * (len(rows) + 1) + len(note_lines) * HINT_LEADING + 2)
        self.ensure(height + BLOCK_GAP)
        ops = self.page.ops
        y = self.y
        for line in title_lines:
            y -= LABEL_LEADING
            ops.append(Op("text", MARGIN_X, y + 2, text=line, font=LABEL_FONT, size=LABEL_SIZE))
        for line in hint_lines:
            y -= HINT_LEADING
            ops.append(Op("hint", MARGIN_X, y + 1.5, text=line, font=HINT_FONT, size=HINT_SIZE))
        y -= 4
        columns = [(t, s, CHOICE if w is RADIO else w) for t, s, w in columns]
        fixed = sum(w.cell_width for _, _, w in columns)
        flexible = [w for _, _, w in columns if not w.cell_width]
        spare = max(CONTENT_WIDTH - ROW_LABEL_WIDTH - fixed, 40.0)
        widths = [w.cell_width or spare / len(flexible) for _, _, w in columns]
        if not flexible:
            scale = (CONTENT_WIDTH - ROW_LABEL_WIDTH) / fixed
            widths = [w * scale for w in widths]
        # header
        y -= ROW_HEIGHT
        ops.append(Op("header", MARGIN_X, y, CONTENT_WIDTH, ROW_HEIGHT))
        x = MARGIN_X + ROW_LABEL_WIDTH
        for (col_title, _, _), width in zip(columns, widths, strict=True):
            ops.append(Op("text", x + 3, y + 5, text=col_title, font=LABEL_FONT, size=LABEL_SIZE))
            x += width
        for row_label, prefix in rows:
            y -= ROW_HEIGHT
            ops.append(Op("text", MARGIN_X + 3, y + 5, text=row_label, font=LABEL_FONT, size=LABEL_SIZE))
            ops.append(Op("line", MARGIN_X, y, CONTENT_WIDTH, 0))
            x = MARGIN_X + ROW_LABEL_WIDTH
            for (_, suffix, column_widget), width in zip(columns, widths, strict=True):
                pointer = prefix + suffix
                widget = column_widget
                leaf = self.leaf(pointer)
                rect = (x + 1.5, y + 1.5, x + width - 1.5, y + ROW_HEIGHT - 1.5)
                if widget is CHECKBOX:
                    rect = (x + 2, y + 2, x + 14, y + 14)
                ops.append(Op("box", rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1]))
                self.page.placements.append(self.placement(pointer, leaf, widget, rect))
                x += width
        for line in note_lines:
            y -= HINT_LEADING
            ops.append(Op("hint", MARGIN_X, y, text=line, font=HINT_FONT, size=HINT_SIZE))
        self.y = y - 2 - BLOCK_GAP


def _block_width(share: float) -> float:
    """Points for a block taking ``share`` of the content width: the whole row, or half of it beside another."""
    return CONTENT_WIDTH if share >= 1 else (CONTENT_WIDTH - GUTTER) / 2


def _text_width(text: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, TEXT_FONT, TEXT_SIZE)


def _radio_spots(options: tuple[str, ...], x: float, y: float, width: float) -> Iterator[tuple[str, float, float]]:
    """(option, x, y) of each radio button from ``(x, y)``: side by side, on a new row when the next would
    not fit in ``width``."""
    cx, cy = x, y
    for option in options:
        option_width = 16 + _text_width(option) + 14
        if cx + option_width > x + width and cx > x:
            cx, cy = x, cy - 14
        yield option, cx, cy
        cx += option_width


def _radio_rows(options: tuple[str, ...], width: float) -> int:
    return len({cy for _, _, cy in _radio_spots(options, 0.0, 0.0, width)}) or 1


def _scalar_columns(row: Node) -> tuple[Node, ...] | None:
    """The properties of an object node when all are boxes (a row of a table), else ``None``."""
    return row.children if all(child.leaf is not None for child in row.children) else None


def _columns(columns: tuple[Node, ...]) -> list[tuple[str, str, Widget]]:
    """(title, pointer suffix, widget) of each column of a table whose rows have these boxes."""
    return [(c.label, f"/{c.name}", widget_of(c.leaf)) for c in columns if c.leaf is not None]


def _column_notes(columns: tuple[Node, ...]) -> str:
    return " ".join(f"{c.label}: {c.description}" for c in columns if c.description)


class _Walker:
    def __init__(self, flow: _Flow) -> None:
        self.flow = flow

    def part(self, node: Node, first: bool) -> None:
        flow = self.flow
        flow.part, flow.part_title = node.name, node.label
        if first:
            flow.new_page()
        else:
            flow.page_break()
            flow.page.part, flow.page.part_title = flow.part, flow.part_title
        flow.band(flow.part_title, 0)
        if node.description:
            flow.paragraph(node.description)
        notes = node.schema.get("x-notes-for-parents")
        if notes:
            flow.bullets("Points to tell the parents or carers (their responsibilities)", list(notes))
        self.children(node, node.pointer)
        flow.flush_row()

    def section_heading(self, node: Node) -> None:
        """A new ``x-section`` (not the part's own title) starts with its band and description."""
        flow = self.flow
        if node.own_section and node.own_section != flow.part_title:
            flow.band(node.own_section, 1)
            if node.description:
                flow.paragraph(node.description, size=8, leading=9.5)

    def children(self, node: Node, pointer: str) -> None:
        for child in node.children:
            self.node(child, f"{pointer}/{child.name}")

    def node(self, node: Node, pointer: str) -> None:
        flow = self.flow
        if node.schema.get("x-new-page") or (node.schema.get("x-page-per-item") and flow.page.placements):
            flow.page_break()
        if node.is_table:
            self.timetable(node, pointer)
        elif node.is_object:
            self.section_heading(node)
            self.children(node, pointer)
            flow.flush_row()
        elif node.items is not None:
            self.array(node, node.items, pointer)
        else:
            leaf = flow.leaf(pointer)
            flow.add_field(leaf, pointer, widget_of(leaf), leaf.title)

    def timetable(self, node: Node, pointer: str) -> None:
        columns = _scalar_columns(node.children[0])
        if columns is None:
            raise SchemaError(f"The timetable at {pointer} needs rows of simple fields.")
        rows = [(row.label, f"{pointer}/{row.name}") for row in node.children]
        self.flow.table(node.title, node.description, rows, _columns(columns), _column_notes(columns))

    def array(self, node: Node, items: Node, pointer: str) -> None:
        flow = self.flow
        count = node.max_items
        title = node.title
        page_per_item = bool(node.schema.get("x-page-per-item"))
        if items.is_object:
            columns = _scalar_columns(items)
            if columns is not None and len(columns) <= 4 and not page_per_item:
                rows = [(f"{items.title} {i + 1}".strip(), f"{pointer}/{i}") for i in range(count)]
                flow.table(title, node.description, rows, _columns(columns), _column_notes(columns))
                return
            self.section_heading(node)
            for i in range(count):
                if i and page_per_item:
                    flow.page_break()
                flow.band(f"{title}: {i + 1} of {count}" if count > 1 else title, 2)
                if i:
                    flow.paragraph("Only if needed: leave every box of this part blank if you do not need it.",
                                   font=HINT_FONT, size=HINT_SIZE, leading=HINT_LEADING)
                self.children(items, f"{pointer}/{i}")
                flow.flush_row()
            return
        if items.leaf is None:
            raise SchemaError(f"The list at {pointer} needs items that are objects or boxes.")
        rows = [(f"{i + 1}", f"{pointer}/{i}") for i in range(count)]
        column_title = str(items.schema.get("title", title))
        flow.table(title, node.description, rows, [(column_title, "", widget_of(items.leaf))], "")


def layout_form(form: Form) -> list[PageLayout]:
    """Pages of one form: every concrete leaf pointer of its parts becomes exactly one field."""
    flow = _Flow(form)
    walker = _Walker(flow)
    for index, part in enumerate(form.parts):
        node = form.catalogue.root.child(part)
        if node is None:
            raise SchemaError(f"The {form.kind} form holds {part}, which the schema does not have.")
        walker.part(node, first=index == 0)
    flow.flush_row()
    return flow.pages
