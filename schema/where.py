"""Where a box is, in words: one walk along its pointer (:meth:`brokerage.schema.Catalogue.where`), said
the way each reader needs it.

- a tooltip (``/TU``) starts with the repeats and table row the box is in
  (:meth:`Where.trail`: "Details of the child 2", "School holiday dates 1");
- a problem found reading a box names section, page, label and repeat (:meth:`Where.context`,
  :meth:`Where.describe`: "Section 2 – Details of the child, page 2: 'Date of birth' (Details of the child 2)");
- a rule's message starts with the section and the child (:meth:`Where.place`: "Details of the child (child 2): ")
  and quotes the label with its row (:meth:`Where.phrase`: "'Hours' (Term time: days, times and hours, Monday)").

Children are counted ("child 2"), never named.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the catalogue builds a Where; a Where only reads the nodes it is given
    from brokerage.schema.catalogue import Node

CHILDREN = "children"
"""The arrays whose repeats are children: a message says "child 2" instead of numbering the repeat."""
_SECTION_NUMBER = re.compile(r"^Section \d+ – ")


def is_index(token: str) -> bool:
    """A pointer step that is an array index (ASCII digits only: not '²', which ``int()`` refuses)."""
    return token.isascii() and token.isdigit()


def short_section(section: str) -> str:
    """A section heading without its number: "Section 2 – Details of the child" → "Details of the child"."""
    return _SECTION_NUMBER.sub("", section)


def _title(node: Node | None, default: str = "") -> str:
    return str(node.schema.get("title", default)) if node is not None else default


def _is_table(node: Node | None) -> bool:
    return node is not None and node.schema.get("x-widget") == "timetable"


@dataclass(frozen=True)
class Where:
    """The place of the box at :attr:`pointer`: its label, section, and every step of the pointer with the
    schema node it reaches (``None`` past a step the schema does not have)."""

    pointer: str
    label: str
    """The box's label (a container's title for a table or a repeat; "Whole form" for ``""``)."""
    section: str
    """The section heading it is printed under (its parent's, for a pointer the schema does not have)."""
    root: Node
    steps: tuple[tuple[str, Node | None], ...]

    def _walk(self) -> list[tuple[str, Node | None, Node | None]]:
        """``(token, node before the step, node after it)`` for every step."""
        out = []
        before: Node | None = self.root
        for token, after in self.steps:
            out.append((token, before, after))
            before = after
        return out

    @property
    def child(self) -> int | None:
        """1-based number of the child the box belongs to, ``None`` when it is not a child's."""
        tokens = [token for token, _ in self.steps]
        for previous, token in itertools.pairwise(tokens):
            if previous == CHILDREN and is_index(token):
                return int(token) + 1
        return None

    def trail(self) -> list[str]:
        """Titles that place the box for a screen reader: each repeat it is in (numbered) and its table and row."""
        out: list[str] = []
        for token, before, after in self._walk()[:-1]:
            if is_index(token):
                out.append(f"{_title(before)} {int(token) + 1}".strip())
            elif _is_table(before):
                out.extend([_title(before), _title(after, token)])
        return [c for c in out if c]

    def context(self) -> str:
        """The repeats and titled groups below the section the box is in, e.g. ``Details of the child 2,
        Saturday``; empty for a box that is in none."""
        words: list[str] = []

        def numbered(array: Node | None, token: str) -> None:
            title = _title(array)
            if words and words[-1] == title:
                words.pop()
            words.append(f"{title} {int(token) + 1}")

        walked = self._walk()
        for position, (token, before, after) in enumerate(walked[:-1]):
            if is_index(token):
                numbered(before, token)
            elif after is None:
                continue
            elif position == 0 or "x-section" in after.schema or after.is_array:
                if after.is_array:
                    words.append(_title(after))
            elif after.title:
                words.append(after.title)
        if walked and is_index(walked[-1][0]):
            numbered(walked[-1][1], walked[-1][0])
        return ", ".join(w for w in words if w)

    def describe(self, page: int | None = None) -> str:
        """``Section 2 – Details of the child, page 2: 'Date of birth' (Details of the child 2)``."""
        where = self.section + (f", page {page}" if page else "")
        context = self.context()
        return f"{where}: '{self.label}'" + (f" ({context})" if context else "")

    def place(self) -> str:
        """The start of a rule's message: the section, and the child when there is one
        ("Details of the child (child 2): ")."""
        where = short_section(self.section)
        if self.child is not None:
            where += f" (child {self.child})"
        return f"{where}: " if where else ""

    def phrase(self) -> str:
        """The quoted label with the row or item it belongs to, e.g. ``'Hours' (Term time: days, times and
        hours, Monday)``. Children are not numbered here (see :meth:`place`)."""
        context: list[str] = []
        tokens = [token for token, _ in self.steps]
        parent_is_table = False
        for i, (token, before, after) in enumerate(self._walk()[:-1]):
            if is_index(token):
                if i == 0 or tokens[i - 1] != CHILDREN:
                    item_title = _title(after)
                    context.append(f"{item_title} {int(token) + 1}" if item_title
                                   else f"{_title(before, 'item')}, row {int(token) + 1}")
                parent_is_table = False
                continue
            if parent_is_table or _is_table(after):
                context.append(_title(after, token))
            parent_is_table = _is_table(after)
        label = f"'{self.label}'"
        if tokens and is_index(tokens[-1]):
            label = f"'{self.label} {int(tokens[-1]) + 1}'"
        return f"{label} ({', '.join(context)})" if context else label
