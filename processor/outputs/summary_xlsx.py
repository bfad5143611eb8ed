"""``summary.xlsx``: one row per problem on an "All files" sheet and a sheet per kind of form.

openpyxl stamps the time in the workbook's properties and in each zip entry; both are fixed here so
the same batch gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from brokerage.processor.outputs.cells import cell
from brokerage.processor.outputs.summary import ROW_COLUMNS, summary_rows
from brokerage.processor.results import FileResult
from brokerage.schema import FormKind

FIXED_TIME = datetime(2000, 1, 1, 0, 0, 0)
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
SHEET_NAMES: dict[str | None, str] = {
    **{kind.value: kind.facts.plural for kind in FormKind},
    None: "Not our forms",
}
"""Sheets by the rows' kind (skipped entries have none and appear on "All files" only)."""
WIDTHS = {"source": 30, "message": 70, "field": 30, "outputs": 40, "pointer": 30, "sha256": 20}


def _fill(sheet: Worksheet, rows: list[dict[str, object]]) -> None:
    sheet.append(list(ROW_COLUMNS))
    for header in sheet[1]:
        header.font = Font(bold=True)
    for row in rows:
        sheet.append([cell(row[column]) for column in ROW_COLUMNS])
    for index, column in enumerate(ROW_COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = WIDTHS.get(column, 14)
        if column in ("message", "outputs"):
            for data_cell in sheet[letter][1:]:
                data_cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry's timestamp fixed and entries in a stable order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def summary_xlsx(results: Sequence[FileResult], skipped: Sequence[tuple[str, str]] = ()) -> bytes:
    rows = summary_rows(results, skipped)
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "All files"
    _fill(first, rows)
    for kind, title in SHEET_NAMES.items():
        kind_rows = [row for row in rows if row["kind"] == kind and row["status"] != "skipped"]
        if kind_rows:
            _fill(workbook.create_sheet(title), kind_rows)
    workbook.properties.creator = "brokerage-forms"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return _fixed_zip(buffer.getvalue())
