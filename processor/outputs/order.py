"""Form order for problems: page first, then where the field sits on the form."""

from __future__ import annotations

from brokerage.rules.fields import form_order
from brokerage.schema import Problem


def page_order(problems: tuple[Problem, ...] | list[Problem]) -> list[Problem]:
    """Problems about the whole form first, then by page, then in form order (:func:`form_order`: item 0 of a
    repeat entirely before item 1; unknown steps last)."""

    def key(problem: Problem) -> tuple[int, int, tuple[int, ...], str, str]:
        if problem.pointer == "":
            return (0, 0, (), problem.rule, problem.message)
        page = problem.page if problem.page is not None else 10_000
        return (1, page, form_order(problem.pointer), problem.rule, problem.message)

    return sorted(problems, key=key)
