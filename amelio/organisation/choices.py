from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonKind(models.TextChoices):
    STAFF = "staff", _("staff")
    TEACHER = "teacher", _("teacher")
    STUDENT = "student", _("student")
    EXTERNAL = "external", _("external")


class Role(models.TextChoices):
    QUALITY_MANAGER = "quality_manager", _("quality manager")
    DIRECTOR = "director", _("director")
    PROCESS_OWNER = "process_owner", _("process owner")
    DEPARTMENT_HEAD = "department_head", _("department head")
    INTERNSHIP_OFFICE = "internship_office", _("internship & company-relations office")
    TEACHER = "teacher", _("teacher")
    STUDENT = "student", _("student")
    INTERNAL_AUDITOR = "internal_auditor", _("internal auditor")
    EXTERNAL_AUDITOR = "external_auditor", _("external auditor")


class ScopeKind(models.TextChoices):
    SCHOOL = "school", _("whole school")
    DEPARTMENT = "department", _("department")
    PROCESS = "process", _("process")


# Which scopes make sense for each role; the grant service refuses the others.
ROLE_SCOPES: dict[str, set[str]] = {
    Role.QUALITY_MANAGER: {ScopeKind.SCHOOL},
    Role.DIRECTOR: {ScopeKind.SCHOOL, ScopeKind.DEPARTMENT},
    Role.PROCESS_OWNER: {ScopeKind.PROCESS},
    Role.DEPARTMENT_HEAD: {ScopeKind.DEPARTMENT},
    Role.INTERNSHIP_OFFICE: {ScopeKind.SCHOOL, ScopeKind.DEPARTMENT},
    Role.TEACHER: {ScopeKind.SCHOOL, ScopeKind.DEPARTMENT},
    Role.STUDENT: {ScopeKind.SCHOOL, ScopeKind.DEPARTMENT},
    Role.INTERNAL_AUDITOR: {ScopeKind.SCHOOL, ScopeKind.DEPARTMENT, ScopeKind.PROCESS},
    Role.EXTERNAL_AUDITOR: {ScopeKind.SCHOOL, ScopeKind.DEPARTMENT, ScopeKind.PROCESS},
}

# Roles whose holders see the staff side of the application (process map, people, ...).
STAFF_ROLES = {role for role in Role.values if role != Role.STUDENT}
