"""Questionnaires (versioned: a published version is frozen), campaigns that send one version
to a population by personal links, and the answers.

Anonymity is in the schema: a `Response` and its `Answer`s have no column that names a
person, a link or a token, and a response's date is the day only. The link (`Invitation`)
records only that it was used. A named campaign writes who answered in a separate table,
`ResponseAuthor`, which an anonymous campaign never fills."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amelio.core import clock
from amelio.core.constraints import CheckConstraint, UniqueConstraint
from amelio.core.reversing import reverse

from .choices import Audience, CampaignStatus, QuestionKind, QuestionnaireKind, VersionStatus


def in_language(french: str, english: str) -> str:
    """The English text on an English page when there is one, else the French."""
    if (get_language() or "fr").startswith("en") and english:
        return english
    return french


class Questionnaire(models.Model):
    editable_fields: ClassVar[tuple[str, ...]] = ("title", "kind", "department")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=QuestionnaireKind.choices)
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("department"),
        help_text=_("Empty for a questionnaire of the whole school."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:questionnaire_detail", args=[self.pk])


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions", verbose_name=_("questionnaire")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    introduction_fr = models.TextField(_("introduction (French)"), blank=True)
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [
            UniqueConstraint(
                fields=["questionnaire", "number"],
                name="surveys_version_number_unique",
                field="number",
                violation_error_message=_("This questionnaire already has a version with this number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} — v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:version_detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    @property
    def introduction(self) -> str:
        return in_language(self.introduction_fr, self.introduction_en)


class Section(models.Model):
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self.title_fr, self.title_en)


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions", verbose_name=_("section"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    code = models.SlugField(
        _("code"), max_length=40, help_text=_("A short name, unique in the questionnaire (used by exports).")
    )
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices)
    text_fr = models.CharField(_("question (French)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    is_required = models.BooleanField(_("answer required"), default=True)
    scale_points = models.PositiveSmallIntegerField(_("points of the scale"), null=True, blank=True)
    # [{"fr": "...", "en": "..."}, ...] for the choice types; an answer keeps the option's index.
    options = models.JSONField(_("options"), default=list, blank=True)
    allows_other = models.BooleanField(_("offers “other”"), default=False)
    # A matrix's rows, each answered on the question's one agreement scale:
    # [{"code": "SQ001", "fr": "...", "en": "..."}, ...]; an answer keeps a level per row.
    # The codes are those of a LimeSurvey array's sub-questions (`CODE[SQ001]` columns).
    rows = models.JSONField(_("rows"), default=list, blank=True)
    # {"code": "<an earlier question's code>", "values": [n, ...]}: the question is asked only
    # when that question was asked and answered one of these levels, scores or option
    # indexes (any of them, for a multiple choice). Empty: always asked.
    show_if = models.JSONField(_("shown only if"), default=dict, blank=True)
    minimum = models.DecimalField(_("minimum"), max_digits=12, decimal_places=2, null=True, blank=True)
    maximum = models.DecimalField(_("maximum"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["section__position", "section_id", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_language(self.text_fr, self.text_en)

    def option_labels(self) -> list[str]:
        return [in_language(option.get("fr", ""), option.get("en", "")) for option in self.options]

    def row_labels(self) -> list[str]:
        return [in_language(row.get("fr", ""), row.get("en", "")) for row in self.rows]


class Campaign(models.Model):
    editable_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "opens_on",
        "closes_on",
        "max_reminders",
        "reminder_every_days",
    )

    title = models.CharField(_("title"), max_length=200)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("questionnaire")
    )
    academic_year = models.ForeignKey(
        "organisation.AcademicYear", on_delete=models.PROTECT, related_name="+", verbose_name=_("academic year")
    )
    audience = models.CharField(_("population"), max_length=20, choices=Audience.choices)
    # The insertion survey is held the year after the diploma: the year the graduates
    # graduated is not the campaign's own.
    graduation_year = models.ForeignKey(
        "organisation.AcademicYear",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("year of graduation"),
        help_text=_("For the graduates: the academic year in which they received the diploma."),
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    programme = models.ForeignKey(
        "organisation.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    process = models.ForeignKey(
        "processes.Process",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("process"),
        help_text=_("Its owner manages the campaign."),
    )
    is_anonymous = models.BooleanField(
        _("anonymous"), default=True, help_text=_("No answer can be traced back to the person who gave it.")
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    max_reminders = models.PositiveSmallIntegerField(_("reminders at most"), default=2)
    reminder_every_days = models.PositiveSmallIntegerField(_("days between reminders"), default=7)
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        constraints = [
            CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="surveys_campaign_closes_after_opening",
                field="closes_on",
                violation_error_message=_("The campaign closes on or after the day it opens."),
            ),
            CheckConstraint(
                condition=models.Q(max_reminders__lte=10),
                name="surveys_campaign_reminders_bounded",
                field="max_reminders",
                violation_error_message=_("At most 10 reminders."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:campaign_detail", args=[self.pk])


class Invitation(models.Model):
    """A personal link: only the hash of its token is kept. In an anonymous campaign it
    records that it was used (`has_answered`), never when nor which response."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey("partners.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    email = models.EmailField(_("email"))
    # The groups a breakdown counts the response in, copied when the link is made.
    department = models.ForeignKey(
        "organisation.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    programme = models.ForeignKey(
        "organisation.Programme", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    has_answered = models.BooleanField(_("has answered"), default=False)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    # The answers saved to be continued later on the same link (the form's fields as typed):
    # emptied when the answers are sent, so that nothing then links them to the link.
    draft = models.JSONField(_("answers saved for later"), default=dict, blank=True)
    last_sent_at = models.DateTimeField(_("last sent at"))

    class Meta:
        ordering = ["campaign", "email"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            UniqueConstraint(
                fields=["campaign", "email"],
                name="surveys_invitation_once_per_address",
                field="email",
                violation_error_message=_("This address is already invited to the campaign."),
            )
        ]

    def __str__(self) -> str:
        return self.email


class Response(models.Model):
    """One submitted questionnaire: no person, no link, no token, the day only."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    answered_on = models.DateField(_("answered on"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    department = models.ForeignKey(
        "organisation.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    programme = models.ForeignKey(
        "organisation.Programme", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["campaign", "answered_on"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.campaign} — {self.answered_on}"


class ResponseAuthor(models.Model):
    """Who gave a response: written for a named campaign only."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="author")
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("author of a response")
        verbose_name_plural = _("authors of responses")

    def __str__(self) -> str:
        return str(self.response)


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # Likert level, NPS score, number, or the index of a single choice.
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # The indexes of the options ticked in a multiple choice; a matrix's level per row, in
    # the order of its rows (null: a row left unanswered).
    choices = models.JSONField(default=list, blank=True)
    date = models.DateField(null=True, blank=True)
    # Free text, or what "other" says.
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "question"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            UniqueConstraint(
                fields=["response", "question"],
                name="surveys_answer_once_per_question",
                field="question",
                violation_error_message=_("This question is already answered in this response."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.value()}"

    def value(self) -> Any:
        kind = self.question.kind
        if kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.MATRIX):
            return self.choices
        if kind == QuestionKind.DATE:
            return self.date
        if kind == QuestionKind.TEXT:
            return self.text
        return self.number
