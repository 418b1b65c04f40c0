"""What internships add to a company (partners.hooks): the sections of its page (internships
hosted per year, evaluation scores, the latest internships the user may open) and, when two
records of a company are merged, the move of each agreement through the internships service."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Q
from django.utils.translation import ngettext

from amelio.partners.hooks import register_company_section, register_merge_hook

from .choices import EvaluationKind
from .models import Internship

LATEST_INTERNSHIPS = 10
# Hosted (the student is or was there) and in preparation.
HOSTED_STATUSES = ("signed", "under_way", "finished", "evaluated")
PREPARED_STATUSES = ("draft", "checked", "validated")


def _latest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: row["academic_year__starts_on"], reverse=True)


def hosted_per_year(user: Any, company: Any) -> dict[str, Any]:
    """Counts name nobody: they cover every internship the company hosted."""
    per_year = (
        Internship.objects.filter(company=company)
        .order_by()
        .values("academic_year__label", "academic_year__starts_on")
        .annotate(
            hosted=Count("id", filter=Q(status__in=HOSTED_STATUSES)),
            in_preparation=Count("id", filter=Q(status__in=PREPARED_STATUSES)),
        )
    )
    return {"rows": _latest_first([dict(row) for row in per_year if row["hosted"] or row["in_preparation"]])}


def scores_per_year(user: Any, company: Any) -> dict[str, Any]:
    scores: dict[str, dict[str, Any]] = {}
    for row in (
        Internship.objects.filter(company=company, evaluations__isnull=False)
        .order_by()
        .values("academic_year__label", "academic_year__starts_on", "evaluations__kind")
        .annotate(average=Avg("evaluations__score"), count=Count("evaluations"))
    ):
        label = row["academic_year__label"]
        year = scores.setdefault(
            label, {"academic_year__label": label, "academic_year__starts_on": row["academic_year__starts_on"]}
        )
        year[row["evaluations__kind"]] = {"average": row["average"], "count": row["count"]}
    kinds = [(kind, str(label)) for kind, label in EvaluationKind.choices]
    rows = [
        {**year, "cells": [year.get(kind) for kind, _label in kinds]} for year in _latest_first(list(scores.values()))
    ]
    return {"kinds": kinds, "rows": rows}


def latest_internships(user: Any, company: Any) -> dict[str, Any]:
    """Only the internships the user may open."""
    from .selectors import internship_list

    latest = internship_list(user=user).filter(company=company).order_by("-starts_on", "-id")[:LATEST_INTERNSHIPS]
    return {"internships": list(latest)}


def move_internships(*, actor: Any, kept: Any, absorbed: Any, reason: str) -> str:
    from .services import internship_move_to_company

    moved = 0
    for internship in Internship.objects.filter(company=absorbed).order_by("id"):
        internship_move_to_company(actor=actor, internship=internship, company=kept, reason=reason)
        moved += 1
    if not moved:
        return ""
    return ngettext("%(count)d internship", "%(count)d internships", moved) % {"count": moved}


register_company_section(
    "internships_per_year", order=10, template_name="internships/_company_per_year.html", build=hosted_per_year
)
register_company_section(
    "internship_scores", order=20, template_name="internships/_company_scores.html", build=scores_per_year
)
register_company_section(
    "latest_internships", order=40, template_name="internships/_company_latest.html", build=latest_internships
)
register_merge_hook("internships", move_internships)
