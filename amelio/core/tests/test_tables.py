"""The list tables' fast paths give exactly what django-tables2's own templates gave."""

from __future__ import annotations

import datetime
import re
from typing import Any

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation
from django_tables2.utils import call_with_appropriate

from amelio.core.tables import DateColumn, DateTimeColumn
from amelio.organisation.models import AcademicYear, Person
from amelio.organisation.tests.factories import AcademicYearFactory, PersonFactory

pytestmark = pytest.mark.django_db


class YearTable(tables.Table):
    label = tables.Column(linkify=True)

    class Meta:
        model = AcademicYear
        fields = ["label", "starts_on", "ends_on", "is_current"]
        row_attrs = {"data-current": lambda record: "yes" if record.is_current else "no"}


class PersonTable(tables.Table):
    class Meta:
        model = Person
        fields = ["email", "last_login"]


def _render(table: tables.Table, template_name: str) -> str:
    request = RequestFactory().get("/")
    table.template_name = template_name
    html = Template("{% load django_tables2 %}{% render_table table %}").render(
        Context({"table": table, "request": request})
    )
    return re.sub(r"\s+", " ", html).replace("> <", "><").replace(" >", ">").strip()


def test_columns_generated_from_date_fields_are_cores() -> None:
    assert isinstance(YearTable.base_columns["starts_on"], DateColumn)
    assert isinstance(PersonTable.base_columns["last_login"], DateTimeColumn)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_rows_and_dates_are_drawn_as_django_tables2_drew_them(language: str) -> None:
    AcademicYearFactory(label="2024-2025", starts_on=datetime.date(2024, 9, 1), ends_on=datetime.date(2025, 8, 31))
    AcademicYearFactory(
        label="2025-2026", starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2026, 8, 31), is_current=True
    )
    with translation.override(language):
        ours = _render(YearTable(AcademicYear.objects.order_by("starts_on")), "core/table.html")
        theirs = _render(
            YearTable(AcademicYear.objects.order_by("starts_on")), "django_tables2/bootstrap5-responsive.html"
        )
    # The same markup, in a container that also turns the rows into cards on a phone.
    assert 'class="table-container table-responsive table-cards"' in ours
    assert ours.replace(" table-cards", "", 1) == theirs
    assert ("01/09/2024" if language == "fr" else "09/01/2024") in ours
    assert 'data-current="yes"' in ours


def test_an_empty_date_shows_the_columns_default_and_a_time_is_local() -> None:
    moment = datetime.datetime(2026, 1, 15, 23, 30, tzinfo=datetime.UTC)
    PersonFactory(email="a@example.org", last_login=moment)
    PersonFactory(email="b@example.org", last_login=None)
    with translation.override("fr"), timezone.override("Europe/Paris"):
        html = _render(PersonTable(Person.objects.order_by("email")), "core/table.html")
    assert "16/01/2026 00:30" in html  # 23:30 UTC is past midnight in Paris
    assert "<td>—</td>" in html


def test_an_empty_table_says_so() -> None:
    table = YearTable(AcademicYear.objects.none(), empty_text="Nothing yet")
    assert 'colspan="4">Nothing yet</td>' in _render(table, "core/table.html")


class _Renderer:
    def render(self, value: Any, record: Any) -> str:
        return f"{value}/{record}"


def test_a_cached_signature_still_passes_each_callable_what_it_asks_for() -> None:
    renderer = _Renderer()
    offered = {"value": 1, "record": 2, "table": 3}
    assert call_with_appropriate(renderer.render, offered) == "1/2"
    assert call_with_appropriate(_Renderer().render, offered) == "1/2"  # another instance, same function
    assert call_with_appropriate(lambda table: table * 2, offered) == 6
    assert call_with_appropriate(lambda missing: missing, offered) is None


def test_the_audit_trail_keeps_its_own_time_format() -> None:
    from amelio.history.tables import HistoryEntryTable

    column = HistoryEntryTable.base_columns["timestamp"]
    assert isinstance(column, DateTimeColumn)
    moment = datetime.datetime(2026, 3, 2, 8, 5, 9, tzinfo=datetime.UTC)
    with timezone.override("Europe/Paris"):
        assert column.render(value=moment) == "2026-03-02 09:05:09 CET"  # the school's time, its zone named
    with timezone.override("UTC"):
        assert column.render(value=moment) == "2026-03-02 08:05:09 UTC"


class KindTable(tables.Table):
    """A choices column (its label remembered per value), a column whose cell attributes read
    the record (computed per row) and one whose attributes are fixed (computed once)."""

    email = tables.Column(
        linkify=lambda record: f"/people/{record.pk}/", attrs={"td": {"data-kind": lambda record: record.kind}}
    )
    kind = tables.Column(attrs={"td": {"class": "text-nowrap"}})

    class Meta:
        model = Person
        fields = ["email", "kind", "is_active"]
        attrs = {"td": {"data-table": "people"}}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_choices_and_cell_attributes_are_drawn_as_django_tables2_drew_them(language: str) -> None:
    from amelio.organisation.choices import PersonKind

    for index, kind in enumerate([PersonKind.STAFF, PersonKind.STUDENT, PersonKind.STAFF, PersonKind.STUDENT]):
        PersonFactory(email=f"p{index}@example.org", kind=kind)
    with translation.override(language):
        ours = _render(KindTable(Person.objects.order_by("email")), "core/table.html")
        theirs = _render(KindTable(Person.objects.order_by("email")), "django_tables2/bootstrap5-responsive.html")
        student = str(PersonKind.STUDENT.label)
    assert ours.replace(" table-cards", "", 1) == theirs
    assert ours.count(f">{student}</td>") == 2
    assert f'data-kind="{PersonKind.STUDENT.value}"' in ours and f'data-kind="{PersonKind.STAFF.value}"' in ours
    assert '<td class="text-nowrap">' in ours  # the column's own cell attributes replace the table's
    assert '<td data-table="people"><span class="true">' in ours


def test_the_list_table_is_rendered_in_the_pages_context_without_its_processors_again() -> None:
    from django.db import connection
    from django.template import RequestContext
    from django.test.utils import CaptureQueriesContext

    PersonFactory(email="a@example.org")
    user = PersonFactory(email="b@example.org")
    request = RequestFactory().get("/")
    request.user = user
    rows = list(Person.objects.order_by("email"))  # the table itself asks for nothing more

    def page(tag: str) -> tuple[str, int]:
        template = Template("{% load django_tables2 core_tables %}<main>{% " + tag + " table %}</main>")
        table = PersonTable(rows)
        with CaptureQueriesContext(connection) as queries:
            html = template.render(RequestContext(request, {"table": table}))
        counts = [query for query in queries.captured_queries if "notifications_notification" in query["sql"]]
        return re.sub(r"\s+", " ", html), len(counts)

    ours, our_queries = page("render_list_table")
    theirs, their_queries = page("render_table")
    assert ours == theirs
    assert "a@example.org" in ours
    assert (our_queries, their_queries) == (1, 2)  # the unread notifications counted once, not twice


def test_a_cells_fragment_is_remembered_per_value_and_language() -> None:
    from django.template.loader import render_to_string

    from amelio.core.tables import table_fragment

    table = PersonTable([])
    overdue = {"review_due_on": datetime.date(2020, 1, 1), "review_overdue": True}
    for language in ["fr", "en", "fr"]:
        with translation.override(language):
            expected = render_to_string("documents/_review_date.html", {"document": overdue})
            drawn = table_fragment(table, "documents/_review_date.html", {"document": overdue}, key=(1, True))
            assert drawn == expected
    with translation.override("en"):
        assert "Review overdue" in table_fragment(table, "documents/_review_date.html", {}, key=(1, True))
    badge = {"status": "draft", "label": "Brouillon"}
    assert table_fragment(table, "documents/_status.html", badge) == render_to_string("documents/_status.html", badge)
    other = {"status": "obsolete", "label": "Obsolète"}
    assert table_fragment(table, "documents/_status.html", other) == render_to_string("documents/_status.html", other)
    assert table_fragment(PersonTable([]), "documents/_status.html", {"status": [1], "label": "x"}).startswith("<span")


def test_a_phone_cards_column_name_is_computed_once_per_table_yet_drawn_on_every_cell() -> None:
    from amelio.core.tables import detail, list_table_attrs
    from amelio.core.templatetags.core_tables import _computed_per_row

    class CardTable(tables.Table):
        email = tables.Column(verbose_name="Email")
        kind = tables.Column(verbose_name="Kind", attrs=detail())

        class Meta:
            model = Person
            fields = ["email", "kind"]
            attrs = list_table_attrs()

    for index in range(3):
        PersonFactory(email=f"c{index}@example.org")
    table = CardTable(Person.objects.order_by("email"))
    assert not any(_computed_per_row(table, column) for column in table.columns)
    html = _render(table, "core/table.html")
    assert html.count('data-label="Email"') == 3
    assert html.count('class="col-detail" data-label="Kind"') + html.count('data-label="Kind" class="col-detail"') == 3
