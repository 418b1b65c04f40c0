from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from amelio.core.tables import BooleanColumn, DateColumn, DateTimeColumn, detail, list_table_attrs

from .models import AcademicYear, Department, Person, Programme, RoleAssignment


class DepartmentTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    programme_count = tables.Column(verbose_name=_("Programmes"))
    people_count = tables.Column(verbose_name=_("People"))

    class Meta:
        model = Department
        fields = ["code", "name", "programme_count", "people_count", "is_active"]
        attrs = list_table_attrs()


class ProgrammeTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    duration_years = tables.Column(attrs=detail())

    class Meta:
        model = Programme
        fields = ["code", "name", "department", "is_apprenticeship", "duration_years", "is_active"]
        attrs = list_table_attrs()


class AcademicYearTable(tables.Table):
    label = tables.Column(linkify=True)

    class Meta:
        model = AcademicYear
        fields = ["label", "starts_on", "ends_on", "is_current"]
        attrs = list_table_attrs()


class PersonTable(tables.Table):
    last_name = tables.Column(linkify=True)
    first_name = tables.Column(linkify=True)
    role_count = tables.Column(verbose_name=_("Roles"), attrs=detail())
    email = tables.EmailColumn(attrs=detail())
    job_title = tables.Column(attrs=detail())
    programme = tables.Column(attrs=detail())
    is_active = BooleanColumn(attrs=detail())

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
        attrs = list_table_attrs()


class RoleAssignmentTable(tables.Table):
    person = tables.Column(linkify=True, order_by=("person__last_name", "person__first_name"))
    scope = tables.Column(verbose_name=_("Scope"), accessor="scope_label", orderable=False)
    granted_by = tables.Column(verbose_name=_("Granted by"), attrs=detail())
    scope_kind = tables.Column(attrs=detail())
    granted_at = DateTimeColumn(attrs=detail())
    starts_on = DateColumn(attrs=detail())

    class Meta:
        model = RoleAssignment
        fields = ["person", "role", "scope_kind", "scope", "starts_on", "ends_on", "granted_by", "granted_at"]
        attrs = list_table_attrs()
