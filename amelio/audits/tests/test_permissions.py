"""Who may do what with audits: the quality manager plans; the audit's auditors answer its
checklist; a process owner sees the audits of their processes; a student nothing; and
nothing changes on denial."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from amelio.audits import services
from amelio.audits.choices import Answer, AuditStatus, Grade
from amelio.audits.models import Audit, AuditProgramme, ChecklistLine, Finding
from amelio.core.permissions import can, visible
from amelio.history.models import HistoryEntry
from amelio.improvement.models import ImprovementItem

from .factories import audit_data, audit_in, internal_auditor, programme

pytestmark = pytest.mark.django_db

NOT_PLANNERS = ["director", "head_civil", "head_electrical", "teacher", "student", "auditor", "office"]


def test_the_quality_manager_plans(school: dict[str, Any]) -> None:
    services.programme_create(
        actor=school["quality_manager"],
        data={"title": "2026-2027", "starts_on": datetime.date(2026, 9, 1), "ends_on": datetime.date(2027, 8, 31)},
    )
    audit = services.audit_create(actor=school["quality_manager"], data=audit_data(school))
    assert audit.created_by == school["quality_manager"]


@pytest.mark.parametrize("role", NOT_PLANNERS)
def test_no_one_else_plans_and_nothing_is_written(school: dict[str, Any], role: str) -> None:
    audit = audit_in(school)
    entries = HistoryEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.programme_create(
            actor=school[role],
            data={"title": "X", "starts_on": datetime.date(2026, 9, 1), "ends_on": datetime.date(2027, 8, 31)},
        )
    with pytest.raises(PermissionDenied):
        services.audit_create(actor=school[role], data=audit_data(school))
    with pytest.raises(PermissionDenied):
        services.audit_update(actor=school[role], audit=audit, data={"title": "Changé"})
    assert AuditProgramme.objects.count() == 0 and Audit.objects.count() == 1
    assert Audit.objects.get(pk=audit.pk).title == audit.title
    assert HistoryEntry.objects.count() == entries


def test_an_internal_auditor_answers_the_checklist_of_their_audit_only(school: dict[str, Any]) -> None:
    inès = internal_auditor(school)
    mine = audit_in(school, status=AuditStatus.IN_PROGRESS, team=[inès])
    other = audit_in(
        school,
        status=AuditStatus.IN_PROGRESS,
        lead_auditor=school["head_civil"],
        processes=[school["process_electrical"]],
    )
    services.checklist_answer(actor=inès, line=mine.checklist.select_related("audit").first(), answer=Answer.CONFORM)
    line = other.checklist.select_related("audit").first()
    with pytest.raises(PermissionDenied):
        services.checklist_answer(actor=inès, line=line, answer=Answer.CONFORM)
    assert ChecklistLine.objects.get(pk=line.pk).answer == ""
    # Not the quality manager either: the auditors saw the evidence.
    with pytest.raises(PermissionDenied):
        services.checklist_answer(actor=school["quality_manager"], line=line, answer=Answer.CONFORM)
    with pytest.raises(PermissionDenied):
        services.finding_record(
            actor=inès,
            audit=other,
            data={"grade": Grade.OBSERVATION, "statement": "x", "evidence": "x", "requirement": "x"},
        )
    assert not Finding.objects.exists()


def test_a_team_member_records_but_only_the_lead_or_quality_manager_raises_the_item(school: dict[str, Any]) -> None:
    inès = internal_auditor(school)
    audit = audit_in(school, status=AuditStatus.IN_PROGRESS, team=[inès])
    finding = services.finding_record(
        actor=inès,
        audit=audit,
        data={"grade": Grade.MINOR_NONCONFORMITY, "statement": "NC", "evidence": "Vu", "requirement": "7.5"},
    )
    with pytest.raises(PermissionDenied):
        services.finding_raise_item(actor=inès, finding=finding)
    assert not ImprovementItem.objects.exists()
    services.finding_raise_item(actor=school["head_electrical"], finding=finding)
    assert ImprovementItem.objects.count() == 1


def test_who_sees_which_audit(school: dict[str, Any]) -> None:
    civil = audit_in(school)  # of the teacher's process, led by the electrical head
    electrical = audit_in(school, lead_auditor=school["head_civil"], processes=[school["process_electrical"]])
    seen = {role: set(visible(school[role], Audit.objects.all())) for role in school if role in NOT_PLANNERS}
    assert seen["teacher"] == {civil}  # owner of the civil process
    assert seen["head_civil"] == {civil, electrical}  # its department's audit, and the one they lead
    assert seen["head_electrical"] == {civil, electrical}
    assert seen["director"] == {civil, electrical}
    assert seen["student"] == set()
    assert seen["office"] == set()
    assert not can(school["student"], "audits.view_audits")
    assert not can(school["teacher"], "audits.view_audit", electrical)


@pytest.mark.parametrize(
    ("role", "status"),
    [("quality_manager", 200), ("teacher", 200), ("director", 200), ("student", 403), ("office", 404)],
)
def test_the_audit_page_answers_by_role(school: dict[str, Any], role: str, status: int) -> None:
    audit = audit_in(school)
    client = Client()
    client.force_login(school[role])
    assert client.get(reverse("audits:audit_detail", args=[audit.pk])).status_code == status
    assert client.get(reverse("audits:checklist", args=[audit.pk])).status_code == status


def test_a_refused_answer_post_changes_nothing(school: dict[str, Any]) -> None:
    audit = audit_in(school, status=AuditStatus.IN_PROGRESS)
    line = audit.checklist.first()
    client = Client()
    client.force_login(school["teacher"])  # the audited process's owner
    url = reverse("audits:line_answer", args=[audit.pk, line.pk])
    response = client.post(url, {f"line{line.pk}-answer": "conform", f"line{line.pk}-note": "Tout va bien"})
    assert response.status_code == 403
    assert ChecklistLine.objects.get(pk=line.pk).answer == ""


def test_programme_pages_refuse_a_student(school: dict[str, Any]) -> None:
    year = programme()
    client = Client()
    client.force_login(school["student"])
    assert client.get(reverse("audits:programme_list")).status_code == 403
    assert client.get(reverse("audits:programme_detail", args=[year.pk])).status_code == 403
    assert client.get(reverse("audits:audit_list")).status_code == 403
