"""Reads an uploaded CSV, XLSX or XLS file into rows of text, whatever its name says."""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

# The first bytes of an OLE2 compound file: an Excel 97-2003 workbook (.xls, "BIFF").
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

MAX_ROWS = 50_000


@dataclass
class Table:
    headers: list[str]
    rows: list[dict[str, str]]  # header key -> cell text, for each data row


def _key_character(character: str) -> str:
    if character.isascii():
        return character if character.isalnum() else " "
    # Typographic apostrophes and dashes separate words as their plain forms do
    # ("Nbre d’heures" reads as "Nbre d'heures"); accents and other letters are dropped.
    return " " if unicodedata.category(character)[0] in "PZS" else ""


def header_key(text: Any) -> str:
    """'Date de début' and 'date_de_debut' read as the same column."""
    value = unicodedata.normalize("NFKD", str(text or ""))
    return "_".join("".join(_key_character(c) for c in value.lower()).split())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _from_rows(raw_rows: Any) -> Table:
    iterator = iter(raw_rows)
    first = next(iterator, None)
    if first is None:
        raise ValidationError(_("The file is empty."))
    headers = [header_key(h) for h in first]
    if not any(headers):
        raise ValidationError(_("The first row must hold the column names."))
    rows = []
    for raw in iterator:
        values = [_cell(v) for v in raw]
        if not any(values):
            continue
        rows.append({h: (values[i] if i < len(values) else "") for i, h in enumerate(headers) if h})
        if len(rows) > MAX_ROWS:
            raise ValidationError(_("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS})
    return Table(headers=[h for h in headers if h], rows=rows)


def _xls_rows(content: bytes) -> Any:
    """The rows of the first sheet of an .xls workbook, dates as dates (xlrd reads BIFF only)."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=content, on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception as error:  # xlrd raises many kinds for a damaged file
        raise ValidationError(_("This spreadsheet cannot be read (%(error)s).") % {"error": error}) from error
    for index in range(sheet.nrows):
        values: list[Any] = []
        for cell in sheet.row(index):
            if cell.ctype == xlrd.XL_CELL_DATE:
                moment = xlrd.xldate_as_datetime(cell.value, book.datemode)
                values.append(moment.date() if moment.time() == datetime.time() else moment)
            else:
                values.append(cell.value)
        yield values


def is_xls(content: bytes) -> bool:
    return content[:8] == XLS_MAGIC


def read_table(content: bytes) -> Table:
    if is_xls(content):
        return _from_rows(_xls_rows(content))
    if content[:4] == b"PK\x03\x04":
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ValidationError(_("This spreadsheet cannot be read (%(error)s).") % {"error": error}) from error
        sheet = workbook.worksheets[0]
        return _from_rows(sheet.iter_rows(values_only=True))
    if b"\x00" in content[:4096]:
        raise ValidationError(_("Give a CSV, XLSX or XLS file."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes any byte but a few
        raise ValidationError(_("The file's text encoding is not recognised; save it as UTF-8."))
    # The delimiter is read from the row of column names: the cells below may hold commas and
    # semicolons in their text (a description), which mislead a guess made on the whole sample.
    header_line = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    try:
        dialect: Any = csv.Sniffer().sniff(header_line, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    return _from_rows(csv.reader(io.StringIO(text), dialect))
