"""Quality objectives (ISO 9001 6.2) through their services: creating and editing them,
their measures (the objective's own target, by default the indicator's of the start year),
the actions that serve them, each step of their workflow, who may do what (nothing changed
on a refusal), the inputs refused on their field, and their standing computed from values
built here."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amelio.core.concurrency import EditConflict, version_of
from amelio.history.models import HistoryEntry
from amelio.improvement.tests.factories import ActionFactory
from amelio.indicators import services
from amelio.indicators.choices import Direction, ObjectiveStatus, ScopeKind, Standing
from amelio.indicators.models import Objective, ObjectiveMeasure
from amelio.indicators.selectors import objective_standings, objectives_at_risk

from .factories import IndicatorFactory, objective, target, value, year

pytestmark = pytest.mark.django_db


def history_of(record: Any) -> list[HistoryEntry]:
    return list(HistoryEntry.objects.filter(object_id=str(record.pk), content_type__model="objective"))


def new_data(school: dict[str, Any], **changes: Any) -> dict[str, Any]:
    academic_year = year(2025)
    return {
        "code": "OBJ-07",
        "statement": "Toutes les conventions signées avant le stage",
        "commitment": "Engagement 2 : sécuriser le parcours de chaque élève",
        "process": school["process_civil"],
        "owner": school["teacher"],
        "academic_year": academic_year,
        "due_on": datetime.date(2026, 6, 30),
        **changes,
    }


@pytest.fixture
def indicator(school: dict[str, Any]) -> Any:
    found = IndicatorFactory(code="IND-01", owner=school["teacher"], unit="%", direction=Direction.HIGHER_IS_BETTER)
    target(found, year(2025), "80", "60")
    return found


# Creating and editing -----------------------------------------------------------------------


def test_an_objective_is_created_as_a_draft_with_its_history(school: dict[str, Any]) -> None:
    created = services.objective_create(actor=school["quality_manager"], data=new_data(school))
    assert created.status == ObjectiveStatus.DRAFT
    [entry] = history_of(created)
    assert entry.action == "create" and entry.changes["code"] == ["", "OBJ-07"]
    assert entry.changes["due_on"] == ["", "2026-06-30"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"due_on": datetime.date(2025, 9, 1)}, "due_on", "The due date must come after the start of 2025-2026"),
        ({"due_on": datetime.date(2024, 12, 1)}, "due_on", "(2025-09-01)"),
        ({"statement": ""}, "statement", "This field cannot be blank."),
        ({"commitment": ""}, "commitment", "This field cannot be blank."),
    ],
)
def test_bad_input_is_refused_on_its_field(
    school: dict[str, Any], changes: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.objective_create(actor=school["quality_manager"], data=new_data(school, **changes))
    assert message in " ".join(refused.value.message_dict[field])
    assert not Objective.objects.exists()


def test_a_reference_taken_is_refused_on_its_field(school: dict[str, Any]) -> None:
    services.objective_create(actor=school["quality_manager"], data=new_data(school))
    with pytest.raises(ValidationError) as refused:
        services.objective_create(actor=school["quality_manager"], data=new_data(school, statement="Autre"))
    assert refused.value.message_dict["code"] == ["Another objective already has this reference."]
    assert Objective.objects.count() == 1


def test_an_edit_records_what_changed_and_refuses_a_stale_version(school: dict[str, Any]) -> None:
    record = objective(owner=school["teacher"], process=school["process_civil"])
    read = version_of(record, Objective.editable_fields)
    services.objective_update(actor=school["teacher"], objective=record, data={"statement": "Mieux"}, version=read)
    assert Objective.objects.get().statement == "Mieux"
    assert history_of(record)[0].changes == {"statement": ["Réussir", "Mieux"]}
    with pytest.raises(EditConflict):
        services.objective_update(actor=school["teacher"], objective=record, data={"statement": "Autre"}, version=read)
    assert Objective.objects.get().statement == "Mieux"


def test_the_status_is_not_an_editable_field(school: dict[str, Any]) -> None:
    record = objective(owner=school["teacher"])
    with pytest.raises(ValidationError, match="These fields cannot be changed here: status"):
        services.objective_update(actor=school["quality_manager"], objective=record, data={"status": "achieved"})
    assert Objective.objects.get().status == ObjectiveStatus.DRAFT


# Measures -----------------------------------------------------------------------------------


def test_a_measure_takes_the_indicators_target_of_the_start_year_by_default(
    school: dict[str, Any], indicator: Any
) -> None:
    record = objective(owner=school["teacher"])
    measure = services.measure_add(actor=school["teacher"], objective=record, indicator=indicator)
    assert measure.target == Decimal("80")
    own = services.measure_add(
        actor=school["teacher"], objective=record, indicator=IndicatorFactory(unit="%"), target=Decimal("90")
    )
    assert own.target == Decimal("90")
    assert [entry.changes for entry in history_of(record)] == [
        {"measures": ["", f"{own.indicator.code} → 90"]},
        {"measures": ["", "IND-01 → 80"]},
    ]


@pytest.mark.parametrize(
    ("direction", "threshold", "number", "message"),
    [
        (
            Direction.HIGHER_IS_BETTER,
            "60",
            "55",
            "Higher is better for this indicator: the objective's target must be above its alert threshold (60.00).",
        ),
        (
            Direction.HIGHER_IS_BETTER,
            "60",
            "60",
            "Higher is better for this indicator: the objective's target must be above its alert threshold (60.00).",
        ),
        (
            Direction.LOWER_IS_BETTER,
            "40",
            "45",
            "Lower is better for this indicator: the objective's target must be below its alert threshold (40.00).",
        ),
        (Direction.HIGHER_IS_BETTER, "60", "120", "A share lies between 0 and 100 %."),
    ],
)
def test_a_target_on_the_wrong_side_is_refused_on_its_field(
    school: dict[str, Any], direction: str, threshold: str, number: str, message: str
) -> None:
    measured = IndicatorFactory(direction=direction, unit="%")
    target(measured, year(2025), "50", threshold)
    record = objective(owner=school["teacher"])
    with pytest.raises(ValidationError) as refused:
        services.measure_add(actor=school["teacher"], objective=record, indicator=measured, target=Decimal(number))
    assert refused.value.message_dict["target"] == [message]
    assert not ObjectiveMeasure.objects.exists() and history_of(record) == []


def test_an_indicator_without_a_target_that_year_needs_one_given(school: dict[str, Any]) -> None:
    record = objective(owner=school["teacher"])
    with pytest.raises(ValidationError) as refused:
        services.measure_add(actor=school["teacher"], objective=record, indicator=IndicatorFactory(code="IND-05"))
    assert refused.value.message_dict["target"] == ["IND-05 has no target for 2025-2026: give the objective's target."]


def test_an_indicator_listed_twice_is_refused_on_its_field(school: dict[str, Any], indicator: Any) -> None:
    record = objective(owner=school["teacher"])
    services.measure_add(actor=school["teacher"], objective=record, indicator=indicator)
    with pytest.raises(ValidationError) as refused:
        services.measure_add(actor=school["teacher"], objective=record, indicator=indicator, target=Decimal(90))
    assert refused.value.message_dict["indicator"] == ["This indicator already measures the objective."]
    assert ObjectiveMeasure.objects.count() == 1


def test_a_measure_is_changed_and_removed_with_history(school: dict[str, Any], indicator: Any) -> None:
    record = objective(owner=school["teacher"])
    measure = services.measure_add(actor=school["teacher"], objective=record, indicator=indicator)
    with pytest.raises(ValidationError) as refused:
        services.measure_update(actor=school["teacher"], measure=measure, data={"target": Decimal("50")})
    assert "above its alert threshold" in refused.value.message_dict["target"][0]
    services.measure_update(actor=school["teacher"], measure=measure, data={"target": Decimal("85"), "note": "N"})
    assert ObjectiveMeasure.objects.get().target == Decimal("85")
    services.measure_remove(actor=school["teacher"], measure=measure)
    assert not ObjectiveMeasure.objects.exists()
    changes = [entry.changes for entry in history_of(record)]
    assert changes[0] == {"measures": ["IND-01 → 85", ""]}
    assert changes[1] == {"target": ["80.00", "85.00"], "note": ["", "N"]}


# Actions ------------------------------------------------------------------------------------


def test_actions_are_linked_and_unlinked_with_history(school: dict[str, Any]) -> None:
    record = objective(owner=school["teacher"], process=school["process_civil"])
    action = ActionFactory(title="Relancer les signataires", owner=school["teacher"])
    services.objective_link_action(actor=school["teacher"], objective=record, action=action)
    assert list(record.actions.all()) == [action]
    with pytest.raises(ValidationError) as refused:
        services.objective_link_action(actor=school["teacher"], objective=record, action=action)
    assert refused.value.message_dict["action"] == ["This action already serves the objective."]
    services.objective_unlink_action(actor=school["teacher"], objective=record, action=action)
    assert not record.actions.exists()
    assert [entry.changes for entry in history_of(record)] == [
        {"actions": ["Relancer les signataires", ""]},
        {"actions": ["", "Relancer les signataires"]},
    ]


def test_an_action_out_of_sight_is_not_linked(school: dict[str, Any]) -> None:
    record = objective(owner=school["teacher"], process=school["process_civil"])
    hidden = ActionFactory(owner=school["head_electrical"], process=school["process_electrical"])
    with pytest.raises(PermissionDenied):
        services.objective_link_action(actor=school["teacher"], objective=record, action=hidden)
    assert not record.actions.exists()


def test_a_closed_objective_is_not_changed(school: dict[str, Any], indicator: Any) -> None:
    record = objective(owner=school["teacher"], status=ObjectiveStatus.ACHIEVED)
    for attempt in (
        lambda: services.objective_update(actor=school["quality_manager"], objective=record, data={"statement": "X"}),
        lambda: services.measure_add(actor=school["quality_manager"], objective=record, indicator=indicator),
        lambda: services.objective_link_action(
            actor=school["quality_manager"], objective=record, action=ActionFactory()
        ),
    ):
        with pytest.raises(ValidationError, match="reopen it before changing it"):
            attempt()
    assert Objective.objects.get().statement == "Réussir" and not ObjectiveMeasure.objects.exists()


# Who may do what --------------------------------------------------------------------------------

MANAGERS = ["quality_manager", "director", "teacher", "head_civil"]
OTHERS = ["head_electrical", "auditor", "office", "student"]


@pytest.mark.parametrize("who", MANAGERS + OTHERS)
def test_who_manages_an_objective(school: dict[str, Any], indicator: Any, who: str) -> None:
    """The quality manager and the director all; the owner (the teacher) their own; the head
    of the process's department; not the head of another department (out of scope), nor an
    auditor, the office or a student: refused, and nothing changed."""
    record = objective(owner=school["teacher"], process=school["process_civil"])
    actor = school[who]
    attempts = [
        lambda: services.objective_update(actor=actor, objective=record, data={"statement": "Changé"}),
        lambda: services.measure_add(actor=actor, objective=record, indicator=indicator),
        lambda: services.objective_abandon(actor=actor, objective=record, reason="Raison"),
    ]
    if who in MANAGERS:
        for attempt in attempts:
            attempt()
        assert Objective.objects.get().status == ObjectiveStatus.ABANDONED
        return
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    stored = Objective.objects.get()
    assert (stored.statement, stored.status) == ("Réussir", ObjectiveStatus.DRAFT)
    assert not ObjectiveMeasure.objects.exists() and history_of(record) == []


@pytest.mark.parametrize(
    ("who", "process", "allowed"),
    [
        ("quality_manager", "process_civil", True),
        ("director", "process_school", True),
        ("head_civil", "process_civil", True),
        ("head_civil", "process_electrical", False),
        ("head_electrical", "process_electrical", True),
        ("teacher", "process_civil", False),
        ("auditor", "process_civil", False),
        ("student", "process_civil", False),
    ],
)
def test_who_sets_a_new_objective(school: dict[str, Any], who: str, process: str, allowed: bool) -> None:
    data = new_data(school, process=school[process])
    if allowed:
        services.objective_create(actor=school[who], data=data)
        assert Objective.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            services.objective_create(actor=school[who], data=data)
        assert not Objective.objects.exists() and not HistoryEntry.objects.filter(content_type__model="objective")


def test_a_head_cannot_move_an_objective_out_of_their_reach(school: dict[str, Any]) -> None:
    record = objective(owner=school["teacher"], process=school["process_civil"])
    with pytest.raises(PermissionDenied):
        services.objective_update(
            actor=school["head_civil"], objective=record, data={"process": school["process_electrical"]}
        )
    assert Objective.objects.get().process == school["process_civil"]


# The workflow -----------------------------------------------------------------------------------


def test_an_objective_is_activated_only_once_measured(school: dict[str, Any], indicator: Any) -> None:
    record = objective(owner=school["teacher"])
    with pytest.raises(ValidationError, match="add at least one indicator first"):
        services.objective_activate(actor=school["teacher"], objective=record)
    assert Objective.objects.get().status == ObjectiveStatus.DRAFT
    services.measure_add(actor=school["teacher"], objective=record, indicator=indicator)
    services.objective_activate(actor=school["teacher"], objective=record)
    assert Objective.objects.get().status == ObjectiveStatus.ACTIVE


@pytest.mark.parametrize(
    ("close", "status"),
    [
        (services.objective_achieve, ObjectiveStatus.ACHIEVED),
        (services.objective_miss, ObjectiveStatus.NOT_ACHIEVED),
        (services.objective_abandon, ObjectiveStatus.ABANDONED),
    ],
)
def test_each_closing_step_needs_a_reason_and_keeps_it(school: dict[str, Any], close: Any, status: str) -> None:
    record = objective(owner=school["teacher"], status=ObjectiveStatus.ACTIVE)
    with pytest.raises(ValidationError) as refused:
        close(actor=school["teacher"], objective=record, reason="  ")
    assert refused.value.message_dict["reason"] == ["Give the reason."]
    assert Objective.objects.get().status == ObjectiveStatus.ACTIVE
    close(actor=school["teacher"], objective=record, reason="Vu en revue de direction")
    stored = Objective.objects.get()
    assert (stored.status, stored.closing_note) == (status, "Vu en revue de direction")
    assert stored.closed_on is not None
    entry = history_of(record)[0]
    assert entry.action == "transition" and entry.reason == "Vu en revue de direction"
    assert entry.changes["status"] == ["active", status]


def test_only_the_quality_manager_or_the_director_reopen(school: dict[str, Any]) -> None:
    record = objective(owner=school["teacher"], status=ObjectiveStatus.NOT_ACHIEVED, closing_note="Raté")
    with pytest.raises(PermissionDenied):
        services.objective_reopen(actor=school["teacher"], objective=record, reason="Encore")
    with pytest.raises(ValidationError, match="“close as achieved” is not possible while the objective is"):
        services.objective_achieve(actor=school["quality_manager"], objective=record, reason="Oui")
    services.objective_reopen(actor=school["director"], objective=record, reason="Nouvelle échéance")
    stored = Objective.objects.get()
    assert (stored.status, stored.closing_note, stored.closed_on) == (ObjectiveStatus.ACTIVE, "", None)


# Standing ---------------------------------------------------------------------------------------


def measured_by(record: Objective, indicator: Any, number: str) -> ObjectiveMeasure:
    return ObjectiveMeasure.objects.create(objective=record, indicator=indicator, target=Decimal(number))


def test_standing_from_the_latest_values_against_the_objectives_targets(school: dict[str, Any]) -> None:
    old, new = year(2024), year(2025)
    higher = IndicatorFactory(direction=Direction.HIGHER_IS_BETTER)
    lower = IndicatorFactory(direction=Direction.LOWER_IS_BETTER, unit="jours")
    for academic_year in (old, new):
        target(higher, academic_year, "80", "60")
        target(lower, academic_year, "90", "150")
    value(higher, old, "50")  # an old alert no longer counts
    value(higher, new, "85")
    value(lower, old, "80")
    value(lower, new, "120")  # misses 100, within the threshold of 150

    on_track = objective(owner=school["teacher"])
    measured_by(on_track, higher, "85")  # 85 meets the objective's own target
    behind = objective(owner=school["teacher"])
    measured_by(behind, higher, "82")
    measured_by(behind, lower, "100")
    unmeasured = objective(owner=school["teacher"])
    measured_by(unmeasured, IndicatorFactory(), "80")
    empty = objective(owner=school["teacher"])

    standings = objective_standings([on_track, behind, unmeasured, empty])
    assert standings[on_track.pk].standing == Standing.ON_TRACK
    [row] = standings[on_track.pk].measures
    assert (row.value.value, row.threshold) == (Decimal("85"), Decimal("60"))
    assert standings[behind.pk].standing == Standing.BEHIND
    assert [row.standing for row in standings[behind.pk].measures] == [Standing.ON_TRACK, Standing.BEHIND]
    assert standings[unmeasured.pk].standing == Standing.NOT_MEASURED
    assert standings[empty.pk].standing == Standing.NOT_MEASURED

    # A later year beyond that year's alert threshold: at risk; without a target that year
    # (no threshold to cross), only behind.
    value(lower, year(2026), "160")
    assert objective_standings([behind])[behind.pk].standing == Standing.BEHIND
    target(lower, year(2026), "90", "150")
    assert objective_standings([behind])[behind.pk].standing == Standing.AT_RISK


def test_a_share_short_of_the_target_but_within_the_threshold_is_behind(school: dict[str, Any]) -> None:
    indicator = IndicatorFactory()
    target(indicator, year(2025), "80", "60")
    value(indicator, year(2025), "70")
    record = objective(owner=school["teacher"])
    measured_by(record, indicator, "75")
    some_unmeasured = objective(owner=school["teacher"])
    measured_by(some_unmeasured, indicator, "65")
    measured_by(some_unmeasured, IndicatorFactory(), "50")
    standings = objective_standings([record, some_unmeasured])
    assert standings[record.pk].standing == Standing.BEHIND
    # One met, one without a value: not yet measured as a whole.
    assert standings[some_unmeasured.pk].standing == Standing.NOT_MEASURED


def test_a_department_indicator_is_read_for_the_objectives_department(school: dict[str, Any]) -> None:
    per_department = IndicatorFactory(scope_kind=ScopeKind.DEPARTMENT)
    target(per_department, year(2025), "80", "60")
    value(per_department, year(2025), "90", department=school["civil"])
    value(per_department, year(2025), "40", department=school["electrical"])
    civil = objective(owner=school["teacher"], process=school["process_civil"])
    measured_by(civil, per_department, "85")
    school_wide = objective(owner=school["director"], process=school["process_school"])
    measured_by(school_wide, per_department, "85")
    standings = objective_standings([civil, school_wide])
    assert standings[civil.pk].standing == Standing.ON_TRACK
    # For the whole school, the least favourable department counts.
    assert standings[school_wide.pk].standing == Standing.AT_RISK
    assert standings[school_wide.pk].measures[0].value.department == school["electrical"]


def test_the_owner_sees_their_active_objectives_at_risk(school: dict[str, Any]) -> None:
    indicator = IndicatorFactory()
    target(indicator, year(2025), "80", "60")
    value(indicator, year(2025), "40")
    at_risk = objective(owner=school["teacher"], status=ObjectiveStatus.ACTIVE)
    measured_by(at_risk, indicator, "80")
    closed = objective(owner=school["teacher"], status=ObjectiveStatus.ABANDONED)
    measured_by(closed, indicator, "80")
    someone_elses = objective(owner=school["director"], status=ObjectiveStatus.ACTIVE)
    measured_by(someone_elses, indicator, "80")
    assert objectives_at_risk(user=school["teacher"]) == [at_risk]
    assert objectives_at_risk(user=school["head_civil"]) == []
