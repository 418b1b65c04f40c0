"""Teaching given by professionals: interventions (a department head records those of
their department), the programmes' total teaching hours, and the share figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from amelio.history.choices import HistoryAction
from amelio.history.models import HistoryEntry
from amelio.organisation.tests.factories import ProgrammeFactory
from amelio.partners import selectors, services
from amelio.partners.choices import InterventionKind
from amelio.partners.models import Intervention, TeachingVolume
from amelio.partners.tests.conftest import client_for
from amelio.partners.tests.factories import CompanyFactory, ContactFactory, InterventionFactory, academic_year

pytestmark = pytest.mark.django_db


def intervention_data(school: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = {
        "speaker": changes.pop("speaker", None) or ContactFactory(is_speaker=True),
        "course": "Béton armé",
        "programme": changes.pop("programme", None) or ProgrammeFactory(department=school["civil"]),
        "academic_year": academic_year(2025),
        "kind": InterventionKind.LECTURE,
        "planned_hours": Decimal("12"),
        "delivered_hours": Decimal("0"),
    }
    data.update(changes)
    return data


# Interventions ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["office", "director", "head_civil"])
def test_who_records_an_intervention_in_civil_engineering(school: dict[str, Any], key: str) -> None:
    data = intervention_data(school)
    intervention = services.intervention_create(actor=school[key], data=data)
    # The company is the speaker's, the department the programme's.
    assert intervention.company == data["speaker"].company
    assert intervention.department == school["civil"]
    assert HistoryEntry.objects.get(object_id=str(intervention.pk)).action == HistoryAction.CREATE


@pytest.mark.parametrize("key", ["head_electrical", "teacher", "student"])
def test_who_may_not(school: dict[str, Any], key: str) -> None:
    with pytest.raises(PermissionDenied):
        services.intervention_create(actor=school[key], data=intervention_data(school))
    assert not Intervention.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_an_update_stays_within_the_heads_department(school: dict[str, Any]) -> None:
    intervention = InterventionFactory(programme=ProgrammeFactory(department=school["civil"]))
    services.intervention_update(
        actor=school["head_civil"], intervention=intervention, data={"delivered_hours": Decimal("12")}
    )
    intervention.refresh_from_db()
    assert intervention.delivered_hours == Decimal("12")
    electrical = ProgrammeFactory(department=school["electrical"])
    with pytest.raises(PermissionDenied):
        services.intervention_update(
            actor=school["head_civil"], intervention=intervention, data={"programme": electrical}
        )
    with pytest.raises(PermissionDenied):
        services.intervention_update(
            actor=school["head_electrical"], intervention=intervention, data={"delivered_hours": Decimal("1")}
        )
    intervention.refresh_from_db()
    assert intervention.department == school["civil"] and intervention.delivered_hours == Decimal("12")


def test_a_changed_speaker_brings_their_company(school: dict[str, Any]) -> None:
    intervention = InterventionFactory(programme=ProgrammeFactory(department=school["civil"]))
    other = ContactFactory(company=CompanyFactory(legal_name="Autre"), is_speaker=True)
    services.intervention_update(actor=school["office"], intervention=intervention, data={"speaker": other})
    intervention.refresh_from_db()
    assert intervention.company == other.company


def test_negative_hours_are_refused(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.intervention_create(
            actor=school["office"], data=intervention_data(school, planned_hours=Decimal("-1"))
        )
    assert "planned_hours" in error.value.message_dict


def test_the_intervention_pages(school: dict[str, Any]) -> None:
    speaker = ContactFactory(is_speaker=True)
    programme = ProgrammeFactory(department=school["civil"])
    year = academic_year(2025)
    client = client_for(school["head_civil"])
    create = reverse("partners:intervention_create")
    response = client.get(create)
    assert response.status_code == 200
    # A department head picks among their department's programmes.
    assert list(response.context["form"].fields["programme"].queryset) == [programme]
    form = {
        "speaker": speaker.pk,
        "course": "Géotechnique",
        "programme": programme.pk,
        "academic_year": year.pk,
        "kind": "lecture",
        "planned_hours": "6",
        "delivered_hours": "6",
    }
    assert client.post(create, form).status_code == 302
    intervention = Intervention.objects.get()
    assert intervention.company == speaker.company
    update = reverse("partners:intervention_update", args=[intervention.pk])
    assert client.post(update, {**form, "delivered_hours": "4"}).status_code == 302
    intervention.refresh_from_db()
    assert intervention.delivered_hours == Decimal("4")
    assert client_for(school["head_electrical"]).post(update, {**form, "delivered_hours": "1"}).status_code == 403
    assert client_for(school["teacher"]).get(create).status_code == 403
    listing = client_for(school["teacher"]).get(
        reverse("partners:intervention_list"), {"department": school["civil"].pk}
    )
    assert [row.course for row in listing.context["table"].data.data] == ["Géotechnique"]


# Teaching volumes and figures -------------------------------------------------------------


def test_a_teaching_volume_is_entered_then_corrected(school: dict[str, Any]) -> None:
    programme = ProgrammeFactory(department=school["civil"])
    year = academic_year(2025)
    volume = services.teaching_volume_set(
        actor=school["head_civil"], programme=programme, academic_year=year, total_hours=Decimal("800")
    )
    again = services.teaching_volume_set(
        actor=school["office"], programme=programme, academic_year=year, total_hours=Decimal("820")
    )
    assert again.pk == volume.pk
    assert TeachingVolume.objects.get().total_hours == Decimal("820")
    actions = list(
        HistoryEntry.objects.filter(object_id=str(volume.pk)).order_by("id").values_list("action", flat=True)
    )
    assert actions == [HistoryAction.CREATE, HistoryAction.UPDATE]


@pytest.mark.parametrize("key", ["head_electrical", "teacher"])
def test_who_may_not_enter_a_teaching_volume(school: dict[str, Any], key: str) -> None:
    programme = ProgrammeFactory(department=school["civil"])
    with pytest.raises(PermissionDenied):
        services.teaching_volume_set(
            actor=school[key], programme=programme, academic_year=academic_year(2025), total_hours=Decimal("800")
        )
    assert not TeachingVolume.objects.exists()


def test_the_teaching_volume_page(school: dict[str, Any]) -> None:
    programme = ProgrammeFactory(department=school["civil"])
    year = academic_year(2025)
    client = client_for(school["office"])
    url = reverse("partners:teaching_volumes")
    assert client.get(url).status_code == 200
    form = {"programme": programme.pk, "academic_year": year.pk, "total_hours": "900"}
    assert client.post(url, form).status_code == 302
    assert client.post(url, {**form, "total_hours": "950"}).status_code == 302
    assert TeachingVolume.objects.get().total_hours == Decimal("950")
    response = client.post(url, {**form, "total_hours": "0"})
    assert response.status_code == 200 and "total_hours" in response.context["form"].errors
    assert client_for(school["teacher"]).get(url).status_code == 403
    # Another department's head is not offered the programme, and nothing changes.
    response = client_for(school["head_electrical"]).post(url, {**form, "total_hours": "1"})
    assert response.status_code == 200 and "programme" in response.context["form"].errors
    assert TeachingVolume.objects.get().total_hours == Decimal("950")


def test_the_share_of_teaching_by_professionals(school: dict[str, Any]) -> None:
    year = academic_year(2025)
    structures = ProgrammeFactory(department=school["civil"], name="Structures")
    travaux = ProgrammeFactory(department=school["civil"], name="Travaux publics")
    energie = ProgrammeFactory(department=school["electrical"], name="Énergie")
    for programme, hours in ((structures, "30"), (structures, "10"), (travaux, "20"), (energie, "15")):
        InterventionFactory(programme=programme, academic_year=year, delivered_hours=Decimal(hours))
    TeachingVolume.objects.create(programme=structures, academic_year=year, total_hours=Decimal("400"))
    TeachingVolume.objects.create(programme=energie, academic_year=year, total_hours=Decimal("300"))

    [figures] = selectors.professional_teaching_figures(user=school["teacher"])
    assert figures.label == "2025-2026"
    rows = {row.label: (row.professional_hours, row.total_hours, row.share) for row in figures.rows}
    assert rows["Structures"] == (Decimal("40"), Decimal("400"), Decimal("10.0"))
    assert rows["Travaux publics"] == (Decimal("20"), None, None)
    # The department's share is unknown while one of its programmes' totals is.
    assert rows["Génie Civil"] == (Decimal("60"), None, None)
    assert rows["Énergie"] == (Decimal("15"), Decimal("300"), Decimal("5.0"))
    assert rows["Génie Électrique"] == (Decimal("15"), Decimal("300"), Decimal("5.0"))

    response = client_for(school["teacher"]).get(reverse("partners:teaching_figures"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "10.0 %" in content and "—" in content
    assert client_for(school["student"]).get(reverse("partners:teaching_figures")).status_code == 403
