"""A cohort followed through the years, against enrolments built here with hand-counted
figures: who belongs to it (first enrolment in the programme that year), a repeater counted
once per year, graduates and leavers counted once; the page's permissions, its refusal of a
hostile choice, and a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amelio.organisation.tests.factories import ProgrammeFactory
from amelio.students.choices import Outcome
from amelio.students.selectors import cohort_progression
from tests.query_budgets import check_query_budgets

from .factories import StudentFactory, enrol, year

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def cohort(school: dict[str, Any]) -> dict[str, Any]:
    """Five students entered civil engineering in 2022 in 3rd year: two go straight through,
    one repeats the 4th year then graduates, one leaves after the 3rd year, one is still in
    5th year. One entered in 2023 and one of another programme in 2022 are not of the cohort."""
    year(2025, current=True)
    civil = ProgrammeFactory(department=school["civil"], code="GC")
    other = ProgrammeFactory(department=school["electrical"], code="GE")
    straight = [StudentFactory(), StudentFactory()]
    for student in straight:
        enrol(student, civil, 2022, 3, Outcome.PASSED)
        enrol(student, civil, 2023, 4, Outcome.PASSED)
        enrol(student, civil, 2024, 5, Outcome.GRADUATED)
    repeater = StudentFactory()
    enrol(repeater, civil, 2022, 3, Outcome.PASSED)
    enrol(repeater, civil, 2023, 4, Outcome.REPEATING)
    enrol(repeater, civil, 2024, 4, Outcome.PASSED)
    enrol(repeater, civil, 2025, 5, Outcome.GRADUATED)
    leaver = StudentFactory()
    enrol(leaver, civil, 2022, 3, Outcome.LEFT)
    late = StudentFactory()
    enrol(late, civil, 2022, 3, Outcome.PASSED)
    enrol(late, civil, 2023, 4, Outcome.PASSED)
    enrol(late, civil, 2024, 5, Outcome.REPEATING)
    enrol(late, civil, 2025, 5)
    enrol(StudentFactory(), civil, 2023, 3, Outcome.PASSED)  # entered a year later
    enrol(StudentFactory(), other, 2022, 3, Outcome.PASSED)  # another programme
    return {"civil": civil, "entry": year(2022)}


def test_the_cohort_is_followed_year_by_year(cohort: dict[str, Any]) -> None:
    followed = cohort_progression(programme=cohort["civil"], entry_year=cohort["entry"])
    assert followed.size == 5
    table = [
        (y.academic_year.label, y.enrolled, y.by_year_of_study, y.by_outcome, y.graduated_so_far, y.left_so_far)
        for y in followed.years
    ]
    assert table == [
        ("2022-2023", 5, {3: 5}, {"passed": 4, "left": 1}, 0, 1),
        ("2023-2024", 4, {4: 4}, {"passed": 3, "repeating": 1}, 0, 1),
        ("2024-2025", 4, {5: 3, 4: 1}, {"graduated": 2, "passed": 1, "repeating": 1}, 2, 1),
        ("2025-2026", 2, {5: 2}, {"graduated": 1, "pending": 1}, 3, 1),
    ]
    assert (followed.graduated, followed.left, followed.still_enrolled) == (3, 1, 1)
    assert (str(followed.graduated_share), str(followed.left_share)) == ("60.0", "20.0")


def test_staff_and_auditors_open_the_page_and_a_student_does_not(
    school: dict[str, Any], cohort: dict[str, Any]
) -> None:
    url = reverse("students:cohort")
    query = {"programme": cohort["civil"].pk, "entry_year": "2022-2023"}
    for who in ("quality_manager", "head_civil", "auditor", "teacher"):
        response = client_for(school[who]).get(url, query)
        assert response.status_code == 200, who
        assert response.context["cohort"].size == 5
    page = client_for(school["auditor"]).get(url, query).content.decode()
    assert 'data-testid="cohort-summary"' in page and "60.0 %" in page
    assert client_for(school["student"]).get(url, query).status_code == 403
    assert Client().get(url)["Location"].startswith("/accounts/login/")
    # With nothing chosen: the cohort entered three years before the current one, in the
    # programme the most students entered that year.
    default = client_for(school["auditor"]).get(url)
    assert default.status_code == 200
    assert (default.context["cohort"].programme, default.context["cohort"].entry_year.label) == (
        cohort["civil"],
        "2023-2024",
    )


@pytest.mark.parametrize(
    "query", [{"programme": "abc", "entry_year": "2022-2023"}, {"programme": "999999", "entry_year": "x"}]
)
def test_a_hostile_choice_is_refused_on_its_field(
    school: dict[str, Any], cohort: dict[str, Any], query: dict[str, str]
) -> None:
    response = client_for(school["auditor"]).get(reverse("students:cohort"), query)
    assert response.status_code == 400 and response.context["form"].errors and response.context["cohort"] is None


def test_the_page_runs_a_fixed_number_of_queries(school: dict[str, Any], cohort: dict[str, Any]) -> None:
    client = client_for(school["auditor"])
    query = {"programme": cohort["civil"].pk, "entry_year": "2022-2023"}

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("students:cohort"), query).status_code == 200
        return len(captured)

    small = count()
    for _index in range(20):
        student = StudentFactory()
        enrol(student, cohort["civil"], 2022, 3, Outcome.PASSED)
        enrol(student, cohort["civil"], 2023, 4, Outcome.LEFT)
    check_query_budgets("students cohort", {"page": {"5 students": small, "25 students": count()}}, whole_group=False)
