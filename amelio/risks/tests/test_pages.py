"""The register, the heat map, the forms and the steps, as a person uses them."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amelio.core.concurrency import version_of
from amelio.history.models import HistoryEntry
from amelio.risks import services
from amelio.risks.choices import RiskKind, RiskStatus, Treatment
from amelio.risks.models import Risk, RiskScale

from .factories import RiskFactory

pytestmark = pytest.mark.django_db


def client_of(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def form_data(school: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {
        "kind": RiskKind.RISK,
        "title": "Perte des données de scolarité",
        "description": "Le serveur de scolarité tombe sans sauvegarde récente.",
        "causes": "",
        "consequences": "",
        "process": school["process_civil"].pk,
        "owner": school["teacher"].pk,
        "likelihood": "2",
        "impact": "5",
        "treatment": "",
        "treatment_plan": "",
        "residual_likelihood": "",
        "residual_impact": "",
        "review_on": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        **overrides,
    }


def test_a_risk_is_recorded_through_the_form(school: dict[str, Any]) -> None:
    response = client_of(school["teacher"]).post(reverse("risks:risk_create"), form_data(school))
    risk = Risk.objects.get()
    assert response.status_code == 302 and response["Location"] == risk.get_absolute_url()
    assert risk.score == 10


def test_a_value_above_the_scale_is_shown_on_its_field_and_nothing_is_recorded(school: dict[str, Any]) -> None:
    services.risk_scale_update(actor=school["quality_manager"], maximum=4)
    response = client_of(school["teacher"]).post(reverse("risks:risk_create"), form_data(school, impact="5"))
    assert response.status_code == 200
    assert response.context["form"].errors["impact"] == ["Give a value from 1 to 4 (the school's scale)."]
    assert not Risk.objects.exists()


def test_the_edit_form_carries_the_version_and_refuses_a_stale_one(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"], owner=school["teacher"])
    stale = version_of(risk, Risk.editable_fields)
    services.risk_update(actor=school["quality_manager"], risk=risk, data={"impact": 1})
    response = client_of(school["teacher"]).post(
        reverse("risks:risk_update", args=[risk.pk]), form_data(school, title="Nouveau", version=stale)
    )
    assert response.status_code == 200 and "Impact" in str(response.context["form"].non_field_errors())
    assert Risk.objects.get(pk=risk.pk).title == risk.title


def test_the_scale_form_refuses_a_scale_too_small_with_its_reason(school: dict[str, Any]) -> None:
    RiskFactory(process=school["process_civil"], likelihood=5)
    client = client_of(school["quality_manager"])
    response = client.post(reverse("risks:scale_update"), {"maximum": "4"})
    assert response.status_code == 200
    assert "risk uses values above 4" in response.context["form"].errors["maximum"][0]
    assert not RiskScale.objects.exists()
    Risk.objects.update(likelihood=4)
    assert client.post(reverse("risks:scale_update"), {"maximum": "4"}).status_code == 302
    assert RiskScale.objects.get().maximum == 4


def test_the_matrix_counts_current_risks_per_cell_and_links_to_the_register(school: dict[str, Any]) -> None:
    for _ in range(3):
        RiskFactory(process=school["process_civil"], likelihood=4, impact=5, residual_likelihood=2, residual_impact=2)
    RiskFactory(process=school["process_civil"], likelihood=1, impact=1)
    RiskFactory(process=school["process_civil"], likelihood=4, impact=5, status=RiskStatus.CLOSED, closing_reason="x")
    client = client_of(school["auditor"])
    page = client.get(reverse("risks:risk_matrix")).content.decode()
    cell = re.search(
        r'<td class="risk-level-critical"><a href="([^"]+)"[^>]*aria-label="Likelihood 4, impact 5[^"]*">3</a>', page
    )
    assert cell is not None
    register = client.get(cell.group(1).replace("&amp;", "&"))
    assert {row.record.pk for row in register.context["table"].page.object_list} == set(
        Risk.objects.filter(likelihood=4, impact=5, status=RiskStatus.OPEN).values_list("pk", flat=True)
    )
    residual = client.get(reverse("risks:risk_matrix") + "?view=residual").context["matrix"]
    counts = {(c["likelihood"], c["impact"]): c["count"] for row in residual["rows"] for c in row["cells"]}
    assert counts[(2, 2)] == 3 and residual["total"] == 3


def test_the_matrix_follows_the_scale(school: dict[str, Any]) -> None:
    services.risk_scale_update(actor=school["quality_manager"], maximum=4)
    matrix = client_of(school["teacher"]).get(reverse("risks:risk_matrix")).context["matrix"]
    assert matrix["impacts"] == [1, 2, 3, 4] and [row["likelihood"] for row in matrix["rows"]] == [4, 3, 2, 1]
    levels = {(c["likelihood"], c["impact"]): c["level"] for row in matrix["rows"] for c in row["cells"]}
    assert (levels[(1, 3)], levels[(2, 2)], levels[(2, 4)], levels[(4, 3)]) == ("low", "medium", "high", "critical")


def test_the_register_filters_and_exports(school: dict[str, Any]) -> None:
    late = RiskFactory(
        process=school["process_civil"], likelihood=5, impact=5, review_on=timezone.localdate() - datetime.timedelta(1)
    )
    RiskFactory(process=school["process_electrical"], likelihood=1, impact=2, kind=RiskKind.OPPORTUNITY)
    client = client_of(school["quality_manager"])
    url = reverse("risks:risk_list")
    for query, expected in [
        ("?overdue=true", {late.pk}),
        ("?score_min=20", {late.pk}),
        ("?score_max=2&kind=opportunity", set(Risk.objects.filter(kind="opportunity").values_list("pk", flat=True))),
        (f"?process={school['process_civil'].pk}", {late.pk}),
        ("?score_min=banana", set()),
    ]:
        rows = client.get(url + query).context["table"].page.object_list
        assert {row.record.pk for row in rows} == expected, query
    export = client.get(url + "?overdue=true&export=csv")
    assert export.status_code == 200 and str(late.reference) in export.content.decode()
    assert client.get(url + "?export=xlsx").status_code == 200


def test_steps_are_offered_and_applied_with_their_reason(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"], owner=school["teacher"])
    client = client_of(school["teacher"])
    page = client.get(risk.get_absolute_url()).content.decode()
    assert set(re.findall(r'data-step="([a-z_]+)"', page)) == {"treat", "close"}
    response = client.post(reverse("risks:risk_step", args=[risk.pk, "treat"]))
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.status == RiskStatus.OPEN  # refused: no treatment chosen yet, said on the page
    services.risk_update(
        actor=school["teacher"],
        risk=risk,
        data={"treatment": Treatment.REDUCE, "residual_likelihood": 1, "residual_impact": 4},
    )
    client.post(reverse("risks:risk_step", args=[risk.pk, "treat"]))
    risk.refresh_from_db()
    assert risk.status == RiskStatus.TREATED
    assert client.post(reverse("risks:risk_step", args=[risk.pk, "close"]), {"reason": ""}).status_code == 400
    client.post(reverse("risks:risk_step", args=[risk.pk, "close"]), {"reason": "Chantier terminé"})
    risk.refresh_from_db()
    assert risk.status == RiskStatus.CLOSED and risk.closing_reason == "Chantier terminé"
    entry = HistoryEntry.objects.filter(object_id=str(risk.pk)).latest("id")
    assert entry.reason == "Chantier terminé" and entry.changes["status"] == ["treated", "closed"]


def test_treating_asks_for_the_treatment_and_the_residual_score(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"])
    with pytest.raises(ValidationError) as refused:
        services.risk_treat(actor=school["quality_manager"], risk=risk)
    assert refused.value.message_dict == {
        "treatment": ["Choose the treatment first."],
        "residual_likelihood": ["Estimate the residual likelihood and impact first."],
    }
    assert Risk.objects.get(pk=risk.pk).status == RiskStatus.OPEN


def test_the_review_page_records_a_review(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"], owner=school["office"])
    next_review = timezone.localdate() + datetime.timedelta(days=100)
    response = client_of(school["office"]).post(
        reverse("risks:risk_review", args=[risk.pk]), {"next_review_on": next_review.isoformat(), "note": "Vu"}
    )
    assert response.status_code == 302
    assert Risk.objects.get(pk=risk.pk).review_on == next_review


def test_the_home_card_lists_the_reviews_due(school: dict[str, Any]) -> None:
    risk = RiskFactory(
        process=school["process_civil"], owner=school["teacher"], review_on=timezone.localdate() + datetime.timedelta(3)
    )
    assert str(risk.reference) in client_of(school["teacher"]).get("/").content.decode()
    assert str(risk.reference) not in client_of(school["head_electrical"]).get("/").content.decode()


def test_an_action_is_planned_from_the_risk_page(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"])
    response = client_of(school["teacher"]).post(
        reverse("risks:risk_action_create", args=[risk.pk]),
        {
            "kind": "preventive",
            "title": "Former les encadrants",
            "description": "",
            "owner": school["teacher"].pk,
            "due_on": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert [a.title for a in risk.actions.all()] == ["Former les encadrants"]
