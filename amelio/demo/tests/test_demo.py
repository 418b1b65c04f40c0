"""The demo school as a whole, built once on an empty database: its shape, every agreement
lawful, and a history written by the services on the days the scenario says."""

from __future__ import annotations

import ast
import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from amelio.audits.choices import AuditKind, AuditStatus
from amelio.audits.models import Audit, AuditProgramme, ChecklistLine, Finding
from amelio.core.models import FilePurpose, StoredFile
from amelio.documents.choices import DocumentStatus, VersionStatus
from amelio.documents.models import Acknowledgement, Document, DocumentVersion
from amelio.history.choices import HistoryAction
from amelio.history.models import HistoryEntry
from amelio.improvement.choices import ActionStatus, ItemStatus
from amelio.improvement.models import ImprovementItem
from amelio.indicators.choices import ObjectiveStatus, Source
from amelio.indicators.models import Indicator, IndicatorValue, Objective, ObjectiveMeasure, OffTargetItem
from amelio.indicators.selectors import with_standings
from amelio.internships.agreement_rules import check_agreement
from amelio.internships.choices import InternshipStatus
from amelio.internships.models import Internship
from amelio.organisation.models import AcademicYear, Department, Person
from amelio.partners.models import Company
from amelio.processes.models import Process
from amelio.reviews.choices import ReviewStatus
from amelio.reviews.models import ManagementReview
from amelio.risks.choices import CURRENT_RISK_STATUSES, RiskStatus
from amelio.risks.models import Risk
from amelio.standards.models import AuditorAccess, Clause, ClauseMapping, EvidenceLink, Framework
from amelio.students.choices import Outcome
from amelio.students.models import Enrolment, InsertionRecord, Student
from amelio.students.selectors import at_risk
from amelio.surveys.choices import Audience, QuestionKind
from amelio.surveys.models import Answer, Campaign, Invitation, Response, ResponseAuthor

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[1]


def _creations(model: type) -> dict[str, datetime.datetime]:
    return dict(
        HistoryEntry.objects.filter(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
            action=HistoryAction.CREATE,
        ).values_list("object_id", "timestamp")
    )


def test_the_demo_school_is_built_through_the_services_and_lawful() -> None:
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    now = timezone.now()

    # Its shape (README): six departments, 640 people, 25 processes, 120 items in every
    # state, 400 companies, about 1,500 agreements in every state.
    assert Department.objects.count() == 6
    assert Person.objects.count() == 640
    assert Process.objects.count() == 25
    # The scenario's 120 items, and those the indicators off target, the audits and three
    # risks already occurring raised.
    raised_off_target = OffTargetItem.objects.values("item")
    from_audits = Finding.objects.filter(improvement_item__isnull=False).values("improvement_item")
    from_risks = ImprovementItem.objects.filter(origin="risk")
    assert (
        ImprovementItem.objects.exclude(pk__in=raised_off_target)
        .exclude(pk__in=from_audits)
        .exclude(pk__in=from_risks)
        .count()
        == 120
    )
    # Two audit programmes: last year's ten internal audits, each with findings and at least
    # one of them in the improvement register, this year's five in several states; and the
    # certification body's surveillance audit with its findings in the register.
    assert AuditProgramme.objects.count() == 2
    internal = Audit.objects.filter(kind=AuditKind.INTERNAL)
    assert internal.count() == 15
    last_year = AuditProgramme.objects.order_by("starts_on").first()
    assert internal.filter(programme=last_year).count() == 10
    assert all(
        audit.findings.filter(improvement_item__isnull=False).exists() for audit in internal.filter(programme=last_year)
    )
    assert Audit.objects.filter(kind=AuditKind.SURVEILLANCE).count() == 1
    assert Finding.objects.filter(audit__kind=AuditKind.SURVEILLANCE, improvement_item__isnull=False).exists()
    # Two management reviews with decisions whose actions are under way. Last year's was held,
    # compiled, decided and approved within last academic year, not on the day the demo is built.
    last, this = ManagementReview.objects.order_by("starts_on")
    assert (last.status, this.status) == (ReviewStatus.APPROVED, ReviewStatus.COMPILED)
    assert last.meeting_on is not None and last.approved_on is not None and last.compiled_at is not None
    assert this.meeting_on is not None
    this_year = AcademicYear.objects.get(is_current=True)
    assert last.ends_on < this.starts_on and last.starts_on <= last.meeting_on
    assert last.meeting_on <= last.approved_on < this_year.starts_on <= this.meeting_on <= timezone.localdate()
    assert last.compiled_at.date() < last.meeting_on and last.created_at.date() < last.compiled_at.date()
    for review in (last, this):
        actions = [decision.action for decision in review.decisions.select_related("action")]
        assert {action.created_at.date() for action in actions} == {review.meeting_on}
        assert any(action.status == ActionStatus.IN_PROGRESS for action in actions)
    assert {AuditStatus.PLANNED, AuditStatus.IN_PROGRESS, AuditStatus.REPORTED, AuditStatus.CLOSED} <= set(
        Audit.objects.values_list("status", flat=True)
    )
    assert Finding.objects.count() >= 15 and from_audits.count() >= 8
    assert ChecklistLine.objects.exclude(answer="").count() >= 20
    assert 0 < OffTargetItem.objects.count() < 30
    # About forty indicators over three academic years: most computed, the others entered by
    # hand by a named person, the latest of some with its source file.
    assert Indicator.objects.count() == 41 and IndicatorValue.objects.count() > 300
    entered = IndicatorValue.objects.filter(source=Source.MANUAL)
    assert entered.count() == 38 and not entered.filter(recorded_by=None).exists()
    assert StoredFile.objects.filter(purpose=FilePurpose.EVIDENCE, owner_type__model="indicatorvalue").count() == 7
    assert IndicatorValue.objects.filter(source=Source.COMPUTED).values("academic_year").distinct().count() == 3
    # Five of them on the public results page: satisfaction, insertion, salary, success.
    assert Indicator.objects.filter(is_published=True).count() == 5
    # Fifteen quality objectives in every state, measured, most served by actions, some at risk.
    objectives = with_standings(list(Objective.objects.all()))
    assert len(objectives) == 15
    assert {objective.status for objective in objectives} == set(ObjectiveStatus.values)
    assert all(objective.measures.exists() for objective in objectives)
    assert ObjectiveMeasure.objects.count() >= 18 and Objective.actions.through.objects.count() >= 20
    assert len({objective.owner_id for objective in objectives}) >= 6
    assert {objective.standing for objective in objectives} == {"on_track", "behind", "at_risk"}
    assert set(ImprovementItem.objects.values_list("status", flat=True)) == set(ItemStatus.values)
    assert Company.objects.count() == 400
    # 60-odd risks over the processes, in every state, within the school's scale, some with
    # treatment actions and a few overdue for review.
    assert Risk.objects.count() >= 60 and Risk.objects.values("process").distinct().count() == 25
    assert set(Risk.objects.values_list("status", flat=True)) == set(RiskStatus.values)
    assert not Risk.objects.filter(Q(likelihood__gt=5) | Q(impact__gt=5) | Q(residual_likelihood__gt=5)).exists()
    assert Risk.objects.filter(actions__isnull=False).distinct().count() >= 15
    # A few risks already occurring, each with its improvement item of origin "risk".
    raised = ImprovementItem.objects.filter(origin="risk")
    assert raised.count() == 3 and Risk.objects.filter(items__in=raised).distinct().count() == 3
    overdue = Risk.objects.filter(status__in=CURRENT_RISK_STATUSES, review_on__lt=timezone.localdate()).count()
    assert 3 <= overdue <= 15
    # Six questionnaires, campaigns of earlier years closed and this year's open, sent to
    # every kind of population; anonymous but for the graduates' insertion survey (named):
    # a few hundred responses, with matrices and questions asked on a condition answered.
    assert sorted(Campaign.objects.values_list("status", flat=True)) == ["closed"] * 4 + ["open"] * 5
    assert set(Campaign.objects.values_list("audience", flat=True)) == set(Audience.values)
    assert 250 < Response.objects.count() < 600
    assert Invitation.objects.filter(has_answered=True).count() == Response.objects.count()
    assert not ResponseAuthor.objects.filter(response__campaign__is_anonymous=True).exists()
    assert ResponseAuthor.objects.filter(response__campaign__audience=Audience.GRADUATES).exists()
    assert Answer.objects.filter(question__kind=QuestionKind.MATRIX).count() > 100
    assert Answer.objects.exclude(question__show_if={}).count() > 50
    assert 1300 < Internship.objects.count() < 1700
    # About 60 documents, their versions in every state, some read and acknowledged.
    assert Document.objects.count() == 60
    assert set(Document.objects.values_list("status", flat=True)) == set(DocumentStatus.values)
    assert set(DocumentVersion.objects.values_list("status", flat=True)) == set(VersionStatus.values)
    assert Acknowledgement.objects.count() > 100
    assert set(Internship.objects.values_list("status", flat=True)) == set(InternshipStatus.values)
    # The three frameworks (the school's CTI list of a dozen criteria), mapped to one another,
    # and about a hundred records evidencing their requirements, indicators, objectives and
    # risks among them; the certification body's auditor reads ISO 9001 and four processes
    # next week.
    assert set(Framework.objects.values_list("code", flat=True)) == {"ISO9001:2015", "QUALIOPI", "CTI-ECOLE"}
    assert Clause.objects.filter(framework__code="CTI-ECOLE").count() == 12
    assert ClauseMapping.objects.count() >= 10
    assert 100 <= EvidenceLink.objects.count() <= 140
    assert EvidenceLink.objects.values("clause__framework").distinct().count() == 3
    linked_kinds = set(EvidenceLink.objects.values_list("record_type__model", flat=True))
    assert {"process", "document", "indicator", "objective", "risk"} <= linked_kinds
    access = AuditorAccess.objects.get()
    assert access.auditor.email == "auditeur@amelio-demo.fr"
    assert access.starts_on == timezone.localdate() + datetime.timedelta(days=7)
    assert list(access.frameworks.values_list("code", flat=True)) == ["ISO9001:2015"]
    assert access.processes.count() == 4 and access.status == "granted"
    # Students' records over the four academic years, every outcome, two graduating classes
    # surveyed at 6 months (the older at 18 too), a few final-year students at risk.
    assert 100 < Student.objects.count() < 200
    assert Enrolment.objects.values("academic_year").distinct().count() == 4
    assert set(Enrolment.objects.values_list("outcome", flat=True)) == set(Outcome.values)
    assert set(InsertionRecord.objects.values_list("wave", flat=True)) == {6, 18}
    assert 3 <= len(at_risk(user=None)) <= 20
    assert Student.objects.filter(person__email="etudiant@amelio-demo.fr").exists()

    # Every agreement passes the rules of the law, as the office's check applies them.
    internships = Internship.objects.select_related("academic_year", "company", "company_tutor")
    broken = {internship.reference: errors for internship in internships if (errors := check_agreement(internship))}
    assert broken == {}

    # History in the past, dated by the services on the day of each step: an item's creation
    # entry is its creation time, on the day it was raised; an agreement's, the day it was drafted.
    assert not HistoryEntry.objects.filter(timestamp__gt=now).exists()
    created = _creations(ImprovementItem)
    for item in ImprovementItem.objects.exclude(pk__in=raised_off_target):
        assert created[str(item.pk)] == item.created_at
        assert timezone.localdate(item.created_at) == item.raised_on
    assert ImprovementItem.objects.filter(raised_on__lt=timezone.localdate() - datetime.timedelta(days=365)).exists()
    created = _creations(Internship)
    for internship in Internship.objects.all():
        assert created[str(internship.pk)] == internship.created_at
        assert internship.created_at <= now
    oldest = min(created.values())
    assert oldest < now - datetime.timedelta(days=2 * 365)
    # Each closed item was closed on the day its last history entry says.
    for item in ImprovementItem.objects.filter(closed_on__isnull=False):
        last = HistoryEntry.objects.filter(object_id=str(item.pk), content_type__model="improvementitem").latest(
            "timestamp"
        )
        assert timezone.localdate(last.timestamp) == item.closed_on


# The past years' evaluated agreements are still written in bulk, as the office's archives
# (walking 850 more agreements through seven services would take the demo past a minute):
# these two methods of amelio/demo/internships.py are the one exception, and the evaluation
# links (internships.write_evaluations says why).
STILL_IN_BULK = {"write_in_bulk", "record_creations"}


def test_the_builders_write_through_the_services_only() -> None:
    """No history row, no re-dating, no bulk write in the builders: the services do it all."""
    forbidden = re.compile(r"HistoryEntry\(|history_record|\)\.update\(|bulk_update|bulk_create|objects\.create\(")
    found: dict[str, list[str]] = {}
    for path in DEMO.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        skipped: set[int] = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef) and node.name in STILL_IN_BULK:
                skipped.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        found[path.name] = [
            line.strip()
            for number, line in enumerate(lines, start=1)
            if number not in skipped and forbidden.search(line) and "EvaluationLink.objects.create(" not in line
        ]
    assert {name: lines for name, lines in found.items() if lines} == {}
