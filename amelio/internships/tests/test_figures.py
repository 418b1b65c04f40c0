"""Each figure on a small hand-made school, with exact expected values; the page, its
permission, its chart and its query count."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amelio.internships import figures
from amelio.internships.choices import EvaluationKind, InternshipKind, InternshipStatus, MilestoneKind
from amelio.internships.models import Evaluation, Internship, Milestone
from amelio.internships.tests.factories import CompanyFactory, ContactFactory
from amelio.organisation.models import AcademicYear
from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory
from amelio.partners.models import Intervention, PartnershipAgreement
from tests.query_budgets import check_query_budgets

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 1, 15)  # what the mid-term figure is computed on
MARCH_3, FEBRUARY_10 = D(2025, 3, 3), D(2025, 2, 10)
_references = itertools.count(1)


def make(
    *,
    student: Any,
    programme: Any,
    year: AcademicYear,
    company: Any,
    kind: str = InternshipKind.ENGINEER,
    status: str = InternshipStatus.EVALUATED,
    starts_on: datetime.date = MARCH_3,
    signed: tuple[datetime.date, datetime.date, datetime.date] | None = (FEBRUARY_10,) * 3,
    amends: Internship | None = None,
    midterm: tuple[datetime.date, datetime.date | None] | None = None,
    company_score: str | None = None,
) -> Internship:
    """An internship written directly: these tests are about figures, not the workflow."""
    dates = signed or (None, None, None)
    internship = Internship.objects.create(
        reference=f"ST-T-{next(_references):05d}",
        student=student,
        company=company,
        company_tutor=ContactFactory(company=company),
        programme=programme,
        academic_year=year,
        kind=kind,
        subject="Sujet",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=60),
        status=status,
        student_signed_on=dates[0],
        company_signed_on=dates[1],
        school_signed_on=dates[2],
        amends=amends,
    )
    if midterm is not None:
        Milestone.objects.create(
            internship=internship, kind=MilestoneKind.MIDTERM_CONTACT, due_on=midterm[0], done_on=midterm[1]
        )
    if company_score is not None:
        Evaluation.objects.create(
            internship=internship, kind=EvaluationKind.COMPANY_TUTOR, score=Decimal(company_score)
        )
    return internship


@pytest.fixture
def data(school: dict[str, Any]) -> dict[str, Any]:
    year_a = AcademicYear.objects.create(label="2024-2025", starts_on=D(2024, 9, 1), ends_on=D(2025, 8, 31))
    year_b = AcademicYear.objects.create(label="2025-2026", starts_on=D(2025, 9, 1), ends_on=D(2026, 8, 31))
    civil = ProgrammeFactory(department=school["civil"])
    electrical = ProgrammeFactory(department=school["electrical"])
    s1, s2, s3, s4, s5, s6 = (PersonFactory(kind="student") for _index in range(6))
    c = {number: CompanyFactory() for number in (*range(1, 9), 10)}
    c[9] = CompanyFactory(merged_into=c[1])
    common = {"year": year_a}
    # Génie Civil, 2024-2025
    make(
        student=s1,
        programme=civil,
        company=c[1],
        midterm=(D(2025, 5, 1), D(2025, 4, 30)),
        company_score="4.5",
        **common,
    )
    make(
        student=s2,
        programme=civil,
        company=c[2],
        kind=InternshipKind.ABROAD,
        status=InternshipStatus.FINISHED,
        starts_on=D(2025, 4, 1),
        signed=(D(2025, 3, 20), D(2025, 3, 25), D(2025, 4, 2)),  # the school signed a day late
        midterm=(D(2025, 6, 1), D(2025, 6, 5)),
        company_score="3.0",
        **common,
    )
    Evaluation.objects.create(
        internship=Internship.objects.get(student=s2, kind=InternshipKind.ABROAD),
        kind=EvaluationKind.STUDENT,
        score=Decimal("5"),
    )
    make(
        student=s2,
        programme=civil,
        company=c[1],
        kind=InternshipKind.TECHNICIAN,
        status=InternshipStatus.UNDER_WAY,
        starts_on=D(2025, 6, 2),
        signed=(D(2025, 6, 2),) * 3,  # on the first day: still in time
        midterm=(D(2025, 7, 1), None),
        **common,
    )
    make(
        student=s3,
        programme=civil,
        company=c[3],
        kind=InternshipKind.DISCOVERY,
        status=InternshipStatus.CANCELLED,
        signed=None,
        **common,
    )
    original = make(
        student=s4,
        programme=civil,
        company=c[4],
        status=InternshipStatus.AMENDED,
        starts_on=D(2025, 2, 3),
        signed=(D(2025, 1, 10),) * 3,
        midterm=(D(2025, 4, 1), None),
        **common,
    )
    make(
        student=s4,
        programme=civil,
        company=c[4],
        starts_on=D(2025, 2, 3),
        signed=(D(2025, 4, 1),) * 3,  # an amendment, signed during the internship
        amends=original,
        midterm=(D(2025, 5, 1), D(2025, 4, 20)),
        company_score="4.0",
        **common,
    )
    make(student=s5, programme=civil, company=c[5], status=InternshipStatus.DRAFT, signed=None, **common)
    # Génie Électrique, 2024-2025
    make(
        student=s6,
        programme=electrical,
        company=c[2],
        kind=InternshipKind.ABROAD,
        signed=(D(2025, 2, 1),) * 3,
        midterm=(D(2025, 5, 1), D(2025, 5, 1)),
        company_score="3.5",
        **common,
    )
    make(student=s2, programme=electrical, company=c[3], kind=InternshipKind.DISCOVERY, **common)
    # Génie Civil, 2025-2026: signed, its mid-term contact not due yet on TODAY
    make(
        student=s1,
        programme=civil,
        company=c[1],
        year=year_b,
        status=InternshipStatus.SIGNED,
        starts_on=D(2026, 3, 2),
        signed=(D(2025, 12, 1),) * 3,
        midterm=(D(2026, 5, 1), None),
    )
    # Teaching by professionals and partnership agreements
    speaker = ContactFactory(company=c[5], is_speaker=True)
    for company, programme, hours in ((c[5], civil, "12.5"), (c[1], civil, "3"), (c[9], electrical, "6")):
        Intervention.objects.create(
            speaker=speaker if company == c[5] else ContactFactory(company=company),
            company=company,
            programme=programme,
            department=programme.department,
            academic_year=year_a,
            course="Cours",
            kind="lecture",
            planned_hours=Decimal(hours),
            delivered_hours=Decimal(hours),
        )
    owner = school["office"]
    running = PartnershipAgreement.objects.create(
        company=c[6], kind="sponsorship", title="Mécénat", starts_on=D(2024, 1, 1), ends_on=D(2026, 12, 31),
        status="active", owner=owner,
    )  # fmt: skip
    running.departments.add(school["electrical"])
    PartnershipAgreement.objects.create(
        company=c[7], kind="sponsorship", title="Projet", starts_on=D(2024, 1, 1), ends_on=D(2026, 12, 31),
        status="draft", owner=owner,
    )  # fmt: skip
    PartnershipAgreement.objects.create(
        company=c[8], kind="teaching", title="Enseignement", starts_on=D(2025, 1, 1), ends_on=D(2025, 6, 30),
        status="expired", owner=owner,
    )  # fmt: skip
    ended_early = PartnershipAgreement.objects.create(
        company=c[10], kind="research_chair", title="Chaire", starts_on=D(2024, 1, 1), ends_on=D(2027, 12, 31),
        status="terminated", terminated_on=D(2025, 6, 30), owner=owner,
    )  # fmt: skip
    ended_early.departments.add(school["civil"])
    return {"a": year_a.pk, "b": year_b.pk, "civil": school["civil"].pk, "electrical": school["electrical"].pk}


def test_internships_by_kind(school: dict[str, Any], data: dict[str, Any]) -> None:
    found = figures.internships_by_kind(school["quality_manager"])
    a, b, civil, electrical = data["a"], data["b"], data["civil"], data["electrical"]
    # Cancelled, draft and amended agreements are left out; the amendment counts.
    assert found[(a, civil)] == {"engineer": 2, "abroad": 1, "technician": 1}
    assert found[(a, electrical)] == {"abroad": 1, "discovery": 1}
    assert found[(a, None)] == {"engineer": 2, "abroad": 2, "technician": 1, "discovery": 1}
    assert found[(b, civil)] == {"engineer": 1}
    assert (b, electrical) not in found


def test_signed_before_start(school: dict[str, Any], data: dict[str, Any]) -> None:
    found = figures.signed_before_start(school["quality_manager"])
    a, b, civil, electrical = data["a"], data["b"], data["civil"], data["electrical"]
    # The original of the amendment counts (signed in time), the amendment does not.
    assert found[(a, civil)] == figures.Share(3, 4)
    assert found[(a, electrical)] == figures.Share(2, 2)
    assert found[(a, None)] == figures.Share(5, 6)
    assert found[(b, civil)] == figures.Share(1, 1)
    assert found[(a, None)].percent == pytest.approx(500 / 6)


def test_midterm_contacts_on_time(school: dict[str, Any], data: dict[str, Any]) -> None:
    found = figures.midterm_contacts_on_time(school["quality_manager"], today=TODAY)
    a, b, civil, electrical = data["a"], data["b"], data["civil"], data["electrical"]
    # Civil: on time, late, not done, the amendment's on time (the amended one's is left out).
    assert found[(a, civil)] == figures.Share(2, 4)
    assert found[(a, electrical)] == figures.Share(1, 1)
    assert found[(a, None)] == figures.Share(3, 5)
    assert (b, civil) not in found  # not due yet
    later = figures.midterm_contacts_on_time(school["quality_manager"], today=D(2026, 5, 2))
    assert later[(b, civil)] == figures.Share(0, 1)


def test_company_evaluation_average(school: dict[str, Any], data: dict[str, Any]) -> None:
    found = figures.company_evaluation_average(school["quality_manager"])
    a, civil, electrical = data["a"], data["civil"], data["electrical"]
    assert found[(a, civil)].value == Decimal("3.83")  # (4.5 + 3.0 + 4.0) / 3; the student's 5 is not counted
    assert found[(a, civil)].count == 3
    assert found[(a, electrical)].value == Decimal("3.50")
    assert found[(a, None)].value == Decimal("3.75")


def test_students_abroad_counts_each_student_once(school: dict[str, Any], data: dict[str, Any]) -> None:
    found = figures.students_abroad(school["quality_manager"])
    a, b, civil, electrical = data["a"], data["b"], data["civil"], data["electrical"]
    assert found[(a, civil)] == figures.Share(1, 3)
    assert found[(a, electrical)] == figures.Share(1, 2)
    # The student abroad with Génie Civil also has an internship with Génie Électrique.
    assert found[(a, None)] == figures.Share(2, 4)
    assert found[(b, None)] == figures.Share(0, 1)


def test_professional_teaching_hours(school: dict[str, Any], data: dict[str, Any]) -> None:
    found = figures.professional_teaching_hours(school["quality_manager"])
    a, civil, electrical = data["a"], data["civil"], data["electrical"]
    assert found[(a, civil)] == Decimal("15.5")
    assert found[(a, electrical)] == Decimal("6")
    assert found[(a, None)] == Decimal("21.5")


def test_active_partner_companies(school: dict[str, Any], data: dict[str, Any]) -> None:
    found = figures.active_partner_companies(school["quality_manager"])
    a, b, civil, electrical = data["a"], data["b"], data["civil"], data["electrical"]
    # Civil: C1, C2, C4 host interns, C5 teaches (its intern's agreement is a draft), C10's
    # agreement runs until its termination in June 2025.
    assert found[(a, civil)] == 5
    # Electrical: C2, C3 host, C6's agreement runs, C9 teaches and counts as C1 it was merged into.
    assert found[(a, electrical)] == 4
    # The year: C1 to C6, C10, and C8's agreement of no department; C7's is a draft.
    assert found[(a, None)] == 8
    assert found[(b, civil)] == 1  # C1's intern; C10's agreement was terminated
    assert found[(b, electrical)] == 1  # C6's agreement
    assert found[(b, None)] == 2


def test_figures_follow_what_the_user_may_see(school: dict[str, Any], data: dict[str, Any]) -> None:
    a, civil, electrical = data["a"], data["civil"], data["electrical"]
    head = figures.signed_before_start(school["head_electrical"])
    assert set(head) == {(a, electrical), (a, None)}
    assert head[(a, None)] == figures.Share(2, 2)
    only_civil = figures.internships_by_kind(school["quality_manager"], department=civil)
    assert set(only_civil) == {(a, civil), (a, None), (data["b"], civil), (data["b"], None)}
    only_a = figures.students_abroad(school["quality_manager"], academic_year=a)
    assert {year for year, _department in only_a} == {a}


def test_figures_by_year_and_the_trend_chart(school: dict[str, Any], data: dict[str, Any]) -> None:
    tables = figures.figures_by_year(school["quality_manager"], today=TODAY)
    assert [table.academic_year.label for table in tables] == ["2024-2025", "2025-2026"]
    first = tables[0]
    assert [row.department.code for row in first.rows if row.department] == ["GC", "GE"]
    assert first.total.internships == 6
    assert first.total.active_companies == 8
    assert dict(first.rows[0].by_kind)["engineer (final year)"] == 2
    chart = figures.trend_chart(tables)
    signed, midterm, _abroad = chart.series
    assert [point.value for point in signed.points] == [pytest.approx(500 / 6), 100.0]
    # 2025-2026 has no mid-term contact due: the line stops, the point is missing.
    assert [len(segment) for segment in midterm.segments] == [1]
    assert chart.y_ticks[0].y == chart.bottom and chart.y_ticks[-1].y == chart.top
    full = signed.points[1]
    assert full.y == chart.top and chart.left < full.x < chart.right


def test_the_page_is_for_staff_and_draws_the_chart(school: dict[str, Any], data: dict[str, Any]) -> None:
    client = Client()
    client.force_login(school["student"])
    assert client.get("/internships/figures/").status_code == 403
    client.force_login(school["head_civil"])
    response = client.get("/internships/figures/")
    assert response.status_code == 200
    content = response.content.decode()
    chart = content.split('data-testid="trend-chart"', 1)[1].split("</svg>", 1)[0]
    assert "<polyline" in chart and "<circle" in chart and "<script" not in chart
    response = client.get(f"/internships/figures/?department={data['electrical']}")
    assert response.context["department"] == school["electrical"]
    assert [row.department for row in response.context["tables"][0].rows] == [school["electrical"]]
    # An unknown department shows every department.
    assert client.get("/internships/figures/?department=x").context["department"] is None


def test_the_chart_coordinates_do_not_follow_the_locale(school: dict[str, Any], data: dict[str, Any]) -> None:
    client = Client()
    client.force_login(school["quality_manager"])
    content = client.get("/internships/figures/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    polyline = content.split('points="', 1)[1].split('"', 1)[0]
    for pair in polyline.split():
        x, y = pair.split(",")
        float(x), float(y)


def _bulk(school: dict[str, Any], number: int) -> None:
    year = AcademicYear.objects.get_or_create(
        label="2024-2025", defaults={"starts_on": D(2024, 9, 1), "ends_on": D(2025, 8, 31)}
    )[0]
    programmes = [ProgrammeFactory(department=school["civil"]), ProgrammeFactory(department=school["electrical"])]
    kinds = list(InternshipKind.values)
    for index in range(number):
        company = CompanyFactory()
        make(
            student=PersonFactory(kind="student"),
            programme=programmes[index % 2],
            year=year,
            company=company,
            kind=kinds[index % len(kinds)],
            midterm=(D(2025, 5, 1), D(2025, 5, 1) if index % 3 else None),
            company_score="4.0",
        )
        Intervention.objects.create(
            speaker=ContactFactory(company=company),
            company=company,
            programme=programmes[index % 2],
            department=programmes[index % 2].department,
            academic_year=year,
            course="Cours",
            kind="lecture",
            planned_hours=Decimal(2),
            delivered_hours=Decimal(2),
        )


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/internships/figures/").status_code == 200
    return len(captured)


def test_the_page_runs_a_fixed_number_of_queries(school: dict[str, Any]) -> None:
    client = Client()
    client.force_login(school["office"])
    _bulk(school, 5)
    few = _queries(client)
    _bulk(school, 45)
    assert Internship.objects.count() == 50
    check_query_budgets(
        "internships as office", {"figures": {"5 rows": few, "50 rows": _queries(client)}}, whole_group=False
    )


def test_the_pdf_draws_the_page_charts_and_is_refused_like_the_page(
    school: dict[str, Any], data: dict[str, Any], tmp_path: Any
) -> None:
    import subprocess

    client = Client()
    client.force_login(school["student"])
    assert client.get("/internships/figures.pdf").status_code == 403
    client.force_login(school["quality_manager"])
    page = client.get("/internships/figures/").content.decode()
    assert 'data-testid="chart-by-department"' in page and 'data-testid="chart-by-kind"' in page
    response = client.get("/internships/figures.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "figures.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "Internships by department" in text and "Internships by kind" in text
    assert "Agreements signed before the start" in text  # the trend chart's legend
    assert "Génie Civil" in text
