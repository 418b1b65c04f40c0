"""The public complaint form (/improvement/complaint/): anyone, without an account, may
complain; bad input and robots write nothing; an address is limited to five an hour."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amelio.history.models import HistoryEntry
from amelio.improvement.choices import ItemStatus, Origin
from amelio.improvement.models import ImprovementItem
from amelio.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

URL = reverse("improvement:public_complaint")


def complaint(**changes: str) -> dict[str, str]:
    data = {
        "contact_name": "Claire Entreprise",
        "contact_email": "claire@entreprise.test",
        "complainant_kind": "company",
        "title": "Convention de stage reçue en retard",
        "description": "La convention de notre stagiaire nous est parvenue après le début du stage.",
        "website": "",
    }
    data.update(changes)
    return data


def nothing_written() -> bool:
    return (
        not ImprovementItem.objects.exists() and not HistoryEntry.objects.exists() and not Notification.objects.exists()
    )


def test_the_form_is_open_without_an_account() -> None:
    response = Client().get(URL)
    assert response.status_code == 200
    assert "contact_email" in response.context["form"].fields


def test_a_valid_complaint_is_recorded_and_acknowledged(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(URL, complaint())
    assert response.status_code == 200
    item = ImprovementItem.objects.get()
    assert item.origin == Origin.COMPLAINT
    assert item.status == ItemStatus.NEW
    assert item.contact_name == "Claire Entreprise"
    assert item.contact_email == "claire@entreprise.test"
    assert item.complainant_kind == "company"
    assert item.raised_by is None
    assert item.reference == f"RE-{timezone.localdate().year}-0001"
    assert response.context["done"] is True
    assert response.context["reference"] == item.reference
    assert item.reference in response.content.decode()
    acknowledgements = [message for message in mail.outbox if message.to == ["claire@entreprise.test"]]
    assert len(acknowledgements) == 1
    assert item.reference in acknowledgements[0].subject
    assert "Claire Entreprise" in acknowledgements[0].body
    # The quality manager is told of a complaint tied to no process.
    assert Notification.objects.filter(recipient=school["quality_manager"], url=item.get_absolute_url()).exists()
    assert HistoryEntry.objects.filter(object_id=str(item.pk)).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contact_email": ""}, "contact_email"),
        ({"contact_email": "claire-at-entreprise"}, "contact_email"),
        ({"contact_name": ""}, "contact_name"),
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"title": ""}, "title"),
        ({"complainant_kind": "robot"}, "complainant_kind"),
    ],
    ids=[
        "missing-email",
        "invalid-email",
        "missing-name",
        "empty-description",
        "blank-description",
        "too-long-description",
        "missing-subject",
        "unknown-complainant",
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_writes_nothing(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any, changes: dict[str, str], field: str
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(URL, complaint(**changes))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert f'id="id_{field}_error"' in response.content.decode()
    # What was typed is kept.
    if field != "contact_email":
        assert form["contact_email"].value() == "claire@entreprise.test"
    assert nothing_written()
    assert mail.outbox == []


def test_a_robot_filling_the_hidden_field_is_answered_as_a_success_but_nothing_is_written(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(URL, complaint(website="https://spam.example"))
    assert response.status_code == 200
    assert response.context["done"] is True
    assert nothing_written()
    assert mail.outbox == []


def test_the_sixth_complaint_from_one_address_within_the_hour_is_refused(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for number in range(5):
        response = client.post(URL, complaint(title=f"Réclamation {number}"))
        assert response.status_code == 200, number
    assert ImprovementItem.objects.count() == 5
    history_before = HistoryEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, complaint(title="Une de trop"))
    assert response.status_code == 429
    assert "Too many complaints" in response.content.decode()
    assert ImprovementItem.objects.count() == 5
    assert not ImprovementItem.objects.filter(title="Une de trop").exists()
    assert HistoryEntry.objects.count() == history_before
    assert mail.outbox == []
    # Another address is not held back.
    response = Client(REMOTE_ADDR="198.51.100.2").post(URL, complaint(title="Autre adresse"))
    assert response.status_code == 200
    assert ImprovementItem.objects.filter(title="Autre adresse").exists()


def test_robots_count_towards_the_limit_too(school: dict[str, Any]) -> None:
    client = Client(REMOTE_ADDR="203.0.113.8")
    for _number in range(5):
        assert client.post(URL, complaint(website="spam")).status_code == 200
    assert client.post(URL, complaint()).status_code == 429
    assert nothing_written()


def test_the_limit_counts_posts_within_the_hour_not_since_the_first_one(
    school: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five complaints spread over four hours never make more than one within the hour: the
    sixth is accepted, and the window is not pushed back by each post."""
    import time
    from types import SimpleNamespace

    from django.core.cache.backends import base, locmem

    start = time.time()
    client = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(6):
        # The cache's clock only (the tests' cache is local memory): 50 minutes between two posts.
        clock = SimpleNamespace(time=lambda number=number: start + number * 50 * 60)
        monkeypatch.setattr(locmem, "time", clock)
        monkeypatch.setattr(base, "time", clock)
        response = client.post(URL, complaint(title=f"Réclamation {number}"))
        assert response.status_code == 200, number
    assert ImprovementItem.objects.count() == 6


def test_reading_the_form_is_not_counted(school: dict[str, Any]) -> None:
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _number in range(20):
        assert client.get(URL).status_code == 200
    for number in range(5):
        assert client.post(URL, complaint(title=f"Réclamation {number}")).status_code == 200, number
    refused = client.post(URL, complaint(title="Une de trop"))
    assert refused.status_code == 429
    assert "Too many complaints from your address" in refused.content.decode()
    assert refused.context["form"]["title"].value() == "Une de trop"  # what was typed is kept
    # The form itself is still shown: reading is never refused.
    assert client.get(URL).status_code == 200
    assert ImprovementItem.objects.count() == 5


def test_bad_posts_count_towards_the_limit_too(school: dict[str, Any]) -> None:
    """Every post is work for the server and a try for a robot, valid or not."""
    client = Client(REMOTE_ADDR="203.0.113.11")
    for _number in range(5):
        assert client.post(URL, complaint(contact_email="not-an-address")).status_code == 400
    assert client.post(URL, complaint()).status_code == 429
    assert nothing_written()


def test_behind_the_proxy_the_forwarded_client_is_counted(school: dict[str, Any], settings: Any) -> None:
    """Every request reaches Amelio from the proxy's address: each client is told apart by the
    address the proxy adds to X-Forwarded-For, and what a client writes there itself is ignored."""
    settings.BEHIND_HTTPS_PROXY = True
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    for number in range(5):
        response = proxy.post(
            URL, complaint(title=f"Réclamation {number}"), HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 198.51.100.7"
        )
        assert response.status_code == 200, number
    refused = proxy.post(URL, complaint(title="Une de trop"), HTTP_X_FORWARDED_FOR="192.0.2.99, 198.51.100.7")
    assert refused.status_code == 429
    other = proxy.post(URL, complaint(title="Un autre client"), HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 200
    assert ImprovementItem.objects.count() == 6


def test_without_the_proxy_setting_a_forwarded_header_changes_nothing(school: dict[str, Any], settings: Any) -> None:
    settings.BEHIND_HTTPS_PROXY = False
    client = Client(REMOTE_ADDR="203.0.113.12")
    for number in range(5):
        response = client.post(URL, complaint(title=f"Réclamation {number}"), HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
        assert response.status_code == 200, number
    assert client.post(URL, complaint(), HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429
