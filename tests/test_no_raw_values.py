"""No French page or export shows what a machine stores rather than what a person reads:
no Python boolean or None, no timestamp in UTC's ISO form, no choice code where the choice
has a label. Each app's representative school (the one its query-count test builds) is
rendered in French: its pages, and its lists' CSV, XLSX and PDF exports."""

from __future__ import annotations

import html
import importlib
import io
import re
import subprocess
import tempfile
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

# (module whose populate() and PAGES are reused, the key of the person who reads)
SCHOOLS = [
    ("tests.test_query_counts", "qm"),
    ("amelio.improvement.tests.test_query_counts", "qm"),
    ("amelio.risks.tests.test_query_counts", "qm"),
    ("amelio.documents.tests.test_query_counts", "quality"),
    ("amelio.audits.tests.test_query_counts", "qm"),
    ("amelio.partners.tests.test_query_counts", "office"),
    ("amelio.reviews.tests.test_query_counts", "qm"),
]

PYTHON_VALUES = re.compile(r"(?<![\w-])(True|False|None)(?![\w-])")
UTC_TIMESTAMPS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d|\+00:00|\d\d:\d\d:\d\d\.\d{3,6}")
# Codes that are also ordinary words or labels of their own in French pages are left out.
AMBIGUOUS_CODES = {"other", "new", "done", "open", "draft", "minor", "major", "internal", "external"}


def _choice_codes() -> dict[str, str]:
    """Each choice code of the project's models that differs from its label, mapped to the
    field it belongs to, for the message."""
    codes: dict[str, str] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("amelio."):
            continue
        for field in model._meta.get_fields():
            choices = getattr(field, "choices", None)
            if not isinstance(field, models.CharField) or not choices:
                continue
            for value, label in field.flatchoices:
                if isinstance(value, str) and len(value) > 3 and "_" in value and value != str(label):
                    codes[value] = f"{model._meta.label}.{field.name}"
    return {code: where for code, where in codes.items() if code not in AMBIGUOUS_CODES}


def _visible_text(content: str) -> str:
    """What a person reads on a page: the text between tags, not the attributes, scripts or
    form values (a select's option value is a code by design)."""
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    content = re.sub(r"<[^>]+>", " ", content)
    return html.unescape(content)


def _pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        return subprocess.run(["pdftotext", pdf.name, "-"], check=True, capture_output=True, text=True).stdout


def _xlsx_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return "\n".join(
        " | ".join("" if cell is None else str(cell) for cell in row) for row in sheet.iter_rows(values_only=True)
    )


def _problems(text: str, codes: dict[str, str]) -> list[str]:
    found = [f"Python value {match!r}" for match in set(PYTHON_VALUES.findall(text))]
    found += [f"UTC timestamp {match!r}" for match in set(UTC_TIMESTAMPS.findall(text))]
    words = set(re.findall(r"[a-z]+(?:_[a-z]+)+", text))
    found += [f"choice code {code!r} ({codes[code]})" for code in sorted(words & codes.keys())]
    return found


@pytest.mark.parametrize(("module_name", "reader"), SCHOOLS)
def test_french_pages_and_exports_show_no_raw_value(module_name: str, reader: str, settings: Any) -> None:
    settings.LANGUAGE_CODE = "fr"
    module = importlib.import_module(module_name)
    school = module.populate(3)
    client = Client()
    client.force_login(school[reader])
    codes = _choice_codes()
    problems: list[str] = []
    read: dict[str, int] = {"page": 0, "export": 0, "pdf": 0}
    for name, url_of in module.PAGES:
        url = url_of(school)
        response = client.get(url)
        if response.status_code != 200 or response.streaming:
            continue
        content_type = response.get("Content-Type", "")
        if "export=" in url:
            if "csv" in content_type:
                text = response.content.decode("utf-8-sig")
            elif "spreadsheet" in content_type:
                text = _xlsx_text(response.content)
            else:
                continue
            read["export"] += 1
            # The same list, read on paper.
            pdf = client.get(re.sub(r"export=\w+", "export=pdf", url))
            if pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf":
                read["pdf"] += 1
                problems += [f"{name} (pdf): {problem}" for problem in _problems(_pdf_text(pdf.content), codes)]
        elif "html" in content_type:
            read["page"] += 1
            text = _visible_text(response.content.decode())
        else:
            continue
        problems += [f"{name}: {problem}" for problem in _problems(text, codes)]
    # Something of each kind was read: a school whose pages all failed would prove nothing.
    assert read["page"] >= 3 and read["export"] >= 1 and read["pdf"] >= 1, read
    assert problems == []
