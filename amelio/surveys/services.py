"""Writes of questionnaires, campaigns and answers.

A published questionnaire version is frozen: its sections and questions are changed only in
a new draft version (`version_new_draft`). A campaign sends one published version to a
population by personal links (the token is emailed once, only its hash is kept). An answer
to an anonymous campaign is stored without anything that leads back to its author."""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amelio.core import clock
from amelio.core.emails import readable_date, send_email_after_commit
from amelio.core.permissions import require
from amelio.core.registry import survey_population
from amelio.core.services import model_update
from amelio.history.choices import HistoryAction
from amelio.history.services import (
    history_record,
    history_record_create,
    history_record_delete,
    records_changed_without_history,
)
from amelio.improvement.choices import Origin
from amelio.improvement.models import ImprovementItem
from amelio.improvement.services import item_raise
from amelio.organisation.choices import PersonKind
from amelio.organisation.models import Person

from .choices import (
    CHOICE_KINDS,
    LIKERT_POINTS,
    SCALE_KINDS,
    Audience,
    CampaignStatus,
    CampaignTransition,
    QuestionKind,
    VersionStatus,
)
from .models import (
    Answer,
    Campaign,
    Invitation,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseAuthor,
    Section,
)
from .workflows import CAMPAIGN_WORKFLOW

QUESTION_FIELDS = [
    "code",
    "kind",
    "text_fr",
    "text_en",
    "is_required",
    "scale_points",
    "options",
    "allows_other",
    "rows",
    "show_if",
    "minimum",
    "maximum",
]
CAMPAIGN_FIELDS = [
    "title",
    "version",
    "academic_year",
    "audience",
    "graduation_year",
    "department",
    "programme",
    "process",
    "is_anonymous",
    "opens_on",
    "closes_on",
    "max_reminders",
    "reminder_every_days",
]


# Questionnaires and versions ------------------------------------------------------------


@transaction.atomic
def questionnaire_create(*, actor: Any, data: Mapping[str, Any]) -> Questionnaire:
    """A questionnaire with its first version, a draft."""
    questionnaire = Questionnaire(created_by=actor if getattr(actor, "pk", None) else None)
    for name in Questionnaire.editable_fields:
        if name in data:
            setattr(questionnaire, name, data[name])
    require(actor, "surveys.manage_questionnaire", questionnaire)
    questionnaire.full_clean()
    questionnaire.save()
    QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        introduction_fr=data.get("introduction_fr", ""),
        introduction_en=data.get("introduction_en", ""),
    )
    history_record_create(instance=questionnaire, fields=Questionnaire.editable_fields, actor=actor)
    return questionnaire


def questionnaire_update(
    *, actor: Any, questionnaire: Questionnaire, data: Mapping[str, Any], version: str | None = None
) -> Questionnaire:
    require(actor, "surveys.manage_questionnaire", questionnaire)
    model_update(instance=questionnaire, data=data, actor=actor, version=version)
    require(actor, "surveys.manage_questionnaire", questionnaire)  # not moved out of one's own scope
    return questionnaire


def _editable(version: QuestionnaireVersion) -> None:
    if version.is_frozen:
        raise ValidationError(
            _("Version %(number)s is published and frozen: make a new version to change it.")
            % {"number": version.number},
            code="frozen",
        )


@transaction.atomic
def section_add(*, actor: Any, version: QuestionnaireVersion, title_fr: str, title_en: str = "") -> Section:
    require(actor, "surveys.manage_questionnaire", version.questionnaire)
    _editable(version)
    position = (version.sections.aggregate(last=Max("position"))["last"] or 0) + 1
    section = Section(version=version, position=position, title_fr=title_fr, title_en=title_en)
    section.full_clean()
    section.save()
    history_record_create(instance=section, fields=["title_fr", "title_en"], actor=actor, target=version.questionnaire)
    return section


def _check_question(question: Question) -> None:
    errors: dict[str, str] = {}
    if question.kind in SCALE_KINDS and question.scale_points not in LIKERT_POINTS:
        errors["scale_points"] = _("An agreement scale has 4, 5 or 7 points.")
    if question.kind not in SCALE_KINDS and question.scale_points is not None:
        errors["scale_points"] = _("Only an agreement scale or a matrix has points.")
    if question.kind == QuestionKind.MATRIX:
        row_texts = [row.get("fr", "").strip() for row in question.rows]
        row_codes = [row.get("code", "") for row in question.rows]
        if len(row_texts) < 2 or not all(row_texts):
            errors["rows"] = _("Give a matrix at least two rows, each with its French text.")
        elif len(set(row_codes)) != len(row_codes) or not all(ROW_CODE.match(code) for code in row_codes):
            errors["rows"] = _("Each row of a matrix has its own code, of letters and digits.")
    elif question.rows:
        errors["rows"] = _("Only a matrix has rows.")
    if question.kind in CHOICE_KINDS:
        labels = [option.get("fr", "").strip() for option in question.options]
        if len(labels) < 2 or not all(labels):
            errors["options"] = _("Give at least two options, each with its French text.")
    elif question.options:
        errors["options"] = _("Only a choice question has options.")
    if question.allows_other and question.kind not in CHOICE_KINDS:
        errors["allows_other"] = _("Only a choice question offers “other”.")
    if question.kind != QuestionKind.NUMBER and (question.minimum is not None or question.maximum is not None):
        errors["minimum"] = _("Only a number question has bounds.")
    if question.minimum is not None and question.maximum is not None and question.minimum > question.maximum:
        errors["maximum"] = _("The maximum is at least the minimum.")
    codes = Question.objects.filter(section__version_id=question.section.version_id, code=question.code)
    if codes.exclude(pk=question.pk).exists():
        errors["code"] = _("Another question of this version has this code.")
    if question.show_if:
        message = _check_condition(question)
        if message:
            errors["show_if"] = message
    if errors:
        raise ValidationError(errors)


ROW_CODE = re.compile(r"^[A-Za-z0-9]{1,20}$")


def coded_rows(rows: Iterable[Mapping[str, str]]) -> list[dict[str, str]]:
    """A matrix's rows, each given a code when it has none: `SQ001`, `SQ002`... by its place,
    LimeSurvey's default sub-question codes."""
    return [
        {"code": (row.get("code") or f"SQ{index:03d}").strip(), "fr": row.get("fr", ""), "en": row.get("en", "")}
        for index, row in enumerate(rows, start=1)
    ]


CONDITION_KINDS = (QuestionKind.LIKERT, QuestionKind.NPS, QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


def _allowed_values(question: Question) -> range:
    """What an answer to a question a condition can read may be: a level, a score or an option's index."""
    if question.kind == QuestionKind.LIKERT:
        return range(1, (question.scale_points or 5) + 1)
    if question.kind == QuestionKind.NPS:
        return range(11)
    return range(len(question.options))


def _check_condition(question: Question) -> str | None:
    """A show-if condition reads an earlier question of the same version, of a type whose
    answer is a level, a score or options, and names at least one of its possible answers."""
    condition = question.show_if
    code, values = condition.get("code") if isinstance(condition, dict) else None, None
    if isinstance(condition, dict):
        values = condition.get("values")
    if not code or not isinstance(values, list) or not values or set(condition) - {"code", "values"}:
        return _("A condition names an earlier question and at least one of its answers.")
    earlier = (
        Question.objects.filter(section__version_id=question.section.version_id, code=code)
        .select_related("section")
        .first()
    )

    def place(item: Question) -> tuple[int, int, int, float]:
        return (item.section.position, item.section_id, item.position, item.pk or float("inf"))

    if earlier is None or earlier.pk == question.pk or place(earlier) >= place(question):
        return _("A condition reads a question asked before this one.")
    if earlier.kind not in CONDITION_KINDS:
        return _("A condition reads an agreement scale, a 0–10 score or a choice.")
    allowed = _allowed_values(earlier)
    if not all(isinstance(value, int) and not isinstance(value, bool) and value in allowed for value in values):
        return _("The condition's answers are not possible answers of “%(code)s”.") % {"code": code}
    return None


def condition_met(question: Question, value: Any) -> bool:
    """Whether the answer `value` (as services.response_submit takes it) of the question a
    condition reads is one of the condition's values."""
    values = set(question.show_if.get("values", []))
    if value in (None, "", [], ((), ""), (None, "")):
        return False
    if isinstance(value, tuple):  # a choice: (index or indexes, other text)
        picked = value[0]
        if isinstance(picked, list | tuple):
            return any(int(index) in values for index in picked)
        return picked is not None and int(picked) in values
    return int(value) in values


def asked_questions(questions: Iterable[Question], answers: Mapping[int, Any]) -> set[int]:
    """The questions asked, given the answers: a question whose condition is not met (or
    reads a question that was itself not asked) is not asked, so it is not required and its
    answer is not stored. `questions` in the questionnaire's order."""
    asked: set[int] = set()
    by_code: dict[str, Question] = {}
    for question in questions:
        by_code[question.code] = question
        condition = question.show_if
        if not condition:
            asked.add(question.pk)
            continue
        earlier = by_code.get(condition.get("code", ""))
        if earlier is not None and earlier.pk in asked and condition_met(question, answers.get(earlier.pk)):
            asked.add(question.pk)
    return asked


@transaction.atomic
def question_add(*, actor: Any, section: Section, data: Mapping[str, Any]) -> Question:
    version = section.version
    require(actor, "surveys.manage_questionnaire", version.questionnaire)
    _editable(version)
    question = Question(section=section, position=(section.questions.aggregate(last=Max("position"))["last"] or 0) + 1)
    for name in QUESTION_FIELDS:
        if name in data:
            setattr(question, name, data[name])
    question.rows = coded_rows(question.rows or [])
    question.full_clean()
    _check_question(question)
    question.save()
    history_record_create(
        instance=question, fields=["code", "kind", "text_fr"], actor=actor, target=version.questionnaire
    )
    return question


@transaction.atomic
def question_delete(*, actor: Any, question: Question) -> None:
    version = question.section.version
    require(actor, "surveys.manage_questionnaire", version.questionnaire)
    _editable(version)
    history_record_delete(
        instance=question, fields=["code", "kind", "text_fr"], actor=actor, target=version.questionnaire
    )
    question.delete()


@transaction.atomic
def version_publish(*, actor: Any, version: QuestionnaireVersion) -> QuestionnaireVersion:
    require(actor, "surveys.manage_questionnaire", version.questionnaire)
    locked = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    _editable(locked)
    if not Question.objects.filter(section__version=locked).exists():
        raise ValidationError(_("A version without questions cannot be published."), code="empty")
    locked.status = VersionStatus.PUBLISHED
    locked.published_at = clock.now()
    locked.save(update_fields=["status", "published_at"])
    history_record(
        instance=locked,
        target=locked.questionnaire,
        action=HistoryAction.UPDATE,
        actor=actor,
        changes={"version": ["", _("version %(number)s published") % {"number": locked.number}]},
    )
    version.refresh_from_db()
    return version


@transaction.atomic
def version_new_draft(*, actor: Any, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Editing a published version: a new draft version, a copy of it, that campaigns will
    use once published; the published one and its answers stay as they are."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=version.questionnaire_id)
    require(actor, "surveys.manage_questionnaire", questionnaire)
    if questionnaire.versions.filter(status=VersionStatus.DRAFT).exists():
        raise ValidationError(_("This questionnaire already has a draft version: edit that one."), code="draft_exists")
    number = (questionnaire.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    draft = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=number,
        introduction_fr=version.introduction_fr,
        introduction_en=version.introduction_en,
    )
    for section in version.sections.prefetch_related("questions"):
        copy = Section.objects.create(
            version=draft, position=section.position, title_fr=section.title_fr, title_en=section.title_en
        )
        Question.objects.bulk_create(
            Question(
                section=copy, position=question.position, **{name: getattr(question, name) for name in QUESTION_FIELDS}
            )
            for question in section.questions.all()
        )
    history_record(
        instance=draft,
        target=questionnaire,
        action=HistoryAction.CREATE,
        actor=actor,
        changes={"version": ["", _("version %(number)s drafted") % {"number": number}]},
    )
    return draft


# Campaigns ------------------------------------------------------------------------------


def _check_campaign(campaign: Campaign) -> None:
    errors: dict[str, str] = {}
    if campaign.version_id and campaign.version.status != VersionStatus.PUBLISHED:
        errors["version"] = _("Only a published version of a questionnaire can be sent.")
    if campaign.audience == Audience.STUDENTS and not (campaign.department_id or campaign.programme_id):
        errors["programme"] = _("Choose the programme or the department of the students.")
    if campaign.audience == Audience.GRADUATES and not campaign.graduation_year_id:
        errors["graduation_year"] = _("Choose the year in which the graduates received the diploma.")
    if campaign.audience != Audience.GRADUATES and campaign.graduation_year_id:
        errors["graduation_year"] = _("Only a campaign to graduates has a year of graduation.")
    programme = campaign.programme if campaign.programme_id else None
    if programme is not None and campaign.department_id and programme.department_id != campaign.department_id:
        errors["programme"] = _("The programme belongs to another department.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def campaign_create(*, actor: Any, data: Mapping[str, Any]) -> Campaign:
    campaign = Campaign(created_by=actor if getattr(actor, "pk", None) else None)
    for name in CAMPAIGN_FIELDS:
        if name in data:
            setattr(campaign, name, data[name])
    if campaign.programme is not None and not campaign.department_id:
        campaign.department = campaign.programme.department
    require(actor, "surveys.manage_campaign", campaign)
    campaign.full_clean()
    _check_campaign(campaign)
    campaign.save()
    history_record_create(instance=campaign, fields=CAMPAIGN_FIELDS, actor=actor)
    return campaign


def campaign_update(*, actor: Any, campaign: Campaign, data: Mapping[str, Any], version: str | None = None) -> Campaign:
    require(actor, "surveys.manage_campaign", campaign)
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("A closed campaign cannot be changed."), code="closed")
    model_update(instance=campaign, data=data, actor=actor, version=version)
    if campaign.status == CampaignStatus.OPEN:
        # The links sent work until the (new) closing day.
        Invitation.objects.filter(campaign=campaign).update(expires_at=_link_expiry(campaign))
    return campaign


@dataclass(frozen=True)
class Recipient:
    email: str
    person: Any = None
    contact: Any = None
    department_id: int | None = None
    programme_id: int | None = None


def campaign_population(campaign: Campaign) -> list[Recipient]:
    """Who the campaign is sent to, read from the records, one per email address."""
    found: list[Recipient] = []
    if campaign.audience in (Audience.STUDENTS, Audience.STAFF):
        kinds = (
            [PersonKind.STUDENT] if campaign.audience == Audience.STUDENTS else [PersonKind.STAFF, PersonKind.TEACHER]
        )
        people = Person.objects.filter(kind__in=kinds, is_active=True).exclude(email="").select_related("programme")
        if campaign.programme_id:
            people = people.filter(programme_id=campaign.programme_id)
        elif campaign.department_id:
            people = people.filter(
                Q(department_id=campaign.department_id) | Q(programme__department_id=campaign.department_id)
            )
        for person in people.order_by("pk"):
            department_id = person.department_id or (person.programme.department_id if person.programme else None)
            found.append(
                Recipient(person.email, person=person, department_id=department_id, programme_id=person.programme_id)
            )
    elif campaign.audience == Audience.GRADUATES:
        # The students' records are a sibling app: their graduates come through the registry.
        graduates = survey_population(Audience.GRADUATES)(
            academic_year_id=campaign.graduation_year_id,
            department_id=campaign.department_id,
            programme_id=campaign.programme_id,
        )
        accounts = Person.objects.in_bulk([row["person_id"] for row in graduates if row["person_id"]])
        found.extend(
            Recipient(
                row["email"],
                person=accounts.get(row["person_id"]),
                department_id=row["department_id"],
                programme_id=row["programme_id"],
            )
            for row in graduates
        )
    elif campaign.audience == Audience.PARTNER_CONTACTS:
        from amelio.partners.models import Contact

        # The active contacts of the active partner companies: no department or programme
        # (a breakdown would have no group to show).
        contacts = (
            Contact.objects.filter(is_active=True, company__is_active=True)
            .exclude(email="")
            .order_by("company_id", "pk")
        )
        found.extend(Recipient(contact.email, contact=contact) for contact in contacts)
    else:
        from amelio.internships.choices import InternshipStatus
        from amelio.internships.models import Internship

        # The internships of the campaign's academic year that were agreed (neither drafts
        # nor cancelled): their company tutors, or their interns.
        internships = (
            Internship.objects.filter(academic_year_id=campaign.academic_year_id)
            .exclude(status__in=[InternshipStatus.DRAFT, InternshipStatus.CANCELLED])
            .select_related("company_tutor", "student", "programme")
            .order_by("pk")
        )
        if campaign.programme_id:
            internships = internships.filter(programme_id=campaign.programme_id)
        elif campaign.department_id:
            internships = internships.filter(programme__department_id=campaign.department_id)
        for internship in internships:
            groups = {"department_id": internship.programme.department_id, "programme_id": internship.programme_id}
            if campaign.audience == Audience.INTERNS:
                student = internship.student
                if student.email and student.is_active:
                    found.append(Recipient(student.email, person=student, **groups))
                continue
            tutor = internship.company_tutor
            if tutor is not None and tutor.email:
                found.append(Recipient(tutor.email, contact=tutor, **groups))
    unique: dict[str, Recipient] = {}
    for recipient in found:
        unique.setdefault(recipient.email.lower(), recipient)
    return list(unique.values())


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link_expiry(campaign: Campaign) -> datetime.datetime:
    """A link works until the end of the campaign's closing day (school time)."""
    closing = datetime.datetime.combine(campaign.closes_on + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(closing)


def _send_link(campaign: Campaign, email: str, token: str, *, reminder: bool) -> None:
    url = settings.SITE_URL.rstrip("/") + reverse("surveys:answer", args=[token])

    def compose() -> tuple[str, str]:
        subject = (_("Reminder: %(title)s") if reminder else _("Your opinion: %(title)s")) % {"title": campaign.title}
        privacy = (
            _("Your answers are anonymous: nothing kept links them to you.")
            if campaign.is_anonymous
            else _("This survey is not anonymous: your answers are kept with your name.")
        )
        body = _(
            "Please answer the questionnaire through this personal link (usable once, until %(date)s):\n"
            "%(url)s\n\n%(privacy)s"
        ) % {"date": readable_date(campaign.closes_on), "url": url, "privacy": privacy}
        return subject, body

    send_email_after_commit(to=[email], compose=compose)


def _invite(campaign: Campaign) -> list[tuple[Invitation, str]]:
    recipients = campaign_population(campaign)
    if not recipients:
        raise ValidationError(_("Nobody matches the campaign's population: there is no one to send it to."))
    now, expires_at = clock.now(), _link_expiry(campaign)
    made: list[tuple[Invitation, str]] = []
    for recipient in recipients:
        token = secrets.token_urlsafe(32)
        invitation = Invitation(
            campaign=campaign,
            person=recipient.person,
            contact=recipient.contact,
            email=recipient.email,
            department_id=recipient.department_id,
            programme_id=recipient.programme_id,
            token_hash=_hash(token),
            expires_at=expires_at,
            last_sent_at=now,
        )
        made.append((invitation, token))
    Invitation.objects.bulk_create([invitation for invitation, _token in made])
    for invitation, token in made:
        _send_link(campaign, invitation.email, token, reminder=False)
    return made


def campaign_open(*, actor: Any, campaign: Campaign) -> Campaign:
    """Opens the campaign and emails every person of its population their personal link
    (after commit). Returns the campaign; the tokens are not kept anywhere."""
    made: list[tuple[Invitation, str]] = []

    def invite(locked: Campaign) -> None:
        made.extend(_invite(locked))

    CAMPAIGN_WORKFLOW.apply(actor=actor, record=campaign, transition=CampaignTransition.OPEN, precondition=invite)
    return campaign


def campaign_open_with_tokens(*, actor: Any, campaign: Campaign) -> list[tuple[Invitation, str]]:
    """The same, returning each invitation with its token: for the demo builder and tests,
    which answer in place of the people invited."""
    made: list[tuple[Invitation, str]] = []

    def invite(locked: Campaign) -> None:
        made.extend(_invite(locked))

    CAMPAIGN_WORKFLOW.apply(actor=actor, record=campaign, transition=CampaignTransition.OPEN, precondition=invite)
    return made


def campaign_close(*, actor: Any, campaign: Campaign) -> Campaign:
    return CAMPAIGN_WORKFLOW.apply(actor=actor, record=campaign, transition=CampaignTransition.CLOSE)


def invitation_revoke(*, actor: Any, invitation: Invitation) -> None:
    require(actor, "surveys.manage_campaign", invitation.campaign)
    if invitation.revoked_at is None and not invitation.has_answered:
        invitation.revoked_at = clock.now()
        invitation.save(update_fields=["revoked_at"])
        history_record(
            instance=invitation,
            target=invitation.campaign,
            action=HistoryAction.UPDATE,
            actor=actor,
            changes={"invitation": [invitation.email, _("revoked")]},
        )


def reminders_send(*, campaign: Campaign) -> int:
    """A reminder to each person who has not answered: at most `max_reminders`, spaced by
    `reminder_every_days`. Since only a token's hash is kept, a reminder carries a fresh link
    and the previous one stops working. Returns how many were sent."""
    now = clock.now()
    if campaign.status != CampaignStatus.OPEN or not (campaign.opens_on <= clock.today() <= campaign.closes_on):
        return 0
    due = Invitation.objects.filter(
        campaign=campaign,
        has_answered=False,
        revoked_at__isnull=True,
        reminders_sent__lt=campaign.max_reminders,
        last_sent_at__lte=now - datetime.timedelta(days=campaign.reminder_every_days),
    )
    sent = 0
    with transaction.atomic():
        for invitation in due.select_for_update():
            token = secrets.token_urlsafe(32)
            invitation.token_hash = _hash(token)
            invitation.reminders_sent += 1
            invitation.last_sent_at = now
            invitation.save(update_fields=["token_hash", "reminders_sent", "last_sent_at"])
            _send_link(campaign, invitation.email, token, reminder=True)
            sent += 1
        if sent:
            history_record(
                instance=campaign,
                action=HistoryAction.UPDATE,
                actor=None,
                changes={"reminders": ["", _("%(count)s reminders sent") % {"count": sent}]},
            )
    return sent


# Answering ------------------------------------------------------------------------------


def invitation_open_for_person(*, actor: Any, invitation: Invitation) -> str:
    """The person invited, signed in, answers from their "surveys to answer" page: their
    link gets a fresh token, returned for the redirect and never stored (the one emailed
    stops working, as after a reminder). Refused to anyone else, and once the link is used,
    withdrawn or expired."""
    if actor is None or invitation.person_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.has_answered or locked.revoked_at is not None or locked.expires_at <= clock.now():
            raise ValidationError(_("This survey can no longer be answered through your link."))
        token = secrets.token_urlsafe(32)
        locked.token_hash = _hash(token)
        locked.save(update_fields=["token_hash"])
    return token


class LinkRefused(Exception):
    """The link cannot be used; `code` says why, so that the page tells the person what they
    can do: `invalid` (unknown or replaced by a reminder's), `revoked`, `used`, `not_open`
    (the campaign opens later), `closed` (the campaign is over) or `expired` (the link's own
    end passed while the campaign is still open)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


def invitation_resolve(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("campaign__version__questionnaire")
        .filter(token_hash=_hash(token or ""))
        .first()
    )
    if invitation is None:
        raise LinkRefused(_("This link is not valid."), code="invalid")
    if invitation.revoked_at is not None:
        raise LinkRefused(_("This link has been withdrawn."), code="revoked")
    if invitation.has_answered:
        raise LinkRefused(_("This link has already been used: your answers were recorded."), code="used")
    campaign = invitation.campaign
    today = clock.today()
    if campaign.status == CampaignStatus.CLOSED or today > campaign.closes_on:
        raise LinkRefused(
            _("This survey closed on %(date)s: answers are no longer taken.")
            % {"date": date_format(campaign.closes_on, "SHORT_DATE_FORMAT")},
            code="closed",
        )
    if campaign.status != CampaignStatus.OPEN or today < campaign.opens_on:
        raise LinkRefused(
            _("This survey is not open yet: come back with the same link from %(date)s.")
            % {"date": date_format(campaign.opens_on, "SHORT_DATE_FORMAT")},
            code="not_open",
        )
    if invitation.expires_at <= clock.now():
        raise LinkRefused(
            _("Your personal link has expired, although the survey is still open: ask its organiser for a new link."),
            code="expired",
        )
    return invitation


def matrix_problem(question: Question, value: Any) -> str | None:
    """What is wrong with a matrix's answer (a level or None per row, in the rows' order),
    or None (a required matrix missing a row is told by `is_unanswered`)."""
    if value is None:
        return None
    levels = range(1, (question.scale_points or 5) + 1)
    if not isinstance(value, list | tuple) or len(value) != len(question.rows):
        return _("The answer does not give one level per row.")
    if any(level is not None and (isinstance(level, bool) or int(level) not in levels) for level in value):
        return _("A level is not on the question's scale.")
    return None


def is_unanswered(question: Question, value: Any) -> bool:
    """Whether a required question's answer is missing: for a matrix, any of its rows."""
    if question.kind == QuestionKind.MATRIX and isinstance(value, list | tuple) and None in value:
        return True
    return _answer_of(question, value) is None


def _answer_of(question: Question, value: Any) -> Answer | None:
    """An Answer for a value cleaned by the public form: an int or Decimal (Likert, NPS,
    number), (index or None, other text) for a single choice, (indexes, other text) for a
    multiple choice, a level or None per row for a matrix, a date, or text."""
    if value in (None, "", [], ((), ""), (None, "")):
        return None
    answer = Answer(question=question)
    if question.kind == QuestionKind.MATRIX:
        if all(level is None for level in value):
            return None
        answer.choices = [None if level is None else int(level) for level in value]
        return answer
    if question.kind in (QuestionKind.LIKERT, QuestionKind.NPS, QuestionKind.NUMBER):
        answer.number = Decimal(value)
    elif question.kind == QuestionKind.SINGLE_CHOICE:
        index, other = value
        answer.number = Decimal(index) if index is not None else None
        answer.text = other or ""
    elif question.kind == QuestionKind.MULTIPLE_CHOICE:
        indexes, other = value
        answer.choices = sorted(int(index) for index in indexes)
        answer.text = other or ""
    elif question.kind == QuestionKind.DATE:
        answer.date = value
    else:
        answer.text = str(value)
    return answer


@transaction.atomic
def response_submit(*, token: str, answers: Mapping[int, Any], language: str = "") -> Response:
    """Stores one response and spends the link, both or neither. The response keeps the day
    only and, for an anonymous campaign, nothing that names its author or the link."""
    invitation = invitation_resolve(token)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.has_answered or locked.token_hash != _hash(token):
        raise LinkRefused(_("This link has already been used: your answers were recorded."), code="used")
    campaign = invitation.campaign
    questions = {question.pk: question for question in Question.objects.filter(section__version_id=campaign.version_id)}
    unknown = set(answers) - set(questions)
    if unknown:
        raise ValidationError(_("These answers are not for this questionnaire."))
    # A question whose show-if condition is not met is not asked: not required, and whatever
    # was sent for it is dropped rather than stored.
    asked = asked_questions(questions.values(), answers)
    answers = {pk: value for pk, value in answers.items() if pk in asked}
    wrong = [
        f"{q.code}: {problem}"
        for q in questions.values()
        if q.kind == QuestionKind.MATRIX and (problem := matrix_problem(q, answers.get(q.pk)))
    ]
    if wrong:
        raise ValidationError("; ".join(wrong))
    missing = [
        q.code for q in questions.values() if q.pk in asked and q.is_required and is_unanswered(q, answers.get(q.pk))
    ]
    if missing:
        raise ValidationError(_("Required questions are not answered: %(codes)s.") % {"codes": ", ".join(missing)})
    response = Response.objects.create(
        campaign=campaign,
        answered_on=clock.today(),
        language=(language or "")[:8],
        department_id=locked.department_id,
        programme_id=locked.programme_id,
    )
    stored = []
    for pk, value in answers.items():
        answer = _answer_of(questions[pk], value)
        if answer is not None:
            answer.response = response
            stored.append(answer)
    Answer.objects.bulk_create(stored)
    locked.has_answered = True
    locked.draft = {}
    locked.save(update_fields=["has_answered", "draft"])
    if not campaign.is_anonymous:
        ResponseAuthor.objects.create(response=response, invitation=locked)
    # The indicators reading the answers are recomputed after commit; no history entry says when.
    records_changed_without_history({"surveys.response", "surveys.answer", "surveys.invitation"})
    return response


DRAFT_TEXT_LIMIT = 5000


@transaction.atomic
def invitation_save_draft(*, token: str, data: Mapping[str, Any], fields: Iterable[str]) -> None:
    """Keeps the answers typed so far on the link, to be continued later: only the form's
    own `fields`, as text (or lists of text), each cut to the longest answer allowed. Nothing
    is checked yet: the answers are checked when they are sent."""
    invitation = invitation_resolve(token)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.has_answered or locked.token_hash != _hash(token):
        raise LinkRefused(_("This link has already been used: your answers were recorded."), code="used")
    kept: dict[str, Any] = {}
    for name in fields:
        value = data.get(name)
        if isinstance(value, list | tuple):
            kept[name] = [str(item)[:DRAFT_TEXT_LIMIT] for item in value if str(item)][:50]
        elif value not in (None, ""):
            kept[name] = str(value)[:DRAFT_TEXT_LIMIT]
    locked.draft = {name: value for name, value in kept.items() if value not in ("", [])}
    locked.save(update_fields=["draft"])


# From a comment to an improvement item ----------------------------------------------------


def comment_raise_item(*, actor: Any, answer: Answer) -> ImprovementItem:
    """A suggestion raised from a free-text comment: the comment's text is copied, never its
    author (an anonymous campaign does not know it; a named one does not give it away)."""
    campaign = answer.response.campaign
    require(actor, "surveys.raise_from_comment", campaign)
    if answer.question.kind != QuestionKind.TEXT and not answer.text:
        raise ValidationError(_("Only a comment can become an improvement item."))
    title = _("Survey “%(campaign)s”: %(question)s") % {"campaign": campaign.title, "question": answer.question.text_fr}
    return item_raise(
        actor=actor,
        data={
            "origin": Origin.SUGGESTION,
            "title": title[:200],
            "description": answer.text,
            "department": campaign.department,
            "process": campaign.process,
        },
    )


def question_options(raw: str) -> list[dict[str, str]]:
    """Options typed one per line, "French | English"."""
    options = []
    for line in (raw or "").splitlines():
        if line.strip():
            french, _bar, english = line.partition("|")
            options.append({"fr": french.strip(), "en": english.strip()})
    return options


def options_text(options: Iterable[Mapping[str, str]]) -> str:
    return "\n".join(f"{o.get('fr', '')} | {o.get('en', '')}" if o.get("en") else o.get("fr", "") for o in options)
