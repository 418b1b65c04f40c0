"""Hostile input on every page: for every URL pattern of every app, as every role and
anonymously, query strings and form posts an attacker or a careless user would send.
Nothing may answer 500, and a refused post writes nothing.

The matrix is generated, not random, so a failure is reproducible from its line in the
report; its figures (URLs x roles x inputs) are printed and written to
test-results/fuzz-<database>.txt. The data is built once for the module (one transaction rolled back
at the end) so the whole matrix runs in a few minutes on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # more than 2^64: no integer column holds it
LONG = "x" * 10_000
NUL = "a\x00b"

SKIPPED_NAMES: set[str] = set()
# Django's own admin: no role of the school is `is_staff`; it is checked to refuse them all
# (test_admin_refuses_every_role) rather than walked page by page.
SKIPPED_NAMESPACES = {"admin"}
# Posting these would end the session the rest of the row uses; they are Django's own.
NOT_POSTED = {"logout"}

ROLES = ["quality_manager", "director", "head_civil", "teacher", "student", "office", "auditor", None]
# The quality manager sees every page; the student is the narrowest account with records of
# their own: they run the whole matrix, the others its first rows (see run_get_matrix).
FULL_ROLES = {"quality_manager", "student"}

# Names every page might read from its query string, whatever its filters.
COMMON_PARAMETERS = [
    "page",
    "per_page",
    "sort",
    "q",
    "export",
    "next",
    "kind",
    "status",
    "origin",
    "absorbed",
    "company",
    "speaker",
    "mine",
    "department",
    "academic_year",
    "programme",
]
HOSTILE_VALUES = [HUGE, "-1", "0", "abc", "²", "1.5", LONG, NUL, "-" + HUGE]
PAGINATION_QUERIES = [
    {"per_page": "-1"},
    {"per_page": "0"},
    {"per_page": "100000"},
    {"per_page": HUGE, "page": HUGE},
    {"page": "abc"},
    {"page": "-1"},
    {"page": HUGE},
    {"sort": "-nonexistent"},
    {"sort": NUL},
    {"sort": "nonexistent", "export": "csv", "per_page": "-1"},
    {"export": "xlsx", "page": "abc", "per_page": "0", "q": NUL},
    {"export": "csv", "department": HUGE, "q": LONG},
    {"export": "nonsense"},
]
FIELD_VALUES = [HUGE, "-1", "abc", NUL]


# --- The data ---------------------------------------------------------------------------


def build_world(media: Path) -> dict[str, Any]:
    """A school with one of everything each page shows, each role's person, and the ids
    and path values that fill every URL pattern."""
    from amelio.core.files import store_file
    from amelio.core.models import FilePurpose
    from amelio.imports.models import ImportBatch
    from amelio.improvement.models import ProgressNote
    from amelio.improvement.tests.factories import ActionFactory, ImprovementItemFactory
    from amelio.internships.models import EvaluationLink, Internship, Milestone
    from amelio.internships.services import _hash
    from amelio.notifications.models import Notification
    from amelio.organisation.choices import Role
    from amelio.organisation.tests.factories import ProgrammeFactory, grant, school_fixture
    from amelio.partners.tests.factories import (
        AgreementFactory,
        CompanyFactory,
        ContactFactory,
        InterventionFactory,
        SiteFactory,
    )
    from amelio.processes.models import (
        ContextIssue,
        InterestedParty,
        ProcessInteraction,
        RaciAssignment,
        Statement,
    )
    from amelio.processes.tests.factories import ActivityFactory

    world = school_fixture()
    civil, teacher, student = world["civil"], world["teacher"], world["student"]
    process = world["process_civil"]
    year = _current_year()
    programme = ProgrammeFactory(department=civil)
    activity = ActivityFactory(process=process)
    raci = RaciAssignment.objects.create(activity=activity, person=teacher, responsibility="R")
    interaction = ProcessInteraction.objects.create(source=process, target=world["process_school"])
    issue = ContextIssue.objects.create(title="Enjeu", origin="internal", effect="positive")
    party = InterestedParty.objects.create(name="Partie", category="students", needs="Des cours")
    statement = Statement.objects.create(kind="policy", version=1, text="Notre politique")
    item = ImprovementItemFactory(raised_by=student, process=process, department=civil)
    action = ActionFactory(item=item, owner=teacher, process=process, department=civil)
    ActionFactory(owner=teacher)  # a standalone action
    ProgressNote.objects.create(action=action, author=teacher, text="Avancement")
    attachment = store_file(
        actor=student,
        upload=SimpleUploadedFile("preuve.txt", b"preuve", content_type="text/plain"),
        owner=item,
        purpose=FilePurpose.ATTACHMENT,
    )
    company = CompanyFactory()
    site = SiteFactory(company=company)
    contact = ContactFactory(company=company)
    ContactFactory(company=CompanyFactory())  # another company's contact
    agreement = AgreementFactory(company=company, owner=world["office"], departments=[civil])
    intervention = InterventionFactory(speaker=ContactFactory(company=company, is_speaker=True), programme=programme)
    internship = Internship.objects.create(
        reference="ST-2026-00001",
        student=student,
        company=company,
        site=site,
        company_tutor=contact,
        academic_tutor=teacher,
        programme=programme,
        academic_year=year,
        kind="engineer",
        subject="Ouvrages",
        starts_on=year.starts_on + datetime.timedelta(days=220),
        ends_on=year.starts_on + datetime.timedelta(days=280),
        weekly_hours=Decimal("35"),
        hourly_gratification=Decimal("4.35"),
        created_by=student,
    )
    milestone = Milestone.objects.create(internship=internship, kind="midterm_contact", due_on=internship.starts_on)
    token = secrets.token_urlsafe(32)
    EvaluationLink.objects.create(
        internship=internship,
        kind="company_tutor",
        email=contact.email,
        token_hash=_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=10),
    )
    batch = ImportBatch.objects.create(kind="companies", original_name="companies.csv", created_by=world["office"])
    store_file(
        actor=world["office"],
        upload=SimpleUploadedFile("companies.csv", b"legal_name\nACME\n", content_type="text/csv"),
        owner=batch,
        purpose=FilePurpose.IMPORT,
    )
    revocable = grant(world["teacher"], Role.PROCESS_OWNER, process)
    from amelio.indicators.tests.factories import IndicatorFactory, computed_indicator

    indicator = IndicatorFactory(owner=teacher, process=process, period_kind="month")  # its form asks a month
    computed = computed_indicator("improvement.actions_on_time", owner=teacher, process=process)
    from amelio.documents.tests.factories import VersionFactory, document_in_force

    document = document_in_force(owner=teacher, roles=["student", "teacher"], processes=[process])
    document_draft = VersionFactory(document=document, author=teacher, number=2)
    from amelio.risks.tests.factories import RiskFactory

    risk = RiskFactory(process=process, owner=teacher, residual_likelihood=1, residual_impact=2)
    risk.actions.set([action])
    from amelio.indicators.models import ObjectiveMeasure
    from amelio.indicators.tests.factories import objective as make_objective

    objective = make_objective(owner=teacher, process=process, start=year.starts_on.year)
    measure = ObjectiveMeasure.objects.create(objective=objective, indicator=indicator, target=Decimal(80))
    objective.actions.add(action)
    survey = _survey_world(world)
    standards = _standards_world(world, document)
    audits = _audit_world(world)
    from amelio.reviews.tests.factories import review_of

    review = review_of(world, status="compiled")
    student_record = _students_world(world, programme)
    people = [world[role] for role in ROLES if role]
    notifications = {p.pk: Notification.objects.create(recipient=p, subject="Bonjour", url="/").pk for p in people}
    world.update(
        programme=programme,
        year=year,
        activity=activity,
        raci=raci,
        interaction=interaction,
        issue=issue,
        party=party,
        statement=statement,
        item=item,
        action=action,
        attachment=attachment,
        company=company,
        site=site,
        contact=contact,
        agreement=agreement,
        intervention=intervention,
        internship=internship,
        milestone=milestone,
        evaluation_token=token,
        batch=batch,
        revocable=revocable,
        indicator=indicator,
        computed_indicator=computed,
        risk=risk,
        objective=objective,
        measure=measure,
        notification=notifications[world["quality_manager"].pk],
        document=document,
        document_draft=document_draft,
        review=review,
        **survey,
        **standards,
        **audits,
        student_record=student_record,
        prepared_export=_prepared_export(world["quality_manager"]),
        api_token=_api_token(world["teacher"]),
        reset_uid=urlsafe_base64_encode(force_bytes(student.pk)),
        reset_token=default_token_generator.make_token(student),
    )
    return world


def _audit_world(world: dict[str, Any]) -> dict[str, Any]:
    """A programme and an audit in progress of the civil engineering process, led by the
    electrical department's head, with a finding not yet in the improvement register."""
    from amelio.audits import services as audits
    from amelio.audits.choices import AuditStatus
    from amelio.audits.tests.factories import audit_in, programme

    year = programme()
    audit = audit_in(world, AuditStatus.IN_PROGRESS, programme=year)
    finding = audits.finding_record(
        actor=world["head_electrical"],
        audit=audit,
        data={"grade": "minor_nc", "statement": "Écart", "evidence": "Vu", "requirement": "8.5"},
    )
    return {"audit_programme": year, "audit": audit, "audit_line": audit.checklist.first(), "audit_finding": finding}


def _survey_world(world: dict[str, Any]) -> dict[str, Any]:
    """A published questionnaire sent to the civil engineering students (one answer given,
    with a comment), and a draft version with a question."""
    from amelio.surveys import services as surveys
    from amelio.surveys.models import Answer, Question
    from amelio.surveys.tests.factories import QUESTIONS, campaign_of, published_version, questionnaire

    campaign = campaign_of(world, published_version())
    made = surveys.campaign_open_with_tokens(actor=None, campaign=campaign)
    questions = Question.objects.filter(section__version=campaign.version)
    surveys.response_submit(
        token=made[0][1],
        answers={q.pk: "Un commentaire" for q in questions if q.kind == "text"}
        | {q.pk: 4 for q in questions if q.kind == "likert"}
        | {q.pk: 9 for q in questions if q.kind == "nps"}
        | {q.pk: (0, "") for q in questions if q.kind == "single_choice"}
        | {q.pk: ([0], "") for q in questions if q.kind == "multiple_choice"}
        | {q.pk: 3 for q in questions if q.kind == "number"},
    )
    draft = questionnaire(department=world["civil"]).versions.get()
    section = surveys.section_add(actor=None, version=draft, title_fr="Section")
    question = surveys.question_add(actor=None, section=section, data=QUESTIONS[0])
    return {
        "survey_campaign": campaign,
        "survey_comment": Answer.objects.get(question__kind="text"),
        "survey_token": made[-1][1],
        "survey_invitation": made[-1][0],
        "survey_draft": draft,
        "survey_question": question,
    }


def _standards_world(world: dict[str, Any], document: Any) -> dict[str, Any]:
    """The school's own framework with a requirement, mapped to ISO 9001 10.2, and the civil
    engineering process and a document evidencing it."""
    from django.contrib.contenttypes.models import ContentType

    from amelio.core import clock
    from amelio.standards import services as standards
    from amelio.standards.models import Clause

    quality = world["quality_manager"]
    framework = standards.framework_create(actor=quality, data={"code": "CTI", "name": "CTI"})
    requirement = standards.requirement_create(
        actor=quality, framework=framework, data={"number": "C", "title_fr": "Formation"}
    )
    mapping = standards.mapping_create(
        actor=quality, requirement=requirement, other=Clause.objects.get(framework__code="ISO9001:2015", number="10.2")
    )
    process = world["process_civil"]
    link = standards.evidence_link(actor=quality, record=process, requirement=requirement)
    standards.evidence_link(actor=quality, record=document, requirement=requirement)
    # A personal link opening the school's framework to an auditor without an account.
    access, token = standards.auditor_access_grant(
        actor=quality,
        data={
            "auditor_name": "Jeanne Martin",
            "auditor_email": "jeanne.martin@certif.test",
            "frameworks": [framework],
            "processes": [process],
            "starts_on": clock.today(),
            "ends_on": clock.today() + datetime.timedelta(days=3),
        },
    )
    return {
        "framework": framework,
        "requirement": requirement,
        "mapping": mapping,
        "evidence_link": link,
        "process_type": ContentType.objects.get_for_model(process),
        "auditor_access": access,
        "auditor_token": token,
    }


def _students_world(world: dict[str, Any], programme: Any) -> Any:
    """The student's own record, in their final year, with a graduate's situation elsewhere."""
    from amelio.students import services as students

    record = students.student_create(
        actor=None,
        data={"ine": "1234567890A", "first_name": "Sacha", "last_name": "Étudiant", "person": world["student"]},
    )
    enrolment = students.enrolment_create(
        actor=None, student=record, data={"academic_year": _current_year(), "programme": programme, "year_of_study": 5}
    )
    graduate = students.student_create(
        actor=None, data={"ine": "1234567890B", "first_name": "Camille", "last_name": "Diplômée"}
    )
    students.enrolment_create(
        actor=None,
        student=graduate,
        data={
            "academic_year": _current_year(),
            "programme": programme,
            "year_of_study": 5,
            "outcome": "graduated",
            "diploma_on": _current_year().starts_on,
        },
    )
    situation = students.insertion_record_create(
        actor=None,
        student=graduate,
        data={"wave": 6, "surveyed_on": timezone.localdate(), "situation": "job_seeking"},
    )
    world.update(student_enrolment=enrolment, graduate_record=graduate, graduate_situation=situation)
    return record


def _api_token(person: Any) -> Any:
    """A personal API token of the teacher: only they may revoke it."""
    from amelio.api.services import api_token_create

    token, _key = api_token_create(owner=person, name="Fuzz", scope="read", valid_days=5)
    return token


def _prepared_export(person: Any) -> Any:
    """A file the worker prepared for the quality manager: nobody else may download it."""
    from django.core.files.base import ContentFile

    from amelio.core.models import PreparedExport

    export = PreparedExport(
        requested_by=person, builder="indicators.dashboard_pdf", title="Tableau", language="fr", status="ready"
    )
    export.file.save("fuzz.csv", ContentFile(b"a,b\n"), save=False)
    export.filename, export.content_type, export.size = "fuzz.csv", "text/csv", 4
    export.save()
    return export


def _current_year() -> Any:
    from amelio.organisation.models import AcademicYear

    today = timezone.localdate()
    start = today.year if today.month >= 9 else today.year - 1
    year, _created = AcademicYear.objects.get_or_create(
        label=f"{start}-{start + 1}",
        defaults={
            "starts_on": datetime.date(start, 9, 1),
            "ends_on": datetime.date(start + 1, 8, 31),
            "is_current": True,
        },
    )
    return year


def _pk(key: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda w: {"pk": w[key].pk}


# The values that fill each URL pattern with a record of the world.
KWARGS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "password_reset_confirm": lambda w: {"uidb64": w["reset_uid"], "token": w["reset_token"]},
    "organisation:department_detail": _pk("civil"),
    "organisation:department_update": _pk("civil"),
    "organisation:programme_update": _pk("programme"),
    "organisation:academic_year_update": _pk("year"),
    "organisation:person_detail": _pk("teacher"),
    "organisation:person_update": _pk("teacher"),
    "organisation:role_grant": _pk("teacher"),
    "organisation:role_revoke": _pk("revocable"),
    "processes:process_detail": _pk("process_civil"),
    "processes:process_update": _pk("process_civil"),
    "processes:activity_create": _pk("process_civil"),
    "processes:activity_delete": lambda w: {"pk": w["process_civil"].pk, "activity_pk": w["activity"].pk},
    "processes:raci_create": _pk("process_civil"),
    "processes:interaction_set": _pk("process_civil"),
    "processes:interaction_delete": lambda w: {"pk": w["process_civil"].pk, "interaction_pk": w["interaction"].pk},
    "processes:raci_delete": lambda w: {"pk": w["process_civil"].pk, "raci_pk": w["raci"].pk},
    "processes:context_issue_update": _pk("issue"),
    "processes:interested_party_update": _pk("party"),
    "processes:statement_list": lambda w: {"kind": "policy"},
    "processes:statement_write": lambda w: {"kind": "scope"},
    "processes:statement_approve": _pk("statement"),
    "improvement:item_detail": _pk("item"),
    "improvement:item_update": _pk("item"),
    "improvement:item_action_create": _pk("item"),
    "improvement:action_detail": _pk("action"),
    "improvement:action_note": _pk("action"),
    "improvement:attachment_upload": lambda w: {"kind": "item", "pk": w["item"].pk},
    "core:file_download": _pk("attachment"),
    "improvement:item_step": lambda w: {"pk": w["item"].pk, "transition": "accept"},
    "api:item_transition": lambda w: {"pk": w["item"].pk, "transition": "accept"},
    "api:action_transition": lambda w: {"pk": w["action"].pk, "transition": "complete"},
    "api:indicator_values": _pk("indicator"),
    "improvement:action_step": lambda w: {"pk": w["action"].pk, "transition": "complete"},
    "notifications:open": lambda w: {"pk": w["notification"]},
    "internships:party_options": lambda w: {"field": "company_tutor"},
    "internships:internship_detail": _pk("internship"),
    "internships:internship_update": _pk("internship"),
    "internships:internship_pdf": _pk("internship"),
    "internships:internship_amend": _pk("internship"),
    "internships:report_upload": _pk("internship"),
    "internships:internship_step": lambda w: {"pk": w["internship"].pk, "transition": "check"},
    "internships:evaluation_link_send": _pk("internship"),
    "internships:milestone_done": _pk("milestone"),
    "internships:evaluation_form": lambda w: {"token": w["evaluation_token"]},
    "partners:company_detail": _pk("company"),
    "partners:company_update": _pk("company"),
    "partners:company_merge": _pk("company"),
    "partners:site_create": _pk("company"),
    "partners:contact_create": _pk("company"),
    "partners:site_update": _pk("site"),
    "partners:contact_update": _pk("contact"),
    "partners:agreement_detail": _pk("agreement"),
    "partners:agreement_update": _pk("agreement"),
    "partners:agreement_step": lambda w: {"pk": w["agreement"].pk, "transition": "submit"},
    "partners:intervention_update": _pk("intervention"),
    "imports:batch_detail": _pk("batch"),
    "indicators:indicator_detail": _pk("indicator"),
    "indicators:indicator_update": _pk("indicator"),
    "indicators:target_set": _pk("indicator"),
    "indicators:value_record": _pk("indicator"),
    "indicators:recompute": _pk("computed_indicator"),
    "indicators:objective_detail": _pk("objective"),
    "indicators:objective_update": _pk("objective"),
    "indicators:measure_add": _pk("objective"),
    "indicators:measure_update": _pk("measure"),
    "indicators:measure_remove": _pk("measure"),
    "indicators:action_link": _pk("objective"),
    "indicators:action_unlink": lambda w: {"pk": w["objective"].pk, "action_pk": w["action"].pk},
    "indicators:objective_step": lambda w: {"pk": w["objective"].pk, "transition": "activate"},
    "indicators:department_dashboard": _pk("civil"),
    "indicators:process_dashboard": _pk("process_civil"),
    "imports:template": lambda w: {"kind": "companies"},
    "documents:document_detail": _pk("document"),
    "documents:document_update": _pk("document"),
    "documents:document_readers": _pk("document"),
    "documents:document_acknowledge": _pk("document"),
    "documents:version_create": _pk("document"),
    "documents:version_detail": _pk("document_draft"),
    "documents:version_update": _pk("document_draft"),
    "documents:version_step": lambda w: {"pk": w["document_draft"].pk, "transition": "submit"},
    "risks:risk_detail": _pk("risk"),
    "risks:risk_update": _pk("risk"),
    "risks:risk_review": _pk("risk"),
    "risks:risk_action_create": _pk("risk"),
    "risks:risk_item_create": _pk("risk"),
    "risks:risk_step": lambda w: {"pk": w["risk"].pk, "transition": "treat"},
    "surveys:questionnaire_detail": lambda w: {"pk": w["survey_draft"].questionnaire_id},
    "surveys:version_detail": _pk("survey_draft"),
    "surveys:section_add": _pk("survey_draft"),
    "surveys:question_add": _pk("survey_draft"),
    "surveys:question_delete": lambda w: {"pk": w["survey_draft"].pk, "question_pk": w["survey_question"].pk},
    "surveys:version_publish": _pk("survey_draft"),
    "surveys:version_redraft": _pk("survey_draft"),
    "surveys:answer": lambda w: {"token": w["survey_token"]},
    "surveys:my_invitation_answer": _pk("survey_invitation"),
    "surveys:campaign_detail": _pk("survey_campaign"),
    "surveys:campaign_update": _pk("survey_campaign"),
    "surveys:campaign_results": _pk("survey_campaign"),
    "surveys:campaign_import": _pk("survey_campaign"),
    "surveys:comment_raise": lambda w: {"pk": w["survey_campaign"].pk, "answer_pk": w["survey_comment"].pk},
    "surveys:campaign_step": lambda w: {"pk": w["survey_campaign"].pk, "transition": "close"},
    "standards:framework_detail": _pk("framework"),
    "standards:requirement_create": _pk("framework"),
    "standards:requirement_import": _pk("framework"),
    "standards:requirement_detail": _pk("requirement"),
    "standards:mapping_delete": _pk("mapping"),
    "standards:evidence_create": lambda w: {"type_id": w["process_type"].pk, "record_id": w["process_civil"].pk},
    "standards:evidence_delete": _pk("evidence_link"),
    "standards:requirement_update": _pk("requirement"),
    "standards:requirement_delete": _pk("requirement"),
    "standards:access_detail": _pk("auditor_access"),
    "standards:access_step": lambda w: {"pk": w["auditor_access"].pk, "transition": "revoke"},
    "standards:access_link": lambda w: {"token": w["auditor_token"]},
    "standards:access_link_framework": lambda w: {"token": w["auditor_token"], "framework": w["framework"].pk},
    "standards:access_link_requirement": lambda w: {"token": w["auditor_token"], "requirement": w["requirement"].pk},
    "audits:programme_detail": _pk("audit_programme"),
    "audits:programme_update": _pk("audit_programme"),
    "audits:audit_detail": _pk("audit"),
    "audits:audit_update": _pk("audit"),
    "audits:checklist": _pk("audit"),
    "audits:line_answer": lambda w: {"pk": w["audit"].pk, "line_pk": w["audit_line"].pk},
    "audits:finding_create": _pk("audit"),
    "audits:finding_raise_item": _pk("audit_finding"),
    "audits:audit_report_pdf": _pk("audit"),
    "audits:audit_step": lambda w: {"pk": w["audit"].pk, "transition": "report"},
    "reviews:review_detail": _pk("review"),
    "reviews:review_update": _pk("review"),
    "reviews:review_pdf": _pk("review"),
    "reviews:decision_create": _pk("review"),
    "reviews:section_note": lambda w: {"pk": w["review"].pk, "key": "resources"},
    "reviews:review_step": lambda w: {"pk": w["review"].pk, "transition": "compile"},
    "students:student_detail": _pk("student_record"),
    "students:student_update": _pk("student_record"),
    "students:enrolment_create": _pk("student_record"),
    "students:enrolment_update": lambda w: {"pk": w["student_record"].pk, "enrolment": w["student_enrolment"].pk},
    "students:mobility_create": _pk("student_record"),
    "students:english_create": _pk("student_record"),
    "students:insertion_create": _pk("graduate_record"),
    "students:insertion_update": lambda w: {"pk": w["graduate_record"].pk, "record": w["graduate_situation"].pk},
    "core:export_download": _pk("prepared_export"),
    "api_tokens:revoke": _pk("api_token"),
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    converters: dict[str, str]


def all_routes() -> list[Route]:
    """Every named URL pattern of the project, with its namespace and the converter of
    each of its parameters."""
    routes: list[Route] = []

    def walk(resolver: URLResolver, namespace: str | None, prefix: str, converters: dict[str, str]) -> None:
        for entry in resolver.url_patterns:
            pattern = prefix + str(entry.pattern)
            found = dict(converters)
            for match in re.finditer(r"<(?:(\w+):)?(\w+)>", str(entry.pattern)):
                found[match.group(2)] = match.group(1) or "str"
            if isinstance(entry, URLResolver):
                inner = entry.namespace
                walk(entry, f"{namespace}:{inner}" if namespace and inner else inner or namespace, pattern, found)
            elif isinstance(entry, URLPattern) and entry.name:
                routes.append(Route(f"{namespace}:{entry.name}" if namespace else entry.name, pattern, found))

    walk(get_resolver(), None, "", {})
    unique = {route.name: route for route in routes}  # the login page is declared twice
    return sorted(unique.values(), key=lambda route: route.name)


def fuzzed_routes() -> list[Route]:
    return [
        route
        for route in all_routes()
        if route.name not in SKIPPED_NAMES and route.name.split(":")[0] not in SKIPPED_NAMESPACES
    ]


def hostile_paths(route: Route, world: dict[str, Any]) -> list[str]:
    """The URL with real values, then with each parameter made hostile."""
    kwargs = KWARGS[route.name](world) if route.converters else {}
    paths = [reverse(route.name, kwargs=kwargs)]
    for name, converter in route.converters.items():
        for value in ("0", HUGE) if converter == "int" else ("nonexistent", "\x00", "x" * 300):
            paths.append(reverse(route.name, kwargs={**kwargs, name: value}))
    return paths


# --- Forms found on the pages -------------------------------------------------------------


@dataclass
class FoundForm:
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values as rendered
    selects: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)


class FormParser(HTMLParser):
    """The post forms of a page: their action and the fields with their rendered values."""

    def __init__(self, page_path: str) -> None:
        super().__init__()
        self.page_path = page_path
        self.forms: dict[str, FoundForm] = {}
        self.current: FoundForm | None = None
        self.select: str | None = None
        self.select_values: list[str] = []

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attributes}
        if tag == "form":
            if attrs.get("method", "get").lower() == "post":
                action = urlsplit(attrs.get("action") or self.page_path).path
                self.current = self.forms.setdefault(action, FoundForm())
            return
        if self.current is None or "name" not in attrs:
            if tag == "option" and self.select is not None and attrs.get("value"):
                self.select_values.append(attrs["value"])
            return
        name = attrs["name"]
        if name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind == "file":
                self.current.files.add(name)
                self.current.fields.setdefault(name, [])
            elif kind in ("checkbox", "radio"):
                values = self.current.fields.setdefault(name, [])
                if "checked" in attrs or not values:
                    values[:] = [attrs.get("value", "on")]
            elif kind not in ("submit", "button"):
                self.current.fields[name] = [attrs.get("value", "")]
        elif tag == "textarea":
            self.current.fields[name] = ["Texte"]
        elif tag == "select":
            self.select, self.select_values = name, []
            self.current.selects.add(name)
        elif tag == "button" and attrs.get("value"):
            self.current.fields.setdefault(name, [attrs["value"]])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select" and self.select is not None and self.current is not None:
            self.current.fields[self.select] = self.select_values[:1]
            self.select = None


def hostile_posts(form: FoundForm | None) -> list[tuple[str, dict[str, Any]]]:
    """Posts that must be refused: nothing, huge ids in the choice fields of an otherwise
    rendered form, duplicated fields, NUL bytes, very long and negative values."""
    fields = form.fields if form else {}
    plain = {name: values for name, values in fields.items() if name not in (form.files if form else set())}
    selects = form.selects if form else set()
    posts: list[tuple[str, dict[str, Any]]] = [("empty", {})]
    if plain:
        posts.append(("huge ids", {**plain, **{name: [HUGE] for name in selects}} if selects else {}))
        posts.append(("huge ids added", {name: [*values, HUGE] for name, values in plain.items()}))
        posts.append(("every field huge", {name: HUGE for name in plain}))
        posts.append(("every field negative", {name: "-1" for name in plain}))
        posts.append(("NUL bytes", {name: NUL for name in plain}))
        posts.append(("duplicated fields", {name: [*values, *values, "abc"] for name, values in plain.items()}))
        posts.append(("very long", {name: LONG for name in plain}))
    else:
        posts += [("unknown fields", {"id": HUGE, "pk": "-1", "name": NUL, "next": LONG})]
    return [(label, data) for label, data in posts if label == "empty" or data]


# --- Running the matrix -------------------------------------------------------------------


@dataclass
class Tally:
    urls: set[str] = field(default_factory=set)
    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)

    def record(self, kind: str, role: str | None, method: str, path: str, label: str, response: Any) -> None:
        self.requests[kind] += 1
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            cause = f" {error[0].__name__}: {str(error[1])[:200]}" if error else ""
            self.failures.append(
                f"{response.status_code} {role or 'anonymous'} {method} {path[:200]} [{label[:200]}]{cause}"
            )


def client_as(world: dict[str, Any], role: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if role:
        client.force_login(world[role])
    return client


# Rows that may change on any refused request: sessions and login throttling records.
UNCOUNTED = {"sessions", "axes"}


def row_counts() -> tuple[int, ...]:
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in UNCOUNTED and model._meta.managed
    )
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def refused(response: Any) -> bool:
    """A post is refused when the page comes back (with its errors) or an error status,
    or when it redirects with an error message. The API answers a write it accepts with a
    2xx (JSON, no redirect): there, only a 4xx is a refusal."""
    if response.wsgi_request.path.startswith("/api/"):
        return bool(response.status_code >= 400)
    if response.status_code != 302:
        return True
    queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
    return any(message.level_tag == "error" for message in queued)


@pytest.fixture(scope="module")
def world(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            cache.clear()
            yield build_world(media)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()


def query_variants(parameters: list[str]) -> list[tuple[str, dict[str, str]]]:
    variants = [(f"all={value[:20]!r}", dict.fromkeys(parameters, value)) for value in HOSTILE_VALUES]
    return variants + [(f"{query}"[:200], query) for query in PAGINATION_QUERIES]


def combined_query(parameters: list[str]) -> dict[str, str]:
    """One query string with a hostile value in every parameter at once (no NUL byte: the
    middleware answers 400 before any view would read the rest)."""
    return {**dict.fromkeys(parameters, HUGE), "q": LONG, "per_page": "-1", "page": "abc", "sort": "-nonexistent"}


def filter_names(content: bytes) -> list[str]:
    """The names of the fields of the page's GET forms (its filters)."""
    names = []
    for form in re.findall(rb'<form[^>]*method="get"[^>]*>(.*?)</form>', content, re.S | re.I):
        names += [name.decode() for name in re.findall(rb'name="([^"]+)"', form)]
    return sorted(set(names))


def collect_forms(forms: dict[str, FoundForm], path: str, content: bytes) -> None:
    parser = FormParser(path)
    parser.feed(content.decode("utf-8", "replace"))
    for action, found in parser.forms.items():
        known = forms.setdefault(action, FoundForm())
        for name, values in found.fields.items():
            known.fields.setdefault(name, values)
        known.selects |= found.selects
        known.files |= found.files


def run_get_matrix(world: dict[str, Any], tally: Tally, forms: dict[str, FoundForm]) -> None:
    """Every role, on every URL: the page, then one query string hostile in every
    parameter at once. The full matrix (each hostile value, each pagination and export
    trick, each filter alone, each path parameter) is run by FULL_ROLES."""
    for route in fuzzed_routes():
        tally.urls.add(route.name)
        paths = hostile_paths(route, world)
        for role in ROLES:
            client = client_as(world, role)
            base = client.get(paths[0])
            tally.record("GET", role, "GET", paths[0], "plain", base)
            shown = base.status_code == 200 and not base.get("Content-Disposition")
            content = base.content if shown else b""
            if content:
                collect_forms(forms, paths[0], content)
            own = filter_names(content)
            parameters = sorted(set(COMMON_PARAMETERS) | set(own))
            response = client.get(paths[0], combined_query(parameters))
            tally.record("GET", role, "GET", paths[0], "combined", response)
            if role not in FULL_ROLES:
                continue
            for path in paths[1:]:
                tally.record("GET", role, "GET", path, "hostile path", client.get(path))
            if base.status_code != 200:
                continue
            queries = query_variants(parameters) + [
                (f"{name}={value[:20]!r}", {name: value}) for name in own for value in FIELD_VALUES
            ]
            for label, query in queries:
                tally.record("GET", role, "GET", paths[0], label, client.get(paths[0], query))


def run_post_matrix(world: dict[str, Any], tally: Tally, forms: dict[str, FoundForm]) -> None:
    """Every role posts nothing and the page's own form with huge ids to every URL; FULL_ROLES
    post every hostile form. A refused post must leave every table as it was."""
    for route in fuzzed_routes():
        if route.name in NOT_POSTED:
            continue
        path = hostile_paths(route, world)[0]
        posts = hostile_posts(forms.get(path))
        for role in ROLES:
            client = client_as(world, role)
            for label, data in posts if role in FULL_ROLES else posts[:2]:
                before = row_counts()
                response = client.post(path, data)
                tally.record("POST", role, "POST", path, label, response)
                if response.status_code < 500 and refused(response) and row_counts() != before:
                    tally.writes.append(f"{role or 'anonymous'} POST {path} [{label}] -> {response.status_code}")


def report(tally: Tally, roles: int) -> str:
    total = sum(tally.requests.values())
    five_hundreds = sum(count for status, count in tally.statuses.items() if status >= 500)
    lines = [
        f"fuzz ({connection.vendor}): {len(tally.urls)} URL patterns x {roles} roles "
        f"(7 roles + anonymous): {tally.requests['GET']} GET and {tally.requests['POST']} POST requests, "
        f"{total} in all; {five_hundreds} answered >= 500; {len(tally.writes)} refused posts wrote.",
        "statuses: " + ", ".join(f"{status}: {count}" for status, count in sorted(tally.statuses.items())),
        f"skipped: {', '.join(sorted(SKIPPED_NAMES)) or 'none'}",
        *tally.failures[:200],
        *tally.writes[:200],
    ]
    return "\n".join(lines)


def test_every_url_pattern_is_fuzzed() -> None:
    """A new URL pattern with parameters needs its values here, or it would go unfuzzed."""
    missing = [route.name for route in fuzzed_routes() if route.converters and route.name not in KWARGS]
    assert missing == []


def test_no_hostile_input_answers_500_and_refused_posts_write_nothing(world: dict[str, Any], settings: Any) -> None:
    # No worker runs beside the fuzz: /health/ would rightly answer 503 for its missing
    # heartbeat (tested in amelio/core/tests/test_health.py), which is not a server error.
    settings.WORKER_HEARTBEAT_MAX_AGE = 0
    tally = Tally()
    forms: dict[str, FoundForm] = {}
    run_get_matrix(world, tally, forms)
    run_post_matrix(world, tally, forms)
    summary = report(tally, len(ROLES))
    results = Path(__file__).resolve().parents[1] / "test-results"
    results.mkdir(exist_ok=True)
    (results / f"fuzz-{connection.vendor}.txt").write_text(summary + "\n", encoding="utf-8")
    print("\n" + summary)
    assert tally.failures == []
    assert tally.writes == []


def test_admin_refuses_every_role(world: dict[str, Any]) -> None:
    for role in ROLES:
        client = client_as(world, role)
        response = client.get(reverse("admin:index"), {"q": LONG, "p": HUGE})
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
        assert client.get(reverse("admin:index"), {"q": NUL}).status_code == 400
