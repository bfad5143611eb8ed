"""Spreadsheet cells that cannot run: text a spreadsheet would read as a formula is made inert.

A value typed into a form (a name, a comment) ends up in ``summary.csv`` and ``summary.xlsx``. A
cell starting with ``=``, ``+``, ``-`` or ``@`` (or tab / carriage return, which some programs skip
before looking) is a formula to Excel and LibreOffice: ``=HYPERLINK("http://evil", "Click")``.
We prefix such text with an apostrophe, the spreadsheet convention for "this is text".
"""

from __future__ import annotations

from typing import Any

from brokerage.text import printable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""The characters OWASP lists, plus their full-width forms, which some spreadsheets also accept."""


def neutralise(value: str) -> str:
    """``value`` made printable (control characters shown as ␛ and so on: openpyxl refuses them and a
    spreadsheet would hide them), with a leading apostrophe when a spreadsheet would run it."""
    value = printable(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def cell(value: Any) -> Any:
    """A value ready for a CSV or XLSX cell: numbers stay numbers, text is neutralised, None is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    return neutralise(str(value))
