"""The organisation's records in Django's admin site, read-only: every write goes through
the services (permissions, validation, history), which the admin would bypass. The admin is
for looking things up during support; the application's pages are for changing them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AcademicYear, Department, Person, Programme, RoleAssignment, School


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(School)
class SchoolAdmin(ReadOnlyAdmin):
    list_display = ("name", "short_name", "city", "siret", "uai")


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "is_active")
    search_fields = ("code", "name")


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "department", "is_apprenticeship", "is_active")
    list_select_related = ("department",)
    search_fields = ("code", "name")


@admin.register(AcademicYear)
class AcademicYearAdmin(ReadOnlyAdmin):
    list_display = ("label", "starts_on", "ends_on", "is_current")


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("email", "first_name", "last_name", "kind", "department", "is_active", "is_superuser")
    list_filter = ("kind", "is_active")
    list_select_related = ("department",)
    search_fields = ("email", "first_name", "last_name")
    exclude = ("password",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("person", "role", "scope_kind", "department", "process", "starts_on", "ends_on")
    list_filter = ("role", "scope_kind")
    list_select_related = ("person", "department", "process")
