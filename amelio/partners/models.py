"""Companies, their sites and contacts, partnership agreements and teaching given by
industry professionals."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from amelio.core import clock
from amelio.core.constraints import CheckConstraint, UniqueConstraint
from amelio.core.reversing import reverse

from .choices import AgreementKind, AgreementStatus, CompanySize, InterventionKind
from .validators import format_siret, validate_naf, validate_siret


class Company(models.Model):
    # What a searched select matches what is typed against (core/widgets.py).
    search_fields: ClassVar[tuple[str, ...]] = ("legal_name", "trade_name", "siret")
    # What its update service accepts and its edit form shows.
    editable_fields: ClassVar[tuple[str, ...]] = (
        "legal_name",
        "trade_name",
        "siret",
        "naf_code",
        "size",
        "address",
        "postal_code",
        "city",
        "country",
        "website",
        "is_active",
    )

    legal_name = models.CharField(_("legal name"), max_length=200)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    # French companies only; a foreign company has none.
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    naf_code = models.CharField(_("NAF code"), max_length=6, blank=True, validators=[validate_naf])
    size = models.CharField(_("size"), max_length=20, choices=CompanySize.choices, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="FR", help_text=_("ISO code, e.g. FR, DE."))
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
        verbose_name=_("merged into"),
    )
    # The name in a comparable form (upper case, no accents or legal suffix) for duplicates.
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["legal_name"]
        constraints = [
            UniqueConstraint(
                fields=["siret"],
                condition=~Q(siret="") & Q(merged_into__isnull=True),
                name="unique_company_siret",
                field="siret",
                violation_error_message=_("Another company already has this SIRET number."),
            ),
        ]

    def __str__(self) -> str:
        return self.trade_name or self.legal_name

    def get_absolute_url(self) -> str:
        return reverse("partners:company_detail", args=[self.pk])

    @property
    def siren(self) -> str:
        return self.siret[:9]

    @property
    def siret_display(self) -> str:
        return format_siret(self.siret)


class Site(models.Model):
    # What its update service accepts and its edit form shows.
    editable_fields: ClassVar[tuple[str, ...]] = (
        "name",
        "siret",
        "address",
        "postal_code",
        "city",
        "country",
    )

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="sites", verbose_name=_("company"))
    name = models.CharField(_("name"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    address = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="FR")

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["company", "name"]

    def __str__(self) -> str:
        return f"{self.company} — {self.name}"

    @property
    def siret_display(self) -> str:
        return format_siret(self.siret)


class Contact(models.Model):
    # What its update service accepts and its edit form shows.
    editable_fields: ClassVar[tuple[str, ...]] = (
        "first_name",
        "last_name",
        "job_title",
        "email",
        "phone",
        "is_hr",
        "is_tutor",
        "is_speaker",
        "is_alumni",
        "is_active",
    )

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("company"))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    is_hr = models.BooleanField(_("human resources"), default=False)
    is_tutor = models.BooleanField(_("internship tutor"), default=False)
    is_speaker = models.BooleanField(_("speaker"), default=False)
    is_alumni = models.BooleanField(_("graduate of the school"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class PartnershipAgreement(models.Model):
    """A partnership agreement (convention de partenariat) with its own workflow."""

    # What its update service accepts and its edit form shows; the status only moves
    # through its workflow (DESIGN.md 4.4).
    editable_fields: ClassVar[tuple[str, ...]] = (
        "company",
        "kind",
        "title",
        "departments",
        "starts_on",
        "ends_on",
        "value",
        "signatory",
        "reminder_days",
        "owner",
    )

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("company"))
    kind = models.CharField(_("kind"), max_length=30, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=200)
    departments = models.ManyToManyField(
        "organisation.Department", blank=True, related_name="partnership_agreements", verbose_name=_("departments")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    value = models.DecimalField(
        _("value (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    reminder_days = models.PositiveSmallIntegerField(_("reminder (days before the end)"), default=60)
    reminder_sent_on = models.DateField(null=True, blank=True, editable=False)
    signatory = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_agreements",
        verbose_name=_("signed for the company by"),
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="partnership_agreements",
        verbose_name=_("followed by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    # Kept by the core file store: the signed agreement (purpose "signed_agreement").
    files = GenericRelation("core.StoredFile", content_type_field="owner_type", object_id_field="owner_id")

    class Meta:
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        ordering = ["-starts_on", "id"]
        constraints = [
            CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="agreement_ends_after_start",
                field="ends_on",
                violation_error_message=_("The agreement cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("partners:agreement_detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date must come after the start date.")})
        signatory = self.signatory if self.signatory_id else None
        if signatory is not None and self.company_id and signatory.company_id != self.company_id:
            raise ValidationError({"signatory": _("The signatory works for another company.")})


class Intervention(models.Model):
    """Teaching given by an industry professional in a programme."""

    # What its update service accepts and its edit form shows.
    editable_fields: ClassVar[tuple[str, ...]] = (
        "speaker",
        "company",
        "course",
        "programme",
        "department",
        "academic_year",
        "kind",
        "planned_hours",
        "delivered_hours",
    )

    speaker = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="interventions", verbose_name=_("speaker")
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="interventions", verbose_name=_("company")
    )
    programme = models.ForeignKey(
        "organisation.Programme", on_delete=models.PROTECT, related_name="interventions", verbose_name=_("programme")
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        related_name="interventions",
        verbose_name=_("department"),
    )
    academic_year = models.ForeignKey(
        "organisation.AcademicYear",
        on_delete=models.PROTECT,
        related_name="interventions",
        verbose_name=_("academic year"),
    )
    course = models.CharField(_("course"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=InterventionKind.choices)
    planned_hours = models.DecimalField(
        _("planned hours"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    delivered_hours = models.DecimalField(
        _("delivered hours"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("teaching intervention")
        verbose_name_plural = _("teaching interventions")
        ordering = ["-academic_year__starts_on", "course"]
        indexes = [models.Index(fields=["academic_year", "department"], name="intervention_year_dept_idx")]

    def __str__(self) -> str:
        return f"{self.course} — {self.speaker}"

    def clean(self) -> None:
        if self.speaker_id and self.company_id and self.speaker.company_id != self.company_id:
            raise ValidationError({"speaker": _("The speaker works for another company.")})
        if self.programme_id and self.department_id and self.programme.department_id != self.department_id:
            raise ValidationError({"programme": _("The programme belongs to another department.")})


class TeachingVolume(models.Model):
    """A programme's total teaching hours in an academic year, entered by its department or
    the office: the denominator of the share of teaching given by professionals."""

    # What its update service accepts and its edit form shows.
    editable_fields: ClassVar[tuple[str, ...]] = ("total_hours",)

    programme = models.ForeignKey(
        "organisation.Programme",
        on_delete=models.PROTECT,
        related_name="teaching_volumes",
        verbose_name=_("programme"),
    )
    academic_year = models.ForeignKey(
        "organisation.AcademicYear",
        on_delete=models.PROTECT,
        related_name="teaching_volumes",
        verbose_name=_("academic year"),
    )
    total_hours = models.DecimalField(
        _("total teaching hours"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("teaching volume")
        verbose_name_plural = _("teaching volumes")
        ordering = ["-academic_year__starts_on", "programme__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "academic_year"], name="unique_teaching_volume"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.academic_year}: {self.total_hours} h"
