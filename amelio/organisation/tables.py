from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import AcademicYear, Department, Person, Programme, RoleAssignment


class DepartmentTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    programme_count = tables.Column(verbose_name=_("Programmes"))
    people_count = tables.Column(verbose_name=_("People"))

    class Meta:
        model = Department
        fields = ["code", "name", "programme_count", "people_count", "is_active"]
        attrs = {"class": "table table-hover align-middle"}


class ProgrammeTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)

    class Meta:
        model = Programme
        fields = ["code", "name", "department", "is_apprenticeship", "duration_years", "is_active"]
        attrs = {"class": "table table-hover align-middle"}


class AcademicYearTable(tables.Table):
    label = tables.Column(linkify=True)

    class Meta:
        model = AcademicYear
        fields = ["label", "starts_on", "ends_on", "is_current"]
        attrs = {"class": "table table-hover align-middle"}


class PersonTable(tables.Table):
    last_name = tables.Column(linkify=True)
    first_name = tables.Column(linkify=True)
    role_count = tables.Column(verbose_name=_("Roles"))

    class Meta:
        model = Person
        fields = [
            "last_name",
            "first_name",
            "email",
            "kind",
            "job_title",
            "department",
            "programme",
            "role_count",
            "is_active",
        ]
        attrs = {"class": "table table-hover align-middle"}


class RoleAssignmentTable(tables.Table):
    person = tables.Column(linkify=True, order_by=("person__last_name", "person__first_name"))
    scope = tables.Column(verbose_name=_("Scope"), accessor="scope_label", orderable=False)
    granted_by = tables.Column(verbose_name=_("Granted by"))

    class Meta:
        model = RoleAssignment
        fields = ["person", "role", "scope_kind", "scope", "starts_on", "ends_on", "granted_by", "granted_at"]
        attrs = {"class": "table table-hover align-middle"}
