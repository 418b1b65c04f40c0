"""A person's roles today, within their scopes: what every rule and scope of every app
receives. The registry of rules and scopes and the questions asked of it (`can`, `require`,
`visible`) live in `amelio.core.permissions`; this app registers `roles_of` there as the
loader of roles (see apps.py)."""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from .choices import STAFF_ROLES, PersonKind, Role, ScopeKind

# What a superuser holds without any assignment: the school-wide roles that run the school
# (structure, people, processes, internships), so the person who installed Amelio is never
# locked out of its set-up pages. Granted as roles rather than as a bypass of every rule, so
# the rules that also read a record's state (a closed item, an obsolete document) still hold.
SUPERUSER_ROLES = (Role.QUALITY_MANAGER, Role.DIRECTOR, Role.INTERNSHIP_OFFICE)


@dataclass(frozen=True)
class Grant:
    role: str
    scope_kind: str
    department_id: int | None
    process_id: int | None


@dataclass
class UserRoles:
    """The roles a user holds today, with their scopes."""

    user: Any
    grants: list[Grant] = field(default_factory=list)

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False)) and bool(getattr(self.user, "is_active", False))

    def has(self, role: str, *, department_id: int | None = None, process_id: int | None = None) -> bool:
        """Holds `role` at school level, or for this department, or for this process."""
        for grant in self.grants:
            if grant.role != role:
                continue
            if grant.scope_kind == ScopeKind.SCHOOL:
                return True
            if department_id is not None and grant.department_id == department_id:
                return True
            if process_id is not None and grant.process_id == process_id:
                return True
        return False

    def has_anywhere(self, *roles: str) -> bool:
        return any(grant.role in roles for grant in self.grants)

    def has_school_wide(self, *roles: str) -> bool:
        return any(grant.role in roles and grant.scope_kind == ScopeKind.SCHOOL for grant in self.grants)

    def departments_for(self, *roles: str) -> set[int]:
        return {g.department_id for g in self.grants if g.role in roles and g.department_id is not None}

    def processes_for(self, *roles: str) -> set[int]:
        return {g.process_id for g in self.grants if g.role in roles and g.process_id is not None}

    @property
    def is_quality_manager(self) -> bool:
        return self.has_school_wide(Role.QUALITY_MANAGER)

    @property
    def reads_are_logged(self) -> bool:
        """An external auditor's every page and file is logged for the quality manager."""
        return self.has_anywhere(Role.EXTERNAL_AUDITOR)

    @property
    def sees_staff_pages(self) -> bool:
        """Staff and teachers see the staff side; students and externals only through a staff role."""
        if not self.is_authenticated:
            return False
        if getattr(self.user, "kind", None) in (PersonKind.STAFF, PersonKind.TEACHER):
            return True
        return any(grant.role in STAFF_ROLES for grant in self.grants)


def load_roles(user: Any, on: datetime.date | None = None) -> UserRoles:
    from .models import RoleAssignment

    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return UserRoles(user=user)
    assignments = RoleAssignment.objects.active(on).filter(person_id=user.pk)
    grants = [
        Grant(role, scope_kind, department_id, process_id)
        for role, scope_kind, department_id, process_id in assignments.values_list(
            "role", "scope_kind", "department_id", "process_id"
        )
    ]
    if getattr(user, "is_superuser", False):
        held = {grant.role for grant in grants if grant.scope_kind == ScopeKind.SCHOOL}
        grants += [Grant(role, ScopeKind.SCHOOL, None, None) for role in SUPERUSER_ROLES if role not in held]
    return UserRoles(user=user, grants=grants)


def roles_of(user: Any) -> UserRoles:
    """The user's roles today, computed once and kept on the user object for the request."""
    today = timezone.localdate()
    cached: tuple[datetime.date, UserRoles] | None = getattr(user, "_amelio_roles", None)
    if cached is None or cached[0] != today:
        cached = (today, load_roles(user, today))
        with contextlib.suppress(AttributeError):  # AnonymousUser is fine to recompute
            user._amelio_roles = cached
    return cached[1]


def forget_roles(user: Any) -> None:
    """Called after a grant or a revocation so the next check reloads."""
    if hasattr(user, "_amelio_roles"):
        del user._amelio_roles
