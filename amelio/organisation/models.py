"""The school, its departments, programmes, academic years, people and their roles."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amelio.core import clock
from amelio.core.constraints import CheckConstraint, UniqueConstraint
from amelio.core.reversing import reverse

from .choices import PersonKind, Role, ScopeKind
from .validators import validate_siret, validate_time_zone, validate_uai


def language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


class School(models.Model):
    """The organisation whose quality management system this is (one row)."""

    # What its update service accepts and its edit form shows.
    editable_fields: ClassVar[tuple[str, ...]] = (
        "name",
        "short_name",
        "address",
        "postal_code",
        "city",
        "website",
        "siret",
        "uai",
        "default_language",
        "time_zone",
    )

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text=_("14 digits, from the state's register of establishments."),
    )
    uai = models.CharField(
        _("UAI"),
        max_length=8,
        blank=True,
        validators=[validate_uai],
        help_text=_("The education ministry's identifier: 7 digits and a letter."),
    )
    default_language = models.CharField(_("default language"), max_length=10, choices=language_choices, default="fr")
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone])

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:school_detail")


class Department(models.Model):
    # What its update service accepts and its edit form shows.
    editable_fields: ClassVar[tuple[str, ...]] = (
        "code",
        "name",
        "description",
        "is_active",
    )

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:department_detail", args=[self.pk])


class Programme(models.Model):
    """An engineering speciality (formation d'ingénieur), under status or by apprenticeship."""

    # What its update service accepts and its edit form shows.
    editable_fields: ClassVar[tuple[str, ...]] = (
        "code",
        "name",
        "department",
        "is_apprenticeship",
        "duration_years",
        "is_active",
    )

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("department")
    )
    is_apprenticeship = models.BooleanField(_("apprenticeship"), default=False)
    duration_years = models.PositiveSmallIntegerField(_("duration (years)"), default=3)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["department__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:programme_update", args=[self.pk])


class AcademicYear(models.Model):
    # What its update service accepts and its edit form shows.
    editable_fields: ClassVar[tuple[str, ...]] = (
        "label",
        "starts_on",
        "ends_on",
        "is_current",
    )

    label = models.CharField(_("label"), max_length=20, unique=True, help_text=_("For example 2025-2026."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_current = models.BooleanField(_("current year"), default=False)

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-starts_on"]
        constraints = [
            CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="academic_year_ends_after_start",
                field="ends_on",
                violation_error_message=_("The end date must come after the start date."),
            ),
            UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_academic_year",
                field="is_current",
                violation_error_message=_("Another academic year is already the current one."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("organisation:academic_year_update", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The end date must come after the start date.")})


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> Person:
        if not email:
            raise ValueError("An email address is required.")
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> Person:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class Person(AbstractBaseUser, PermissionsMixin):
    """Anyone with an account: staff, teachers, students, external auditors. Signs in by email."""

    # What a searched select matches what is typed against (core/widgets.py).
    search_fields: ClassVar[tuple[str, ...]] = ("first_name", "last_name", "email")
    # What its update service accepts and its edit form shows.
    editable_fields: ClassVar[tuple[str, ...]] = (
        "email",
        "first_name",
        "last_name",
        "kind",
        "job_title",
        "department",
        "programme",
        "is_active",
    )

    email = models.EmailField(_("email"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=PersonKind.choices, default=PersonKind.STAFF)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("department"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="students",
        verbose_name=_("programme"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Access to Django's admin site only; the application's own permissions are roles.
    is_staff = models.BooleanField(_("admin site access"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self) -> str:
        return self.first_name or self.email

    def get_absolute_url(self) -> str:
        return reverse("organisation:person_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        if self.programme_id and self.kind != PersonKind.STUDENT:
            raise ValidationError({"programme": _("Only a student can follow a programme.")})
        if self.programme and self.department_id and self.programme.department_id != self.department_id:
            raise ValidationError({"programme": _("The programme belongs to another department.")})


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active(self, on: datetime.date | None = None) -> RoleAssignmentQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )


class RoleAssignment(models.Model):
    """A role held by a person within a scope: the whole school, a department or a process."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    scope_kind = models.CharField(_("scope"), max_length=20, choices=ScopeKind.choices, default=ScopeKind.SCHOOL)
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("department"),
    )
    process = models.ForeignKey(
        "processes.Process",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("process"),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=clock.now, editable=False)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["person__last_name", "role"]
        constraints = [
            CheckConstraint(
                name="role_scope_matches_target",
                condition=(
                    Q(scope_kind=ScopeKind.SCHOOL, department__isnull=True, process__isnull=True)
                    | Q(scope_kind=ScopeKind.DEPARTMENT, department__isnull=False, process__isnull=True)
                    | Q(scope_kind=ScopeKind.PROCESS, department__isnull=True, process__isnull=False)
                ),
                violation_error_message=_(
                    "A role for the whole school has no department or process; a department role names its "
                    "department, a process role its process."
                ),
            ),
            UniqueConstraint(
                fields=["person", "role"],
                condition=Q(scope_kind=ScopeKind.SCHOOL),
                name="unique_role_school_scope",
                violation_error_message=_("This person already has this role for the whole school."),
            ),
            UniqueConstraint(
                fields=["person", "role", "department"],
                condition=Q(scope_kind=ScopeKind.DEPARTMENT),
                name="unique_role_department_scope",
                violation_error_message=_("This person already has this role in this department."),
            ),
            UniqueConstraint(
                fields=["person", "role", "process"],
                condition=Q(scope_kind=ScopeKind.PROCESS),
                name="unique_role_process_scope",
                violation_error_message=_("This person already has this role for this process."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} ({self.scope_label})"

    @property
    def scope_label(self) -> str:
        if self.scope_kind == ScopeKind.DEPARTMENT and self.department is not None:
            return str(self.department)
        if self.scope_kind == ScopeKind.PROCESS and self.process is not None:
            return str(self.process)
        return str(_("whole school"))

    def is_active_on(self, day: datetime.date) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (self.ends_on is None or self.ends_on >= day)
