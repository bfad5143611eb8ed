"""Page order for problems, as a letter or a summary lists them: page first, then where the field sits on
the form (the pipeline lists them in form order: :meth:`brokerage.schema.Catalogue.in_form_order`)."""

from __future__ import annotations

from brokerage.schema import Catalogue, Problem, default_catalogue


def page_order(problems: tuple[Problem, ...] | list[Problem], catalogue: Catalogue | None = None) -> list[Problem]:
    """Problems about the whole form first, then by page, then in form order (:meth:`Catalogue.form_order`:
    item 0 of a repeat entirely before item 1; unknown steps last)."""
    form_order = (catalogue or default_catalogue()).form_order

    def key(problem: Problem) -> tuple[int, int, tuple[int, ...], str, str]:
        if problem.pointer == "":
            return (0, 0, (), problem.rule, problem.message)
        page = problem.page if problem.page is not None else 10_000
        return (1, page, form_order(problem.pointer), problem.rule, problem.message)

    return sorted(problems, key=key)
