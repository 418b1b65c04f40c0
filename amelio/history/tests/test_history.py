"""The audit trail: append-only, shown on each record, searchable by the quality manager."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amelio.history.models import HistoryEntry
from amelio.history.services import history_record
from amelio.processes.models import Process
from amelio.processes.services import process_update

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_entries_can_be_neither_changed_nor_deleted(school: dict[str, Any]) -> None:
    entry = history_record(instance=school["process_civil"], action="update", actor=school["quality_manager"])
    entry.reason = "réécrit"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        HistoryEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(TypeError):
        HistoryEntry.objects.filter(pk=entry.pk).delete()
    assert HistoryEntry.objects.get(pk=entry.pk).reason == ""


def test_history_is_written_in_the_same_transaction_as_the_change(school: dict[str, Any]) -> None:
    """A change that fails validation leaves neither the change nor an entry."""
    process = school["process_civil"]
    before = HistoryEntry.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - the code is unique; any failure must roll back
        process_update(actor=school["quality_manager"], process=process, data={"code": "R-GE", "name": "X"})
    assert HistoryEntry.objects.count() == before
    process.refresh_from_db()
    assert process.name == "Projets de génie civil"


def test_each_record_shows_its_history(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    process_update(actor=school["quality_manager"], process=process, data={"name": "Nom révisé"}, reason="Revue 2026")
    html = client_for(school["teacher"]).get(process.get_absolute_url()).content.decode()
    assert "Nom révisé" in html and "Projets de génie civil" in html
    assert "Revue 2026" in html
    assert str(school["quality_manager"]) in html


def test_quality_manager_searches_the_trail_by_person_type_and_date(school: dict[str, Any]) -> None:
    qm, director = school["quality_manager"], school["director"]
    process_update(actor=qm, process=school["process_civil"], data={"name": "Par le RQ"})
    process_update(actor=director, process=school["process_school"], data={"name": "Par la direction"})
    client = client_for(qm)
    url = reverse("history:search")

    def objects(**params: Any) -> list[str]:
        response = client.get(url, params)
        assert response.status_code == 200
        return [row.record.object_repr for row in response.context["table"].page.object_list]

    assert objects(actor=director.pk) == ["M-01 Par la direction"]
    process_type = ContentType.objects.get_for_model(Process).pk
    assert set(objects(content_type=process_type, action="update")) == {"R-GC Par le RQ", "M-01 Par la direction"}
    today = timezone.localdate()
    assert len(objects(since=today.isoformat(), action="update")) == 2
    assert objects(until=(today - datetime.timedelta(days=1)).isoformat()) == []
    assert objects(q="direction") == ["M-01 Par la direction"]
    export = client.get(url, {"actor": director.pk, "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("key", ["teacher", "head_civil", "student", "director"])
def test_the_whole_trail_is_closed_to_others(school: dict[str, Any], key: str) -> None:
    assert client_for(school[key]).get(reverse("history:search")).status_code == 403


def test_external_auditor_reads_the_trail_until_the_end_date(school: dict[str, Any]) -> None:
    assert client_for(school["auditor"]).get(reverse("history:search")).status_code == 200


def test_history_times_are_shown_in_the_schools_time_zone(school: dict[str, Any], settings: Any) -> None:
    """Stored in UTC, read in the school's time zone and the reader's date format."""
    from zoneinfo import ZoneInfo

    settings.LANGUAGE_CODE = "fr"
    process = school["process_civil"]
    process_update(actor=school["quality_manager"], process=process, data={"name": "À l'heure de Paris"})
    entry = HistoryEntry.objects.filter(object_id=str(process.pk)).first()
    assert entry is not None
    html = client_for(school["quality_manager"]).get(process.get_absolute_url()).content.decode()
    local = entry.timestamp.astimezone(ZoneInfo(settings.TIME_ZONE))
    assert local.strftime("%d/%m/%Y %H:%M") in html
    assert " UTC" not in html


def test_choices_are_stored_as_codes_and_shown_in_the_readers_language(school: dict[str, Any], settings: Any) -> None:
    process = school["process_civil"]
    process_update(actor=school["quality_manager"], process=process, data={"kind": "support"})
    entry = HistoryEntry.objects.filter(object_id=str(process.pk), action="update").latest("id")
    assert entry.changes["kind"] == ["realisation", "support"]
    client = client_for(school["teacher"])
    settings.LANGUAGE_CODE = "fr"
    french = client.get(process.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<del>réalisation</del> → support" in french
    english = client.get(process.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<del>realisation</del> → support" in english


def test_dates_and_times_stored_in_changes_are_shown_in_the_readers_format(settings: Any) -> None:
    from django.utils import translation

    from amelio.history.labels import value_label
    from amelio.improvement.models import ImprovementItem

    settings.TIME_ZONE = "Europe/Paris"
    stored_time, stored_day = "2026-11-30 22:23:34.422165+00:00", "2026-11-05"
    with translation.override("fr"), timezone.override("Europe/Paris"):
        assert value_label(ImprovementItem, "created_at", stored_time) == "30/11/2026 23:23"
        assert value_label(ImprovementItem, "due_on", stored_day) == "05/11/2026"
    with translation.override("en"), timezone.override("Europe/Paris"):
        shown = value_label(ImprovementItem, "created_at", stored_time)
        assert "2026" in shown and "11:23" in shown and "34.422" not in shown
    # What cannot be read as a date is shown as it was stored.
    assert value_label(ImprovementItem, "due_on", "not a date") == "not a date"
    assert value_label(ImprovementItem, "due_on", "2026-13-45") == "2026-13-45"


def test_the_trail_export_gives_the_schools_times_to_the_second(school: dict[str, Any], settings: Any) -> None:
    from zoneinfo import ZoneInfo

    process = school["process_civil"]
    process_update(actor=school["quality_manager"], process=process, data={"name": "Exporté"})
    entry = HistoryEntry.objects.filter(object_id=str(process.pk)).latest("id")
    response = client_for(school["quality_manager"]).get(reverse("history:search"), {"export": "csv"})
    text = response.content.decode("utf-8-sig")
    local = entry.timestamp.astimezone(ZoneInfo(settings.TIME_ZONE))
    assert local.strftime("%Y-%m-%d %H:%M:%S %Z") in text
    assert "T" + entry.timestamp.astimezone(datetime.UTC).strftime("%H:%M") not in text


def test_moments_and_booleans_recorded_under_keys_of_their_own_are_shown_readably(settings: Any) -> None:
    """A service may record a moment under a key that is no field of the record (an audit's
    "answered_at"): it is read in the school's zone and the reader's format, never as stored."""
    from django.utils import translation

    from amelio.history.labels import value_label
    from amelio.organisation.models import Department
    from amelio.processes.models import Process

    with translation.override("fr"):
        assert value_label(Process, "answered_at", "2025-09-16 08:00:00+00:00") == "16/09/2025 10:00"
        assert value_label(Process, "answered_at", "2025-09-16T08:00:00.123456+00:00") == "16/09/2025 10:00"
        assert value_label(Process, "checked_on", "2025-09-16") == "16/09/2025"
        assert value_label(Department, "is_active", "False") == "non"
        assert value_label(Process, "name", "Rien à lire") == "Rien à lire"
