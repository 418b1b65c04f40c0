"""The follow-up board (/internships/follow-up/): what is due first (late, then soonest),
filtered by year (the current one by default), department, tutor and lateness, 25 to a page;
and a milestone due in the past shows as late whatever the followed internship's state."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from amelio.internships import services
from amelio.internships.choices import InternshipStatus, MilestoneKind
from amelio.internships.models import Internship, Milestone
from amelio.internships.tests.factories import agreement_data
from amelio.internships.tests.test_views import TODAY, client_for, populate
from amelio.organisation.models import AcademicYear

pytestmark = pytest.mark.django_db

URL = reverse("internships:follow_up")


def signed(school: dict[str, Any]) -> Internship:
    internship = services.internship_create(actor=school["student"], data=agreement_data(school))
    services.internship_check(actor=school["office"], internship=internship)
    services.internship_validate(actor=school["head_civil"], internship=internship)
    return services.internship_sign(
        actor=school["office"],
        internship=internship,
        student_signed_on=TODAY,
        company_signed_on=TODAY,
        school_signed_on=TODAY,
    )


def references(response: Any) -> list[tuple[str, str]]:
    return [(row.record.internship.reference, row.record.kind) for row in response.context["table"].paginated_rows]


def test_a_past_milestone_of_a_signed_internship_is_late_on_the_board_and_its_page(school: dict[str, Any]) -> None:
    internship = signed(school)
    assert internship.status == InternshipStatus.SIGNED
    # Its start went by without anyone confirming the arrival (setting the date is the test's setup).
    Milestone.objects.filter(internship=internship, kind=MilestoneKind.ARRIVAL_CONFIRMED).update(
        due_on=TODAY - datetime.timedelta(days=2)
    )
    client = client_for(school["office"])
    response = client.get(URL)
    rows = list(response.context["table"].paginated_rows)
    assert rows[0].record.kind == MilestoneKind.ARRIVAL_CONFIRMED and rows[0].record.is_late is True
    assert all(row.record.is_late is False for row in rows[1:])  # the others are still to come
    assert response.context["counts"] == {"total": 1, "late": 1}
    html = response.content.decode()
    assert html.count('class="table-danger') == 1 and ">late</span>" in html
    assert [r.record.pk for r in client.get(f"{URL}?late=true").context["table"].paginated_rows] == [rows[0].record.pk]
    detail = client.get(internship.get_absolute_url()).content.decode()
    assert detail.count('<tr class="table-danger">') == 1 and ">late</span>" in detail


def test_what_is_due_comes_first_then_the_soonest(school: dict[str, Any]) -> None:
    populate(3, school)
    response = client_for(school["office"]).get(URL)
    dues = [row.record.due_on for row in response.context["table"].paginated_rows]
    assert dues == sorted(dues)
    late = [row.record.is_late for row in response.context["table"].paginated_rows]
    assert late == sorted(late, reverse=True)  # every late one before any that is not


def test_the_board_shows_the_current_year_unless_asked_and_filters_by_department_and_tutor(
    school: dict[str, Any],
) -> None:
    internship = signed(school)
    client = client_for(school["office"])
    assert client.get(URL).context["table"].paginator.count == 6  # the signature's own milestone is done
    AcademicYear.objects.filter(pk=internship.academic_year_id).update(is_current=False)
    AcademicYear.objects.create(
        label="2027-2028", starts_on=datetime.date(2027, 9, 1), ends_on=datetime.date(2028, 8, 31), is_current=True
    )
    assert client.get(URL).context["table"].paginator.count == 0
    assert client.get(f"{URL}?academic_year=").context["table"].paginator.count == 6  # every year
    every_year = f"{URL}?academic_year="
    assert client.get(f"{every_year}&department={school['electrical'].pk}").context["table"].paginator.count == 0
    assert client.get(f"{every_year}&department={school['civil'].pk}").context["table"].paginator.count == 6
    tutor = internship.academic_tutor
    assert tutor is not None
    assert client.get(f"{every_year}&tutor={tutor.pk}").context["table"].paginator.count == 6
    other = client.get(f"{every_year}&tutor=999999")
    assert other.context["table"].paginator.count == 0 and "tutor" in other.context["filter"].form.errors


def test_the_board_is_paginated(school: dict[str, Any]) -> None:
    populate(6, school)  # six milestones still open each
    client = client_for(school["office"])
    first = client.get(URL)
    assert first.context["table"].paginator.count == 36 and len(first.context["table"].page.object_list) == 25
    assert len(client.get(f"{URL}?page=2").context["table"].page.object_list) == 11


def test_a_student_sees_no_one_elses_milestones(school: dict[str, Any]) -> None:
    populate(2, school)
    response = client_for(school["student"]).get(URL)
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert response.context["table"].paginator.count == 0


def test_the_internship_list_filters_by_department_and_company_with_a_field_for_each(school: dict[str, Any]) -> None:
    internship = signed(school)
    client = client_for(school["office"])
    url = reverse("internships:internship_list")
    form = client.get(url).context["filter"].form
    assert not form["department"].is_hidden and not form["company"].is_hidden
    assert client.get(f"{url}?department={school['civil'].pk}").context["table"].paginator.count == 1
    assert client.get(f"{url}?department={school['electrical'].pk}").context["table"].paginator.count == 0
    assert client.get(f"{url}?company={internship.company_id}").context["table"].paginator.count == 1
    refused = client.get(f"{url}?company=999999")
    assert refused.context["table"].paginator.count == 0 and "company" in refused.context["filter"].form.errors
