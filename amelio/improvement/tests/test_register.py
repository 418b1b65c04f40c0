"""The improvement register (/improvement/): its filters, its sorting, and its CSV and XLSX
exports, which hold exactly the filtered rows the user may see."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from amelio.improvement.choices import ActionStatus, ItemStatus, Origin
from amelio.improvement.tests.factories import ActionFactory, ImprovementItemFactory

pytestmark = pytest.mark.django_db

URL = reverse("improvement:item_list")


@pytest.fixture
def register(school: dict[str, Any]) -> dict[str, Any]:
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    civil = ImprovementItemFactory(
        reference="SU-2026-0001",
        origin=Origin.SUGGESTION,
        title="Casiers pour les étudiants",
        status=ItemStatus.NEW,
        process=school["process_civil"],
        department=school["civil"],
        raised_by=school["student"],
        raised_on=today - datetime.timedelta(days=3),
    )
    ActionFactory(item=civil, owner=school["head_civil"], due_on=yesterday, status=ActionStatus.PLANNED)
    ActionFactory(item=civil, owner=school["teacher"], status=ActionStatus.IN_PROGRESS)
    electrical = ImprovementItemFactory(
        reference="NC-2026-0001",
        origin=Origin.NONCONFORMITY,
        severity="minor",
        title="Sujet d'examen erroné",
        status=ItemStatus.ACCEPTED,
        process=school["process_electrical"],
        department=school["electrical"],
        raised_by=school["head_electrical"],
        raised_on=today - datetime.timedelta(days=2),
    )
    ActionFactory(item=electrical, owner=school["head_electrical"], status=ActionStatus.PLANNED)
    complaint = ImprovementItemFactory(
        reference="RE-2026-0001",
        origin=Origin.COMPLAINT,
        complainant_kind="company",
        title='=HYPERLINK("http://evil.test")',
        status=ItemStatus.CLOSED_EFFECTIVE,
        department=school["civil"],
        raised_by=None,
        contact_name="Claire",
        contact_email="claire@entreprise.test",
        raised_on=today - datetime.timedelta(days=1),
    )
    # Done after its due date: late, but no longer overdue.
    ActionFactory(
        item=complaint, owner=school["head_civil"], due_on=yesterday, status=ActionStatus.DONE, completed_on=today
    )
    school_wide = ImprovementItemFactory(
        reference="OA-2026-0001",
        origin=Origin.OPPORTUNITY,
        title="Mutualiser les salles",
        status=ItemStatus.ANALYSED,
        process=school["process_school"],
        raised_by=school["director"],
        raised_on=today,
    )
    return {"civil": civil, "electrical": electrical, "complaint": complaint, "school": school_wide}


def references(client: Client, query: str = "") -> list[str]:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    return [row.record.reference for row in response.context["table"].page.object_list]


@pytest.fixture
def qm_client(school: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(school["quality_manager"])
    return client


def test_the_register_lists_the_newest_first(qm_client: Client, register: dict[str, Any]) -> None:
    assert references(qm_client) == ["OA-2026-0001", "RE-2026-0001", "NC-2026-0001", "SU-2026-0001"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("origin=suggestion", ["SU-2026-0001"]),
        ("origin=complaint", ["RE-2026-0001"]),
        ("status=accepted", ["NC-2026-0001"]),
        ("status=closed_effective", ["RE-2026-0001"]),
        ("open=true", ["OA-2026-0001", "NC-2026-0001", "SU-2026-0001"]),
        ("open=false", ["RE-2026-0001"]),
        ("overdue=true", ["SU-2026-0001"]),
        ("overdue=false", ["OA-2026-0001", "RE-2026-0001", "NC-2026-0001"]),
        ("q=casiers", ["SU-2026-0001"]),
        ("q=NC-2026", ["NC-2026-0001"]),
        ("origin=suggestion&status=accepted", []),
    ],
)
def test_filters(qm_client: Client, register: dict[str, Any], query: str, expected: list[str]) -> None:
    assert references(qm_client, query) == expected


def test_filters_by_process_department_and_action_owner(
    qm_client: Client, register: dict[str, Any], school: dict[str, Any]
) -> None:
    assert references(qm_client, f"process={school['process_civil'].pk}") == ["SU-2026-0001"]
    assert references(qm_client, f"department={school['civil'].pk}") == ["RE-2026-0001", "SU-2026-0001"]
    assert references(qm_client, f"department={school['electrical'].pk}") == ["NC-2026-0001"]
    assert references(qm_client, f"owner={school['head_civil'].pk}") == ["RE-2026-0001", "SU-2026-0001"]
    assert references(qm_client, f"owner={school['teacher'].pk}") == ["SU-2026-0001"]
    assert references(qm_client, f"owner={school['head_civil'].pk}&overdue=true") == ["SU-2026-0001"]


def test_filtering_by_action_owner_still_counts_every_action(
    qm_client: Client, register: dict[str, Any], school: dict[str, Any]
) -> None:
    response = qm_client.get(f"{URL}?owner={school['teacher'].pk}")
    [row] = response.context["table"].page.object_list
    assert row.record.action_count == 2
    assert row.record.has_overdue_action is True


def test_an_invalid_filter_value_is_said_and_lists_nothing_wrong(qm_client: Client, register: dict[str, Any]) -> None:
    response = qm_client.get(f"{URL}?origin=unknown")
    assert response.status_code == 200
    assert "origin" in response.context["filter"].form.errors


def test_on_a_phone_the_filters_fold_behind_a_button_counting_the_active_ones(
    qm_client: Client, register: dict[str, Any]
) -> None:
    html = qm_client.get(URL).content.decode()
    assert 'data-testid="filters-toggle"' in html and 'id="list-filters" class="collapse d-md-block card' in html
    assert 'text-bg-primary">' not in html.split('data-testid="filters-toggle"')[1].split("</button>")[0]
    response = qm_client.get(f"{URL}?origin=suggestion&status=new&q=&open_only=unknown")
    assert response.context["active_filter_count"] == 2  # an empty box and "whichever" do not count
    assert '<span class="badge text-bg-primary">2</span>' in response.content.decode()
    # A filter refused stays unfolded, its message in sight.
    invalid = qm_client.get(f"{URL}?origin=unknown")
    assert 'class="collapse d-md-block show card' in invalid.content.decode()


def test_each_cell_names_its_column_and_the_details_are_left_to_wide_screens(
    qm_client: Client, register: dict[str, Any]
) -> None:
    html = qm_client.get(URL).content.decode()
    assert 'class="table-container table-responsive table-cards"' in html
    assert (
        html.count('<th class="col-detail orderable" scope="col">') == 6
    )  # origin, process, department, raised by, on, actions
    assert '<td data-label="Origin" class="col-detail">' in html
    assert '<td data-label="Reference">' in html and '<td data-label="Status">' in html


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("reference", ["NC-2026-0001", "OA-2026-0001", "RE-2026-0001", "SU-2026-0001"]),
        ("-reference", ["SU-2026-0001", "RE-2026-0001", "OA-2026-0001", "NC-2026-0001"]),
        ("raised_on", ["SU-2026-0001", "NC-2026-0001", "RE-2026-0001", "OA-2026-0001"]),
        ("title", ["RE-2026-0001", "SU-2026-0001", "OA-2026-0001", "NC-2026-0001"]),
    ],
)
def test_sorting(qm_client: Client, register: dict[str, Any], sort: str, expected: list[str]) -> None:
    assert references(qm_client, f"sort={sort}") == expected


def test_sorting_by_action_count(qm_client: Client, register: dict[str, Any]) -> None:
    ordered = references(qm_client, "sort=-action_count")
    assert ordered[0] == "SU-2026-0001"
    assert ordered[-1] == "OA-2026-0001"


def test_a_user_sees_only_their_scope(register: dict[str, Any], school: dict[str, Any]) -> None:
    client = Client()
    client.force_login(school["student"])
    assert references(client) == ["SU-2026-0001"]
    client.force_login(school["head_civil"])
    assert references(client) == ["RE-2026-0001", "SU-2026-0001"]


def read_csv(response: Any) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="improvement-items-')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response: Any) -> list[list[Any]]:
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_csv_export_holds_the_filtered_rows(
    qm_client: Client, register: dict[str, Any], school: dict[str, Any]
) -> None:
    rows = read_csv(qm_client.get(f"{URL}?export=csv&department={school['civil'].pk}&sort=reference"))
    header, *body = rows
    assert header[:4] == ["Reference", "Origin", "Title", "Status"]
    assert [row[0] for row in body] == ["RE-2026-0001", "SU-2026-0001"]
    complaint, suggestion = body
    assert complaint[1] == "complaint"
    assert complaint[3] == "closed, effective"
    # A title a spreadsheet would run as a formula is exported as text.
    assert complaint[2] == '\'=HYPERLINK("http://evil.test")'
    assert suggestion[header.index("Process")] == str(school["process_civil"])
    assert suggestion[header.index("Actions")] == "2"


def test_xlsx_export_holds_the_filtered_rows(qm_client: Client, register: dict[str, Any]) -> None:
    rows = read_xlsx(qm_client.get(f"{URL}?export=xlsx&open=true&sort=-reference"))
    header, *body = rows
    assert header[0] == "Reference"
    assert [row[0] for row in body] == ["SU-2026-0001", "OA-2026-0001", "NC-2026-0001"]


def test_exports_hold_only_what_the_user_may_see(register: dict[str, Any], school: dict[str, Any]) -> None:
    client = Client()
    client.force_login(school["student"])
    _header, *body = read_csv(client.get(f"{URL}?export=csv"))
    assert [row[0] for row in body] == ["SU-2026-0001"]
    _header, *body = read_xlsx(client.get(f"{URL}?export=xlsx&origin=complaint"))
    assert body == []


def test_exports_are_not_paginated(qm_client: Client, school: dict[str, Any]) -> None:
    ImprovementItemFactory.create_batch(30, raised_by=school["student"])
    response = qm_client.get(URL)
    assert len(response.context["table"].page.object_list) == 25
    _header, *body = read_csv(qm_client.get(f"{URL}?export=csv"))
    assert len(body) == 30
