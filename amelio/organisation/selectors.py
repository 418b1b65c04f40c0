"""Reads of the organisation app, narrowed to what the user may see."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from amelio.core.models import FilePurpose, StoredFile
from amelio.core.permissions import visible

from .models import AcademicYear, Department, Person, Programme, RoleAssignment, School


def department_list(*, user: Any) -> QuerySet[Department]:
    return visible(
        user,
        Department.objects.annotate(
            programme_count=Count("programmes", distinct=True), people_count=Count("people", distinct=True)
        ).order_by("name"),
    )


def department_get(*, user: Any, pk: int) -> Department:
    return get_object_or_404(visible(user, Department.objects.all()), pk=pk)


def programme_list(*, user: Any) -> QuerySet[Programme]:
    return visible(user, Programme.objects.select_related("department"))


def programme_get(*, user: Any, pk: int) -> Programme:
    return get_object_or_404(programme_list(user=user), pk=pk)


def academic_year_list(*, user: Any) -> QuerySet[AcademicYear]:
    return visible(user, AcademicYear.objects.all())


def current_academic_year() -> AcademicYear | None:
    """The year marked current (at most one is)."""
    return AcademicYear.objects.filter(is_current=True).first()


def academic_year_get(*, user: Any, pk: int) -> AcademicYear:
    return get_object_or_404(academic_year_list(user=user), pk=pk)


def person_list(*, user: Any) -> QuerySet[Person]:
    return visible(
        user,
        Person.objects.select_related("department", "programme")
        .annotate(role_count=Count("role_assignments", distinct=True))
        .order_by("last_name", "first_name", "id"),
    )


def person_get(*, user: Any, pk: int) -> Person:
    assignments = RoleAssignment.objects.select_related("department", "process", "granted_by").order_by("role")
    queryset = visible(user, Person.objects.select_related("department", "programme")).prefetch_related(
        Prefetch("role_assignments", queryset=assignments)
    )
    return get_object_or_404(queryset, pk=pk)


def role_list(*, user: Any) -> QuerySet[RoleAssignment]:
    return visible(
        user,
        RoleAssignment.objects.select_related("person", "department", "process", "granted_by"),
    )


def role_get(*, user: Any, pk: int) -> RoleAssignment:
    return get_object_or_404(role_list(user=user), pk=pk)


def people_for_choice(*, user: Any) -> QuerySet[Person]:
    """People the user may pick in a form (owner, RACI, role holder)."""
    return visible(user, Person.objects.filter(is_active=True)).only("id", "first_name", "last_name", "email")


def staff_choices() -> QuerySet[Person]:
    """Active staff and teachers, as light rows for a choice list (owners, RACI, actions)."""
    return (
        Person.objects.filter(is_active=True, kind__in=["staff", "teacher"])
        .only("id", "first_name", "last_name", "email")
        .order_by("last_name", "first_name")
    )


def my_roles_summary(*, user: Any) -> dict[str, Any]:
    """'My roles': the user's scopes, the processes they own or take part in."""
    from amelio.processes.selectors import processes_involving

    assignments = list(
        RoleAssignment.objects.filter(person_id=user.pk)
        .select_related("department", "process")
        .order_by("role", "scope_kind")
    )
    involvement = processes_involving(person=user)
    return {"assignments": assignments, **involvement}


def school_get() -> School | None:
    """The school's record (one row), or None before the first-run set-up. Anyone signed in
    may read the school's identity: it is printed on every document."""
    return School.objects.first()


def school_logo(*, school: School | None) -> StoredFile | None:
    if school is None:
        return None
    return (
        StoredFile.objects.filter(
            owner_type=ContentType.objects.get_for_model(School),
            owner_id=school.pk,
            purpose=FilePurpose.LOGO,
        )
        .order_by("-uploaded_at", "-pk")
        .first()
    )


def school_logo_data_uri(*, school: School | None) -> str:
    """The logo inlined as a data URI, for PDFs (WeasyPrint reads no session-guarded URL)."""
    stored = school_logo(school=school)
    if stored is None:
        return ""
    with stored.file.open("rb") as handle:
        encoded = base64.b64encode(handle.read()).decode("ascii")
    return f"data:{stored.content_type};base64,{encoded}"


def recipient_language(email: str) -> str:
    """The language an email to `email` is written in (core.emails). People have no language
    of their own yet: everyone, with an account or without, reads the school's default
    language (settings.LANGUAGE_CODE before the set-up), whatever the sender's."""
    language = School.objects.values_list("default_language", flat=True).first()
    return language or settings.LANGUAGE_CODE
