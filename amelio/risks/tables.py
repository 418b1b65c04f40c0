from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from amelio.core.tables import detail, list_table_attrs

from .choices import ScoreLevel, score_level
from .models import Risk
from .selectors import scale_maximum


def level_badge(score: int | None, maximum: int) -> str:
    """The score with its level written out (never told by colour alone)."""
    if not score:
        return "—"
    level = score_level(score, maximum)
    return format_html('<span class="badge risk-level-{}">{} · {}</span>', level, score, ScoreLevel(level).label)


class RiskTable(tables.Table):
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    review_on = tables.Column()
    kind = tables.Column(attrs=detail())
    process = tables.Column(attrs=detail())
    owner = tables.Column(attrs=detail())
    likelihood = tables.Column(attrs=detail())
    impact = tables.Column(attrs=detail())
    treatment = tables.Column(attrs=detail())

    class Meta:
        model = Risk
        fields = [
            "reference",
            "kind",
            "title",
            "process",
            "owner",
            "likelihood",
            "impact",
            "score",
            "treatment",
            "residual_score",
            "status",
            "review_on",
        ]
        attrs = list_table_attrs()
        row_attrs = {"class": lambda record: "table-warning" if record.is_review_overdue else ""}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.maximum = scale_maximum()

    def render_score(self, value: int | None) -> str:
        return level_badge(value, self.maximum)

    def render_residual_score(self, value: int | None) -> str:
        return level_badge(value, self.maximum)

    def value_score(self, value: int | None) -> str:
        return str(value or "")

    def value_residual_score(self, value: int | None) -> str:
        return str(value or "")

    def render_process(self, value: Any) -> str:
        return str(value.code)

    def value_process(self, value: Any) -> str:
        return str(value)

    def render_review_on(self, value: Any, record: Risk) -> str:
        if record.is_review_overdue:
            return format_html('{} <span class="badge text-bg-danger">{}</span>', value, _("overdue"))
        return str(value)

    def value_review_on(self, value: Any) -> str:
        return str(value.isoformat())
