"""Indicators, objectives, risks, survey campaigns and audit findings evidence requirements:
each kind registered by its own app, shown with its state on the requirement page, counted
by the coverage view (fresh, stale, none), and the block on each record's page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from amelio.audits.choices import AuditStatus, Grade
from amelio.audits.models import Finding
from amelio.audits.tests.factories import audit_in
from amelio.core import clock
from amelio.indicators.choices import ObjectiveStatus
from amelio.indicators.tests.factories import IndicatorFactory, objective, value, year
from amelio.risks.tests.factories import RiskFactory
from amelio.standards import selectors, services
from amelio.standards.choices import Coverage
from amelio.standards.models import EvidenceLink
from amelio.surveys.choices import CampaignStatus
from amelio.surveys.tests.factories import campaign_of

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def finding(audit: Any, number: int, grade: str) -> Finding:
    return Finding.objects.create(
        audit=audit, number=number, grade=grade, statement=f"Constat {number}", evidence="Vu", requirement="ISO 9.1"
    )


def records(school: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Each kind: (a record that makes good evidence, one that is stale)."""
    today = clock.today()
    this_year = year(today.year if today.month >= 9 else today.year - 1)
    measured, unmeasured = IndicatorFactory(code="IND-01"), IndicatorFactory(code="IND-02")
    value(measured, this_year, "80")
    value(unmeasured, year(this_year.starts_on.year - 1), "70")  # last year's only
    owner, process = school["teacher"], school["process_civil"]
    on_track = objective(owner=owner, process=process, status=ObjectiveStatus.ACTIVE, start=this_year.starts_on.year)
    abandoned = objective(owner=owner, process=process, status=ObjectiveStatus.ABANDONED, closed_on=today)
    reviewed = RiskFactory(process=process, review_on=today + datetime.timedelta(days=30))
    overdue = RiskFactory(process=process, review_on=today - datetime.timedelta(days=1))
    running = campaign_of(school)
    type(running).objects.filter(pk=running.pk).update(status=CampaignStatus.OPEN)
    never_opened = campaign_of(school, title="Jamais ouverte")
    audit = audit_in(school, AuditStatus.REPORTED)
    observation = finding(audit, 1, Grade.OBSERVATION)
    untreated = finding(audit, 2, Grade.MINOR_NONCONFORMITY)
    return {
        "indicator": (measured, unmeasured),
        "objective": (on_track, abandoned),
        "risk": (reviewed, overdue),
        "campaign": (running, never_opened),
        "finding": (observation, untreated),
    }


def test_each_kind_is_counted_fresh_or_stale_by_the_coverage_and_shown_on_the_requirement_page(
    school: dict[str, Any],
) -> None:
    manager = school["quality_manager"]
    framework = services.framework_create(actor=manager, data={"code": "CTI", "name": "CTI"})
    built = records(school)
    expected: dict[str, str] = {}
    for index, (kind, (fresh, stale)) in enumerate(built.items(), start=1):
        fresh_requirement = services.requirement_create(
            actor=manager, framework=framework, data={"number": f"F{index}", "title_fr": f"{kind} frais"}
        )
        stale_requirement = services.requirement_create(
            actor=manager, framework=framework, data={"number": f"S{index}", "title_fr": f"{kind} périmé"}
        )
        services.evidence_link(actor=manager, record=fresh, requirement=fresh_requirement)
        services.evidence_link(actor=manager, record=stale, requirement=stale_requirement)
        expected[f"F{index}"] = Coverage.COVERED
        expected[f"S{index}"] = Coverage.STALE
    services.requirement_create(actor=manager, framework=framework, data={"number": "U", "title_fr": "Sans preuve"})
    expected["U"] = Coverage.UNCOVERED
    coverage = selectors.framework_coverage(user=manager, framework=framework)
    assert {row.requirement.number: row.status for row in coverage.rows} == expected
    # The requirement page lists each record with its state; the stale one is marked.
    for index, (kind, (fresh, stale)) in enumerate(built.items(), start=1):
        client = client_for(manager)
        fresh_page = client.get(framework.clauses.get(number=f"F{index}").get_absolute_url()).content.decode()
        stale_page = client.get(framework.clauses.get(number=f"S{index}").get_absolute_url()).content.decode()
        assert str(fresh) in fresh_page and 'data-testid="stale"' not in fresh_page, kind
        assert str(stale) in stale_page and 'data-testid="stale"' in stale_page, kind
    # A stale record made good again counts as covered: the risk reviewed.
    overdue = built["risk"][1]
    overdue.review_on = clock.today() + datetime.timedelta(days=10)
    overdue.save()
    coverage = selectors.framework_coverage(user=manager, framework=framework)
    assert next(row for row in coverage.rows if row.requirement.number == "S3").status == Coverage.COVERED


@pytest.mark.parametrize("kind", ["indicator", "objective", "risk", "campaign"])
def test_the_record_page_shows_the_requirements_it_evidences(school: dict[str, Any], kind: str) -> None:
    manager = school["quality_manager"]
    record = records(school)[kind][0]
    requirement = selectors.requirement_choices(user=manager).get(framework__code="ISO9001:2015", number="9.1")
    page = client_for(manager).get(record.get_absolute_url()).content.decode()
    assert 'data-testid="requirements-evidenced"' in page and requirement.get_absolute_url() not in page
    type_id = ContentType.objects.get_for_model(record).pk
    response = client_for(manager).post(
        reverse("standards:evidence_create", args=[type_id, record.pk]), {"requirement": requirement.pk}
    )
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    page = client_for(manager).get(record.get_absolute_url()).content.decode()
    assert requirement.get_absolute_url() in page


@pytest.mark.parametrize("kind", ["indicator", "objective", "risk", "campaign", "finding"])
def test_who_may_not_change_the_record_may_not_link_it(school: dict[str, Any], kind: str) -> None:
    record = records(school)[kind][0]
    requirement = selectors.requirement_choices(user=school["quality_manager"]).get(
        framework__code="ISO9001:2015", number="9.1"
    )
    url = reverse("standards:evidence_create", args=[ContentType.objects.get_for_model(record).pk, record.pk])
    # The electrical department's head leads the audit (and may link its findings); the
    # civil one is audited. Neither manages the other's records.
    outsider = "head_civil" if kind == "finding" else "head_electrical"
    for person in ("student", "auditor", outsider):
        assert client_for(school[person]).post(url, {"requirement": requirement.pk}).status_code in (403, 404)
    assert EvidenceLink.objects.count() == 0
