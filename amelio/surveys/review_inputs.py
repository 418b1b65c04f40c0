"""The surveys' input to the management review (ISO 9001 9.3.2 c) 1): "customer satisfaction
and feedback from relevant interested parties"): per campaign closed in the period, its
response rate, satisfaction rate and NPS, compiled from the surveys' own tables for the
reviews app (core.registry), which never reads them itself.

A campaign counts in the period when it is closed and its closing day falls in the period.
Its satisfaction and NPS are hidden when fewer people answered than the minimum group size
(the same protection as the results page): so few answers could point at who gave them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from amelio.core.frozen_text import display
from amelio.core.frozen_text import gettext_frozen as _
from amelio.core.registry import register_review_input

from .choices import MINIMUM_GROUP_SIZE, CampaignStatus, QuestionKind
from .models import Answer, Campaign, Invitation, Response
from .results import percent, rounded

KEY = "surveys.satisfaction"


def _number(value: Decimal | None) -> float | str:
    return "—" if value is None else float(value)


def compile_satisfaction(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    """The snapshot of the period (both days included), in core.registry's shape."""
    campaigns = list(
        Campaign.objects.filter(status=CampaignStatus.CLOSED, closes_on__gte=starts_on, closes_on__lte=ends_on)
        .select_related("version__questionnaire")
        .order_by("closes_on", "title", "pk")
    )
    ids = [campaign.pk for campaign in campaigns]
    # One grouped query per figure, whatever the number of campaigns.
    invited = {
        row["campaign"]: row
        for row in Invitation.objects.order_by()
        .filter(campaign__in=ids, revoked_at__isnull=True)
        .values("campaign")
        .annotate(whole=Count("pk"), part=Count("pk", filter=Q(has_answered=True)))
    }
    responses = dict(
        Response.objects.order_by()
        .filter(campaign__in=ids)
        .values("campaign")
        .annotate(count=Count("pk"))
        .values_list("campaign", "count")
    )
    answers = Answer.objects.order_by().filter(response__campaign__in=ids, number__isnull=False)
    likert = {
        row["response__campaign"]: row
        for row in answers.filter(question__kind=QuestionKind.LIKERT)
        .values("response__campaign")
        .annotate(
            whole=Count("pk"),
            # The two highest levels of the question's own scale (5 points when unset).
            part=Count("pk", filter=Q(number__gte=Coalesce(F("question__scale_points"), 5) - 1)),
        )
    }
    nps = {
        row["response__campaign"]: row
        for row in answers.filter(question__kind=QuestionKind.NPS)
        .values("response__campaign")
        .annotate(
            whole=Count("pk"),
            promoters=Count("pk", filter=Q(number__gte=9)),
            detractors=Count("pk", filter=Q(number__lte=6)),
        )
    }
    hidden = _("hidden (fewer than %(count)s answers)") % {"count": MINIMUM_GROUP_SIZE}
    rows: list[list[Any]] = []
    total_invited = total_answered = 0
    for campaign in campaigns:
        links = invited.get(campaign.pk, {"whole": 0, "part": 0})
        total_invited += links["whole"]
        total_answered += links["part"]
        rate = percent(links["part"], links["whole"])
        answered = responses.get(campaign.pk, 0)
        if answered < MINIMUM_GROUP_SIZE:
            satisfaction: float | str = hidden
            net_promoter: float | str = hidden
        else:
            levels = likert.get(campaign.pk)
            satisfaction = _number(percent(levels["part"], levels["whole"]) if levels else None)
            scores = nps.get(campaign.pk)
            net_promoter = _number(
                rounded(Decimal(100) * (scores["promoters"] - scores["detractors"]) / scores["whole"])
                if scores
                else None
            )
        rows.append(
            [
                campaign.title,
                display(campaign.version.questionnaire, "kind"),
                campaign.closes_on.isoformat(),
                links["whole"],
                answered,
                _number(rate),
                satisfaction,
                net_promoter,
            ]
        )
    overall = percent(total_answered, total_invited)
    return {
        "figures": [
            {"label": _("Campaigns closed in the period"), "value": len(campaigns), "unit": "", "note": ""},
            {
                "label": _("Response rate of these campaigns"),
                "value": _number(overall),
                "unit": "%",
                "note": _("%(answered)s answers for %(invited)s personal links")
                % {"answered": total_answered, "invited": total_invited},
            },
        ],
        "tables": [
            {
                "title": _("Satisfaction surveys closed in the period"),
                "columns": [
                    _("Campaign"),
                    _("Questionnaire"),
                    _("Closed on"),
                    _("Invited"),
                    _("Answers"),
                    _("Response rate (%)"),
                    _("Satisfaction (%)"),
                    _("NPS"),
                ],
                "rows": rows,
            }
        ],
        "summary": _(
            "Satisfaction is the share of agreement-scale answers in the two highest levels; the NPS is the share "
            "of promoters (9–10) minus the share of detractors (0–6). A campaign's figures are hidden when fewer "
            "than %(count)s people answered."
        )
        % {"count": MINIMUM_GROUP_SIZE},
    }


register_review_input(
    KEY,
    order=30,
    clause="9.3.2 c) 1)",
    title=gettext_lazy("Customer satisfaction and feedback from relevant interested parties"),
    compile=compile_satisfaction,
)
