"""What the API shows of each record: plain fields and the ids of related records (read
from the foreign key columns, so a page of rows costs no extra query)."""

from __future__ import annotations

from rest_framework import serializers

from amelio.improvement.models import Action, ImprovementItem
from amelio.indicators.models import Indicator, IndicatorValue
from amelio.internships.models import Internship
from amelio.partners.models import Company
from amelio.processes.models import Process


class ProcessSerializer(serializers.ModelSerializer[Process]):
    class Meta:
        model = Process
        fields = ["id", "code", "name", "kind", "purpose", "owner", "department", "is_active"]


class ItemSerializer(serializers.ModelSerializer[ImprovementItem]):
    class Meta:
        model = ImprovementItem
        fields = [
            "id",
            "reference",
            "origin",
            "title",
            "description",
            "status",
            "process",
            "department",
            "severity",
            "raised_by",
            "raised_on",
            "due_on",
        ]


class ActionSerializer(serializers.ModelSerializer[Action]):
    class Meta:
        model = Action
        fields = ["id", "item", "kind", "title", "description", "status", "owner", "process", "department", "due_on"]


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "process", "scope_kind", "unit", "period_kind", "direction", "owner", "source"]


class IndicatorValueSerializer(serializers.ModelSerializer[IndicatorValue]):
    class Meta:
        model = IndicatorValue
        fields = ["id", "indicator", "academic_year", "period", "department", "programme", "value", "source"]


class InternshipSerializer(serializers.ModelSerializer[Internship]):
    class Meta:
        model = Internship
        fields = [
            "id",
            "reference",
            "status",
            "kind",
            "student",
            "company",
            "programme",
            "academic_year",
            "subject",
            "starts_on",
            "ends_on",
        ]


class CompanySerializer(serializers.ModelSerializer[Company]):
    class Meta:
        model = Company
        fields = ["id", "legal_name", "trade_name", "siret", "naf_code", "size", "city", "country", "is_active"]


class TransitionSerializer(serializers.Serializer[None]):
    """What a workflow step takes: its reason and the fields of its form (as on the page)."""

    reason = serializers.CharField(required=False, allow_blank=True)


class ItemRaiseSerializer(serializers.Serializer[None]):
    """The fields of the "report a problem or an idea" form (validated by that form)."""

    origin = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    process = serializers.IntegerField(required=False, allow_null=True)
    department = serializers.IntegerField(required=False, allow_null=True)
    severity = serializers.CharField(required=False, allow_blank=True)
    complainant_kind = serializers.CharField(required=False, allow_blank=True)
    clauses = serializers.ListField(child=serializers.IntegerField(), required=False)
