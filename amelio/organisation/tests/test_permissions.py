"""The permission rules of the foundation: allowed, denied, out of scope, and nothing
changed on denial."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from amelio.core.permissions import can, visible
from amelio.history.models import HistoryEntry
from amelio.organisation.choices import Role
from amelio.organisation.models import Person, RoleAssignment
from amelio.organisation.permissions import roles_of
from amelio.organisation.tests.factories import PersonFactory, grant
from amelio.processes.models import Process
from amelio.processes.services import process_update
from amelio.standards.tests.factories import open_access

pytestmark = pytest.mark.django_db


def test_department_head_edits_a_process_of_their_department(school: dict[str, Any]) -> None:
    head = school["head_civil"]
    process = school["process_civil"]
    assert can(head, "processes.change_process", process)
    process_update(actor=head, process=process, data={"purpose": "Nouvelle finalité"})
    process.refresh_from_db()
    assert process.purpose == "Nouvelle finalité"


def test_department_head_of_civil_cannot_edit_an_electrical_process(school: dict[str, Any]) -> None:
    head = school["head_civil"]
    process = school["process_electrical"]
    before = process.purpose
    entries = HistoryEntry.objects.count()
    assert not can(head, "processes.change_process", process)
    with pytest.raises(PermissionDenied):
        process_update(actor=head, process=process, data={"purpose": "Piraté"})
    process.refresh_from_db()
    assert process.purpose == before
    assert HistoryEntry.objects.count() == entries


def test_department_head_cannot_move_a_process_out_of_their_scope(school: dict[str, Any]) -> None:
    head = school["head_civil"]
    process = school["process_civil"]
    with pytest.raises(PermissionDenied):
        process_update(actor=head, process=process, data={"department": school["electrical"]})
    process.refresh_from_db()
    assert process.department == school["civil"]


def test_process_owner_edits_own_process_only(school: dict[str, Any]) -> None:
    teacher = school["teacher"]  # owner (pilote) of the civil engineering process
    assert can(teacher, "processes.change_process", school["process_civil"])
    assert not can(teacher, "processes.change_process", school["process_school"])


def test_co_owner_by_role_edits_the_process(school: dict[str, Any]) -> None:
    colleague = PersonFactory()
    process = school["process_school"]
    assert not can(colleague, "processes.change_process", process)
    grant(colleague, Role.PROCESS_OWNER, process)
    colleague = Person.objects.get(pk=colleague.pk)
    assert can(colleague, "processes.change_process", process)


def test_quality_manager_may_do_everything_of_the_foundation(school: dict[str, Any]) -> None:
    qm = school["quality_manager"]
    for process in Process.objects.all():
        assert can(qm, "processes.change_process", process)
    assert can(qm, "processes.add_process")
    assert can(qm, "history.search_trail")
    assert can(qm, "organisation.manage_structure")


def test_only_quality_manager_creates_processes(school: dict[str, Any]) -> None:
    for key in ("director", "head_civil", "teacher", "student", "auditor"):
        assert not can(school[key], "processes.add_process"), key


def test_student_sees_no_staff_page(school: dict[str, Any]) -> None:
    student = school["student"]
    assert not can(student, "organisation.view_staff_pages")
    assert not can(student, "processes.view_process", school["process_civil"])
    assert visible(student, Process.objects.all()).count() == 0
    assert list(visible(student, Person.objects.all())) == [student]


def test_external_auditor_access_ends_on_its_end_date(school: dict[str, Any]) -> None:
    auditor = school["auditor"]
    assignment = RoleAssignment.objects.get(person=auditor)
    today = timezone.localdate()

    assignment.ends_on = today
    assignment.save()
    # The role opens the staff side; an access of the standards app chooses the processes.
    open_access(auditor, processes=[school["process_civil"]], ends_on=today + datetime.timedelta(days=3))
    auditor = Person.objects.get(pk=auditor.pk)
    assert can(auditor, "processes.view_process", school["process_civil"])  # last day still open
    assert can(auditor, "history.search_trail")

    assignment.ends_on = today - datetime.timedelta(days=1)
    assignment.save()
    auditor = Person.objects.get(pk=auditor.pk)
    assert not can(auditor, "organisation.view_staff_pages")
    assert not can(auditor, "processes.view_process", school["process_civil"])
    assert not can(auditor, "history.search_trail")


def test_external_auditor_reads_but_does_not_write(school: dict[str, Any]) -> None:
    auditor = school["auditor"]
    open_access(auditor, processes=[school["process_civil"]])
    assert can(auditor, "processes.view_process", school["process_civil"])
    assert not can(auditor, "processes.change_process", school["process_civil"])
    assert not can(auditor, "organisation.grant_role", None)


def test_role_starting_in_the_future_is_not_yet_active(school: dict[str, Any]) -> None:
    person = PersonFactory(kind="external")
    grant(person, Role.INTERNAL_AUDITOR, starts_on=timezone.localdate() + datetime.timedelta(days=3))
    assert not roles_of(person).grants
    assert not can(person, "organisation.view_staff_pages")


def test_inactive_account_may_do_nothing(school: dict[str, Any]) -> None:
    qm = school["quality_manager"]
    qm.is_active = False
    qm.save()
    qm = Person.objects.get(pk=qm.pk)
    assert not can(qm, "processes.view_process", school["process_civil"])


def test_people_visible_by_scope(school: dict[str, Any]) -> None:
    student = school["student"]
    # Department head of civil engineering sees their student; the electrical head does not.
    assert student in visible(school["head_civil"], Person.objects.all())
    assert student not in visible(school["head_electrical"], Person.objects.all())
    # A teacher sees the staff directory, not the students.
    teacher_view = visible(school["teacher"], Person.objects.all())
    assert school["director"] in teacher_view
    assert student not in teacher_view
    # The quality manager sees everyone.
    assert visible(school["quality_manager"], Person.objects.all()).count() == Person.objects.count()


def test_unknown_action_is_a_programming_error(school: dict[str, Any]) -> None:
    with pytest.raises(LookupError):
        can(school["quality_manager"], "processes.fly")
