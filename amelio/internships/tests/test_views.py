"""Internship pages over HTTP: who sees and moves what; the PDF; the link form."""

from __future__ import annotations

import datetime
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amelio.history.models import HistoryEntry
from amelio.internships import services
from amelio.internships.choices import EvaluationKind, InternshipStatus
from amelio.internships.models import Evaluation, Internship
from amelio.internships.tests.factories import agreement_data
from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory
from tests.query_budgets import check_query_budgets

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def clear_cache() -> None:
    cache.clear()


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def form_data(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (value.pk if hasattr(value, "pk") else value)
        for key, value in data.items()
        if value is not None and key != "student"
    }


def test_student_drafts_an_agreement_through_the_form(school: dict[str, Any]) -> None:
    data = agreement_data(school)
    response = client_for(school["student"]).post(reverse("internships:internship_create"), form_data(data))
    internship = Internship.objects.get()
    assert response["Location"] == internship.get_absolute_url()
    assert internship.student == school["student"] and internship.status == InternshipStatus.DRAFT


def test_a_broken_rule_is_shown_on_its_field_and_nothing_is_written(school: dict[str, Any]) -> None:
    data = agreement_data(school, hourly_gratification=None)
    response = client_for(school["student"]).post(reverse("internships:internship_create"), form_data(data))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "L124-6" in errors["hourly_gratification"][0]
    html = response.content.decode()
    assert 'value="Dimensionnement d&#x27;ouvrages"' in html  # what was typed is kept
    assert not Internship.objects.exists()


def test_a_student_sees_only_their_own_internships(school: dict[str, Any]) -> None:
    mine = services.internship_create(actor=school["student"], data=agreement_data(school))
    other_student = PersonFactory(kind="student", department=school["civil"])
    theirs = services.internship_create(actor=school["office"], data=agreement_data(school, student=other_student))
    client = client_for(school["student"])
    listed = client.get(reverse("internships:internship_list"))
    references = {row.record.reference for row in listed.context["table"].page.object_list}
    assert references == {mine.reference}
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(reverse("internships:internship_pdf", args=[theirs.pk])).status_code == 404


def test_a_tutor_sees_only_the_internships_they_tutor(school: dict[str, Any]) -> None:
    from amelio.organisation.tests.factories import grant

    tutored = services.internship_create(actor=school["office"], data=agreement_data(school))
    other_teacher = PersonFactory(kind="teacher", department=school["civil"])
    grant(other_teacher, "teacher", school["civil"])
    not_tutored = services.internship_create(
        actor=school["office"], data=agreement_data(school, academic_tutor=other_teacher)
    )
    client = client_for(school["teacher"])
    assert client.get(tutored.get_absolute_url()).status_code == 200
    assert client.get(not_tutored.get_absolute_url()).status_code == 404


def test_office_of_another_department_is_out_of_scope(school: dict[str, Any]) -> None:
    from amelio.organisation.tests.factories import grant

    internship = services.internship_create(actor=school["office"], data=agreement_data(school))
    electrical_office = PersonFactory(department=school["electrical"])
    grant(electrical_office, "internship_office", school["electrical"])
    client = client_for(electrical_office)
    assert client.get(internship.get_absolute_url()).status_code == 404
    assert client.post(reverse("internships:internship_step", args=[internship.pk, "check"])).status_code == 404
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.DRAFT


def test_workflow_steps_over_http_and_refusals_change_nothing(school: dict[str, Any]) -> None:
    internship = services.internship_create(actor=school["student"], data=agreement_data(school))
    step = lambda name: reverse("internships:internship_step", args=[internship.pk, name])  # noqa: E731
    history_before = HistoryEntry.objects.count()
    assert client_for(school["student"]).post(step("check")).status_code == 403
    assert client_for(school["head_electrical"]).post(step("check")).status_code == 404  # out of sight
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.DRAFT and HistoryEntry.objects.count() == history_before
    client_for(school["office"]).post(step("check"))
    assert client_for(school["head_electrical"]).post(step("validate")).status_code == 404
    assert client_for(school["teacher"]).post(step("validate")).status_code == 403  # the tutor sees it
    client_for(school["head_civil"]).post(step("validate"))
    response = client_for(school["office"]).post(step("sign"), {"student_signed_on": TODAY.isoformat()})
    assert response.status_code == 400
    assert "company_signed_on" in response.context["form"].errors
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.VALIDATED
    client_for(school["office"]).post(
        step("sign"),
        {
            "student_signed_on": TODAY.isoformat(),
            "company_signed_on": TODAY.isoformat(),
            "school_signed_on": TODAY.isoformat(),
        },
    )
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.SIGNED
    assert internship.milestones.count() == 7


def test_unknown_step_is_not_found(school: dict[str, Any]) -> None:
    internship = services.internship_create(actor=school["student"], data=agreement_data(school))
    url = reverse("internships:internship_step", args=[internship.pk, "teleport"])
    assert client_for(school["office"]).post(url).status_code == 404


def test_the_agreement_pdf_has_its_clauses(school: dict[str, Any], tmp_path: Path) -> None:
    internship = services.internship_create(actor=school["student"], data=agreement_data(school))
    response = client_for(school["student"]).get(reverse("internships:internship_pdf", args=[internship.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"  # a person's agreement: no shared or disk cache
    pdf = tmp_path / "agreement.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    for expected in (internship.reference, "Article 4", "4.35", "350 hours of presence", "Signatures"):
        assert expected in text, expected


def signed_and_under_way(school: dict[str, Any]) -> Internship:
    internship = services.internship_create(actor=school["student"], data=agreement_data(school))
    services.internship_check(actor=school["office"], internship=internship)
    services.internship_validate(actor=school["head_civil"], internship=internship)
    services.internship_sign(
        actor=school["office"],
        internship=internship,
        student_signed_on=TODAY,
        company_signed_on=TODAY,
        school_signed_on=TODAY,
    )
    return services.internship_start(actor=school["office"], internship=internship)


def test_the_company_tutor_evaluates_through_the_link_without_an_account(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    internship = signed_and_under_way(school)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(school["office"]).post(
            reverse("internships:evaluation_link_send", args=[internship.pk]), {"kind": EvaluationKind.COMPANY_TUTOR}
        )
    url = next(line for line in mail.outbox[-1].body.splitlines() if "/internships/evaluation/" in line)
    path = url[url.index("/internships/") :]
    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    bad = anonymous.post(path, {"technical": "9", "autonomy": "4", "teamwork": "4", "project": "4"})
    assert bad.status_code == 400 and "technical" in bad.context["form"].errors
    assert not Evaluation.objects.exists()
    done = anonymous.post(
        path, {"technical": "5", "autonomy": "4", "teamwork": "4", "project": "3", "comment": "Très bien"}
    )
    assert done.status_code == 200
    assert Evaluation.objects.get().score == Decimal("4.0")
    again = anonymous.get(path)
    assert again.status_code == 410 and "already been used" in again.content.decode()
    assert anonymous.get("/internships/evaluation/forged/").status_code == 410


ANSWERS = {"technical": "5", "autonomy": "4", "teamwork": "4", "project": "3"}


def test_the_link_form_is_rate_limited(school: dict[str, Any], settings: Any) -> None:
    """Ten posts an hour per address; opening a link is never counted nor refused."""
    anonymous = Client(REMOTE_ADDR="203.0.113.7")
    for _attempt in range(30):
        assert anonymous.get("/internships/evaluation/forged/").status_code == 410
    for attempt in range(10):
        assert anonymous.post(f"/internships/evaluation/forged-{attempt}/", ANSWERS).status_code == 410, attempt
    refused = anonymous.post("/internships/evaluation/forged-10/", ANSWERS)
    assert refused.status_code == 429
    assert "Too many attempts; try again in an hour." in refused.content.decode()
    assert anonymous.get("/internships/evaluation/forged/").status_code == 410
    assert Client(REMOTE_ADDR="198.51.100.2").post("/internships/evaluation/forged/", ANSWERS).status_code == 410
    # Behind the proxy, the forwarded client is the one counted.
    settings.BEHIND_HTTPS_PROXY = True
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    forged = "/internships/evaluation/forged/"
    assert proxy.post(forged, ANSWERS, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert proxy.post(forged, ANSWERS, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 410


def test_a_refused_post_writes_no_evaluation(school: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    internship = signed_and_under_way(school)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(school["office"]).post(
            reverse("internships:evaluation_link_send", args=[internship.pk]), {"kind": EvaluationKind.COMPANY_TUTOR}
        )
    url = next(line for line in mail.outbox[-1].body.splitlines() if "/internships/evaluation/" in line)
    path = url[url.index("/internships/") :]
    anonymous = Client(REMOTE_ADDR="203.0.113.8")
    for _attempt in range(10):
        assert anonymous.post(path, {"technical": "9"}).status_code == 400
    assert anonymous.post(path, ANSWERS).status_code == 429
    assert not Evaluation.objects.exists()
    # The link itself is still good: from another address it is used once, as it should be.
    assert Client(REMOTE_ADDR="198.51.100.3").post(path, ANSWERS).status_code == 200
    assert Evaluation.objects.count() == 1


def populate(rows: int, school: dict[str, Any]) -> None:
    programme = ProgrammeFactory(department=school["civil"])
    for index in range(rows):
        student = PersonFactory(kind="student", department=school["civil"])
        start = datetime.date(2026, 9, 7) + datetime.timedelta(days=index % 100)
        internship = services.internship_create(
            actor=school["office"],
            data=agreement_data(
                school,
                student=student,
                programme=programme,
                starts_on=start,
                ends_on=start + datetime.timedelta(days=30),
                academic_tutor=None,
            ),
        )
        services.internship_check(actor=school["office"], internship=internship)
        services.internship_validate(actor=school["head_civil"], internship=internship)
        services.internship_sign(
            actor=school["office"],
            internship=internship,
            student_signed_on=TODAY,
            company_signed_on=TODAY,
            school_signed_on=TODAY,
        )


@pytest.mark.parametrize(
    ("page_name", "label"),
    [("internships:internship_list", "internship list"), ("internships:follow_up", "follow-up board")],
)
def test_list_and_follow_up_board_run_fixed_queries(school: dict[str, Any], page_name: str, label: str) -> None:
    """Both counts must be the page's budget in tests/query_budgets.json. (The parameter is not
    called `page`: that name is pytest-playwright's browser page.)"""
    client = client_for(school["office"])
    populate(5, school)
    with CaptureQueriesContext(connection) as five:
        assert client.get(reverse(page_name)).status_code == 200
    populate(45, school)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(reverse(page_name)).status_code == 200
    check_query_budgets(
        "internships as office",
        {label: {"5 rows": len(five.captured_queries), "50 rows": len(fifty.captured_queries)}},
        whole_group=False,
    )


def test_detail_page_runs_fixed_queries(school: dict[str, Any]) -> None:
    client = client_for(school["office"])
    internship = signed_and_under_way(school)
    with CaptureQueriesContext(connection) as before:
        assert client.get(internship.get_absolute_url()).status_code == 200
    for _ in range(5):
        services.evaluation_link_send(actor=school["office"], internship=internship, kind=EvaluationKind.STUDENT)
    with CaptureQueriesContext(connection) as after:
        assert client.get(internship.get_absolute_url()).status_code == 200
    check_query_budgets(
        "internships as office",
        {
            "internship detail": {
                "no evaluation link": len(before.captured_queries),
                "5 evaluation links": len(after.captured_queries),
            }
        },
        whole_group=False,
    )
