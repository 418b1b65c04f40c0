"""CSV and XLSX exports of list tables, safe against spreadsheet formula injection."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = ("csv", "xlsx", "pdf")
# A PDF is for reading and printing: past this many rows, the spreadsheet is the tool.
PDF_ROW_LIMIT = 2000


def readable(value: Any, *, spreadsheet: bool = False) -> Any:
    """A cell as a person reads it: yes or no in their language rather than a Python
    boolean, nothing rather than None, a moment in the school's time zone to the minute
    rather than a UTC timestamp (a spreadsheet keeps it a date and time it can sort)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        moment = moment.replace(second=0, microsecond=0, tzinfo=None)
        return moment if spreadsheet else moment.strftime("%Y-%m-%d %H:%M")
    return value


def neutralise(value: Any) -> Any:
    """A cell that a spreadsheet would run as a formula is made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _render_pdf(rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    from weasyprint import HTML  # imported on use: it loads Pango and fonts

    iterator = iter(rows)
    header = next(iterator, [])
    body = list(itertools.islice(iterator, PDF_ROW_LIMIT + 1))
    truncated = len(body) > PDF_ROW_LIMIT
    html = render_to_string(
        "core/list_pdf.html",
        {
            "title": title,
            "header": header,
            "rows": body[:PDF_ROW_LIMIT],
            "truncated": truncated,
            "limit": PDF_ROW_LIMIT,
            "generated_at": timezone.localtime(),
        },
    )
    return bytes(HTML(string=html).write_pdf())


def pdf_response(*, template_name: str, context: dict[str, Any], basename: str) -> HttpResponse:
    """A page drawn for paper (a figures page: its charts are the page's own SVG) as a PDF
    download, named with the time in the school's zone."""
    from weasyprint import HTML  # imported on use: it loads Pango and fonts

    html = render_to_string(template_name, {**context, "generated_at": timezone.localtime(), "for_print": True})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(bytes(HTML(string=html).write_pdf()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.pdf"'
    return response


def export_rows(*, rows: Iterable[Sequence[Any]], export_format: str, basename: str, title: str = "") -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{basename}-{stamp}.{export_format}"
    if export_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow([neutralise(readable(value)) for value in row])
        # A byte-order mark lets spreadsheet programs read the accents right.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif export_format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=basename[:31])
        for row in rows:
            sheet.append([neutralise(readable(value, spreadsheet=True)) for value in row])
        output = io.BytesIO()
        workbook.save(output)
        response = HttpResponse(
            output.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif export_format == "pdf":
        readable_rows = ([readable(value) for value in row] for row in rows)
        response = HttpResponse(_render_pdf(readable_rows, title=title or basename), content_type="application/pdf")
    else:
        raise ValueError(f"Unknown export format {export_format!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
