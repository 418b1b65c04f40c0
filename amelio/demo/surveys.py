"""The demo's satisfaction surveys (scenario in amelio/surveys/demo/surveys.toml): each
questionnaire written and published by the quality manager, then its campaigns (closed ones
of earlier years, open ones of this year) sent to the population the scenario names and
answered by part of those invited — all through the surveys services, on the days the
scenario says. No email leaves."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from amelio.core import clock
from amelio.core.emails import emails_not_sent
from amelio.organisation.choices import Role
from amelio.organisation.models import AcademicYear, Department, Person
from amelio.surveys import services
from amelio.surveys.choices import Audience, QuestionKind
from amelio.surveys.models import Campaign, Question

from . import data, past


def _value(question: Question, rng: random.Random, mood: float, comments: list[str], draws: dict[str, Any]) -> Any:
    """An answer drawn for the question; `draws` holds the scenario's `demo_*` keys of the
    question (the weights of its options, the mean and spread of a number)."""
    kind = question.kind
    if kind == QuestionKind.LIKERT:
        points = question.scale_points or 5
        drawn = rng.gauss(points * 0.68 + mood * points / 5, points / 4.5)
        return max(1, min(points, round(drawn)))
    if kind == QuestionKind.MATRIX:
        points = question.scale_points or 5
        return [
            max(1, min(points, round(rng.gauss(points * 0.68 + mood * points / 5, points / 4.5))))
            for _row in question.rows
        ]
    if kind == QuestionKind.NPS:
        return max(0, min(10, round(rng.gauss(7.6 + mood * 2, 1.9))))
    if kind == QuestionKind.NUMBER:
        mean, spread = draws.get("demo_mean", 14), draws.get("demo_spread", 5)
        low, high = question.minimum or 0, question.maximum if question.maximum is not None else 60
        return Decimal(max(low, min(high, round(rng.gauss(mean, spread)))))
    if kind == QuestionKind.SINGLE_CHOICE:
        if question.allows_other and rng.random() < 0.06:
            return (None, "Via un ancien élève")
        if "demo_weights" in draws:
            return (rng.choices(range(len(question.options)), weights=draws["demo_weights"])[0], "")
        return (rng.randrange(len(question.options)), "")
    if kind == QuestionKind.MULTIPLE_CHOICE:
        picked = sorted(rng.sample(range(len(question.options)), rng.randint(1, 2)))
        return (picked, "")
    if kind == QuestionKind.DATE:
        return None if rng.random() < 0.3 else clock.today() - datetime.timedelta(days=rng.randint(60, 200))
    return rng.choice(comments) if rng.random() < 0.22 else None


def _dates(entry: dict[str, Any], today: datetime.date) -> tuple[datetime.date, datetime.date, AcademicYear]:
    if entry["years_ago"] == 0:
        opens, closes = today - datetime.timedelta(days=12), today + datetime.timedelta(days=18)
    else:
        current = today.year if today.month >= 9 else today.year - 1
        start = current - entry["years_ago"]
        month_day = [tuple(int(part) for part in entry[key].split("-")) for key in ("opens", "closes")]
        opens, closes = (
            datetime.date(start + (month < 9), month, day)
            for month, day in month_day  # type: ignore[misc]
        )
    year = AcademicYear.objects.get(starts_on__lte=opens, ends_on__gte=opens)
    return opens, closes, year


def build_survey_demo(*, rng: random.Random, stdout: Any = None) -> int:
    """Returns the number of responses written."""
    quality = Person.objects.filter(
        role_assignments__role=Role.QUALITY_MANAGER, role_assignments__scope_kind="school"
    ).first()
    today = clock.today()
    responses = 0
    with emails_not_sent():
        for entry in data.load("surveys", "surveys")["questionnaire"]:
            opens_first = min(_dates(campaign, today)[0] for campaign in entry["campaign"])
            with past.on(opens_first - datetime.timedelta(days=20), 10):
                questionnaire = services.questionnaire_create(
                    actor=quality,
                    data={
                        "title": entry["title"],
                        "kind": entry["kind"],
                        "introduction_fr": entry["introduction_fr"],
                        "introduction_en": entry["introduction_en"],
                    },
                )
                version = questionnaire.versions.get()
                for section_entry in entry["section"]:
                    section = services.section_add(
                        actor=quality,
                        version=version,
                        title_fr=section_entry["title_fr"],
                        title_en=section_entry["title_en"],
                    )
                    for question in section_entry["questions"]:
                        services.question_add(actor=quality, section=section, data=question)
                services.version_publish(actor=quality, version=version)
            questions = list(Question.objects.filter(section__version=version))
            draws = {
                question["code"]: {key: value for key, value in question.items() if key.startswith("demo_")}
                for section_entry in entry["section"]
                for question in section_entry["questions"]
            }
            for campaign_entry in entry["campaign"]:
                responses += _run_campaign(
                    quality, version, campaign_entry, entry["comments"], questions, draws, rng, today
                )
    if stdout is not None:
        stdout.write(f"surveys: {Campaign.objects.count()} campaigns, {responses} responses")
    return responses


def _run_campaign(
    quality: Any,
    version: Any,
    entry: dict[str, Any],
    comments: list[str],
    questions: list[Question],
    draws: dict[str, dict[str, Any]],
    rng: random.Random,
    today: datetime.date,
) -> int:
    opens, closes, year = _dates(entry, today)
    audience = entry.get("audience", Audience.STUDENTS)
    data: dict[str, Any] = {
        "title": f"{entry['title']} {year.label}",
        "version": version,
        "academic_year": year,
        "audience": audience,
        "department": Department.objects.get(code=entry["department"]) if entry.get("department") else None,
        "is_anonymous": entry.get("is_anonymous", True),
        "opens_on": opens,
        "closes_on": closes,
    }
    if audience == Audience.GRADUATES:
        # Six months after the diploma: the graduates of the academic year before the campaign's.
        graduation = AcademicYear.objects.filter(ends_on__lt=year.starts_on).order_by("-starts_on").first()
        data["graduation_year"] = graduation
        data["title"] = f"{entry['title']} — promotion {graduation.label if graduation else ''}"
    with past.on(opens - datetime.timedelta(days=3), 11):
        campaign = services.campaign_create(actor=quality, data=data)
    with past.on(opens, 8):
        made = services.campaign_open_with_tokens(actor=quality, campaign=campaign)
    last_day = min(closes, today)
    span = max((last_day - opens).days, 0)
    answered = 0
    for _invitation, token in made:
        if rng.random() >= entry["answer_rate"]:
            continue
        day = opens + datetime.timedelta(days=min(span, int(rng.expovariate(1 / 4))))
        with past.on(day, rng.randint(8, 22), rng.randint(0, 59)):
            answers = {q.pk: _value(q, rng, entry["mood"], comments, draws.get(q.code, {})) for q in questions}
            services.response_submit(token=token, answers=answers, language="fr")
        answered += 1
    if closes < today:
        with past.on(closes + datetime.timedelta(days=1), 9):
            services.campaign_close(actor=quality, campaign=campaign)
    return answered
