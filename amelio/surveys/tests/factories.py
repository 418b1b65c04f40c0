"""A published questionnaire with one question of each type, and campaigns of it."""

from __future__ import annotations

import datetime
from typing import Any

from amelio.core import clock
from amelio.organisation.choices import PersonKind
from amelio.organisation.models import AcademicYear
from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory
from amelio.surveys import services
from amelio.surveys.choices import Audience, QuestionKind, QuestionnaireKind
from amelio.surveys.models import Campaign, Questionnaire, QuestionnaireVersion

OPTIONS = [{"fr": "Rouge", "en": "Red"}, {"fr": "Vert", "en": "Green"}, {"fr": "Bleu", "en": "Blue"}]

QUESTIONS: list[dict[str, Any]] = [
    {"code": "overall", "kind": QuestionKind.LIKERT, "text_fr": "Globalement satisfait", "scale_points": 5},
    {"code": "recommend", "kind": QuestionKind.NPS, "text_fr": "Recommanderiez-vous ?", "text_en": "Recommend?"},
    {
        "code": "colour",
        "kind": QuestionKind.SINGLE_CHOICE,
        "text_fr": "Couleur",
        "options": OPTIONS,
        "allows_other": True,
    },
    {
        "code": "tools",
        "kind": QuestionKind.MULTIPLE_CHOICE,
        "text_fr": "Outils",
        "options": OPTIONS,
        "allows_other": True,
    },
    {"code": "hours", "kind": QuestionKind.NUMBER, "text_fr": "Heures", "minimum": 0, "maximum": 60},
    {"code": "started", "kind": QuestionKind.DATE, "text_fr": "Début", "is_required": False},
    {"code": "comment", "kind": QuestionKind.TEXT, "text_fr": "Commentaire", "is_required": False},
]


def year_of(day: datetime.date) -> AcademicYear:
    start = day.year if day.month >= 9 else day.year - 1
    year, _created = AcademicYear.objects.get_or_create(
        label=f"{start}-{start + 1}",
        defaults={"starts_on": datetime.date(start, 9, 1), "ends_on": datetime.date(start + 1, 8, 31)},
    )
    return year


def published_version(
    actor: Any = None, *, kind: str = QuestionnaireKind.COURSE_EVALUATION, questions: list[dict[str, Any]] | None = None
) -> QuestionnaireVersion:
    questionnaire = services.questionnaire_create(actor=actor, data={"title": "Évaluation des cours", "kind": kind})
    version = questionnaire.versions.get()
    section = services.section_add(actor=actor, version=version, title_fr="Général", title_en="General")
    for data in questions or QUESTIONS:
        services.question_add(actor=actor, section=section, data=data)
    return services.version_publish(actor=actor, version=version)


def students(school: dict[str, Any], count: int, programme: Any = None) -> list[Any]:
    programme = programme or ProgrammeFactory(department=school["civil"])
    return [
        PersonFactory(kind=PersonKind.STUDENT, department=school["civil"], programme=programme) for _ in range(count)
    ]


def campaign_of(
    school: dict[str, Any], version: QuestionnaireVersion | None = None, *, actor: Any = None, **changes: Any
) -> Campaign:
    today = clock.today()
    data = {
        "title": "Évaluation S1",
        "version": version or published_version(),
        "academic_year": year_of(today),
        "audience": Audience.STUDENTS,
        "department": school["civil"],
        "is_anonymous": True,
        "opens_on": today - datetime.timedelta(days=1),
        "closes_on": today + datetime.timedelta(days=20),
        **changes,
    }
    return services.campaign_create(actor=actor, data=data)


def questionnaire(**changes: Any) -> Questionnaire:
    return services.questionnaire_create(actor=None, data={"title": "Q", "kind": QuestionnaireKind.STAFF, **changes})
