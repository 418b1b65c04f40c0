from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from amelio.core.reversing import reverse
from amelio.core.tables import BooleanColumn, DateColumn, detail, list_table_attrs, table_fragment

from .choices import CONTACT_ROLE_FIELDS, ContactRole
from .models import Company, Contact, Intervention, PartnershipAgreement


class CompanyTable(tables.Table):
    legal_name = tables.Column(linkify=True)
    internship_count = tables.Column(verbose_name=_("Internships"))
    trade_name = tables.Column(attrs=detail())
    siret = tables.Column(attrs=detail())
    naf_code = tables.Column(attrs=detail())
    size = tables.Column(attrs=detail())
    country = tables.Column(attrs=detail())
    is_active = BooleanColumn(attrs=detail())

    class Meta:
        model = Company
        fields = [
            "legal_name",
            "trade_name",
            "siret",
            "naf_code",
            "size",
            "city",
            "country",
            "internship_count",
            "is_active",
        ]
        attrs = list_table_attrs()


def _roles(contact: Contact) -> str:
    return ", ".join(str(role.label) for role in ContactRole if getattr(contact, CONTACT_ROLE_FIELDS[role]))


class ContactTable(tables.Table):
    last_name = tables.Column(verbose_name=_("Name"), order_by=("last_name", "first_name"))
    company = tables.Column(linkify=True, order_by=("company__legal_name",))
    roles = tables.Column(verbose_name=_("Roles"), empty_values=(), orderable=False)
    job_title = tables.Column(attrs=detail())
    phone = tables.Column(attrs=detail())
    is_active = BooleanColumn(attrs=detail())

    class Meta:
        model = Contact
        fields = ["last_name", "company", "job_title", "email", "phone", "roles", "is_active"]
        attrs = list_table_attrs()

    def render_last_name(self, record: Contact) -> str:
        return format_html(
            '<a href="{}">{} {}</a>',
            reverse("partners:company_detail", args=[record.company_id]) + f"#contact-{record.pk}",
            record.first_name,
            record.last_name,
        )

    def value_last_name(self, record: Contact) -> str:
        return f"{record.first_name} {record.last_name}"

    def render_roles(self, record: Contact) -> str:
        return _roles(record) or "—"

    def value_roles(self, record: Contact) -> str:
        return _roles(record)


class AgreementTable(tables.Table):
    title = tables.Column(linkify=True)
    company = tables.Column(linkify=True, order_by=("company__legal_name",))
    departments = tables.Column(verbose_name=_("Departments"), empty_values=(), orderable=False, attrs=detail())
    kind = tables.Column(attrs=detail())
    starts_on = DateColumn(attrs=detail())
    value = tables.Column(attrs=detail())
    owner = tables.Column(attrs=detail())

    class Meta:
        model = PartnershipAgreement
        fields = ["title", "company", "kind", "departments", "starts_on", "ends_on", "value", "status", "owner"]
        attrs = list_table_attrs()

    def render_status(self, record: PartnershipAgreement) -> str:
        # The template engine escapes the label; its result is already safe HTML.
        context = {"status": record.status, "label": record.get_status_display()}
        return table_fragment(self, "partners/_agreement_status.html", context)

    def value_status(self, record: PartnershipAgreement) -> str:
        return str(record.get_status_display())

    def render_departments(self, record: PartnershipAgreement) -> str:
        return ", ".join(department.code for department in record.departments.all()) or "—"

    def value_departments(self, record: PartnershipAgreement) -> str:
        return ", ".join(department.name for department in record.departments.all())

    def value_starts_on(self, value: Any) -> str:
        return value.isoformat()

    def value_ends_on(self, value: Any) -> str:
        return value.isoformat()


class InterventionTable(tables.Table):
    course = tables.LinkColumn("partners:intervention_update", args=[tables.A("pk")])
    company = tables.Column(linkify=True, order_by=("company__legal_name",))
    speaker = tables.Column(order_by=("speaker__last_name", "speaker__first_name"))
    programme = tables.Column(attrs=detail())
    department = tables.Column(attrs=detail())
    academic_year = tables.Column(attrs=detail())
    kind = tables.Column(attrs=detail())
    planned_hours = tables.Column(attrs=detail())

    class Meta:
        model = Intervention
        fields = [
            "course",
            "speaker",
            "company",
            "programme",
            "department",
            "academic_year",
            "kind",
            "planned_hours",
            "delivered_hours",
        ]
        attrs = list_table_attrs()
