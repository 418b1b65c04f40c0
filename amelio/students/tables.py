from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from amelio.core.tables import list_table_attrs

from .models import Student


class StudentTable(tables.Table):
    ine = tables.Column(linkify=True)
    last_name = tables.Column(linkify=True)
    first_name = tables.Column()
    department = tables.Column(accessor="programme__department", verbose_name=_("Department"), orderable=False)

    class Meta:
        model = Student
        fields = ["ine", "last_name", "first_name", "status", "programme", "department"]
        attrs = list_table_attrs()
