"""Indicator definitions (ISO 9001 9.1.1), their targets per academic year, their values per
scope and year, and the improvement item raised when a value goes beyond its alert
threshold."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amelio.core.constraints import CheckConstraint, UniqueConstraint
from amelio.core.reversing import reverse

from .choices import Direction, Light, ObjectiveStatus, PeriodKind, ScopeKind, Source
from .computed import ComputedIndicator, computed_indicator
from .periods import period_name, short_name

# Changing one of these changes what the figure means: the definition's version goes up, and
# each value keeps the version it was made with.
DEFINITION_FIELDS = ("description", "scope_kind", "unit", "period_kind", "direction", "source", "computation")


class Indicator(models.Model):
    # What its update service accepts and its edit form shows (DESIGN.md 4.4).
    editable_fields: ClassVar[tuple[str, ...]] = (
        "code",
        "name",
        "description",
        "purpose",
        "process",
        "scope_kind",
        "unit",
        "period_kind",
        "direction",
        "owner",
        "source",
        "computation",
        "is_published",
    )

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("Short reference, e.g. IND-07."))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what it measures"))
    purpose = models.TextField(_("why it is measured"), blank=True)
    process = models.ForeignKey(
        "processes.Process",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("process"),
    )
    scope_kind = models.CharField(_("scope"), max_length=20, choices=ScopeKind.choices, default=ScopeKind.SCHOOL)
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("For example %, days, /5."))
    period_kind = models.CharField(
        _("period"), max_length=20, choices=PeriodKind.choices, default=PeriodKind.ACADEMIC_YEAR
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("owner")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    computation = models.CharField(
        _("computation"),
        max_length=80,
        blank=True,
        help_text=_("For a computed indicator: the registered function that computes it from the records."),
    )
    # The national quality framework has training centres publish their results (success,
    # insertion, satisfaction): the quality manager chooses which figures the public page shows.
    is_published = models.BooleanField(
        _("published on the public results page"),
        default=False,
        help_text=_("Its latest figure for the whole school is shown, with its definition, on a page open to all."),
    )
    definition_version = models.PositiveIntegerField(_("version of the definition"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]
        constraints = [
            CheckConstraint(
                condition=models.Q(source=Source.MANUAL, computation="")
                | (models.Q(source=Source.COMPUTED) & ~models.Q(computation="")),
                name="indicator_computation_matches_source",
                field="computation",
                violation_error_message=_(
                    "A computed indicator names its computation; an indicator entered by hand names none."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:indicator_detail", args=[self.pk])

    @property
    def is_computed(self) -> bool:
        return self.source == Source.COMPUTED

    @property
    def computed(self) -> ComputedIndicator | None:
        """The registered computation, with its definition text (None when entered by hand)."""
        return computed_indicator(self.computation) if self.computation else None

    def clean(self) -> None:
        if self.source == Source.MANUAL and self.computation:
            raise ValidationError({"computation": _("An indicator entered by hand has no computation.")})
        if self.source == Source.COMPUTED:
            entry = computed_indicator(self.computation) if self.computation else None
            if entry is None:
                raise ValidationError({"computation": _("Choose the computation of a computed indicator.")})
            if self.period_kind not in entry.period_kinds:
                raise ValidationError(
                    {
                        "period_kind": _("“%(computation)s” can be computed only: %(periods)s.")
                        % {
                            "computation": entry.label,
                            "periods": ", ".join(str(PeriodKind(kind).label) for kind in entry.period_kinds),
                        }
                    }
                )
            if self.scope_kind not in entry.scope_kinds:
                raise ValidationError(
                    {
                        "scope_kind": _("“%(computation)s” can be computed only: %(scopes)s.")
                        % {
                            "computation": entry.label,
                            "scopes": ", ".join(str(ScopeKind(kind).label) for kind in entry.scope_kinds),
                        }
                    }
                )


class Target(models.Model):
    """The target and the alert threshold of an indicator for one academic year."""

    editable_fields: ClassVar[tuple[str, ...]] = ("target", "alert_threshold")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    academic_year = models.ForeignKey(
        "organisation.AcademicYear", on_delete=models.PROTECT, related_name="+", verbose_name=_("academic year")
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    alert_threshold = models.DecimalField(_("alert threshold"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "academic_year__starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "academic_year"], name="one_target_per_indicator_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.academic_year}: {self.target}"

    def clean(self) -> None:
        if self.target is None or self.alert_threshold is None:
            return
        direction = self.indicator.direction
        if direction == Direction.HIGHER_IS_BETTER and self.alert_threshold >= self.target:
            raise ValidationError(
                {
                    "alert_threshold": _(
                        "Higher is better for this indicator: "
                        "the alert threshold must be below the target (%(target)s)."
                    )
                    % {"target": self.target}
                }
            )
        if direction == Direction.LOWER_IS_BETTER and self.alert_threshold <= self.target:
            raise ValidationError(
                {
                    "alert_threshold": _(
                        "Lower is better for this indicator: the alert threshold must be above the target (%(target)s)."
                    )
                    % {"target": self.target}
                }
            )

    def light(self, value: Decimal | None) -> str:
        """On target (as good as the target or better), watch (between the target and the
        threshold, the threshold included), alert (beyond the threshold)."""
        if value is None:
            return Light.UNKNOWN
        better = self.indicator.direction == Direction.HIGHER_IS_BETTER
        if (value >= self.target) if better else (value <= self.target):
            return Light.ON_TARGET
        if (value < self.alert_threshold) if better else (value > self.alert_threshold):
            return Light.ALERT
        return Light.WATCH


class IndicatorValue(models.Model):
    """The value of an indicator for one scope and period of an academic year (the whole
    year, a semester or a month: see periods.py): entered by someone (who, when, with an
    optional evidence file) or computed (when, from which counts, with which version of the
    definition). A frozen value is never rewritten."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    academic_year = models.ForeignKey(
        "organisation.AcademicYear", on_delete=models.PROTECT, related_name="+", verbose_name=_("academic year")
    )
    # "school", "department:<id>" or "programme:<id>": one column to keep one value per scope
    # unique (NULLs are distinct in a unique constraint).
    scope_key = models.CharField(_("scope"), max_length=40)
    # "" for the whole year, "S1"/"S2", or a month "2025-10" (periods.py).
    period = models.CharField(_("period"), max_length=7, blank=True, default="")
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
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    inputs = models.JSONField(_("counts it was computed from"), default=dict, blank=True)
    definition_version = models.PositiveIntegerField(_("version of the definition"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    is_frozen = models.BooleanField(_("frozen"), default=False)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "academic_year__starts_on", "period", "scope_key"]
        constraints = [
            UniqueConstraint(
                fields=["indicator", "academic_year", "period", "scope_key"],
                name="one_value_per_indicator_scope_period",
                field="period",
                violation_error_message=_("This indicator already has a value for this scope and period."),
            )
        ]
        indexes = [models.Index(fields=["academic_year", "indicator"], name="indicator_value_year_idx")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_label} {self.scope_label}: {self.value}"

    def get_absolute_url(self) -> str:
        return self.indicator.get_absolute_url()

    @property
    def period_label(self) -> str:
        """ "2025-2026", "2025-2026, semester 1" or "October 2025"."""
        return period_name(self.academic_year, self.period)

    @property
    def period_short(self) -> str:
        """The period inside its year: "", "S1", "Oct. 2025"."""
        return short_name(self.period)

    @property
    def scope_label(self) -> str:
        if self.department_id is not None:
            return str(self.department)
        if self.programme_id is not None:
            return str(self.programme)
        return str(_("Whole school"))


class OffTargetItem(models.Model):
    """The improvement item raised when a value went beyond its alert threshold: one per
    indicator, scope and period, whatever the number of recomputations."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="off_target_items", verbose_name=_("indicator")
    )
    academic_year = models.ForeignKey(
        "organisation.AcademicYear", on_delete=models.PROTECT, related_name="+", verbose_name=_("academic year")
    )
    scope_key = models.CharField(_("scope"), max_length=40)
    period = models.CharField(_("period"), max_length=7, blank=True, default="")
    value = models.ForeignKey(
        IndicatorValue, on_delete=models.CASCADE, related_name="off_target_items", verbose_name=_("value")
    )
    item = models.OneToOneField(
        "improvement.ImprovementItem",
        on_delete=models.PROTECT,
        related_name="off_target_indicator",
        verbose_name=_("improvement item"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("item raised off target")
        verbose_name_plural = _("items raised off target")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "academic_year", "period", "scope_key"],
                name="one_item_per_indicator_scope_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.academic_year} {self.period} {self.scope_key}: {self.item_id}"


class PendingRecomputation(models.Model):
    """A computation whose records changed and whose recomputation is queued: one row per
    computation, so that a burst of changes queues one task, whichever process made them."""

    computation = models.CharField(_("computation"), max_length=80, unique=True)
    since = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("pending recomputation")
        verbose_name_plural = _("pending recomputations")

    def __str__(self) -> str:
        return self.computation


# Quality objectives (ISO 9001 clause 6.2) --------------------------------------------------------


class Objective(models.Model):
    """A quality objective: what the school commits to reach, why (the policy commitment it
    serves), who answers for it and by when, the indicators that measure it (each with the
    objective's own target) and the improvement actions that serve it. Its status moves
    through its workflow (workflows.py); how it is doing (its standing) is computed from its
    indicators' latest values (selectors.objective_standings)."""

    # What its update service accepts and its edit form shows (DESIGN.md 4.4).
    editable_fields: ClassVar[tuple[str, ...]] = (
        "code",
        "statement",
        "commitment",
        "process",
        "owner",
        "academic_year",
        "due_on",
    )

    code = models.CharField(_("reference"), max_length=20, help_text=_("Short reference, e.g. OBJ-2025-03."))
    statement = models.CharField(_("statement"), max_length=300, help_text=_("What the school sets out to reach."))
    commitment = models.TextField(
        _("why"), help_text=_("The commitment of the quality policy this objective serves, and why it matters.")
    )
    process = models.ForeignKey(
        "processes.Process",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name=_("process"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="objectives", verbose_name=_("owner")
    )
    academic_year = models.ForeignKey(
        "organisation.AcademicYear",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("starts in"),
        help_text=_("The academic year the objective starts; the targets of its indicators are read in it."),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=ObjectiveStatus.choices, default=ObjectiveStatus.DRAFT
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("why it was closed"), blank=True)
    actions = models.ManyToManyField(
        "improvement.Action", blank=True, related_name="objectives", verbose_name=_("improvement actions")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("quality objective")
        verbose_name_plural = _("quality objectives")
        ordering = ["code"]
        constraints = [
            UniqueConstraint(
                fields=["code"],
                name="objective_code_unique",
                field="code",
                violation_error_message=_("Another objective already has this reference."),
            )
        ]
        indexes = [models.Index(fields=["owner", "status"], name="objective_owner_status_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.statement}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:objective_detail", args=[self.pk])

    def clean(self) -> None:
        if self.due_on is not None and self.academic_year_id is not None:
            starts_on = self.academic_year.starts_on
            if self.due_on <= starts_on:
                raise ValidationError(
                    {
                        "due_on": _("The due date must come after the start of %(year)s (%(date)s).")
                        % {"year": self.academic_year, "date": starts_on.isoformat()}
                    }
                )


class ObjectiveMeasure(models.Model):
    """One indicator that measures an objective, with the objective's own target for it
    (by default the indicator's target of the year the objective starts)."""

    editable_fields: ClassVar[tuple[str, ...]] = ("target", "note")

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="measures", verbose_name=_("objective")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="objective_measures", verbose_name=_("indicator")
    )
    target = models.DecimalField(_("objective's target"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("measure of an objective")
        verbose_name_plural = _("measures of objectives")
        ordering = ["objective", "indicator__code"]
        constraints = [
            UniqueConstraint(
                fields=["objective", "indicator"],
                name="one_measure_per_objective_indicator",
                field="indicator",
                violation_error_message=_("This indicator already measures the objective."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.objective.code}: {self.indicator.code} → {self.target}"

    def get_absolute_url(self) -> str:
        return self.objective.get_absolute_url()

    def is_met(self, value: Decimal) -> bool:
        """As good as the objective's target, or better."""
        if self.indicator.direction == Direction.HIGHER_IS_BETTER:
            return value >= self.target
        return value <= self.target

    def check_target(self, year_target: Target | None) -> None:
        """Refused on the target field: a share beyond 0-100 %, or an objective's target on
        the wrong side of the indicator's alert threshold of the start year (aiming at an
        alert)."""
        if self.target is None or self.indicator_id is None:
            return
        indicator = self.indicator
        if indicator.unit.strip() == "%" and not (0 <= self.target <= 100):
            raise ValidationError({"target": _("A share lies between 0 and 100 %.")})
        if year_target is None:
            return
        threshold = year_target.alert_threshold
        if indicator.direction == Direction.HIGHER_IS_BETTER and self.target <= threshold:
            raise ValidationError(
                {
                    "target": _(
                        "Higher is better for this indicator: the objective's target must be above its alert "
                        "threshold (%(threshold)s)."
                    )
                    % {"threshold": threshold}
                }
            )
        if indicator.direction == Direction.LOWER_IS_BETTER and self.target >= threshold:
            raise ValidationError(
                {
                    "target": _(
                        "Lower is better for this indicator: the objective's target must be below its alert "
                        "threshold (%(threshold)s)."
                    )
                    % {"threshold": threshold}
                }
            )
