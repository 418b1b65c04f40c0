"""Students, their enrolments year by year and each year's outcome, their stays abroad and
English certifications, and graduates' situations at each survey date."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from amelio.core import clock
from amelio.core.constraints import CheckConstraint
from amelio.core.reversing import reverse

from .choices import (
    CefrLevel,
    Contract,
    EntryRoute,
    JobChannel,
    LeavingReason,
    MobilityKind,
    Outcome,
    Situation,
    StudentStatus,
    SurveyWave,
    YearOfStudy,
)

# The national student number: 11 characters, digits and capital letters.
INE_VALIDATOR = RegexValidator(
    r"^[0-9A-Z]{11}$", _("A national student number (INE) has 11 digits or capital letters.")
)
COUNTRY_VALIDATOR = RegexValidator(r"^[A-Z]{2}$", _("Write the country as its two-letter ISO code (FR, DE, ...)."))


class StudentRules(models.Model):
    """The school's graduation requirements (one row): its own settings, not constants in
    code. The defaults are the accreditation body's figures (CTI: 28 weeks in companies, B2
    in English) and the mobility minimums schools commonly set."""

    editable_fields: ClassVar[tuple[str, ...]] = (
        "internship_weeks",
        "mobility_weeks_student",
        "mobility_weeks_apprentice",
        "english_level",
        "retention_years",
    )

    internship_weeks = models.PositiveSmallIntegerField(_("weeks in companies required"), default=28)
    mobility_weeks_student = models.PositiveSmallIntegerField(_("weeks abroad required (student status)"), default=17)
    mobility_weeks_apprentice = models.PositiveSmallIntegerField(_("weeks abroad required (apprentices)"), default=9)
    english_level = models.CharField(
        _("English level required"), max_length=2, choices=CefrLevel.choices, default=CefrLevel.B2
    )
    retention_years = models.PositiveSmallIntegerField(
        _("years personal data is kept after leaving"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )

    class Meta:
        verbose_name = _("graduation requirements")
        verbose_name_plural = _("graduation requirements")

    def __str__(self) -> str:
        return str(_("Graduation requirements"))


class Student(models.Model):
    """A student as the student-information system knows them. `person` is their account
    when they have one: internships are recorded against the account, so the requirements
    read the agreements through it."""

    editable_fields: ClassVar[tuple[str, ...]] = ("first_name", "last_name", "email", "status", "person")

    ine = models.CharField(_("national student number (INE)"), max_length=11, unique=True, validators=[INE_VALIDATOR])
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=StudentStatus.choices, default=StudentStatus.STUDENT)
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="student_record",
        verbose_name=_("account"),
    )
    # The programme of the latest enrolment: what the department's staff see it by.
    programme = models.ForeignKey(
        "organisation.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="student_records",
        verbose_name=_("programme"),
    )
    pseudonymised_at = models.DateTimeField(_("pseudonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["programme", "last_name"], name="student_programme_name_idx")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.ine

    def get_absolute_url(self) -> str:
        return reverse("students:student_detail", args=[self.pk])


class Enrolment(models.Model):
    """A student's year at the school: programme, year of study, and how the year ended."""

    editable_fields: ClassVar[tuple[str, ...]] = (
        "programme",
        "year_of_study",
        "entry_route",
        "outcome",
        "leaving_reason",
        "diploma_on",
    )

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("student"))
    academic_year = models.ForeignKey(
        "organisation.AcademicYear",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("academic year"),
    )
    programme = models.ForeignKey(
        "organisation.Programme", on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("programme")
    )
    year_of_study = models.PositiveSmallIntegerField(_("year of study"), choices=YearOfStudy.choices)
    entry_route = models.CharField(_("entry route"), max_length=30, choices=EntryRoute.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    leaving_reason = models.CharField(_("reason for leaving"), max_length=30, choices=LeavingReason.choices, blank=True)
    diploma_on = models.DateField(_("diploma awarded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["student", "academic_year__starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["student", "academic_year"], name="one_enrolment_per_year"),
            CheckConstraint(
                condition=Q(outcome=Outcome.LEFT) | Q(leaving_reason=""),
                name="leaving_reason_only_when_left",
                field="leaving_reason",
                violation_error_message=_("A reason for leaving is given only when the student left."),
            ),
            CheckConstraint(
                condition=Q(outcome=Outcome.GRADUATED, diploma_on__isnull=False)
                | (~Q(outcome=Outcome.GRADUATED) & Q(diploma_on__isnull=True)),
                name="diploma_date_only_when_graduated",
                field="diploma_on",
                violation_error_message=_("A graduated student has a diploma date, and only they have one."),
            ),
        ]
        indexes = [models.Index(fields=["academic_year", "programme", "year_of_study"], name="enrolment_year_idx")]

    def __str__(self) -> str:
        return f"{self.student} — {self.academic_year} — {self.get_year_of_study_display()}"

    def clean(self) -> None:
        super().clean()
        if self.outcome == Outcome.LEFT and not self.leaving_reason:
            raise ValidationError({"leaving_reason": _("Say why the student left.")})


class Mobility(models.Model):
    """A stay abroad: a semester in a partner university, a double degree, an internship."""

    editable_fields: ClassVar[tuple[str, ...]] = ("kind", "country", "host", "starts_on", "ends_on", "internship")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="mobilities", verbose_name=_("student"))
    kind = models.CharField(_("kind"), max_length=30, choices=MobilityKind.choices)
    country = models.CharField(_("country"), max_length=2, validators=[COUNTRY_VALIDATOR])
    host = models.CharField(_("host"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # An internship abroad also recorded as an agreement: the weeks are counted once.
    internship = models.OneToOneField(
        "internships.Internship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mobility",
        verbose_name=_("internship agreement"),
    )

    class Meta:
        verbose_name = _("stay abroad")
        verbose_name_plural = _("stays abroad")
        ordering = ["starts_on", "id"]
        constraints = [
            CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="mobility_ends_after_start",
                field="ends_on",
                violation_error_message=_("The stay cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.host} ({self.country})"

    @property
    def weeks(self) -> int:
        return ((self.ends_on - self.starts_on).days + 1) // 7


class EnglishCertification(models.Model):
    editable_fields: ClassVar[tuple[str, ...]] = ("test", "score", "level", "taken_on")

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="english_certifications", verbose_name=_("student")
    )
    test = models.CharField(_("test"), max_length=60, help_text=_("TOEIC, TOEFL iBT, IELTS, Linguaskill, ..."))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    level = models.CharField(_("CEFR level"), max_length=2, choices=CefrLevel.choices)
    taken_on = models.DateField(_("taken on"))

    class Meta:
        verbose_name = _("English certification")
        verbose_name_plural = _("English certifications")
        ordering = ["taken_on", "id"]

    def __str__(self) -> str:
        return f"{self.test} {self.score or ''} ({self.level})"


class InsertionRecord(models.Model):
    """A graduate's situation at one survey date, with the national survey's categories."""

    editable_fields: ClassVar[tuple[str, ...]] = (
        "surveyed_on",
        "situation",
        "employer_name",
        "company",
        "contract",
        "is_cadre",
        "salary_without_bonuses",
        "salary_with_bonuses",
        "country",
        "sector",
        "found_through",
        "first_job_on",
    )

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="insertion_records", verbose_name=_("graduate")
    )
    wave = models.PositiveSmallIntegerField(_("months after graduation"), choices=SurveyWave.choices)
    surveyed_on = models.DateField(_("surveyed on"))
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    company = models.ForeignKey(
        "partners.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="graduates_hired",
        verbose_name=_("partner company"),
    )
    contract = models.CharField(_("contract"), max_length=20, choices=Contract.choices, blank=True)
    is_cadre = models.BooleanField(_("executive (cadre) status"), null=True, blank=True)
    salary_without_bonuses = models.DecimalField(
        _("gross annual salary without bonuses (€)"),
        max_digits=9,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    salary_with_bonuses = models.DecimalField(
        _("gross annual salary with bonuses (€)"),
        max_digits=9,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    country = models.CharField(_("country of work"), max_length=2, blank=True, validators=[COUNTRY_VALIDATOR])
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    found_through = models.CharField(_("job found through"), max_length=20, choices=JobChannel.choices, blank=True)
    first_job_on = models.DateField(_("first job started on"), null=True, blank=True)

    class Meta:
        verbose_name = _("graduate's situation")
        verbose_name_plural = _("graduates' situations")
        ordering = ["student", "wave"]
        constraints = [
            models.UniqueConstraint(fields=["student", "wave"], name="one_situation_per_wave"),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.get_wave_display()}: {self.get_situation_display()}"

    def clean(self) -> None:
        super().clean()
        if self.situation == Situation.EMPLOYED:
            if not self.employer_name and self.company_id is None:
                raise ValidationError({"employer_name": _("Name the employer of an employed graduate.")})
            if not self.contract:
                raise ValidationError({"contract": _("Give the contract of an employed graduate.")})
            if not self.country:
                raise ValidationError({"country": _("Give the country of work of an employed graduate.")})
        elif self.contract or self.salary_without_bonuses is not None or self.salary_with_bonuses is not None:
            raise ValidationError({"situation": _("Only an employed graduate has a contract and a salary.")})
        if (
            self.salary_with_bonuses is not None
            and self.salary_without_bonuses is not None
            and self.salary_with_bonuses < self.salary_without_bonuses
        ):
            raise ValidationError(
                {"salary_with_bonuses": _("The salary with bonuses cannot be lower than the salary without them.")}
            )


def weeks_between(starts_on: datetime.date, ends_on: datetime.date) -> int:
    return ((ends_on - starts_on).days + 1) // 7
