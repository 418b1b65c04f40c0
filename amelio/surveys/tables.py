from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from amelio.core.tables import BooleanColumn, DateColumn, detail, list_table_attrs

from .models import Campaign, Questionnaire


class QuestionnaireTable(tables.Table):
    title = tables.Column(linkify=True)
    version_count = tables.Column(verbose_name=_("Versions"))

    class Meta:
        model = Questionnaire
        fields = ["title", "kind", "department", "version_count"]
        attrs = list_table_attrs()


class CampaignTable(tables.Table):
    title = tables.Column(linkify=True)
    questionnaire = tables.Column(
        verbose_name=_("Questionnaire"),
        accessor="version__questionnaire__title",
        order_by="version__questionnaire__title",
    )
    invited = tables.Column(verbose_name=_("Invited"))
    answered = tables.Column(verbose_name=_("Answered"))
    academic_year = tables.Column(attrs=detail())
    department = tables.Column(attrs=detail())
    audience = tables.Column(attrs=detail())
    is_anonymous = BooleanColumn(attrs=detail())
    opens_on = DateColumn(attrs=detail())

    class Meta:
        model = Campaign
        fields = [
            "title",
            "questionnaire",
            "academic_year",
            "department",
            "audience",
            "is_anonymous",
            "opens_on",
            "closes_on",
            "status",
            "invited",
            "answered",
        ]
        attrs = list_table_attrs()
