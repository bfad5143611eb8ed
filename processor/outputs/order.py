"""Form order for problems: page first, then where the field sits on the form."""

from __future__ import annotations

import re
from functools import cache

from brokerage.schema import Problem, leaves

_INDEX = re.compile(r"^[0-9]+$")


@cache
def _prefix_positions() -> dict[str, int]:
    """Template pointer prefix (``/part_a``, ``/part_a/children/*/name``…) → first leaf index under it."""
    positions: dict[str, int] = {}
    for index, leaf in enumerate(leaves()):
        tokens = leaf.pointer.strip("/").split("/")
        for end in range(1, len(tokens) + 1):
            positions.setdefault("/" + "/".join(tokens[:end]), index)
    return positions


def form_position(pointer: str) -> tuple[int, ...]:
    """A key that sorts pointers in the order their boxes appear on the form (item 0 of a repeat
    entirely before item 1); unknown steps sort last."""
    positions = _prefix_positions()
    key: list[int] = []
    template = ""
    for token in pointer.strip("/").split("/") if pointer else []:
        if _INDEX.match(token):
            template += "/*"
            key.append(int(token))
        else:
            template += "/" + token
            key.append(positions.get(template, len(positions)))
    return tuple(key)


def page_order(problems: tuple[Problem, ...] | list[Problem]) -> list[Problem]:
    """Problems about the whole form first, then by page, then in form order."""

    def key(problem: Problem) -> tuple[int, int, tuple[int, ...], str, str]:
        if problem.pointer == "":
            return (0, 0, (), problem.rule, problem.message)
        page = problem.page if problem.page is not None else 10_000
        return (1, page, form_position(problem.pointer), problem.rule, problem.message)

    return sorted(problems, key=key)
