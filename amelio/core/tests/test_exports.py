from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from amelio.core.exports import neutralise
from amelio.processes.services import process_update

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tx"])
def test_formula_like_cells_are_neutralised(value: str) -> None:
    assert neutralise(value) == "'" + value


def test_plain_values_are_untouched() -> None:
    assert neutralise("Génie Civil") == "Génie Civil"
    assert neutralise(42) == 42


def test_xlsx_export_is_a_real_workbook_with_safe_cells(school: dict[str, Any]) -> None:
    process_update(actor=school["quality_manager"], process=school["process_civil"], data={"name": "=1+2"})
    client = Client()
    client.force_login(school["quality_manager"])
    response = client.get(reverse("processes:process_list"), {"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Code"
    names = [row[1] for row in rows[1:]]
    assert "'=1+2" in names
    assert response["Content-Disposition"].startswith('attachment; filename="processes-')


def test_pdf_export_is_a_real_pdf_of_the_filtered_rows(school: dict[str, Any], tmp_path: Any) -> None:
    import subprocess

    client = Client()
    client.force_login(school["teacher"])
    response = client.get(reverse("processes:process_list"), {"kind": "management", "export": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "processes.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "M-01" in text and "R-GC" not in text


def test_exported_cells_read_as_a_person_reads_them() -> None:
    import datetime

    from django.utils import timezone, translation

    from amelio.core.exports import readable

    moment = datetime.datetime(2026, 11, 30, 22, 23, 34, 422165, tzinfo=datetime.UTC)
    with translation.override("fr"), timezone.override("Europe/Paris"):
        assert [readable(True), readable(False), readable(None)] == ["oui", "non", ""]
        assert readable(moment) == "2026-11-30 23:23"
        assert readable(moment, spreadsheet=True) == datetime.datetime(2026, 11, 30, 23, 23)
    assert readable(datetime.date(2026, 11, 5)) == datetime.date(2026, 11, 5)
    assert readable(3) == 3 and readable("texte") == "texte"


def test_no_python_boolean_reaches_a_list_export(school: dict[str, Any]) -> None:
    client = Client()
    client.force_login(school["quality_manager"])
    response = client.get(reverse("processes:process_list"), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode("utf-8-sig")
    assert "True" not in text and "False" not in text and ",yes" in text
