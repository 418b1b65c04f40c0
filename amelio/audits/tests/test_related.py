"""An improvement item raised from an audit finding shows, on its page, the finding and the
audit it came from (core.registry's related records): linked for a reader of the audit,
named without links for someone who sees the item but not the audit, absent from an item
raised by hand."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from amelio.audits import services
from amelio.audits.choices import AuditStatus, Grade
from amelio.core.permissions import can
from amelio.improvement.models import Action
from amelio.improvement.tests.factories import ImprovementItemFactory

from .factories import audit_in, clause

pytestmark = pytest.mark.django_db


def client_of(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def raised_item(school: dict[str, Any]) -> tuple[Any, Any]:
    audit = audit_in(school, status=AuditStatus.IN_PROGRESS)
    finding = services.finding_record(
        actor=school["head_electrical"],
        audit=audit,
        data={
            "grade": Grade.MINOR_NONCONFORMITY,
            "statement": "Revues de projet non tracées",
            "evidence": "3 projets sur 5 sans compte rendu",
            "requirement": "ISO 9001 8.3.4",
            "clause": clause("8.3"),
            "process": school["process_civil"],
        },
    )
    item = services.finding_raise_item(actor=school["head_electrical"], finding=finding)
    finding.refresh_from_db()
    return finding, item


def test_the_item_page_shows_the_finding_and_the_audit_with_their_links(school: dict[str, Any]) -> None:
    finding, item = raised_item(school)
    audit = finding.audit
    page = client_of(school["quality_manager"]).get(item.get_absolute_url()).content.decode()
    assert 'data-testid="related-audit-finding"' in page
    assert f'Raised from finding <a href="{finding.get_absolute_url()}"' in page
    assert f"{audit.reference}-01</a> (minor nonconformity) of audit" in page
    assert (
        f'<a href="{audit.get_absolute_url()}" data-testid="related-audit">{audit.reference} {audit.title}</a>' in page
    )


def test_a_reader_of_the_item_who_may_not_see_the_audit_sees_no_link_to_it(school: dict[str, Any]) -> None:
    finding, item = raised_item(school)
    audit = finding.audit
    # The internship office owns an action of the item: it sees the item, not the audit.
    Action.objects.create(
        item=item,
        kind="corrective",
        title="Tracer les revues",
        owner=school["office"],
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    office = school["office"]
    assert can(office, "improvement.view_item", item) and not can(office, "audits.view_audit", audit)
    response = client_of(office).get(item.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Raised from finding {audit.reference}-01 (minor nonconformity) of audit {audit.reference}" in page
    assert audit.get_absolute_url() not in page
    assert 'data-testid="related-finding"' not in page and 'data-testid="related-audit"' not in page
    assert audit.title not in page.split('data-testid="related-audit-finding"')[1].split("</li>")[0]


def test_an_item_raised_by_hand_shows_no_related_records(school: dict[str, Any]) -> None:
    item = ImprovementItemFactory(raised_by=school["teacher"], process=school["process_civil"])
    page = client_of(school["quality_manager"]).get(item.get_absolute_url()).content.decode()
    assert 'data-testid="related-records"' not in page
