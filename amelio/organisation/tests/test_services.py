"""Services of the organisation app: roles granted and revoked in scope, people,
academic years; each rejected input with its message, and the history it writes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from amelio.core.permissions import can
from amelio.history.choices import HistoryAction
from amelio.history.models import HistoryEntry
from amelio.organisation import services
from amelio.organisation.choices import Role, ScopeKind
from amelio.organisation.models import AcademicYear, Person, RoleAssignment
from amelio.organisation.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_quality_manager_grants_a_role_recorded_in_history_and_mailed(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    person = PersonFactory(kind="teacher")
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.role_grant(
            actor=school["quality_manager"],
            person=person,
            role=Role.INTERNAL_AUDITOR,
            reason="Formé à l'audit en 2026",
        )
    assert assignment.granted_by == school["quality_manager"]
    entry = HistoryEntry.objects.get(object_id=str(person.pk), action=HistoryAction.GRANT)
    assert entry.actor == school["quality_manager"]
    assert entry.reason == "Formé à l'audit en 2026"
    assert entry.changes["role"][1] == Role.INTERNAL_AUDITOR
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [person.email]
    # The new role takes effect at once: a school-wide internal auditor reads the trail.
    assert RoleAssignment.objects.get(person=person).scope_kind == ScopeKind.SCHOOL
    assert can(Person.objects.get(pk=person.pk), "history.search_trail")


def test_a_role_cannot_be_granted_twice_in_the_same_scope(school: dict[str, Any]) -> None:
    qm = school["quality_manager"]
    teacher = school["teacher"]
    with pytest.raises(ValidationError) as error:
        services.role_grant(
            actor=qm, person=teacher, role=Role.TEACHER, scope_kind=ScopeKind.DEPARTMENT, department=school["civil"]
        )
    assert "already holds this role in this scope" in str(error.value)
    assert RoleAssignment.objects.filter(person=teacher, role=Role.TEACHER).count() == 1
    # The same role in another scope is fine.
    services.role_grant(
        actor=qm, person=teacher, role=Role.TEACHER, scope_kind=ScopeKind.DEPARTMENT, department=school["electrical"]
    )
    assert RoleAssignment.objects.filter(person=teacher, role=Role.TEACHER).count() == 2


def test_department_head_grants_teacher_role_in_own_department_only(school: dict[str, Any]) -> None:
    head = school["head_civil"]
    newcomer = PersonFactory(kind="teacher")
    services.role_grant(
        actor=head, person=newcomer, role=Role.TEACHER, scope_kind=ScopeKind.DEPARTMENT, department=school["civil"]
    )
    assert RoleAssignment.objects.filter(person=newcomer).count() == 1
    history_before = HistoryEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=head,
            person=newcomer,
            role=Role.TEACHER,
            scope_kind=ScopeKind.DEPARTMENT,
            department=school["electrical"],
        )
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=head, person=newcomer, role=Role.QUALITY_MANAGER)
    assert RoleAssignment.objects.filter(person=newcomer).count() == 1
    assert HistoryEntry.objects.count() == history_before


def test_teacher_and_student_cannot_grant_roles(school: dict[str, Any]) -> None:
    target = PersonFactory()
    for key in ("teacher", "student", "auditor", "director"):
        with pytest.raises(PermissionDenied):
            services.role_grant(actor=school[key], person=target, role=Role.TEACHER)
    assert not RoleAssignment.objects.filter(person=target).exists()


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"role": Role.DEPARTMENT_HEAD}, "scope_kind", "cannot be granted in the scope"),
        ({"role": Role.PROCESS_OWNER, "scope_kind": ScopeKind.PROCESS}, "process", "Choose the process"),
        ({"role": Role.TEACHER, "scope_kind": ScopeKind.DEPARTMENT}, "department", "Choose the department"),
        ({"role": Role.EXTERNAL_AUDITOR}, "ends_on", "needs an end date"),
        (
            {
                "role": Role.INTERNAL_AUDITOR,
                "starts_on": datetime.date(2026, 10, 1),
                "ends_on": datetime.date(2026, 9, 1),
            },
            "ends_on",
            "must come after the start date",
        ),
    ],
)
def test_grant_rejects_inconsistent_input(
    school: dict[str, Any], kwargs: dict[str, Any], field: str, message: str
) -> None:
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        services.role_grant(actor=school["quality_manager"], person=person, **kwargs)
    assert field in error.value.message_dict
    assert message in " ".join(error.value.message_dict[field])
    assert not RoleAssignment.objects.filter(person=person).exists()


def test_revoke_is_recorded_with_reason(school: dict[str, Any]) -> None:
    assignment = RoleAssignment.objects.get(person=school["teacher"], role=Role.TEACHER)
    services.role_revoke(actor=school["quality_manager"], assignment=assignment, reason="Départ de l'école")
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    entry = HistoryEntry.objects.get(action=HistoryAction.REVOKE)
    assert entry.object_id == str(school["teacher"].pk)
    assert entry.reason == "Départ de l'école"
    assert entry.changes["role"] == [Role.TEACHER, ""]


def test_department_head_cannot_revoke_outside_their_department(school: dict[str, Any]) -> None:
    assignment = RoleAssignment.objects.get(person=school["teacher"], role=Role.TEACHER)
    with pytest.raises(PermissionDenied):
        services.role_revoke(actor=school["head_electrical"], assignment=assignment)
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_person_create_and_update_write_history(school: dict[str, Any]) -> None:
    qm = school["quality_manager"]
    person = services.person_create(
        actor=qm,
        data={
            "email": "  Nouvelle.Personne@School.TEST ",
            "first_name": "Nina",
            "last_name": "Nouvelle",
            "kind": "staff",
        },
    )
    assert person.email == "nouvelle.personne@school.test"
    assert not person.has_usable_password()
    changes = services.person_update(actor=qm, person=person, data={"job_title": "Chargée de mission qualité"})
    assert changes == {"job_title": ["", "Chargée de mission qualité"]}
    actions = list(HistoryEntry.objects.filter(object_id=str(person.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["create", "update"]


def test_person_email_must_be_unique(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=school["quality_manager"],
            data={"email": "QM@school.test", "first_name": "A", "last_name": "B", "kind": "staff"},
        )
    assert "email" in error.value.message_dict


def test_department_head_manages_people_of_own_department_only(school: dict[str, Any]) -> None:
    head = school["head_civil"]
    services.person_update(actor=head, person=school["teacher"], data={"job_title": "Maître de conférences"})
    with pytest.raises(PermissionDenied):
        services.person_update(actor=head, person=school["head_electrical"], data={"job_title": "X"})
    with pytest.raises(PermissionDenied):
        services.person_update(actor=head, person=school["teacher"], data={"department": school["electrical"]})
    school["head_electrical"].refresh_from_db()
    assert school["head_electrical"].job_title == ""


def test_only_one_current_academic_year(school: dict[str, Any]) -> None:
    qm = school["quality_manager"]
    first = services.academic_year_create(
        actor=qm,
        data={
            "label": "2025-2026",
            "starts_on": datetime.date(2025, 9, 1),
            "ends_on": datetime.date(2026, 8, 31),
            "is_current": True,
        },
    )
    second = services.academic_year_create(
        actor=qm,
        data={
            "label": "2026-2027",
            "starts_on": datetime.date(2026, 9, 1),
            "ends_on": datetime.date(2027, 8, 31),
            "is_current": True,
        },
    )
    first.refresh_from_db()
    assert not first.is_current
    assert AcademicYear.objects.get(is_current=True) == second


def test_academic_year_must_end_after_it_starts(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.academic_year_create(
            actor=school["quality_manager"],
            data={"label": "2027-2028", "starts_on": datetime.date(2027, 9, 1), "ends_on": datetime.date(2027, 8, 1)},
        )
    assert "ends_on" in error.value.message_dict
    assert not AcademicYear.objects.filter(label="2027-2028").exists()


def test_director_manages_structure_but_teacher_does_not(school: dict[str, Any]) -> None:
    services.department_create(actor=school["director"], data={"code": "GP", "name": "Génie Physique"})
    with pytest.raises(PermissionDenied):
        services.department_create(actor=school["teacher"], data={"code": "GB", "name": "Génie Biologique"})


def test_department_head_creates_programme_in_own_department_only(school: dict[str, Any]) -> None:
    head = school["head_civil"]
    programme = services.programme_create(
        actor=head,
        data={
            "code": "GC-APP",
            "name": "Génie civil par apprentissage",
            "department": school["civil"],
            "is_apprenticeship": True,
        },
    )
    assert programme.is_apprenticeship
    with pytest.raises(PermissionDenied):
        services.programme_create(actor=head, data={"code": "GE-X", "name": "X", "department": school["electrical"]})
    with pytest.raises(PermissionDenied):
        services.programme_update(actor=head, programme=programme, data={"department": school["electrical"]})


def test_expired_auditor_role_is_kept_but_inactive(school: dict[str, Any]) -> None:
    assignment = RoleAssignment.objects.get(person=school["auditor"])
    assignment.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    assignment.save()
    assert not RoleAssignment.objects.active().filter(pk=assignment.pk).exists()
