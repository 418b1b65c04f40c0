"""The pages of quality objectives over HTTP: who sees them (staff and auditors; a student
gets 403), who manages them (and a refusal changes nothing), the forms with their refusals
on the field, the workflow's steps, the export, the link from each indicator's page, the
menu, and the owner's home card of objectives at risk."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amelio.core.registry import navigation_for
from amelio.improvement.tests.factories import ActionFactory
from amelio.indicators.choices import ObjectiveStatus
from amelio.indicators.models import Objective, ObjectiveMeasure

from .factories import IndicatorFactory, objective, target, value, year

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def setting(school: dict[str, Any]) -> dict[str, Any]:
    """An active objective of the civil engineering process, owned by the teacher, measured
    by an indicator whose latest value is beyond its alert threshold, served by one action."""
    indicator = IndicatorFactory(code="IND-01", name="Réussite", owner=school["quality_manager"])
    target(indicator, year(2025), "80", "60")
    value(indicator, year(2025), "50")
    record = objective(
        owner=school["teacher"], process=school["process_civil"], code="OBJ-01", status=ObjectiveStatus.ACTIVE
    )
    ObjectiveMeasure.objects.create(objective=record, indicator=indicator, target=Decimal("85"))
    action = ActionFactory(
        title="Relancer les signataires",
        owner=school["teacher"],
        process=school["process_civil"],
        department=school["civil"],
    )
    record.actions.add(action)
    return {"indicator": indicator, "objective": record, "action": action}


READERS = ["quality_manager", "director", "teacher", "head_civil", "head_electrical", "auditor", "office"]


@pytest.mark.parametrize("who", READERS)
def test_staff_and_auditors_read_the_objectives(school: dict[str, Any], setting: dict[str, Any], who: str) -> None:
    client = client_for(school[who])
    listing = client.get(reverse("indicators:objective_list"))
    assert listing.status_code == 200 and "OBJ-01" in listing.content.decode()
    page = client.get(setting["objective"].get_absolute_url()).content.decode()
    assert 'data-standing="at_risk"' in page
    # The actions shown are those the improvement app lets the reader see.
    assert ("Relancer les signataires" in page) is (who not in ("head_electrical", "office"))
    assert 'data-testid="measure-trend-IND-01"' in page
    manages = who in ("quality_manager", "director", "teacher", "head_civil")
    assert (reverse("indicators:measure_add", args=[setting["objective"].pk]) in page) is manages
    assert ('data-step="achieve"' in page) is manages
    entries = [label for section in navigation_for(school[who]) for label, _url in section["items"]]
    assert "Quality objectives" in entries


def test_a_student_sees_none_of_it(school: dict[str, Any], setting: dict[str, Any]) -> None:
    client = client_for(school["student"])
    pk = setting["objective"].pk
    for url in (
        reverse("indicators:objective_list"),
        reverse("indicators:objective_detail", args=[pk]),
        reverse("indicators:objective_create"),
        reverse("indicators:objective_update", args=[pk]),
    ):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["head_electrical", "auditor", "office"])
def test_those_who_do_not_manage_it_are_refused_and_nothing_changes(
    school: dict[str, Any], setting: dict[str, Any], who: str
) -> None:
    client = client_for(school[who])
    record, measure = setting["objective"], ObjectiveMeasure.objects.get()
    posts = [
        (reverse("indicators:objective_update", args=[record.pk]), {"statement": "Changé"}),
        (reverse("indicators:measure_add", args=[record.pk]), {"indicator": IndicatorFactory().pk, "target": "80"}),
        (reverse("indicators:measure_update", args=[measure.pk]), {"target": "90"}),
        (reverse("indicators:measure_remove", args=[measure.pk]), {}),
        (reverse("indicators:action_unlink", args=[record.pk, setting["action"].pk]), {}),
        (reverse("indicators:objective_step", args=[record.pk, "abandon"]), {"reason": "Non"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    stored = Objective.objects.get()
    assert (stored.statement, stored.status, stored.actions.count()) == ("Réussir", ObjectiveStatus.ACTIVE, 1)
    assert ObjectiveMeasure.objects.get().target == Decimal("85")


def test_the_quality_manager_creates_an_objective_and_bad_input_stays_on_its_field(school: dict[str, Any]) -> None:
    client = client_for(school["quality_manager"])
    academic_year = year(2025)
    data = {
        "code": "OBJ-02",
        "statement": "Des stages mieux suivis",
        "commitment": "Engagement 2",
        "process": school["process_civil"].pk,
        "owner": school["teacher"].pk,
        "academic_year": academic_year.pk,
        "due_on": "2025-08-01",
    }
    refused = client.post(reverse("indicators:objective_create"), data)
    assert refused.status_code == 200
    assert "The due date must come after the start of 2025-2026" in " ".join(refused.context["form"].errors["due_on"])
    assert not Objective.objects.exists()
    response = client.post(reverse("indicators:objective_create"), {**data, "due_on": "2026-06-30"})
    created = Objective.objects.get()
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.status == ObjectiveStatus.DRAFT


def test_the_owner_measures_links_and_moves_their_objective(school: dict[str, Any], setting: dict[str, Any]) -> None:
    client = client_for(school["teacher"])
    record = setting["objective"]
    other = IndicatorFactory(code="IND-02")
    target(other, year(2025), "70", "50")
    add = reverse("indicators:measure_add", args=[record.pk])
    assert client.get(add).status_code == 200
    refused = client.post(add, {"indicator": setting["indicator"].pk, "target": "90"})
    assert refused.context["form"].errors["indicator"] == ["This indicator already measures the objective."]
    refused = client.post(add, {"indicator": other.pk, "target": "40"})
    assert "above its alert threshold (50.00)" in refused.context["form"].errors["target"][0]
    assert client.post(add, {"indicator": other.pk, "target": ""}).status_code == 302
    assert ObjectiveMeasure.objects.get(indicator=other).target == Decimal("70")

    measure = ObjectiveMeasure.objects.get(indicator=other)
    edit = reverse("indicators:measure_update", args=[measure.pk])
    form = client.get(edit).context["form"]
    assert client.post(edit, {"target": "75", "note": "", "version": form["version"].value()}).status_code == 302
    assert ObjectiveMeasure.objects.get(indicator=other).target == Decimal("75")
    assert client.post(reverse("indicators:measure_remove", args=[measure.pk])).status_code == 302
    assert not ObjectiveMeasure.objects.filter(indicator=other).exists()

    another = ActionFactory(title="Former les tuteurs", owner=school["teacher"], process=school["process_civil"])
    link = reverse("indicators:action_link", args=[record.pk])
    assert client.post(link, {"action": another.pk}).status_code == 302
    assert set(record.actions.all()) == {setting["action"], another}
    unlink = reverse("indicators:action_unlink", args=[record.pk, another.pk])
    assert client.post(unlink).status_code == 302
    assert list(record.actions.all()) == [setting["action"]]

    step = reverse("indicators:objective_step", args=[record.pk, "miss"])
    assert client.get(step).status_code == 200
    assert client.post(step, {"reason": ""}).status_code == 400
    assert Objective.objects.get().status == ObjectiveStatus.ACTIVE
    assert client.post(step, {"reason": "Valeur de 50 %"}).status_code == 302
    stored = Objective.objects.get()
    assert (stored.status, stored.closing_note) == (ObjectiveStatus.NOT_ACHIEVED, "Valeur de 50 %")
    page = client.get(record.get_absolute_url()).content.decode()
    assert "data-step=" not in page  # reopening is the quality manager's or the director's
    assert reverse("indicators:measure_add", args=[record.pk]) not in page


def test_the_list_filters_by_standing_and_exports_it(school: dict[str, Any], setting: dict[str, Any]) -> None:
    objective(owner=school["director"], code="OBJ-09")  # no measure: not measured yet
    client = client_for(school["auditor"])
    url = reverse("indicators:objective_list")
    at_risk = client.get(url, {"standing": "at_risk"}).content.decode()
    assert "OBJ-01" in at_risk and "OBJ-09" not in at_risk
    unmeasured = client.get(url, {"standing": "not_measured"}).content.decode()
    assert "OBJ-09" in unmeasured and "OBJ-01" not in unmeasured
    export = client.get(url, {"export": "csv", "sort": "standing"})
    text = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert "OBJ-01" in text and "at risk" in text and "not measured yet" in text


def test_the_indicator_page_names_the_objectives_it_measures(school: dict[str, Any], setting: dict[str, Any]) -> None:
    page = client_for(school["office"]).get(setting["indicator"].get_absolute_url()).content.decode()
    assert "Measures these objectives" in page and setting["objective"].get_absolute_url() in page


def test_the_owner_home_shows_their_objectives_at_risk(school: dict[str, Any], setting: dict[str, Any]) -> None:
    page = client_for(school["teacher"]).get("/").content.decode()
    assert 'data-testid="objectives-at-risk"' in page and "OBJ-01" in page
    assert 'data-testid="objectives-at-risk"' not in client_for(school["director"]).get("/").content.decode()
