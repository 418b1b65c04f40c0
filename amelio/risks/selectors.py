"""Reads of the risk register, narrowed to what the user may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from amelio.core.permissions import visible
from amelio.improvement.models import Action, ImprovementItem
from amelio.organisation.choices import Role

from .choices import CURRENT_RISK_STATUSES, DEFAULT_SCALE_MAXIMUM, score_level
from .models import Risk, RiskScale


def scale_maximum() -> int:
    """The school's scale: 4 or 5 (5 until the quality manager sets it)."""
    stored = RiskScale.objects.filter(pk=1).values_list("maximum", flat=True).first()
    return int(stored or DEFAULT_SCALE_MAXIMUM)


def scale_get() -> RiskScale:
    return RiskScale.objects.filter(pk=1).first() or RiskScale(pk=1, maximum=DEFAULT_SCALE_MAXIMUM)


def risk_list(*, user: Any) -> QuerySet[Risk]:
    # The highest scores first: what the register is read for.
    return visible(user, Risk.objects.select_related("process", "owner")).order_by("-score", "reference")


def risk_get(*, user: Any, pk: int) -> Risk:
    return get_object_or_404(visible(user, Risk.objects.select_related("process", "owner")), pk=pk)


def risk_detail(*, user: Any, pk: int) -> Risk:
    actions = Action.objects.select_related("owner", "item").order_by("due_on", "id")
    queryset = visible(
        user, Risk.objects.select_related("process__owner", "process__department", "owner", "created_by")
    )
    items = ImprovementItem.objects.order_by("raised_on", "id")
    return get_object_or_404(
        queryset.prefetch_related(Prefetch("actions", queryset=actions), Prefetch("items", queryset=items)), pk=pk
    )


def risk_matrix(*, user: Any, residual: bool = False) -> dict[str, Any]:
    """The heat map of the current (not closed) risks: one row per likelihood, highest
    first, one cell per impact, with its count, its score's level and the link to the
    register filtered to that cell. Two queries whatever the number of risks."""
    maximum = scale_maximum()
    likelihood, impact = ("residual_likelihood", "residual_impact") if residual else ("likelihood", "impact")
    current = risk_list(user=user).filter(status__in=CURRENT_RISK_STATUSES)
    counts = {
        (row[likelihood], row[impact]): row["total"]
        for row in current.exclude(**{f"{likelihood}__isnull": True})
        .order_by()
        .values(likelihood, impact)
        .annotate(total=Count("id"))
    }
    register = reverse("risks:risk_list")
    rows = []
    for row_value in range(maximum, 0, -1):
        cells = []
        for column_value in range(1, maximum + 1):
            score = row_value * column_value
            query = urlencode({likelihood: str(row_value), impact: str(column_value), "current": "true"})
            cells.append(
                {
                    "likelihood": row_value,
                    "impact": column_value,
                    "score": score,
                    "level": score_level(score, maximum),
                    "count": counts.get((row_value, column_value), 0),
                    "url": f"{register}?{query}",
                }
            )
        rows.append({"likelihood": row_value, "cells": cells})
    return {
        "maximum": maximum,
        "impacts": list(range(1, maximum + 1)),
        "rows": rows,
        "total": sum(counts.values()),
        "residual": residual,
    }


def risks_due_for_review(*, user: Any, today: datetime.date | None = None, limit: int = 10) -> dict[str, Any]:
    """The current risks a person owns, or manages through their processes, whose review is
    due within a fortnight or past: what the home card lists."""
    from amelio.organisation.permissions import roles_of

    today = today or timezone.localdate()
    roles = roles_of(user)
    mine = Q(owner_id=user.pk) | Q(process__owner_id=user.pk) | Q(process__in=roles.processes_for(Role.PROCESS_OWNER))
    due = Risk.objects.filter(
        mine, status__in=CURRENT_RISK_STATUSES, review_on__lte=today + datetime.timedelta(days=14)
    )
    return {
        "risks": list(due.select_related("process").order_by("review_on", "id")[:limit]),
        "total": due.count(),
        "today": today,
    }
