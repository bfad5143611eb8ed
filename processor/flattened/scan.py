"""Pages that are pictures (scans, or "print to PDF" programs that rasterise): placeholder."""

from __future__ import annotations

from typing import Any

from brokerage.processor.flattened.box_map import FormMap, PageMap
from brokerage.processor.flattened.results import BoxRead, PageMatch


def match_pictures(document: Any, pages: list[int], forms: list[FormMap], marked: str | None) -> dict[int, PageMatch]:
    return {}


def read_picture_page(form: FormMap, page_map: PageMap, match: PageMatch, picture: Any, height: float
                      ) -> tuple[dict[str, BoxRead], list[str]]:
    return {}, []
