"""Every workflow × every state × every role: the steps a person is offered on the record's
page are exactly the transitions its service accepts (on state and permission), and each
refused transition leaves the record and the history unchanged.

The matrix is generated from the workflows' own declarations, so a new transition, state or
workflow is covered without touching this file (add its record builder below)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client
from django.utils import timezone

from amelio.audits.tests.factories import audit_in as audit_of
from amelio.audits.workflows import AUDIT_WORKFLOW
from amelio.core.workflow import NOT_FROM_THIS_STATE, Workflow
from amelio.documents.choices import DocumentStatus, VersionStatus
from amelio.documents.tests.factories import DocumentFactory, VersionFactory
from amelio.documents.workflows import VERSION_WORKFLOW
from amelio.history.models import HistoryEntry
from amelio.improvement.choices import ActionStatus, ItemStatus
from amelio.improvement.tests.factories import ActionFactory, ImprovementItemFactory
from amelio.improvement.workflows import ACTION_WORKFLOW, ITEM_WORKFLOW
from amelio.indicators.choices import CLOSED_OBJECTIVE_STATUSES
from amelio.indicators.models import ObjectiveMeasure
from amelio.indicators.tests.factories import IndicatorFactory, objective
from amelio.indicators.workflows import OBJECTIVE_WORKFLOW
from amelio.internships.choices import EvaluationKind, InternshipStatus
from amelio.internships.models import Evaluation, Internship
from amelio.internships.tests.factories import agreement_data
from amelio.internships.workflows import INTERNSHIP_WORKFLOW
from amelio.organisation.tests.factories import ProgrammeFactory
from amelio.partners.choices import AgreementStatus
from amelio.partners.tests.factories import AgreementFactory
from amelio.partners.workflows import AGREEMENT_WORKFLOW
from amelio.reviews.tests.factories import review_of
from amelio.reviews.workflows import REVIEW_WORKFLOW
from amelio.risks.choices import RiskStatus
from amelio.risks.tests.factories import RiskFactory
from amelio.risks.workflows import RISK_WORKFLOW
from amelio.standards.tests.factories import open_access
from amelio.standards.workflows import ACCESS_WORKFLOW
from amelio.surveys.tests.factories import campaign_of
from amelio.surveys.workflows import CAMPAIGN_WORKFLOW

ROLES = [
    "quality_manager",
    "director",
    "head_civil",
    "head_electrical",
    "teacher",
    "student",
    "auditor",
    "office",
]
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
STEP = re.compile(r'data-step="([a-z_]+)"')


class Rollback(Exception):
    """Undoes an accepted transition so the next role finds the record as it was."""


def item_in(school: dict[str, Any], status: str) -> models.Model:
    item = ImprovementItemFactory(
        process=school["process_civil"], department=school["civil"], raised_by=school["student"], status=status
    )
    if status == ItemStatus.ANALYSED:
        ActionFactory(item=item, owner=school["head_civil"], status=ActionStatus.PLANNED)
    if status in (ItemStatus.ACTIONS_UNDER_WAY, ItemStatus.AWAITING_CHECK):
        ActionFactory(
            item=item, owner=school["head_civil"], status=ActionStatus.DONE, completed_on=timezone.localdate()
        )
    return item


def action_in(school: dict[str, Any], status: str) -> models.Model:
    item = item_in(school, ItemStatus.ACTIONS_UNDER_WAY)
    return ActionFactory(
        item=item,
        owner=school["head_civil"],
        status=status,
        completed_on=timezone.localdate() if status == ActionStatus.DONE else None,
        cancellation_reason="Remplacée" if status == ActionStatus.CANCELLED else "",
    )


def internship_in(school: dict[str, Any], status: str) -> models.Model:
    data = agreement_data(school, programme=ProgrammeFactory(department=school["civil"]))
    signed = datetime.date(2026, 11, 2)
    internship = Internship.objects.create(
        reference=f"ST-M-{Internship.objects.count() + 1:05d}",
        status=status,
        student_signed_on=signed,
        company_signed_on=signed,
        school_signed_on=signed,
        **data,
    )
    if status == InternshipStatus.FINISHED:
        Evaluation.objects.create(internship=internship, kind=EvaluationKind.COMPANY_TUTOR, score=Decimal("4"))
    return internship


def agreement_in(school: dict[str, Any], status: str) -> models.Model:
    agreement = AgreementFactory(status=status, owner=school["office"], starts_on=datetime.date(2025, 1, 1))
    agreement.departments.set([school["civil"]])
    return agreement


def version_in(school: dict[str, Any], status: str) -> models.Model:
    """A version written by the teacher (owner of the document's process), of a document
    kept by the civil engineering head, reviewed by the electrical one, approved by the director."""
    document = DocumentFactory(
        owner=school["head_civil"],
        reviewer=school["head_electrical"],
        approver=school["director"],
        processes=[school["process_civil"]],
    )
    version = VersionFactory(document=document, author=school["teacher"], status=status)
    if status == VersionStatus.APPROVED:
        document.current_version, document.status = version, DocumentStatus.IN_FORCE
        document.save()
    return version


def risk_in(school: dict[str, Any], status: str) -> models.Model:
    # Treatment and residual score decided, so that only state and permission refuse a step.
    return RiskFactory(
        process=school["process_civil"],
        status=status,
        treatment="reduce",
        residual_likelihood=1,
        residual_impact=2,
        closing_reason="Clos" if status == RiskStatus.CLOSED else "",
    )


def objective_in(school: dict[str, Any], status: str) -> models.Model:
    record = objective(
        owner=school["teacher"],
        process=school["process_civil"],
        status=status,
        closed_on=timezone.localdate() if status in CLOSED_OBJECTIVE_STATUSES else None,
        closing_note="Raison" if status in CLOSED_OBJECTIVE_STATUSES else "",
    )
    ObjectiveMeasure.objects.create(objective=record, indicator=IndicatorFactory(), target=Decimal(80))
    return record


def campaign_in(school: dict[str, Any], status: str) -> models.Model:
    campaign = campaign_of(school)
    type(campaign).objects.filter(pk=campaign.pk).update(status=status)
    campaign.refresh_from_db()
    return campaign


def audit_in(school: dict[str, Any], status: str) -> models.Model:
    # Of the civil engineering process, led by the electrical department's head.
    return audit_of(school, status)


def review_in(school: dict[str, Any], status: str) -> models.Model:
    # Every section has its note, so that only state and permission refuse the approval.
    return review_of(school, status=status, notes=True)


def access_in(school: dict[str, Any], status: str) -> models.Model:
    access = open_access(school["auditor"], processes=[school["process_civil"]])
    type(access).objects.filter(pk=access.pk).update(status=status)
    access.refresh_from_db()
    return access


def service_data(workflow: Workflow, transition: str) -> dict[str, Any]:
    """Valid input for each transition's service, so that only state and permission (and a
    precondition on the record's data) can refuse it."""
    step = workflow[transition]
    data: dict[str, Any] = {}
    if step.reason != "none":
        data["reason"] = "Raison donnée dans la matrice"
    if step.files:
        data["files"] = []
    extra: dict[tuple[str, str], dict[str, Any]] = {
        (ITEM_WORKFLOW.name, "classify"): {"classification": {"origin": "suggestion"}},
        (ITEM_WORKFLOW.name, "accept"): {"due_on": None},
        (ITEM_WORKFLOW.name, "analyse"): {"analysis": {"root_cause": "Cause", "root_cause_method": "five_whys"}},
        (INTERNSHIP_WORKFLOW.name, "sign"): {
            "student_signed_on": datetime.date(2026, 11, 2),
            "company_signed_on": datetime.date(2026, 11, 2),
            "school_signed_on": datetime.date(2026, 11, 2),
        },
        (AUDIT_WORKFLOW.name, "report"): {"conclusion": "Système efficace"},
        (AGREEMENT_WORKFLOW.name, "sign"): {
            "signed_on": datetime.date(2026, 11, 2),
            "document": SimpleUploadedFile("signed.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    }
    data.update(extra.get((workflow.name, transition), {}))
    return {step.arguments.get(name, name): value for name, value in data.items()}


def service_accepts(workflow: Workflow, actor: Any, record: models.Model, transition: str) -> bool:
    """Runs the transition's declared service in a rolled-back transaction. Refused on state
    or permission: False, after checking that nothing was written. Anything else (done, or
    refused by a precondition on the record's data): True."""
    model = type(record)
    accepted = True
    try:
        with transaction.atomic():
            history_before = HistoryEntry.objects.count()
            status_before = workflow.status_of(model._default_manager.get(pk=record.pk))
            try:
                workflow.perform(
                    actor=actor, record=record, transition=transition, data=service_data(workflow, transition)
                )
            except PermissionDenied:
                accepted = False
            except ValidationError as error:
                accepted = error.code != NOT_FROM_THIS_STATE if hasattr(error, "code") else True
            if not accepted:
                assert HistoryEntry.objects.count() == history_before, f"{transition}: history written on refusal"
                assert workflow.status_of(model._default_manager.get(pk=record.pk)) == status_before
            raise Rollback
    except Rollback:
        pass
    record.refresh_from_db()
    return accepted


def offered_on_page(record: Any, person: Any) -> set[str]:
    client = Client()
    client.force_login(person)
    response = client.get(record.get_absolute_url())
    if response.status_code in (403, 404):
        return set()
    assert response.status_code == 200, response.status_code
    return set(STEP.findall(response.content.decode()))


WORKFLOWS: list[tuple[Workflow, Callable[[dict[str, Any], str], models.Model]]] = [
    (ITEM_WORKFLOW, item_in),
    (ACTION_WORKFLOW, action_in),
    (INTERNSHIP_WORKFLOW, internship_in),
    (AGREEMENT_WORKFLOW, agreement_in),
    (VERSION_WORKFLOW, version_in),
    (RISK_WORKFLOW, risk_in),
    (OBJECTIVE_WORKFLOW, objective_in),
    (CAMPAIGN_WORKFLOW, campaign_in),
    (AUDIT_WORKFLOW, audit_in),
    (REVIEW_WORKFLOW, review_in),
    (ACCESS_WORKFLOW, access_in),
]
CASES = [
    pytest.param(workflow, build, state, id=f"{workflow.name}-{state}")
    for workflow, build in WORKFLOWS
    for state in sorted(workflow.states())
]


@pytest.mark.parametrize(("workflow", "build", "state"), CASES)
def test_offered_steps_are_exactly_those_the_service_accepts(
    school: dict[str, Any], settings: Any, tmp_path: Any, workflow: Workflow, build: Any, state: str
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    record = build(school, state)
    for role in ROLES:
        person = school[role]
        offered = offered_on_page(record, person)
        assert offered == {t.name for t in workflow.offered(person, record)}, (role, state)
        accepted = {t.name for t in workflow if service_accepts(workflow, person, record, t.name)}
        assert offered == accepted, f"{workflow.name} in {state!r} as {role}: offered {offered}, accepted {accepted}"


def test_the_matrix_covers_every_workflow_and_state() -> None:
    assert len(CASES) == sum(len(workflow.states()) for workflow, _build in WORKFLOWS) >= 25


def test_a_validated_internship_agreement_is_sent_back_by_the_department_head_only(school: dict[str, Any]) -> None:
    """The drift the review found: the office was offered 'send back' (then refused), the
    department head, who may do it, was not."""
    record = internship_in(school, InternshipStatus.VALIDATED)
    assert "return" in offered_on_page(record, school["head_civil"])
    assert "return" not in offered_on_page(record, school["office"])
    office = Client()
    office.force_login(school["office"])
    url = f"/internships/{record.pk}/return/"
    assert office.post(url, {"reason": "À corriger"}).status_code == 403
    record.refresh_from_db()
    assert record.status == InternshipStatus.VALIDATED
    head = Client()
    head.force_login(school["head_civil"])
    response = head.post(url, {"reason": "La gratification est à revoir"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == InternshipStatus.DRAFT
    entry = HistoryEntry.objects.filter(object_id=str(record.pk)).latest("id")
    assert entry.reason == "La gratification est à revoir" and entry.actor == school["head_civil"]


def test_agreement_status_states_are_all_reachable() -> None:
    assert AGREEMENT_WORKFLOW.states() == set(AgreementStatus.values)
