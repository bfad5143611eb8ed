"""Which page of which of our forms each page of a returned file is.

In order of trust: the document marker (``/BrokerageForm referral 1.0`` in the document info, kept by
pdftk and qpdf when they flatten) names the form and version; the fixed printed labels of each page
(kept by every flattening and printing program that keeps text) name the page, and their positions
give the alignment; for pages with no text (scans), :mod:`~brokerage.processor.flattened.scan` compares
pictures.
"""

from __future__ import annotations

from collections.abc import Iterable

from brokerage.processor.flattened.align import fit
from brokerage.processor.flattened.box_map import FormMap, PageMap
from brokerage.processor.flattened.page_text import PageText, Run
from brokerage.processor.flattened.results import PageMatch

MIN_LABEL_SHARE = 0.6
"""Share of a blank page's once-printed labels that must be found on a returned page to call it that page."""


def _once(runs: Iterable[Run]) -> dict[str, Run]:
    seen: dict[str, Run | None] = {}
    for run in runs:
        seen[run.key] = None if run.key in seen else run
    return {key: run for key, run in seen.items() if run is not None}


def match_page(text: PageText, file_page: int, forms: Iterable[FormMap], *, prefer_page: int | None = None
               ) -> PageMatch:
    """The page of ``forms`` whose printed labels ``text`` holds, aligned; or an unrecognised match."""
    returned = _once(text.runs)
    keys = set(returned)
    best: tuple[float, int, FormMap, PageMap] | None = None
    for form in forms:
        for page in form.pages:
            if not page.anchors:
                continue
            share = len(page.anchors & keys) / len(page.anchors)
            tie_break = 1 if prefer_page == page.index else 0
            if best is None or (share, tie_break) > (best[0], best[1]):
                best = (share, tie_break, form, page)
    if best is None or best[0] < MIN_LABEL_SHARE:
        return PageMatch(file_page=file_page, kind=None, form_page=None, how="", score=best[0] if best else 0.0)
    share, _, form, page = best
    blank = _once(page.runs)
    pairs = []
    for key in page.anchors & keys:
        b, r = blank[key], returned[key]
        pairs.append((b.start, r.start))
        pairs.append((b.end, r.end))
    transform = fit(pairs)
    return PageMatch(file_page=file_page, kind=form.kind, form_page=page.index, how="printed labels",
                     score=share, transform=transform)
