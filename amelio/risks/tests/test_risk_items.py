"""A risk's treatment carried by an improvement item of origin "risk": raised from the risk's
page by its owner or those who manage its process's risks (process owner, department head,
quality manager), linked to the risk; refused to everyone else, out of scope, and on a closed
risk, with nothing changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from amelio.history.models import HistoryEntry
from amelio.improvement.choices import Origin
from amelio.improvement.forms import ItemRaiseForm
from amelio.improvement.models import ImprovementItem
from amelio.organisation.tests.factories import PersonFactory
from amelio.risks import services
from amelio.risks.choices import RiskStatus

from .factories import RiskFactory

pytestmark = pytest.mark.django_db


def raise_for(actor: Any, risk: Any) -> ImprovementItem:
    return services.risk_raise_item(
        actor=actor, risk=risk, title="  Former les encadrants de chantier  ", description="Plan de formation."
    )


@pytest.mark.parametrize("role", ["quality_manager", "teacher", "head_civil", "risk_owner"])
def test_the_owner_and_the_managers_raise_an_item_linked_to_the_risk(school: dict[str, Any], role: str) -> None:
    owner = PersonFactory()
    school["risk_owner"] = owner
    risk = RiskFactory(process=school["process_civil"], owner=owner)
    item = raise_for(school[role], risk)
    assert item.origin == Origin.RISK and item.reference.startswith("RO-")
    assert item.title == "Former les encadrants de chantier"
    assert item.process == school["process_civil"] and item.department == school["civil"]
    assert item.raised_by == school[role]
    assert list(risk.items.all()) == [item]
    entry = HistoryEntry.objects.filter(content_type__model="risk", object_id=str(risk.pk)).latest("id")
    assert entry.changes == {"items": ["", str(item)]}


@pytest.mark.parametrize("role", ["head_electrical", "director", "office", "auditor", "student"])
def test_others_are_refused_and_nothing_changes(school: dict[str, Any], role: str) -> None:
    # head_electrical heads another department; the director owns another process.
    risk = RiskFactory(process=school["process_civil"])
    items, entries = ImprovementItem.objects.count(), HistoryEntry.objects.count()
    with pytest.raises(PermissionDenied):
        raise_for(school[role], risk)
    assert ImprovementItem.objects.count() == items and HistoryEntry.objects.count() == entries
    assert not risk.items.exists()


def test_no_item_on_a_closed_risk(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"], status=RiskStatus.CLOSED, closing_reason="Maîtrisé.")
    items = ImprovementItem.objects.count()
    with pytest.raises(ValidationError, match="closed risk"):
        raise_for(school["quality_manager"], risk)
    assert ImprovementItem.objects.count() == items


def test_an_empty_title_is_refused_on_its_field(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"])
    with pytest.raises(ValidationError) as error:
        services.risk_raise_item(actor=school["teacher"], risk=risk, title="  ", description="x")
    assert "title" in error.value.message_dict
    assert not ImprovementItem.objects.exists() and not risk.items.exists()


def test_the_register_s_own_form_does_not_offer_the_risk_origin(school: dict[str, Any]) -> None:
    form = ItemRaiseForm(data={"origin": Origin.RISK, "title": "x", "description": "y"})
    assert Origin.RISK not in [value for value, _label in form.fields["origin"].choices]
    assert not form.is_valid() and "origin" in form.errors


def test_the_page_raises_the_item_and_opens_it(client: Client, school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"], title="Chantier sans encadrant")
    client.force_login(school["head_civil"])
    detail = client.get(risk.get_absolute_url())
    url = reverse("risks:risk_item_create", args=[risk.pk])
    assert url in detail.content.decode()
    form = client.get(url)
    assert "Chantier sans encadrant" in form.content.decode()
    response = client.post(url, {"title": "Binômes d'encadrants", "description": "Toujours deux encadrants."})
    item = ImprovementItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.reference in client.get(risk.get_absolute_url()).content.decode()


def test_the_page_is_refused_out_of_scope_and_the_button_hidden(client: Client, school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"])
    url = reverse("risks:risk_item_create", args=[risk.pk])
    client.force_login(school["head_electrical"])
    assert url not in client.get(risk.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "x", "description": "y"}).status_code == 403
    assert not ImprovementItem.objects.exists()
