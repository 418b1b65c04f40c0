"""What hostile or careless input meets at the root: lenient pagination in the one list
view, ids out of any column's range refused by every form and filterset, the 500 page,
and constraint violations told in words next to their field. The whole-site matrix is
tests/test_fuzz.py."""

from __future__ import annotations

import datetime
import logging
import re
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, UniqueConstraint
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

from amelio.core.views import MAX_PAGE_SIZE, FilteredListView, bounded_int, query_id, server_error
from amelio.history.models import HistoryEntry
from amelio.internships.models import Internship
from amelio.internships.tests.factories import agreement_data
from amelio.organisation.models import AcademicYear
from amelio.processes.models import Process

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def list_urls() -> list[str]:
    """Every page served by the generic list view."""
    found = []

    def walk(resolver: URLResolver, namespace: str | None) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and issubclass(
                getattr(entry.callback, "view_class", object), FilteredListView
            ):
                found.append(reverse(f"{namespace}:{entry.name}"))

    walk(get_resolver(), None)
    return found


# --- Pagination -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[(None, 25), ("", 25), ("abc", 25), ("-1", 25), ("0", 25), ("1.5", 25), ("²", 25)],
        *[("7", 7), (" 7 ", 7), ("100000", MAX_PAGE_SIZE), (HUGE, MAX_PAGE_SIZE)],
    ],
)
def test_page_size_is_read_leniently_and_capped(value: str | None, expected: int) -> None:
    assert bounded_int(value, default=25, minimum=1, maximum=MAX_PAGE_SIZE) == expected


def test_every_list_page_takes_any_page_and_page_size(school: dict[str, Any]) -> None:
    urls = list_urls()
    assert len(urls) >= 16
    client = client_for(school["quality_manager"])
    for url in urls:
        for query, per_page in [
            ({"per_page": "-1"}, None),
            ({"per_page": "0"}, None),
            ({"per_page": "100000"}, MAX_PAGE_SIZE),
            ({"per_page": "abc", "page": "abc"}, None),
            ({"page": "-1"}, None),
            ({"page": HUGE, "per_page": HUGE}, MAX_PAGE_SIZE),
            ({"sort": "-nonexistent", "page": "2"}, None),
        ]:
            response = client.get(url, query)
            assert response.status_code == 200, (url, query)
            table = response.context["table"]
            if per_page is not None:
                assert table.paginator.per_page == per_page, (url, query)
            assert 1 <= table.page.number <= table.paginator.num_pages


def test_a_page_past_the_end_shows_the_last_one(school: dict[str, Any]) -> None:
    response = client_for(school["quality_manager"]).get(
        reverse("processes:process_list"), {"per_page": "1", "page": "999"}
    )
    table = response.context["table"]
    assert table.page.number == table.paginator.num_pages == Process.objects.count()


def test_the_history_keeps_its_own_page_size_below_the_cap(school: dict[str, Any]) -> None:
    response = client_for(school["quality_manager"]).get(reverse("history:search"), {"per_page": "-5"})
    assert response.context["table"].paginator.per_page == 50


# --- Ids out of range -----------------------------------------------------------------------


def test_a_huge_id_in_a_filter_gives_an_empty_list_and_an_empty_export(school: dict[str, Any]) -> None:
    client = client_for(school["quality_manager"])
    url = reverse("internships:internship_list")
    Internship.objects.create(**agreement_data(school), reference="ST-1")
    assert client.get(url).context["table"].paginator.count == 1
    response = client.get(url, {"department": HUGE})
    assert response.status_code == 200
    assert response.context["table"].paginator.count == 0
    export = client.get(url, {"department": HUGE, "export": "csv"})
    assert export.status_code == 200
    assert export.content.decode("utf-8-sig").strip().count("\n") == 0  # the header alone


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "9223372036854775808"])
def test_a_huge_id_in_a_choice_filter_is_refused_as_an_unknown_choice(school: dict[str, Any], value: str) -> None:
    response = client_for(school["quality_manager"]).get(reverse("processes:process_list"), {"owner": value})
    assert response.status_code == 200
    assert response.context["table"].paginator.count == 0
    assert "Select a valid choice" in str(response.context["filter"].form.errors["owner"])


def test_a_huge_id_in_a_multiple_choice_field_is_a_form_error_and_changes_nothing(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    history = HistoryEntry.objects.count()
    response = client_for(school["quality_manager"]).post(
        reverse("processes:process_update", args=[process.pk]),
        {
            "code": process.code,
            "name": "Renamed",
            "kind": process.kind,
            "owner": process.owner_id,
            "clauses": [HUGE],
            "interacts_with": [school["process_school"].pk, HUGE],
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Select a valid choice" in str(errors["clauses"])
    assert "Select a valid choice" in str(errors["interacts_with"])
    process.refresh_from_db()
    assert process.name != "Renamed"
    assert HistoryEntry.objects.count() == history


def test_a_huge_id_in_a_single_choice_field_is_a_form_error(school: dict[str, Any]) -> None:
    response = client_for(school["quality_manager"]).post(
        reverse("organisation:role_grant", args=[school["teacher"].pk]),
        {"role": "process_owner", "scope_kind": "process", "process": HUGE},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["form"].errors)


@pytest.mark.parametrize(("value", "expected"), [("12", 12), ("²", None), ("-3", None), ("0", None), (HUGE, None)])
def test_an_id_passed_in_a_link_is_read_safely(value: str, expected: int | None) -> None:
    assert query_id(RequestFactory().get("/", {"company": value}), "company") == expected


def test_a_preselected_company_that_is_no_number_is_ignored(school: dict[str, Any]) -> None:
    client = client_for(school["quality_manager"])
    assert client.get(reverse("partners:agreement_create"), {"company": "²"}).status_code == 200
    assert client.get(reverse("partners:intervention_create"), {"speaker": "²"}).status_code == 200


# --- The 500 page ---------------------------------------------------------------------------


def explode(request: Any) -> Any:
    raise RuntimeError("secret detail of the failure")


urlpatterns = [path("explode/", explode), path("", include("config.urls"))]
handler500 = "amelio.core.views.server_error"


def test_the_500_page_is_the_application_s_with_a_reference_in_the_log(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="amelio.errors"):
        response = client.get("/explode/")
    assert response.status_code == 500
    page = response.content.decode()
    reference = re.search(r'data-testid="error-reference">([0-9A-F]{8})<', page).group(1)
    assert "Something went wrong on our side" in page and "Amelio" in page
    assert "secret detail" not in page and "Traceback" not in page
    record = next(r for r in caplog.records if r.name == "amelio.errors")
    assert reference in record.getMessage() and "/explode/" in record.getMessage()
    assert record.exc_info is not None and "secret detail" in str(record.exc_info[1])


def test_the_500_page_is_translated(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="fr")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get("/explode/")
    assert response.status_code == 500
    assert "Un problème est survenu de notre côté" in response.content.decode()


def test_the_500_page_reads_nothing_from_the_database(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/anything/"))
    assert response.status_code == 500


# --- Constraints told in words ----------------------------------------------------------------


def test_no_constraint_of_the_application_shows_its_raw_name() -> None:
    """Each check and each conditional unique constraint has its own message; a plain unique
    constraint on fields gets Django's "... with this ... already exists"."""
    silent = []
    for model in apps.get_models():
        if not model.__module__.startswith("amelio."):
            continue
        for constraint in model._meta.constraints:
            plain_unique = isinstance(constraint, UniqueConstraint) and constraint.condition is None
            told = constraint.violation_error_message != constraint.default_violation_error_message
            if (isinstance(constraint, CheckConstraint) or not plain_unique) and not told:
                silent.append(f"{model.__name__}.{constraint.name}")
    assert silent == []


def test_an_internship_ending_before_it_starts_is_refused_on_its_end_date(school: dict[str, Any]) -> None:
    from amelio.internships.tests.test_views import form_data

    data = agreement_data(school, starts_on=datetime.date(2027, 6, 11), ends_on=datetime.date(2027, 4, 5))
    response = client_for(school["student"]).post(reverse("internships:internship_create"), form_data(data))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["ends_on"] == ["The internship cannot end before it starts."]
    assert "Constraint" not in response.content.decode()
    assert not Internship.objects.exists()


def test_other_dated_records_say_which_date_is_wrong(school: dict[str, Any]) -> None:
    year = AcademicYear(label="2030-2031", starts_on=datetime.date(2031, 8, 31), ends_on=datetime.date(2030, 9, 1))
    with pytest.raises(ValidationError) as refused:
        year.validate_constraints()
    assert refused.value.message_dict == {"ends_on": ["The end date must come after the start date."]}


# --- NUL bytes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/processes/?q=a%00b", "/processes/?a%00b=1", "/processes/?page=1&q=ok&q=%00", "/processes/%00/"]
)
def test_a_nul_byte_anywhere_in_the_address_is_refused_with_400(school: dict[str, Any], url: str) -> None:
    response = client_for(school["quality_manager"]).get(url)
    assert response.status_code == 400
    assert "Request refused" in response.content.decode()
    assert "Content-Security-Policy" in response.headers


def test_a_nul_byte_in_a_form_is_refused_and_nothing_is_written(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    history = HistoryEntry.objects.count()
    response = client_for(school["quality_manager"]).post(
        reverse("processes:process_update", args=[process.pk]),
        {"code": process.code, "name": "Nul\x00led", "kind": process.kind, "owner": process.owner_id},
    )
    assert response.status_code == 400
    process.refresh_from_db()
    assert "\x00" not in process.name and HistoryEntry.objects.count() == history


def test_the_refusal_is_translated(school: dict[str, Any], settings: Any) -> None:
    client = client_for(school["quality_manager"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Requête refusée" in client.get("/processes/?q=%00").content.decode()
