"""Writes of indicators: definitions, targets, values entered or computed, freezing a year,
and the improvement item raised when a value goes beyond its alert threshold. Each checks the
actor's right, validates, writes and records its history in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amelio.core import clock
from amelio.core.files import store_file
from amelio.core.models import FilePurpose
from amelio.core.permissions import require
from amelio.core.services import model_create, model_update
from amelio.history.choices import HistoryAction
from amelio.history.services import history_record
from amelio.improvement.choices import Origin
from amelio.improvement.models import Action
from amelio.improvement.services import item_raise
from amelio.organisation.models import AcademicYear, Department, Programme

from .choices import OPEN_OBJECTIVE_STATUSES, Light, ObjectiveTransition, ScopeKind, Source
from .computed import ComputedIndicator, IndicatorScope, computations_reading, computed_indicator
from .models import (
    DEFINITION_FIELDS,
    Indicator,
    IndicatorValue,
    Objective,
    ObjectiveMeasure,
    OffTargetItem,
    PendingRecomputation,
    Target,
)
from .periods import Period, check_period, periods_of
from .workflows import OBJECTIVE_WORKFLOW

VALUE_HISTORY_FIELDS = ("value", "source", "note", "definition_version", "inputs")


# Definitions ---------------------------------------------------------------------------------


@transaction.atomic
def indicator_create(*, actor: Any, data: dict[str, Any]) -> Indicator:
    require(actor, "indicators.manage_indicators")
    return model_create(model=Indicator, data=data, actor=actor)


@transaction.atomic
def indicator_update(
    *, actor: Any, indicator: Indicator, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    """Change the definition. A change of what the figure means (see DEFINITION_FIELDS) raises
    the definition's version; the values made before keep the version they were made with."""
    require(actor, "indicators.manage_indicators", indicator)
    changes = model_update(instance=indicator, data=data, actor=actor, version=version)
    if set(changes) & set(DEFINITION_FIELDS):
        before = indicator.definition_version
        Indicator.objects.filter(pk=indicator.pk).update(definition_version=F("definition_version") + 1)
        indicator.refresh_from_db(fields=["definition_version"])
        history_record(
            instance=indicator,
            action=HistoryAction.UPDATE,
            actor=actor,
            changes={"definition_version": [str(before), str(indicator.definition_version)]},
        )
    return changes


# Targets -------------------------------------------------------------------------------------


@transaction.atomic
def target_set(
    *, actor: Any, indicator: Indicator, academic_year: AcademicYear, target: Decimal, alert_threshold: Decimal
) -> Target:
    """The year's target and alert threshold; the threshold must lie on the wrong side of the
    target (below it when higher is better, above it when lower is better)."""
    require(actor, "indicators.record_indicator", indicator)
    existing = Target.objects.select_for_update().filter(indicator=indicator, academic_year=academic_year).first()
    if existing is None:
        created = Target(
            indicator=indicator, academic_year=academic_year, target=target, alert_threshold=alert_threshold
        )
        created.full_clean()
        created.save()
        history_record(
            instance=created,
            target=indicator,
            action=HistoryAction.CREATE,
            actor=actor,
            changes={
                "target": ["", f"{academic_year}: {target}"],
                "alert_threshold": ["", f"{academic_year}: {alert_threshold}"],
            },
        )
        return created
    existing.indicator = indicator
    before = {"target": existing.target, "alert_threshold": existing.alert_threshold}
    existing.target, existing.alert_threshold = target, alert_threshold
    existing.full_clean()
    existing.save()
    changes = {
        name: [f"{academic_year}: {before[name]}", f"{academic_year}: {getattr(existing, name)}"]
        for name in before
        if Decimal(before[name]) != Decimal(getattr(existing, name))
    }
    if changes:
        history_record(instance=existing, target=indicator, action=HistoryAction.UPDATE, actor=actor, changes=changes)
    return existing


# Values --------------------------------------------------------------------------------------


def scope_for(
    indicator: Indicator, *, department: Department | None = None, programme: Programme | None = None
) -> IndicatorScope:
    """The scope of a value of `indicator`, refused on its field when it does not match the
    indicator's kind of scope."""
    if indicator.scope_kind == ScopeKind.DEPARTMENT:
        if department is None:
            raise ValidationError({"department": _("This indicator is measured per department: choose one.")})
        return IndicatorScope(ScopeKind.DEPARTMENT, department=department)
    if indicator.scope_kind == ScopeKind.PROGRAMME:
        if programme is None:
            raise ValidationError({"programme": _("This indicator is measured per programme: choose one.")})
        return IndicatorScope(ScopeKind.PROGRAMME, programme=programme)
    return IndicatorScope.school()


def _check_scope(indicator: Indicator, scope: IndicatorScope) -> None:
    if scope.kind != indicator.scope_kind:
        raise ValidationError(
            {"scope": _("This indicator is measured %(kind)s.") % {"kind": ScopeKind(indicator.scope_kind).label}}
        )


def period_for(indicator: Indicator, academic_year: AcademicYear, period: str) -> Period:
    """The period of a value of `indicator` in the academic year, refused on its field when
    it does not match the indicator's kind of period or lies outside the year."""
    try:
        return check_period(kind=indicator.period_kind, academic_year=academic_year, code=period)
    except ValueError as error:
        raise ValidationError({"period": str(error)}) from None


def periods_begun(indicator: Indicator, academic_year: AcademicYear) -> list[Period]:
    """The periods of the indicator's kind in the year that have begun by today (the whole
    year always: its value is the year so far)."""
    periods = periods_of(academic_year, indicator.period_kind)
    today = timezone.localdate()
    return [period for period in periods if period.is_whole_year or period.starts_on <= today]


def _history_of(value: IndicatorValue) -> dict[str, str]:
    return {
        "value": "" if value.value is None else str(value.value),
        "source": value.source,
        "note": value.note,
        "definition_version": str(value.definition_version),
        "inputs": ", ".join(f"{name}={count}" for name, count in sorted(value.inputs.items())),
    }


VALUE_KEYS = ["indicator", "academic_year", "department", "programme", "recorded_by"]


def _write_value(
    *, actor: Any, indicator: Indicator, period: Period, scope: IndicatorScope, fields: dict[str, Any]
) -> IndicatorValue:
    """Create or rewrite the one value of (indicator, year, period, scope), with its history.
    A frozen value is refused: the past it records stays as it was."""
    academic_year = period.academic_year
    value = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, academic_year=academic_year, period=period.code, scope_key=scope.key)
        .first()
    )
    if value is not None and value.is_frozen:
        raise ValidationError(
            {"value": _("The values of %(year)s are frozen: they are not rewritten.") % {"year": academic_year}},
            code="frozen",
        )
    before = _history_of(value) if value is not None else {}
    if value is None:
        value = IndicatorValue(
            indicator=indicator,
            academic_year=academic_year,
            period=period.code,
            scope_key=scope.key,
            department=scope.department,
            programme=scope.programme,
        )
    for name, field_value in fields.items():
        setattr(value, name, field_value)
    value.definition_version = indicator.definition_version
    value.recorded_at = timezone.now()
    # A value that is not a number, or too large, is refused on its field. The foreign keys are
    # left out: their rows were just read, and checking each again costs a query per key.
    value.full_clean(exclude=VALUE_KEYS, validate_unique=False)
    if value.value is not None:
        # As stored (two places), so that the history reads the same as the page.
        value.value = Decimal(value.value).quantize(Decimal("0.01"))
    value.save()
    after = _history_of(value)
    changes = {name: [before.get(name, ""), new] for name, new in after.items() if before.get(name, "") != new}
    if changes:
        history_record(
            instance=value,
            action=HistoryAction.UPDATE if before else HistoryAction.CREATE,
            actor=actor,
            changes=changes,
        )
    return value


@transaction.atomic
def value_record(
    *,
    actor: Any,
    indicator: Indicator,
    academic_year: AcademicYear,
    scope: IndicatorScope,
    value: Decimal,
    period: str = "",
    note: str = "",
    evidence: UploadedFile | None = None,
) -> IndicatorValue:
    """A value entered by hand, with who entered it and when, and optionally its evidence.
    `period` is the semester ("S1", "S2") or month ("2025-10") of an indicator measured so,
    inside `academic_year`; "" for one measured per academic year."""
    require(actor, "indicators.record_indicator", indicator)
    if indicator.is_computed:
        raise ValidationError(
            {"value": _("The values of a computed indicator come from the records: recompute it instead.")}
        )
    _check_scope(indicator, scope)
    recorded = _write_value(
        actor=actor,
        indicator=indicator,
        period=period_for(indicator, academic_year, period),
        scope=scope,
        fields={
            "value": value,
            "source": Source.MANUAL,
            "inputs": {},
            "note": note.strip(),
            "recorded_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    if evidence is not None:
        store_file(actor=actor, upload=evidence, owner=recorded, purpose=FilePurpose.EVIDENCE)
    raise_if_off_target(value=recorded)
    return recorded


@transaction.atomic
def value_compute(
    *, actor: Any, indicator: Indicator, academic_year: AcademicYear, scope: IndicatorScope, period: str = ""
) -> IndicatorValue | None:
    """Compute the value of a scope and period from the records, keeping the counts it was
    made of and the definition's version. A frozen value is left as it is (and returned as
    it is)."""
    require(actor, "indicators.record_indicator", indicator)
    entry = computed_indicator(indicator.computation) if indicator.is_computed else None
    if entry is None:
        raise ValidationError(_("This indicator is not computed from the records."))
    _check_scope(indicator, scope)
    found = period_for(indicator, academic_year, period)
    return _compute_value(actor=actor, indicator=indicator, entry=entry, scope=scope, period=found)


def _compute_value(
    *, actor: Any, indicator: Indicator, entry: ComputedIndicator, scope: IndicatorScope, period: Period
) -> IndicatorValue:
    frozen = IndicatorValue.objects.filter(
        indicator=indicator,
        academic_year=period.academic_year,
        period=period.code,
        scope_key=scope.key,
        is_frozen=True,
    ).first()
    if frozen is not None:
        return frozen
    result = entry.compute(scope, period)
    recorded = _write_value(
        actor=actor,
        indicator=indicator,
        period=period,
        scope=scope,
        fields={
            "value": result.value,
            "source": Source.COMPUTED,
            "inputs": result.inputs,
            "note": "",
            "recorded_by": None,
        },
    )
    raise_if_off_target(value=recorded)
    return recorded


def scopes_of(indicator: Indicator) -> list[IndicatorScope]:
    """Every scope an indicator has a value for: the school, each active department, or
    each active programme."""
    if indicator.scope_kind == ScopeKind.DEPARTMENT:
        return [IndicatorScope.of(department) for department in Department.objects.filter(is_active=True)]
    if indicator.scope_kind == ScopeKind.PROGRAMME:
        return [IndicatorScope.of(programme) for programme in Programme.objects.filter(is_active=True)]
    return [IndicatorScope.school()]


@transaction.atomic
def indicator_recompute(*, actor: Any, indicator: Indicator, academic_year: AcademicYear) -> int:
    """Recompute one indicator for one year, for each of its scopes and each period of the
    year begun by today (a semester, a month; or the year). Returns the values written."""
    require(actor, "indicators.record_indicator", indicator)
    entry = computed_indicator(indicator.computation) if indicator.is_computed else None
    if entry is None:
        raise ValidationError(_("This indicator is not computed from the records."))
    written = 0
    for scope in scopes_of(indicator):
        for period in periods_begun(indicator, academic_year):
            value = _compute_value(actor=actor, indicator=indicator, entry=entry, scope=scope, period=period)
            written += value is not None and not value.is_frozen
    return written


def indicator_recompute_all(*, actor: Any, academic_years: Iterable[AcademicYear] | None = None) -> int:
    """Recompute every computed indicator, for each of its scopes and each year (by default
    the academic years begun by today), one indicator and year per transaction. Frozen values
    stay as they are. Returns the values written."""
    require(actor, "indicators.manage_indicators")
    if academic_years is None:
        academic_years = AcademicYear.objects.filter(starts_on__lte=timezone.localdate()).order_by("starts_on")
    years = list(academic_years)
    written = 0
    for indicator in Indicator.objects.filter(source=Source.COMPUTED).select_related("process"):
        for year in years:
            written += indicator_recompute(actor=actor, indicator=indicator, academic_year=year)
    return written


# Recomputation after the records change --------------------------------------------------------


class _QueueAfterCommit:
    """An after-commit callback: the computations whose records changed, each queued once
    when the transaction commits (nothing when it, or the savepoint it was made in, rolls
    back)."""

    def __init__(self) -> None:
        self.computations: set[str] = set()
        self.done = False

    def __call__(self) -> None:
        from .tasks import recompute_computation_task

        self.done = True
        for computation in sorted(self.computations):
            _pending, created = PendingRecomputation.objects.get_or_create(computation=computation)
            if created:  # otherwise a task is queued already and will read this change too
                recompute_computation_task(computation)


@dataclass
class _TransactionState:
    """What the current transaction has asked to recompute. Django starts a new list of
    after-commit callbacks when a transaction ends or a savepoint rolls back, so `hooks`
    being that list tells that this state is still good: its queue is registered, and
    nothing it holds was rolled back."""

    hooks: list[Any]
    queue: _QueueAfterCommit | None = None
    with_indicator: set[str] = field(default_factory=set)
    without_indicator: set[str] = field(default_factory=set)


_STATE_ATTRIBUTE = "_amelio_indicators_recompute"


def records_changed(labels: set[str]) -> None:
    """Called with the history of every change (history.services.register_change_listener):
    when the change touches records a computation reads, its indicators are recomputed after
    commit by the worker. A burst of changes in one transaction queues one task per
    computation, and so do bursts while that task waits (the pending row). Cheap for records
    no computed indicator reads: a set lookup, and one query per transaction and computation
    at most.

    The callback is registered where the transaction's first such change is made: if that
    savepoint rolls back, the callback goes with it, and the next change registers a new one.
    A change inside a savepoint rolled back later may still be recomputed (for nothing)."""
    computations = computations_reading(labels)
    if not computations:
        return
    connection = transaction.get_connection()
    state: _TransactionState | None = getattr(connection, _STATE_ATTRIBUTE, None)
    if state is None or state.hooks is not connection.run_on_commit:
        state = _TransactionState(hooks=connection.run_on_commit)
        setattr(connection, _STATE_ATTRIBUTE, state)
    unknown = computations - state.with_indicator - state.without_indicator
    if unknown:
        read = set(
            Indicator.objects.filter(source=Source.COMPUTED, computation__in=unknown)
            .values_list("computation", flat=True)
            .distinct()
        )
        state.with_indicator |= read
        state.without_indicator |= unknown - read
    wanted = computations & state.with_indicator
    if not wanted:
        return
    if state.queue is None or state.queue.done:
        state.queue = _QueueAfterCommit()
        transaction.on_commit(state.queue)
    state.queue.computations |= wanted


def computation_recompute(*, computation: str) -> int:
    """Recompute, as the system, every indicator computed by `computation`, for each of its
    scopes and each academic year begun by today; frozen values stay. Returns the values
    written. The pending row goes first, so a change made meanwhile queues a new task."""
    PendingRecomputation.objects.filter(computation=computation).delete()
    years = list(AcademicYear.objects.filter(starts_on__lte=timezone.localdate()).order_by("starts_on"))
    written = 0
    for indicator in Indicator.objects.filter(source=Source.COMPUTED, computation=computation).select_related(
        "process"
    ):
        for year in years:
            written += indicator_recompute(actor=None, indicator=indicator, academic_year=year)
    return written


@transaction.atomic
def values_freeze(*, actor: Any, academic_year: AcademicYear, reason: str = "") -> int:
    """Freeze the values of a closed academic year: later recomputations and entries leave
    them as they are. Returns the values frozen."""
    require(actor, "indicators.manage_indicators")
    if academic_year.ends_on >= timezone.localdate():
        raise ValidationError(
            {"academic_year": _("%(year)s is not over: only a closed year is frozen.") % {"year": academic_year}}
        )
    values = list(
        IndicatorValue.objects.select_for_update().filter(academic_year=academic_year, is_frozen=False).order_by("pk")
    )
    for value in values:
        value.is_frozen = True
        value.save(update_fields=["is_frozen"])
        history_record(
            instance=value,
            action=HistoryAction.UPDATE,
            actor=actor,
            changes={"is_frozen": ["False", "True"]},
            reason=reason,
        )
    return len(values)


# Off target → improvement ----------------------------------------------------------------------


def _figure(number: Decimal) -> str:
    """55.00 as 55, 55.50 as 55.5."""
    return f"{Decimal(number).normalize():f}"


def raise_if_off_target(*, value: IndicatorValue) -> OffTargetItem | None:
    """When `value` is beyond its year's alert threshold, raise one opportunity for
    improvement for the process owner (or, without a process, the department's heads or the
    quality managers): once per indicator, scope and period, never for a frozen value. The
    target is the academic year's, for a semester's or a month's value too."""
    if value.is_frozen or value.value is None:
        return None
    target = Target.objects.filter(indicator_id=value.indicator_id, academic_year_id=value.academic_year_id).first()
    if target is None:
        return None
    target.indicator = value.indicator
    if target.light(value.value) != Light.ALERT:
        return None
    if OffTargetItem.objects.filter(
        indicator_id=value.indicator_id,
        academic_year_id=value.academic_year_id,
        period=value.period,
        scope_key=value.scope_key,
    ).exists():
        return None
    indicator = value.indicator
    process = indicator.process
    department = value.department or (value.programme.department if value.programme is not None else None)
    if process is not None and process.department_id not in (None, getattr(department, "pk", None)):
        department = None  # the item follows its process's department
    unit = f" {indicator.unit}" if indicator.unit else ""
    item = item_raise(
        actor=None,
        data={
            "origin": Origin.OPPORTUNITY,
            "title": _("%(code)s off target in %(year)s: %(scope)s")
            % {"code": indicator.code, "year": value.period_label, "scope": value.scope_label},
            "description": _(
                "The indicator “%(name)s” is at %(value)s%(unit)s for %(scope)s in %(year)s, beyond its alert "
                "threshold of %(threshold)s%(unit)s (target %(target)s%(unit)s)."
            )
            % {
                "name": indicator.name,
                "value": _figure(value.value),
                "unit": unit,
                "scope": value.scope_label,
                "year": value.period_label,
                "threshold": _figure(target.alert_threshold),
                "target": _figure(target.target),
            },
            "process": process,
            "department": department,
        },
    )
    return OffTargetItem.objects.create(
        indicator=indicator,
        academic_year=value.academic_year,
        period=value.period,
        scope_key=value.scope_key,
        value=value,
        item=item,
    )


# Quality objectives (ISO 9001 clause 6.2) --------------------------------------------------------

OBJECTIVE_FIELDS = list(Objective.editable_fields)


def _refuse_when_closed(objective: Objective) -> None:
    if objective.status not in OPEN_OBJECTIVE_STATUSES:
        raise ValidationError(
            _("The objective is “%(status)s”: reopen it before changing it.")
            % {"status": objective.get_status_display()},
            code="closed",
        )


def _locked(objective: Objective) -> Objective:
    return (
        Objective.objects.select_for_update(of=("self",))
        .select_related("academic_year", "process")
        .get(pk=objective.pk)
    )


@transaction.atomic
def objective_create(*, actor: Any, data: dict[str, Any]) -> Objective:
    """A new objective starts as a draft; its measures and actions are added next."""
    require(actor, "indicators.add_objective", Objective(process=data.get("process")))
    return model_create(model=Objective, data=data, actor=actor, history_fields=OBJECTIVE_FIELDS)


@transaction.atomic
def objective_update(
    *, actor: Any, objective: Objective, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    """Change what the objective says (not its status, measures or actions). Someone who
    manages it only through its process's department cannot move it out of their reach."""
    require(actor, "indicators.manage_objective", objective)
    _refuse_when_closed(objective)
    if "process" in data or "owner" in data:
        after = Objective(
            owner_id=getattr(data.get("owner", objective.owner), "pk", objective.owner_id),
            process=data.get("process", objective.process),
        )
        require(actor, "indicators.manage_objective", after)
    return model_update(instance=objective, data=data, actor=actor, version=version)


def _year_target(indicator: Indicator, objective: Objective) -> Target | None:
    target = Target.objects.filter(indicator=indicator, academic_year_id=objective.academic_year_id).first()
    if target is not None:
        target.indicator = indicator
    return target


def _measure_label(measure: ObjectiveMeasure) -> str:
    return f"{measure.indicator.code} → {_figure(measure.target)}"


@transaction.atomic
def measure_add(
    *,
    actor: Any,
    objective: Objective,
    indicator: Indicator,
    target: Decimal | None = None,
    note: str = "",
) -> ObjectiveMeasure:
    """An indicator that measures the objective, with the objective's target for it: by
    default the indicator's target of the year the objective starts."""
    require(actor, "indicators.manage_objective", objective)
    objective = _locked(objective)
    _refuse_when_closed(objective)
    year_target = _year_target(indicator, objective)
    if target is None:
        if year_target is None:
            raise ValidationError(
                {
                    "target": _("%(code)s has no target for %(year)s: give the objective's target.")
                    % {"code": indicator.code, "year": objective.academic_year}
                }
            )
        target = year_target.target
    measure = ObjectiveMeasure(objective=objective, indicator=indicator, target=target, note=note.strip())
    measure.full_clean()  # an indicator listed twice is refused on its field
    measure.check_target(year_target)
    measure.save()
    history_record(
        instance=measure,
        target=objective,
        action=HistoryAction.UPDATE,
        actor=actor,
        changes={"measures": ["", _measure_label(measure) + (f" ({measure.note})" if measure.note else "")]},
    )
    return measure


@transaction.atomic
def measure_update(
    *, actor: Any, measure: ObjectiveMeasure, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    """Change the objective's target for this indicator, or its note."""
    objective = measure.objective
    require(actor, "indicators.manage_objective", objective)
    objective = _locked(objective)
    _refuse_when_closed(objective)
    if data.get("target") is not None:
        # As stored (two places), so that the history reads the same as the page.
        data = {**data, "target": Decimal(data["target"]).quantize(Decimal("0.01"))}
    probe = ObjectiveMeasure(
        objective=objective,
        indicator=measure.indicator,
        target=data.get("target", measure.target),
        note=data.get("note", measure.note),
    )
    probe.check_target(_year_target(measure.indicator, objective))
    return model_update(
        instance=measure,
        data=data,
        actor=actor,
        version=version,
        history_target=objective,
        fields=ObjectiveMeasure.editable_fields,
    )


@transaction.atomic
def measure_remove(*, actor: Any, measure: ObjectiveMeasure) -> None:
    objective = measure.objective
    require(actor, "indicators.manage_objective", objective)
    objective = _locked(objective)
    _refuse_when_closed(objective)
    history_record(
        instance=measure,
        target=objective,
        action=HistoryAction.UPDATE,
        actor=actor,
        changes={"measures": [_measure_label(measure), ""]},
    )
    measure.delete()


@transaction.atomic
def objective_link_action(*, actor: Any, objective: Objective, action: Action) -> None:
    """An improvement action that serves the objective (one the actor can see)."""
    require(actor, "indicators.manage_objective", objective)
    require(actor, "improvement.view_action", action)
    objective = _locked(objective)
    _refuse_when_closed(objective)
    if objective.actions.filter(pk=action.pk).exists():
        raise ValidationError({"action": _("This action already serves the objective.")})
    objective.actions.add(action)
    history_record(
        instance=objective, action=HistoryAction.UPDATE, actor=actor, changes={"actions": ["", action.title]}
    )


@transaction.atomic
def objective_unlink_action(*, actor: Any, objective: Objective, action: Action) -> None:
    require(actor, "indicators.manage_objective", objective)
    objective = _locked(objective)
    _refuse_when_closed(objective)
    if not objective.actions.filter(pk=action.pk).exists():
        raise ValidationError({"action": _("This action does not serve the objective.")})
    objective.actions.remove(action)
    history_record(
        instance=objective, action=HistoryAction.UPDATE, actor=actor, changes={"actions": [action.title, ""]}
    )


# The objective's workflow (workflows.py) ------------------------------------------------------


def _has_a_measure(objective: Objective) -> None:
    if not objective.measures.exists():
        raise ValidationError(_("An objective is measurable: add at least one indicator first."))


def objective_activate(*, actor: Any, objective: Objective) -> Objective:
    return OBJECTIVE_WORKFLOW.apply(
        actor=actor, record=objective, transition=ObjectiveTransition.ACTIVATE, precondition=_has_a_measure
    )


def _close(*, actor: Any, objective: Objective, transition: str, reason: str) -> Objective:
    reason = (reason or "").strip()
    return OBJECTIVE_WORKFLOW.apply(
        actor=actor,
        record=objective,
        transition=transition,
        reason=reason,
        fields={"closed_on": clock.today(), "closing_note": reason},
    )


def objective_achieve(*, actor: Any, objective: Objective, reason: str) -> Objective:
    return _close(actor=actor, objective=objective, transition=ObjectiveTransition.ACHIEVE, reason=reason)


def objective_miss(*, actor: Any, objective: Objective, reason: str) -> Objective:
    return _close(actor=actor, objective=objective, transition=ObjectiveTransition.MISS, reason=reason)


def objective_abandon(*, actor: Any, objective: Objective, reason: str) -> Objective:
    return _close(actor=actor, objective=objective, transition=ObjectiveTransition.ABANDON, reason=reason)


def objective_reopen(*, actor: Any, objective: Objective, reason: str) -> Objective:
    return OBJECTIVE_WORKFLOW.apply(
        actor=actor,
        record=objective,
        transition=ObjectiveTransition.REOPEN,
        reason=reason,
        fields={"closed_on": None, "closing_note": ""},
    )
