"""One update path for every entity: only the fields it declares editable are accepted (its
status moves only through its workflow), and an edit saved against a newer version is
refused with what the other person changed, never silently applied over it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from amelio.audits import services as audit_services
from amelio.audits.tests.factories import audit_in
from amelio.audits.tests.factories import programme as audit_programme
from amelio.core.concurrency import EditConflict, version_of
from amelio.core.services import editable_fields_of
from amelio.documents import services as document_services
from amelio.documents.tests.factories import DocumentFactory, VersionFactory
from amelio.history.models import HistoryEntry
from amelio.improvement import services as improvement_services
from amelio.improvement.choices import ItemStatus
from amelio.improvement.tests.factories import ActionFactory, ImprovementItemFactory
from amelio.indicators import services as indicator_services
from amelio.indicators.tests.factories import objective
from amelio.internships import services as internship_services
from amelio.internships.models import Internship
from amelio.internships.tests.factories import agreement_data
from amelio.organisation import services as organisation_services
from amelio.organisation.models import School
from amelio.organisation.tests.factories import AcademicYearFactory, DepartmentFactory, PersonFactory, ProgrammeFactory
from amelio.partners import services as partner_services
from amelio.partners.tests.factories import (
    AgreementFactory,
    CompanyFactory,
    ContactFactory,
    InterventionFactory,
    SiteFactory,
)
from amelio.processes import services as process_services
from amelio.processes.models import ContextIssue, InterestedParty
from amelio.processes.tests.factories import ActivityFactory, ProcessFactory
from amelio.reviews import services as review_services
from amelio.reviews.tests.factories import review_of
from amelio.risks import services as risk_services
from amelio.risks.tests.factories import RiskFactory
from amelio.surveys import services as survey_services
from amelio.surveys.tests.factories import campaign_of, questionnaire


def _internship(school: dict[str, Any]) -> Internship:
    return Internship.objects.create(reference="ST-E-00001", **agreement_data(school))


# (name, build the record, its update service, the service's keyword for the record)
SERVICES: list[tuple[str, Callable[[dict[str, Any]], Any], Callable[..., Any], str]] = [
    ("item", lambda s: ImprovementItemFactory(), improvement_services.item_update, "item"),
    ("action", lambda s: ActionFactory(), improvement_services.action_update, "action"),
    ("internship", _internship, internship_services.internship_update, "internship"),
    ("department", lambda s: DepartmentFactory(), organisation_services.department_update, "department"),
    ("programme", lambda s: ProgrammeFactory(), organisation_services.programme_update, "programme"),
    ("academic year", lambda s: AcademicYearFactory(), organisation_services.academic_year_update, "academic_year"),
    ("person", lambda s: PersonFactory(), organisation_services.person_update, "person"),
    ("school", lambda s: School.objects.create(name="École"), organisation_services.school_update, "school"),
    ("company", lambda s: CompanyFactory(), partner_services.company_update, "company"),
    ("site", lambda s: SiteFactory(), partner_services.site_update, "site"),
    ("contact", lambda s: ContactFactory(), partner_services.contact_update, "contact"),
    ("partnership agreement", lambda s: AgreementFactory(), partner_services.agreement_update, "agreement"),
    ("intervention", lambda s: InterventionFactory(), partner_services.intervention_update, "intervention"),
    ("process", lambda s: ProcessFactory(), process_services.process_update, "process"),
    ("document", lambda s: DocumentFactory(), document_services.document_update, "document"),
    ("document version", lambda s: VersionFactory(), document_services.version_update, "version"),
    ("objective", lambda s: objective(owner=PersonFactory()), indicator_services.objective_update, "objective"),
    ("activity", lambda s: ActivityFactory(), process_services.activity_update, "activity"),
    (
        "context issue",
        lambda s: ContextIssue.objects.create(title="Enjeu", origin="external", effect="negative"),
        process_services.context_issue_update,
        "issue",
    ),
    (
        "interested party",
        lambda s: InterestedParty.objects.create(name="Partie", category="students"),
        process_services.interested_party_update,
        "party",
    ),
    ("risk", lambda s: RiskFactory(process=s["process_civil"]), risk_services.risk_update, "risk"),
    ("questionnaire", lambda s: questionnaire(), survey_services.questionnaire_update, "questionnaire"),
    ("survey campaign", campaign_of, survey_services.campaign_update, "campaign"),
    ("audit programme", lambda s: audit_programme(), audit_services.programme_update, "programme"),
    ("audit", audit_in, audit_services.audit_update, "audit"),
    ("management review", review_of, review_services.review_update, "review"),
]


def _caller(service: Callable[..., Any], keyword: str) -> Callable[[Any, dict[str, Any]], Any]:
    return lambda record, data: service(actor=None, data=data, **{keyword: record})


UPDATES = [(name, build, _caller(service, keyword)) for name, build, service, keyword in SERVICES]
# Keys no edit form may set: the state (moved only by the workflow), bookkeeping, merges.
FORBIDDEN = ["status", "id", "created_at", "merged_into", "reference", "raised_by", "created_by"]


@pytest.mark.parametrize(("name", "build", "update"), UPDATES, ids=[name for name, _b, _u in UPDATES])
@pytest.mark.parametrize("key", FORBIDDEN)
def test_each_update_service_refuses_what_is_not_declared_editable(
    school: dict[str, Any], name: str, build: Any, update: Any, key: str
) -> None:
    record = build(school)
    model = type(record)
    assert key not in editable_fields_of(model)
    before = {field.attname: getattr(record, field.attname) for field in model._meta.concrete_fields}
    history_before = HistoryEntry.objects.count()
    some_editable = editable_fields_of(model)[0]
    with pytest.raises(ValidationError) as refusal:
        # An editable key beside it does not carry the forbidden one through.
        update(record, {key: "closed", some_editable: getattr(record, some_editable)})
    assert refusal.value.code == "not_editable"
    assert key in refusal.value.messages[0]
    fresh = model._default_manager.get(pk=record.pk)
    assert {field.attname: getattr(fresh, field.attname) for field in model._meta.concrete_fields} == before
    assert HistoryEntry.objects.count() == history_before


def test_every_model_with_an_update_service_declares_its_editable_fields(school: dict[str, Any]) -> None:
    for _name, build, _update in UPDATES:
        model = type(build(school))
        fields = editable_fields_of(model)
        assert "status" not in fields
        for field in fields:
            model._meta.get_field(field)  # each declared name is a real field


def test_a_stale_version_is_refused_with_what_changed(school: dict[str, Any]) -> None:
    item = ImprovementItemFactory(title="Titre lu")
    read = version_of(item, editable_fields_of(type(item)))
    improvement_services.item_update(actor=None, item=item, data={"title": "Titre de l'autre"})
    with pytest.raises(EditConflict) as conflict:
        improvement_services.item_update(actor=None, item=item, data={"description": "Ma description"}, version=read)
    assert conflict.value.changes == {"title": ["Titre lu", "Titre de l'autre"]}
    assert "Titre de l'autre" in conflict.value.messages[0]
    item.refresh_from_db()
    assert item.title == "Titre de l'autre" and item.description != "Ma description"
    # The same save with the version it was shown goes through.
    improvement_services.item_update(
        actor=None, item=item, data={"description": "Ma description"}, version=conflict.value.version
    )
    item.refresh_from_db()
    assert item.description == "Ma description"


def test_a_forged_version_is_refused(school: dict[str, Any]) -> None:
    item = ImprovementItemFactory()
    with pytest.raises(ValidationError) as refusal:
        improvement_services.item_update(actor=None, item=item, data={"title": "x"}, version="forged:token")
    assert refusal.value.code == "bad_version"


def _edit_data(response: Any) -> dict[str, Any]:
    form = response.context["form"]
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif isinstance(value, Decimal | int):
            data[name] = str(value)
        else:
            data[name] = value
    return data


def test_lost_update_two_people_edit_the_same_item(school: dict[str, Any]) -> None:
    """Two sessions open the same item's edit form; the first saves; the second is refused
    with what the first changed, keeps their typed values, and the first change survives."""
    item = ImprovementItemFactory(
        process=school["process_civil"],
        department=school["civil"],
        raised_by=school["student"],
        status=ItemStatus.ACCEPTED,
        title="Casiers trop petits",
        description="Les casiers du bâtiment B sont trop petits.",
    )
    url = reverse("improvement:item_update", args=[item.pk])
    first, second = Client(), Client()
    first.force_login(school["quality_manager"])
    second.force_login(school["teacher"])  # owner of the item's process
    first_form = _edit_data(first.get(url))
    second_form = _edit_data(second.get(url))
    assert first_form["version"] and first_form["version"] == second_form["version"]

    first_form["title"] = "Casiers trop petits au bâtiment B"
    assert first.post(url, first_form).status_code == 302

    second_form["description"] = "Il manque aussi des cadenas."
    response = second.post(url, second_form)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Someone else saved this record" in errors and "Casiers trop petits au bâtiment B" in errors
    assert response.context["form"]["description"].value() == "Il manque aussi des cadenas."
    item.refresh_from_db()
    assert item.title == "Casiers trop petits au bâtiment B"  # the first change survived
    assert item.description == "Les casiers du bâtiment B sont trop petits."

    # The refused form took in the title the first person changed (the second left it as
    # read) and kept the description the second typed; saving it again applies both.
    assert response.context["form"]["title"].value() == "Casiers trop petits au bâtiment B"
    again = _edit_data(response)
    assert second.post(url, again).status_code == 302
    item.refresh_from_db()
    assert item.description == "Il manque aussi des cadenas."
    assert item.title == "Casiers trop petits au bâtiment B"
