"""CSV and XLSX exports of list tables, safe against spreadsheet formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = ("csv", "xlsx")


def neutralise(value: Any) -> Any:
    """A cell that a spreadsheet would run as a formula is made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_rows(*, rows: Iterable[Sequence[Any]], export_format: str, basename: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{basename}-{stamp}.{export_format}"
    if export_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow([neutralise(value) for value in row])
        # A byte-order mark lets spreadsheet programs read the accents right.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif export_format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=basename[:31])
        for row in rows:
            sheet.append([neutralise("" if value is None else value) for value in row])
        output = io.BytesIO()
        workbook.save(output)
        response = HttpResponse(
            output.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise ValueError(f"Unknown export format {export_format!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
