"""A student (anyone outside the quality system) reports a problem or an idea in plain words;
the ISO classification (origin, severity, clauses) is set later by whoever manages the item,
through the workflow's "classify" step. Until then the item is "to classify"."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from amelio.history.models import HistoryEntry
from amelio.improvement import services
from amelio.improvement.choices import ItemStatus, Origin
from amelio.improvement.models import ImprovementItem
from amelio.standards.models import Clause

pytestmark = pytest.mark.django_db

CREATE = "improvement:item_create"


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def report(school: dict[str, Any], **changes: Any) -> ImprovementItem:
    data = {"reported_as": "problem", "title": "Salle fermée", "description": "La salle B12 était fermée."}
    data.update(changes)
    return services.item_report(actor=school["student"], data=data)


def test_the_student_form_asks_in_plain_words(school: dict[str, Any]) -> None:
    response = client_for(school["student"]).get(reverse(CREATE))
    form = response.context["form"]
    assert set(form.fields) == {"reported_as", "title", "description", "process", "attachments"}
    page = response.content.decode()
    assert "Is it a problem or an idea?" in page
    # Processes are offered by their name, with "I don't know" first: no code, no clause.
    assert school["process_civil"].name in page and "R-GC" not in page
    assert "I don&#x27;t know: the person in charge will choose" in page


def test_the_staff_form_keeps_the_classification(school: dict[str, Any]) -> None:
    form = client_for(school["teacher"]).get(reverse(CREATE)).context["form"]
    assert {"origin", "severity", "clauses", "complainant_kind"} <= set(form.fields)
    response = client_for(school["teacher"]).post(reverse(CREATE), {"title": "Sans origine", "description": "x"})
    assert response.status_code == 200 and "origin" in response.context["form"].errors
    assert not ImprovementItem.objects.exists()


def test_a_student_report_waits_to_be_classified(school: dict[str, Any]) -> None:
    response = client_for(school["student"]).post(
        reverse(CREATE),
        {"reported_as": "problem", "title": "Salle fermée", "description": "La salle B12 était fermée."},
    )
    item = ImprovementItem.objects.get()
    assert response.status_code == 302
    assert (item.status, item.origin, item.severity, item.reported_as) == (ItemStatus.TO_CLASSIFY, "", "", "problem")
    assert item.reference.startswith("SI-")
    assert item.process is None and not item.clauses.exists()
    page = client_for(school["student"]).get(item.get_absolute_url()).content.decode()
    assert 'data-testid="to-classify"' in page and "status-to_classify" in page
    listed = client_for(school["quality_manager"]).get(reverse("improvement:item_list") + "?status=to_classify")
    assert [row.record for row in listed.context["table"].page.object_list] == [item]


def test_a_student_posting_the_iso_fields_is_refused_and_nothing_is_written(school: dict[str, Any]) -> None:
    clause = Clause.objects.order_by("sort_key").first()
    assert clause is not None
    response = client_for(school["student"]).post(
        reverse(CREATE),
        {
            "reported_as": "problem",
            "title": "Salle fermée",
            "description": "x",
            "origin": Origin.NONCONFORMITY,
            "severity": "major",
            "clauses": [clause.pk],
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors == ["These fields are set by the person who classifies the report: clauses, origin, severity."]
    assert not ImprovementItem.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_the_report_service_refuses_the_classification_fields(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="origin, severity"):
        report(school, origin=Origin.NONCONFORMITY, severity="major")
    with pytest.raises(ValidationError):
        report(school, reported_as="complaint")
    assert not ImprovementItem.objects.exists()


def test_the_process_owner_classifies_a_report_through_the_workflow(school: dict[str, Any]) -> None:
    item = report(school, process=school["process_civil"])
    clauses = list(Clause.objects.order_by("sort_key")[:2])
    url = reverse("improvement:item_step", args=[item.pk, "classify"])
    # Accepting is not possible before classifying: the workflow goes through "classify".
    with pytest.raises(ValidationError):
        services.item_accept(actor=school["teacher"], item=item)
    response = client_for(school["teacher"]).post(
        url,
        {
            "origin": Origin.NONCONFORMITY,
            "severity": "major",
            "process": school["process_civil"].pk,
            "clauses": [clause.pk for clause in clauses],
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.origin, item.severity) == (ItemStatus.NEW, Origin.NONCONFORMITY, "major")
    assert set(item.clauses.all()) == set(clauses)
    assert item.department == school["civil"]
    entry = HistoryEntry.objects.filter(object_id=str(item.pk), action="transition").get()
    assert entry.changes["status"] == ["to_classify", "new"] and entry.changes["origin"][1] == Origin.NONCONFORMITY
    services.item_accept(actor=school["teacher"], item=item)


def test_a_classification_is_checked_like_a_raise(school: dict[str, Any]) -> None:
    item = report(school, process=school["process_civil"])
    response = client_for(school["teacher"]).post(
        reverse("improvement:item_step", args=[item.pk, "classify"]), {"origin": Origin.NONCONFORMITY}
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == ItemStatus.TO_CLASSIFY and item.origin == ""


@pytest.mark.parametrize(("key", "expected"), [("student", 403), ("head_electrical", 404), ("director", 403)])
def test_only_those_who_manage_the_item_classify_it(school: dict[str, Any], key: str, expected: int) -> None:
    item = report(school, process=school["process_civil"])
    response = client_for(school[key]).post(
        reverse("improvement:item_step", args=[item.pk, "classify"]), {"origin": Origin.SUGGESTION}
    )
    assert response.status_code == expected
    with pytest.raises((PermissionDenied, ValidationError)):
        services.item_classify(actor=school[key], item=item, classification={"origin": Origin.SUGGESTION})
    item.refresh_from_db()
    assert item.status == ItemStatus.TO_CLASSIFY and item.origin == ""


def test_a_report_tied_to_nothing_waits_on_the_quality_manager(school: dict[str, Any]) -> None:
    item = report(school)
    listed = client_for(school["quality_manager"]).get(reverse("improvement:item_list") + "?waiting=true")
    assert [row.record for row in listed.context["table"].page.object_list] == [item]
    mine = client_for(school["teacher"]).get(reverse("improvement:item_list") + "?waiting=true")
    assert list(mine.context["table"].page.object_list) == []
    services.item_classify(
        actor=school["quality_manager"],
        item=item,
        classification={"origin": Origin.COMPLAINT, "complainant_kind": "student"},
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.NEW and item.complainant_kind == "student"


def test_the_action_register_lists_open_actions_by_due_date_then_done_then_cancelled(school: dict[str, Any]) -> None:
    import datetime

    from django.utils import timezone

    from amelio.improvement.choices import ActionStatus
    from amelio.improvement.tests.factories import ActionFactory

    today = timezone.localdate()

    def day(offset: int) -> datetime.date:
        return today + datetime.timedelta(days=offset)

    cancelled_old = ActionFactory(due_on=day(-400), status=ActionStatus.CANCELLED, cancellation_reason="Remplacée")
    done_old = ActionFactory(due_on=day(-300), status=ActionStatus.DONE)
    done_recent = ActionFactory(due_on=day(-10), status=ActionStatus.DONE)
    open_late = ActionFactory(due_on=day(-5), status=ActionStatus.IN_PROGRESS)
    open_soon = ActionFactory(due_on=day(3))
    open_later = ActionFactory(due_on=day(60))
    response = client_for(school["quality_manager"]).get(reverse("improvement:action_list"))
    rows = [row.record for row in response.context["table"].page.object_list]
    assert rows == [open_late, open_soon, open_later, done_recent, done_old, cancelled_old]


def test_the_figures_count_a_report_waiting_to_be_classified(school: dict[str, Any]) -> None:
    """A report has no origin yet: the figures page and its PDF show it as to classify
    (they answered 500 when the merged figures read every open item's origin)."""
    report(school)
    client = client_for(school["quality_manager"])
    page = client.get(reverse("improvement:dashboard"))
    assert page.status_code == 200
    assert "to classify" in page.content.decode()
    assert client.get(reverse("improvement:dashboard_pdf")).status_code == 200
