"""People and roles from the school's LDAP directory (OpenLDAP or Active Directory), read
only: `manage.py sync_directory` reads the people and the groups, then writes through this
app's services (same validation, same history) in one transaction.

- A person is matched by email; a re-run updates what changed and duplicates nothing.
- The directory is the whole list of the kinds of people it returns: someone of those kinds
  who is no longer in it has left and is deactivated (never deleted: the history keeps them).
- Each mapped group gives its members a role in a scope (`LDAP_GROUP_ROLES`); for the roles
  it maps the directory is the reference, so a member who left the group loses that role.
- One entry refused (a missing email, an unknown department) and nothing is written; the
  report names each refused entry by its DN.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import services
from .choices import PersonKind, Role, ScopeKind
from .models import Department, Person, RoleAssignment

# eduPerson affiliations (what French universities' directories publish, SUPANN) and the
# usual words of an HR directory, to Amelio's kinds of person.
AFFILIATION_KINDS = {
    "staff": PersonKind.STAFF,
    "employee": PersonKind.STAFF,
    "faculty": PersonKind.TEACHER,
    "teacher": PersonKind.TEACHER,
    "researcher": PersonKind.TEACHER,
    "student": PersonKind.STUDENT,
    "affiliate": PersonKind.EXTERNAL,
}

DEFAULT_ATTRIBUTES = {
    "email": "mail",
    "first_name": "givenName",
    "last_name": "sn",
    "kind": "eduPersonPrimaryAffiliation",
    "job_title": "title",
    "department": "departmentNumber",
}


@dataclass
class DirectoryEntry:
    dn: str
    values: dict[str, str]


@dataclass
class GroupRole:
    """A directory group whose members hold `role` within a scope (a department's code or
    a process's code, or the whole school)."""

    group_dn: str
    role: str
    scope_kind: str = ScopeKind.SCHOOL
    scope_code: str = ""
    member_dns: set[str] = field(default_factory=set)


@dataclass
class SyncReport:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    granted: int = 0
    revoked: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"created: {self.created}, updated: {self.updated}, deactivated: {self.deactivated}, "
            f"roles granted: {self.granted}, roles revoked: {self.revoked}"
        )


def parse_group_roles(mapping: dict[str, str]) -> list[GroupRole]:
    """`{"cn=quality,ou=groups,dc=school,dc=fr": "quality_manager",
    "cn=heads-gc,ou=groups,...": "department_head:GC", "cn=owners-r01,...": "process_owner:R-01"}`:
    a role alone is for the whole school, `role:CODE` for the department (or, for the roles
    held per process, the process) of that code."""
    groups = []
    for group_dn, target in mapping.items():
        role, _sep, code = target.partition(":")
        if role not in Role.values:
            raise ValidationError(_("“%(role)s” is not a role.") % {"role": role})
        if not code:
            scope_kind = ScopeKind.SCHOOL
        elif role == Role.PROCESS_OWNER:
            scope_kind = ScopeKind.PROCESS
        else:
            scope_kind = ScopeKind.DEPARTMENT
        groups.append(GroupRole(group_dn=group_dn, role=role, scope_kind=scope_kind, scope_code=code))
    return groups


def read_ldap(
    *,
    server_uri: str,
    bind_dn: str,
    bind_password: str,
    people_base: str,
    people_filter: str,
    attributes: dict[str, str],
    groups: list[GroupRole],
) -> list[DirectoryEntry]:
    """Reads the people (one value per mapped attribute) and fills each group's member DNs.
    Read only: a simple bind and searches, nothing else."""
    import ldap3

    server = ldap3.Server(server_uri, get_info=ldap3.NONE, connect_timeout=10)
    connection = ldap3.Connection(server, user=bind_dn or None, password=bind_password or None, auto_bind=True)
    try:
        connection.search(people_base, people_filter, attributes=sorted(set(attributes.values())), paged_size=500)
        entries = []
        for found in connection.entries:
            raw = found.entry_attributes_as_dict
            values = {key: str(raw[name][0]).strip() if raw.get(name) else "" for key, name in attributes.items()}
            entries.append(DirectoryEntry(dn=found.entry_dn, values=values))
        for group in groups:
            connection.search(
                group.group_dn,
                "(objectClass=*)",
                search_scope=ldap3.BASE,
                attributes=["member", "uniqueMember"],
            )
            for found in connection.entries:
                raw = found.entry_attributes_as_dict
                group.member_dns = {str(dn).lower() for dn in [*raw.get("member", []), *raw.get("uniqueMember", [])]}
    finally:
        connection.unbind()
    return entries


def _person_data(entry: DirectoryEntry, departments: dict[str, Department]) -> dict[str, Any]:
    values = entry.values
    kind = AFFILIATION_KINDS.get(values.get("kind", "").lower(), PersonKind.STAFF if not values.get("kind") else None)
    if kind is None:
        raise ValidationError(_("“%(value)s” is not a known affiliation.") % {"value": values["kind"]})
    department = None
    if values.get("department"):
        department = departments.get(values["department"].lower())
        if department is None:
            raise ValidationError(_("No department has the code “%(code)s”.") % {"code": values["department"]})
    email = values.get("email", "").strip().lower()
    if not email:
        raise ValidationError(_("The entry has no email address."))
    return {
        "email": email,
        "first_name": values.get("first_name", ""),
        "last_name": values.get("last_name", ""),
        "kind": kind,
        "job_title": values.get("job_title", ""),
        "department": department,
        "is_active": True,
    }


def directory_sync(
    *, actor: Any, entries: list[DirectoryEntry], groups: list[GroupRole], commit: bool = True
) -> SyncReport:
    """Writes what the directory says, all or nothing (see the module's docstring)."""
    report = SyncReport()
    departments = {department.code.lower(): department for department in Department.objects.all()}
    with transaction.atomic():
        people_by_dn: dict[str, Person] = {}
        kinds: set[str] = set()
        seen: set[str] = set()
        for entry in entries:
            try:
                with transaction.atomic():
                    data = _person_data(entry, departments)
                    if data["email"] in seen:
                        raise ValidationError(_("Another entry has the same email address."))
                    person = Person.objects.filter(email=data["email"]).first()
                    if person is None:
                        person = services.person_create(actor=actor, data=data)
                        report.created += 1
                    else:
                        changed = {name: value for name, value in data.items() if getattr(person, name) != value}
                        if changed:
                            services.person_update(actor=actor, person=person, data=changed)
                            report.updated += 1
            except ValidationError as error:
                report.errors.append((entry.dn, "; ".join(error.messages)))
                continue
            seen.add(data["email"])
            kinds.add(data["kind"])
            people_by_dn[entry.dn.lower()] = person
        if not report.errors:
            leavers = Person.objects.filter(kind__in=kinds, is_active=True, is_superuser=False).exclude(email__in=seen)
            for person in leavers:
                services.person_update(actor=actor, person=person, data={"is_active": False})
                report.deactivated += 1
            _sync_roles(actor=actor, groups=groups, people_by_dn=people_by_dn, report=report)
        if report.errors or not commit:
            transaction.set_rollback(True)
    return report


def _sync_roles(*, actor: Any, groups: list[GroupRole], people_by_dn: dict[str, Person], report: SyncReport) -> None:
    from amelio.processes.models import Process

    for group in groups:
        department = process = None
        if group.scope_kind == ScopeKind.DEPARTMENT:
            department = Department.objects.filter(code=group.scope_code).first()
            if department is None:
                report.errors.append(
                    (group.group_dn, _("No department has the code “%(code)s”.") % {"code": group.scope_code})
                )
                continue
        elif group.scope_kind == ScopeKind.PROCESS:
            process = Process.objects.filter(code=group.scope_code).first()
            if process is None:
                report.errors.append(
                    (group.group_dn, _("No process has the code “%(code)s”.") % {"code": group.scope_code})
                )
                continue
        held = list(
            RoleAssignment.objects.filter(
                role=group.role, scope_kind=group.scope_kind, department=department, process=process
            ).select_related("person")
        )
        members = {people_by_dn[dn].pk: people_by_dn[dn] for dn in group.member_dns if dn in people_by_dn}
        for assignment in held:
            if assignment.person_id not in members and not assignment.person.is_superuser:
                services.role_revoke(actor=actor, assignment=assignment, reason=_("No longer in the directory group."))
                report.revoked += 1
        holders = {assignment.person_id for assignment in held}
        for person_id, person in members.items():
            if person_id in holders:
                continue
            try:
                services.role_grant(
                    actor=actor,
                    person=person,
                    role=group.role,
                    scope_kind=group.scope_kind,
                    department=department,
                    process=process,
                    reason=_("Member of the directory group."),
                    notify=False,
                )
            except ValidationError as error:
                report.errors.append((group.group_dn, f"{person.email}: " + "; ".join(error.messages)))
                continue
            report.granted += 1
