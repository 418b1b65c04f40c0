"""The computed indicators of the surveys (see indicators.computed): for each kind of
questionnaire (course evaluation, internship satisfaction, ...) its satisfaction rate, NPS
and response rate over the academic year's campaigns. An indicator names the
questionnaires it reads by their kind, in its code: `surveys.<kind>.<figure>`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from amelio.indicators.choices import ScopeKind
from amelio.indicators.computed import ComputedResult, IndicatorScope, register_computed
from amelio.indicators.periods import Period
from amelio.organisation.models import AcademicYear

from .choices import CampaignStatus, QuestionKind, QuestionnaireKind
from .models import Answer, Invitation
from .results import nps_score, percent

SCOPES = (ScopeKind.SCHOOL, ScopeKind.DEPARTMENT, ScopeKind.PROGRAMME)
READS = ("surveys.campaign", "surveys.response", "surveys.answer", "surveys.invitation")
COUNTED = (CampaignStatus.OPEN, CampaignStatus.CLOSED)


def _in_scope(queryset: QuerySet[Any], scope: IndicatorScope, prefix: str) -> QuerySet[Any]:
    if scope.programme is not None:
        return queryset.filter(**{f"{prefix}programme": scope.programme})
    if scope.department is not None:
        return queryset.filter(**{f"{prefix}department": scope.department})
    return queryset


def _answers(kind: str, year: AcademicYear, scope: IndicatorScope, question_kind: str) -> QuerySet[Answer]:
    answers = Answer.objects.order_by().filter(
        response__campaign__academic_year=year,
        response__campaign__status__in=COUNTED,
        response__campaign__version__questionnaire__kind=kind,
        question__kind=question_kind,
    )
    if question_kind != QuestionKind.MATRIX:  # a matrix keeps its levels in `choices`
        answers = answers.filter(number__isnull=False)
    return _in_scope(answers, scope, "response__")


def satisfaction(kind: str) -> Callable[[IndicatorScope, Period], ComputedResult]:
    """The share of agreement levels in the two top levels of their scale: each Likert
    answer counts once, and each rated row of a matrix once."""

    def compute(scope: IndicatorScope, period: Period) -> ComputedResult:
        year = period.academic_year  # measured per academic year (the registry's default)
        rows = list(_answers(kind, year, scope, QuestionKind.LIKERT).values_list("number", "question__scale_points"))
        for levels, points in _answers(kind, year, scope, QuestionKind.MATRIX).values_list(
            "choices", "question__scale_points"
        ):
            rows.extend((level, points) for level in levels if level is not None)
        whole = len(rows)
        part = sum(1 for number, points in rows if number is not None and int(number) >= (points or 5) - 1)
        return ComputedResult(percent(part, whole), {"part": part, "whole": whole})

    return compute


def net_promoter(kind: str) -> Callable[[IndicatorScope, Period], ComputedResult]:
    def compute(scope: IndicatorScope, period: Period) -> ComputedResult:
        year = period.academic_year  # measured per academic year (the registry's default)
        scores = [
            int(n)
            for n in _answers(kind, year, scope, QuestionKind.NPS).values_list("number", flat=True)
            if n is not None
        ]
        promoters = sum(1 for score in scores if score >= 9)
        detractors = sum(1 for score in scores if score <= 6)
        return ComputedResult(
            nps_score(scores), {"promoters": promoters, "detractors": detractors, "whole": len(scores)}
        )

    return compute


def response_rate(kind: str) -> Callable[[IndicatorScope, Period], ComputedResult]:
    def compute(scope: IndicatorScope, period: Period) -> ComputedResult:
        year = period.academic_year  # measured per academic year (the registry's default)
        invitations = _in_scope(
            Invitation.objects.order_by().filter(
                campaign__academic_year=year,
                campaign__status__in=COUNTED,
                campaign__version__questionnaire__kind=kind,
                revoked_at__isnull=True,
            ),
            scope,
            "",
        )
        counts = invitations.aggregate(whole=Count("pk"), part=Count("pk", filter=Q(has_answered=True)))
        return ComputedResult(percent(counts["part"], counts["whole"]), counts)

    return compute


def _register() -> None:
    for kind in QuestionnaireKind:
        label = kind.label
        register_computed(
            f"surveys.{kind.value}.satisfaction",
            label=format_lazy("{} — {}", _("Satisfaction rate"), label),
            definition_text=_(
                "Among the answers to the agreement-scale questions (and the rated rows of the matrices) of the "
                "academic year's campaigns of questionnaires of this kind, the share in the two highest levels of "
                "the scale."
            ),
            compute=satisfaction(kind.value),
            scope_kinds=SCOPES,
            reads=READS,
            unit="%",
        )
        register_computed(
            f"surveys.{kind.value}.nps",
            label=format_lazy("{} — {}", _("Net promoter score"), label),
            definition_text=_(
                "Among the answers to the 0–10 recommendation questions of the academic year's campaigns of "
                "questionnaires of this kind, the share of promoters (9 or 10) minus the share of detractors "
                "(0 to 6), in points."
            ),
            compute=net_promoter(kind.value),
            scope_kinds=SCOPES,
            reads=READS,
            unit="",
        )
        register_computed(
            f"surveys.{kind.value}.response_rate",
            label=format_lazy("{} — {}", _("Response rate"), label),
            definition_text=_(
                "Among the personal links of the academic year's campaigns of questionnaires of this kind (links "
                "withdrawn left out), the share that were used to answer."
            ),
            compute=response_rate(kind.value),
            scope_kinds=SCOPES,
            reads=READS,
            unit="%",
        )


_register()
