"""Writes of the organisation app. Each checks the actor's permission, validates, writes
and records the change in the audit trail within one transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amelio.core.emails import send_email_after_commit
from amelio.core.files import store_file
from amelio.core.models import FilePurpose, StoredFile
from amelio.core.permissions import require
from amelio.core.services import model_create, model_update, refuse_other_fields
from amelio.core.uploads import check_upload
from amelio.history.choices import HistoryAction
from amelio.history.services import history_record

from .choices import ROLE_SCOPES, Role, ScopeKind
from .models import AcademicYear, Department, Person, Programme, RoleAssignment, School
from .permissions import forget_roles

PERSON_FIELDS = ["email", "first_name", "last_name", "kind", "job_title", "department", "programme", "is_active"]


def department_create(*, actor: Any, data: dict[str, Any]) -> Department:
    require(actor, "organisation.manage_structure")
    return model_create(model=Department, data=data, actor=actor)


def department_update(
    *, actor: Any, department: Department, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "organisation.manage_structure", department)
    return model_update(instance=department, data=data, actor=actor, version=version)


def programme_create(*, actor: Any, data: dict[str, Any]) -> Programme:
    require(actor, "organisation.change_programme", data.get("department"))
    return model_create(model=Programme, data=data, actor=actor)


def programme_update(
    *, actor: Any, programme: Programme, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "organisation.change_programme", programme)
    if "department" in data:
        # Moving a programme needs the right on the destination department as well.
        require(actor, "organisation.change_programme", data["department"])
    return model_update(instance=programme, data=data, actor=actor, version=version)


@transaction.atomic
def academic_year_create(*, actor: Any, data: dict[str, Any]) -> AcademicYear:
    require(actor, "organisation.manage_structure")
    if data.get("is_current"):
        _clear_current_year(actor=actor)
    return model_create(model=AcademicYear, data=data, actor=actor)


@transaction.atomic
def academic_year_update(
    *, actor: Any, academic_year: AcademicYear, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "organisation.manage_structure", academic_year)
    if data.get("is_current") and not academic_year.is_current:
        _clear_current_year(actor=actor)
    return model_update(instance=academic_year, data=data, actor=actor, version=version)


def _clear_current_year(*, actor: Any) -> None:
    for year in AcademicYear.objects.select_for_update().filter(is_current=True):
        model_update(instance=year, data={"is_current": False}, actor=actor)


def person_create(*, actor: Any, data: dict[str, Any], password: str | None = None) -> Person:
    require(actor, "organisation.add_person", data.get("department"))
    data = {**data, "email": data["email"].strip().lower()}
    # Without a password the account cannot log in until its owner resets it by email.
    return model_create(
        model=Person,
        data={**data, "password": make_password(password or None)},
        actor=actor,
        history_fields=[name for name in data if name != "password"],
    )


def person_update(
    *, actor: Any, person: Person, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "organisation.change_person", person)
    if "department" in data and data["department"] != person.department:
        require(actor, "organisation.add_person", data["department"])
    if "email" in data:
        data = {**data, "email": data["email"].strip().lower()}
    return model_update(instance=person, data=data, actor=actor, version=version)


def _validate_assignment(assignment: RoleAssignment) -> None:
    allowed = ROLE_SCOPES[assignment.role]
    if assignment.scope_kind not in allowed:
        raise ValidationError(
            {
                "scope_kind": _("The role “%(role)s” cannot be granted in the scope “%(scope)s”.")
                % {"role": assignment.get_role_display(), "scope": assignment.get_scope_kind_display()}
            }
        )
    if assignment.scope_kind == ScopeKind.DEPARTMENT and assignment.department_id is None:
        raise ValidationError({"department": _("Choose the department of this role.")})
    if assignment.scope_kind == ScopeKind.PROCESS and assignment.process_id is None:
        raise ValidationError({"process": _("Choose the process of this role.")})
    if assignment.scope_kind != ScopeKind.DEPARTMENT:
        assignment.department = None
    if assignment.scope_kind != ScopeKind.PROCESS:
        assignment.process = None
    if assignment.role == Role.EXTERNAL_AUDITOR and assignment.ends_on is None:
        raise ValidationError({"ends_on": _("An external auditor's access needs an end date.")})
    if assignment.starts_on and assignment.ends_on and assignment.ends_on < assignment.starts_on:
        raise ValidationError({"ends_on": _("The end date must come after the start date.")})
    # The same test as the database's unique constraints, to give a readable message.
    duplicate = RoleAssignment.objects.filter(
        person_id=assignment.person_id, role=assignment.role, scope_kind=assignment.scope_kind
    )
    if assignment.scope_kind == ScopeKind.DEPARTMENT:
        duplicate = duplicate.filter(department=assignment.department)
    elif assignment.scope_kind == ScopeKind.PROCESS:
        duplicate = duplicate.filter(process=assignment.process)
    if duplicate.exists():
        raise ValidationError(_("This person already holds this role in this scope."))


def _scope_value(assignment: RoleAssignment) -> str:
    """The scope as the trail keeps it: the department's or process's name, or the code of
    the whole school (shown in each reader's language)."""
    return assignment.scope_kind if assignment.scope_kind == ScopeKind.SCHOOL else assignment.scope_label


def role_grant(
    *,
    actor: Any,
    person: Person,
    role: str,
    scope_kind: str = ScopeKind.SCHOOL,
    department: Department | None = None,
    process: Any = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    reason: str = "",
    notify: bool = True,
) -> RoleAssignment:
    assignment = RoleAssignment(
        person=person,
        role=role,
        scope_kind=scope_kind,
        department=department,
        process=process,
        starts_on=starts_on,
        ends_on=ends_on,
        granted_by=actor,
    )
    require(actor, "organisation.grant_role", assignment)
    with transaction.atomic():
        _validate_assignment(assignment)
        assignment.save()
        history_record(
            instance=assignment,
            target=person,
            action=HistoryAction.GRANT,
            actor=actor,
            changes={"role": ["", assignment.role], "scope": ["", _scope_value(assignment)]}
            | ({"ends_on": ["", ends_on.isoformat()]} if ends_on else {}),
            reason=reason,
        )
    forget_roles(person)
    if notify:
        send_email_after_commit(
            to=[person.email],
            compose=lambda: (
                _("Amelio: a role was granted to you"),
                _("You now hold the role “%(role)s” (%(scope)s) in Amelio.")
                % {"role": assignment.get_role_display(), "scope": assignment.scope_label},
            ),
        )
    return assignment


def role_revoke(*, actor: Any, assignment: RoleAssignment, reason: str = "") -> None:
    require(actor, "organisation.grant_role", assignment)
    person = assignment.person
    with transaction.atomic():
        history_record(
            instance=assignment,
            target=person,
            action=HistoryAction.REVOKE,
            actor=actor,
            changes={"role": [assignment.role, ""], "scope": [_scope_value(assignment), ""]},
            reason=reason,
        )
        assignment.delete()
    forget_roles(person)


# The school --------------------------------------------------------------------------

LOGO_TYPES = {"image/png", "image/jpeg"}


def school_create(*, actor: Any, data: dict[str, Any]) -> School:
    """The school's record; there is one, so a second is refused."""
    require(actor, "organisation.manage_structure")
    refuse_other_fields(data, School.editable_fields)
    if School.objects.exists():
        raise ValidationError(_("The school is already recorded: edit it instead."))
    return model_create(model=School, data=data, actor=actor)


def school_update(
    *, actor: Any, school: School, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "organisation.manage_structure", school)
    return model_update(instance=school, data=data, actor=actor, version=version)


@transaction.atomic
def school_set_logo(*, actor: Any, school: School, upload: Any) -> StoredFile:
    """Keeps a PNG or JPEG image as the school's logo (the newest one is used, the older
    ones stay in the history)."""
    require(actor, "organisation.manage_structure", school)
    checked = check_upload(upload)
    if checked.content_type not in LOGO_TYPES:
        raise ValidationError({"logo": _("The logo must be a PNG or JPEG image.")})
    return store_file(actor=actor, upload=checked, owner=school, purpose=FilePurpose.LOGO)
