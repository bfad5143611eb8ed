"""What reading a flattened, printed or scanned return gives: per box, the value, where it came from
and how sure the reading is; per page, which page of which form it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from brokerage.processor.flattened.align import Transform

READABLE = 0.8
"""A box read with at least this confidence is taken as read; below it, it is reported as unreadable.

The levels used (see ``docs`` in the report): 1.0 a value drawn by our own appearance generator and
re-drawn identically, or a tick or its absence far from the threshold; 0.9 text drawn by another engine
whose line breaks could all be told; 0.85 a line break that is as likely a wrap as a typed break (read as
a wrap: only the kind of white space is unsure); 0.5 and lower: text crossing the box's edge, text
that is not text (no Unicode), a mark between "ticked" and "empty", two radio buttons marked."""


class Source(StrEnum):
    field = "field"
    """The form field's value (a fillable return)."""
    flattened_text = "flattened text"
    """Text drawn on the page inside the box."""
    drawn_mark = "drawn mark"
    """What is drawn inside a tick box or radio button (or a blank box), seen in a low-resolution picture."""
    ocr = "OCR"
    """Text recognised in a scanned picture of the box."""


@dataclass(frozen=True)
class BoxRead:
    name: str
    kind: str
    """The blank form's box kind: ``text``, ``multiline``, ``checkbox``, ``radio``, ``choice``, ``signature``."""
    value: str | bool | None
    """As the fillable reader gives it (``RawField.value``); ``None`` for a box that could not be read."""
    source: Source
    confidence: float
    page: int | None
    """1-based page of the returned file the box is on (``None``: the page is not in the file)."""
    note: str = ""
    """Why the confidence is what it is, for a person ("text runs past the box's edge")."""

    @property
    def readable(self) -> bool:
        return self.confidence >= READABLE


@dataclass(frozen=True)
class PageMatch:
    file_page: int
    """1-based page of the returned file."""
    kind: str | None
    """The form the page belongs to, ``None`` when it is no page of ours."""
    form_page: int | None
    """0-based page of that blank form."""
    how: str
    """``printed labels``, ``picture`` or ``""`` (not recognised)."""
    score: float
    """Share of the blank page's labels (or picture) found on this page."""
    transform: Transform | None = None
    """Blank page → returned page; ``None`` when the page could not be aligned."""
    image_only: bool = False


@dataclass(frozen=True)
class FlattenedRead:
    """One returned file read by the form's known boxes."""

    source: str
    kind: str | None
    version: str | None
    recognised_by: str
    """``document marker``, ``printed labels`` or ``picture``."""
    pages: tuple[PageMatch, ...]
    boxes: dict[str, BoxRead] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    """Sentences about the file as a whole (pages of another form, text outside the boxes, no OCR)."""
    image_only: bool = False

    @property
    def form_id(self) -> str | None:
        return f"{self.kind} {self.version}" if self.kind and self.version else None

    def description(self) -> str:
        """"a flattened copy of the referral, form version 1.0", "a scan of …", "not a brokerage form"."""
        from brokerage.schema import default_catalogue

        if self.kind is None:
            return "not a brokerage form"
        what = "a scan" if self.image_only else "a flattened copy"
        return f"{what} of the {default_catalogue().form(self.kind).title}, form version {self.version}"

    @property
    def unreadable(self) -> tuple[BoxRead, ...]:
        return tuple(box for box in self.boxes.values() if not box.readable)
