"""External auditors' accesses: the quality manager grants an account, or a person without
one through a personal link, read access to chosen frameworks and processes between two
dates. Inside scope and dates allowed; outside scope refused with nothing changed; refused
the day after the end date (the access ends by itself); revoked through its workflow; every
page and file opened logged and listed per access."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amelio.core import clock
from amelio.core.permissions import can
from amelio.history.models import HistoryEntry
from amelio.organisation.choices import PersonKind
from amelio.organisation.tests.factories import PersonFactory
from amelio.standards import services
from amelio.standards.choices import AccessStatus
from amelio.standards.models import AccessLogEntry, AuditorAccess, Clause, Framework
from amelio.standards.tests.factories import open_access

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def iso() -> Framework:
    return Framework.objects.get(code="ISO9001:2015")


def qualiopi() -> Framework:
    return Framework.objects.get(code="QUALIOPI")


def days(count: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=count)


def grant_data(school: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = {
        "auditor": school["auditor"],
        "frameworks": [iso()],
        "processes": [school["process_civil"]],
        "starts_on": days(0),
        "ends_on": days(4),
        "note": "Audit de surveillance",
    }
    data.update(changes)
    return data


def test_the_quality_manager_grants_an_account_read_access_to_chosen_frameworks_and_processes(
    school: dict[str, Any],
) -> None:
    manager, auditor = school["quality_manager"], school["auditor"]
    response = client_for(manager).post(
        reverse("standards:access_create"),
        {
            "auditor": auditor.pk,
            "frameworks": [iso().pk],
            "processes": [school["process_civil"].pk],
            "starts_on": days(0).isoformat(),
            "ends_on": days(4).isoformat(),
        },
    )
    access = AuditorAccess.objects.get()
    assert response.status_code == 302 and response["Location"] == access.get_absolute_url()
    assert access.granted_by == manager and access.status == AccessStatus.GRANTED and access.token_hash is None
    assert HistoryEntry.objects.filter(object_id=str(access.pk), action="create").exists()
    client = client_for(auditor)
    iso_clause = Clause.objects.get(framework=iso(), number="8.5")
    qualiopi_clause = Clause.objects.get(framework=qualiopi(), number="31")
    # Inside its scope.
    assert client.get(iso().get_absolute_url()).status_code == 200
    assert client.get(iso_clause.get_absolute_url()).status_code == 200
    assert client.get(school["process_civil"].get_absolute_url()).status_code == 200
    listed = client.get(reverse("standards:framework_list")).content.decode()
    assert iso().name in listed and qualiopi().name not in listed
    # Outside it: another framework, its requirements, another process.
    assert client.get(qualiopi().get_absolute_url()).status_code == 404
    assert client.get(qualiopi().get_absolute_url() + "?export=pdf").status_code == 404
    assert client.get(qualiopi_clause.get_absolute_url()).status_code == 404
    assert client.get(school["process_electrical"].get_absolute_url()).status_code == 404
    processes = client.get(reverse("processes:process_list")).content.decode()
    assert school["process_civil"].name in processes and school["process_electrical"].name not in processes
    # Every page opened is listed on the access, for the quality manager.
    page = client_for(manager).get(access.get_absolute_url()).content.decode()
    assert "9 pages or files opened" in page
    assert qualiopi_clause.get_absolute_url() in page and school["process_electrical"].get_absolute_url() in page
    assert AccessLogEntry.objects.filter(person=auditor).count() == 9


def test_the_access_opens_on_its_start_date_and_ends_by_itself_the_day_after_its_end_date(
    school: dict[str, Any],
) -> None:
    auditor = school["auditor"]
    access, _token = services.auditor_access_grant(
        actor=school["quality_manager"], data=grant_data(school, starts_on=days(1), ends_on=days(3))
    )
    url = iso().get_absolute_url()
    process_url = school["process_civil"].get_absolute_url()
    # Before the first day: nothing.
    assert client_for(auditor).get(url).status_code == 404
    assert client_for(auditor).get(process_url).status_code == 404
    for offset, expected in ((1, 200), (3, 200), (4, 404)):
        moment = timezone.now() + datetime.timedelta(days=offset)
        with clock.frozen_at(moment):
            client = client_for(auditor)
            assert client.get(url).status_code == expected, offset
            assert client.get(process_url).status_code == expected, offset
    # Nothing was written for it to end: its dates decide.
    access.refresh_from_db()
    assert access.status == AccessStatus.GRANTED


def test_an_auditor_changes_nothing_and_grants_nothing(school: dict[str, Any]) -> None:
    auditor = school["auditor"]
    open_access(auditor, frameworks=[iso()], processes=[school["process_civil"]])
    client = client_for(auditor)
    requirement = Clause.objects.get(framework=iso(), number="8.5")
    other = Clause.objects.get(framework=qualiopi(), number="31")
    assert client.post(requirement.get_absolute_url(), {"other": other.pk}).status_code == 403
    assert client.post(reverse("standards:access_create"), {"auditor": auditor.pk}).status_code == 403
    assert client.get(reverse("standards:access_list")).status_code == 403
    assert AuditorAccess.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.auditor_access_grant(actor=auditor, data=grant_data(school))
    for person in ("director", "teacher", "head_civil"):
        assert client_for(school[person]).get(reverse("standards:access_list")).status_code == 403
    assert AuditorAccess.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"frameworks": [], "processes": []}, "frameworks", "Choose at least one framework or one process."),
        ({"ends_on": days(-1), "starts_on": days(1)}, "ends_on", "The end date must come after the start date."),
        ({"starts_on": days(-5), "ends_on": days(-1)}, "ends_on", "The end date is already past."),
        ({"ends_on": days(100)}, "ends_on", "An access lasts at most 92 days."),
        (
            {"auditor": None, "auditor_name": "Jeanne Martin"},
            "auditor_email",
            "Choose the auditor's account, or give the email address to send the link to.",
        ),
        (
            {"auditor": None, "auditor_email": "jm@certif.test"},
            "auditor_name",
            "Give the name of the auditor who receives the link.",
        ),
    ],
)
def test_a_wrong_access_is_refused_with_its_message(
    school: dict[str, Any], changes: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refusal:
        services.auditor_access_grant(actor=school["quality_manager"], data=grant_data(school, **changes))
    assert refusal.value.message_dict[field] == [message]
    assert AuditorAccess.objects.count() == 0 and HistoryEntry.objects.count() == 0


def test_a_person_without_an_account_reads_through_a_personal_expiring_link(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    manager = school["quality_manager"]
    requirement = Clause.objects.get(framework=iso(), number="8.5")
    services.evidence_link(actor=manager, record=school["process_civil"], requirement=requirement)
    with django_capture_on_commit_callbacks(execute=True):
        access, token = services.auditor_access_grant(
            actor=manager,
            data=grant_data(school, auditor=None, auditor_name="Jeanne Martin", auditor_email="jm@certif.test"),
        )
    assert token and access.token_hash and token not in access.token_hash
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jm@certif.test"]
    link = reverse("standards:access_link", args=[token])
    assert link in mail.outbox[0].body
    visitor = Client()
    home = visitor.get(link)
    assert home.status_code == 200 and iso().name in home.content.decode()
    assert qualiopi().name not in home.content.decode()
    coverage = visitor.get(reverse("standards:access_link_framework", args=[token, iso().pk])).content.decode()
    assert 'data-number="8.5" data-status="covered"' in coverage
    page = visitor.get(reverse("standards:access_link_requirement", args=[token, requirement.pk]))
    assert page.status_code == 200 and str(school["process_civil"]) in page.content.decode()
    # Outside the access: another framework, a requirement of it.
    assert visitor.get(reverse("standards:access_link_framework", args=[token, qualiopi().pk])).status_code == 404
    other = Clause.objects.get(framework=qualiopi(), number="31")
    assert visitor.get(reverse("standards:access_link_requirement", args=[token, other.pk])).status_code == 404
    # Without an account, the staff pages stay closed.
    assert visitor.get(iso().get_absolute_url()).status_code == 302
    # Every page opened through the link is logged under the access, and listed on it.
    assert list(AccessLogEntry.objects.filter(access=access).values_list("status_code", flat=True)) == [
        404,
        404,
        200,
        200,
        200,
    ]
    detail = client_for(manager).get(access.get_absolute_url()).content.decode()
    assert "5 pages or files opened" in detail
    # A wrong token, and the day after the end date: refused.
    assert visitor.get(reverse("standards:access_link", args=["x" + token])).status_code == 410
    with clock.frozen_at(timezone.now() + datetime.timedelta(days=5)):
        refused = visitor.get(link)
    assert refused.status_code == 410 and "This access ended on" in refused.content.decode()


def test_a_link_opens_on_its_start_date(school: dict[str, Any]) -> None:
    _access, token = services.auditor_access_grant(
        actor=school["quality_manager"],
        data=grant_data(
            school,
            auditor=None,
            auditor_name="J. Martin",
            auditor_email="jm@certif.test",
            starts_on=days(7),
            ends_on=days(9),
        ),
    )
    response = Client().get(reverse("standards:access_link", args=[token]))
    assert response.status_code == 410 and "This access opens on" in response.content.decode()
    assert AccessLogEntry.objects.count() == 0


def test_revoking_ends_the_access_now_through_its_workflow(school: dict[str, Any]) -> None:
    manager, auditor = school["quality_manager"], school["auditor"]
    access, _token = services.auditor_access_grant(actor=manager, data=grant_data(school))
    step = reverse("standards:access_step", args=[access.pk, "revoke"])
    assert 'data-step="revoke"' in client_for(manager).get(access.get_absolute_url()).content.decode()
    # Refused to others, and without a reason: nothing changes.
    assert client_for(school["director"]).post(step, {"reason": "Fin"}).status_code == 404
    assert client_for(auditor).post(step, {"reason": "Fin"}).status_code == 404
    assert client_for(manager).post(step, {"reason": ""}).status_code == 400
    access.refresh_from_db()
    assert access.status == AccessStatus.GRANTED
    assert client_for(auditor).get(iso().get_absolute_url()).status_code == 200
    response = client_for(manager).post(step, {"reason": "Audit reporté"})
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.status == AccessStatus.REVOKED
    assert HistoryEntry.objects.filter(object_id=str(access.pk), reason="Audit reporté").exists()
    assert client_for(auditor).get(iso().get_absolute_url()).status_code == 404
    # Revoked once: not again.
    with pytest.raises(ValidationError, match="not possible while the access is"):
        services.auditor_access_revoke(actor=manager, access=access, reason="Encore")


def test_a_revoked_link_is_refused(school: dict[str, Any]) -> None:
    manager = school["quality_manager"]
    access, token = services.auditor_access_grant(
        actor=manager, data=grant_data(school, auditor=None, auditor_name="J. Martin", auditor_email="j@c.test")
    )
    services.auditor_access_revoke(actor=manager, access=access, reason="Changement d'auditeur")
    response = Client().get(reverse("standards:access_link", args=[token]))
    assert response.status_code == 410 and "This access has been revoked." in response.content.decode()


def test_an_account_without_an_external_auditor_role_is_refused_an_access(school: dict[str, Any]) -> None:
    person = PersonFactory(kind=PersonKind.EXTERNAL, email="expert@certif.test")
    with pytest.raises(ValidationError) as refusal:
        services.auditor_access_grant(actor=school["quality_manager"], data=grant_data(school, auditor=person))
    assert refusal.value.message_dict["auditor"] == [
        "This account holds no external auditor's role today: grant it the role first, or send a personal link."
    ]
    assert AuditorAccess.objects.count() == 0
    # Nor does an access written anyway open anything without the role.
    open_access(person, frameworks=[qualiopi()], processes=[school["process_school"]])
    client = client_for(person)
    assert client.get(qualiopi().get_absolute_url()).status_code == 403
    assert client.get(school["process_school"].get_absolute_url()).status_code == 403
    assert not can(person, "standards.view_frameworks", qualiopi())
