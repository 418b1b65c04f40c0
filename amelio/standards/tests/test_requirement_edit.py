"""The school's own requirements (its CTI criteria) are edited and deleted by the quality
manager; a published framework's are not; a requirement something rests on is not deleted,
with a message saying what."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from amelio.audits.models import Finding
from amelio.audits.tests.factories import audit_in
from amelio.history.models import HistoryEntry
from amelio.standards import services
from amelio.standards.models import Clause, ClauseMapping, EvidenceLink, Framework

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def cti(school: dict[str, Any]) -> Framework:
    manager = school["quality_manager"]
    framework = services.framework_create(actor=manager, data={"code": "CTI", "name": "CTI"})
    for number, title in (("C", "Formation"), ("C.4", "Stages"), ("C.5", "International")):
        services.requirement_create(actor=manager, framework=framework, data={"number": number, "title_fr": title})
    return framework


def test_the_quality_manager_edits_a_requirement_of_the_school_s_framework(
    school: dict[str, Any], cti: Framework
) -> None:
    requirement = cti.clauses.get(number="C.4")
    client = client_for(school["quality_manager"])
    url = reverse("standards:requirement_update", args=[requirement.pk])
    assert 'data-testid="edit-requirement"' in client.get(requirement.get_absolute_url()).content.decode()
    form = client.get(url)
    version = form.context["form"]["version"].value()
    response = client.post(
        url, {"title_fr": "Stages en entreprise", "title_en": "", "text": "Au moins 28 semaines.", "version": version}
    )
    assert response.status_code == 302 and response["Location"] == requirement.get_absolute_url()
    requirement.refresh_from_db()
    assert (requirement.title_fr, requirement.title_en, requirement.text, requirement.number) == (
        "Stages en entreprise",
        "Stages en entreprise",
        "Au moins 28 semaines.",
        "C.4",
    )
    # Written in the framework's history, where the requirement's deletion will be too.
    assert HistoryEntry.objects.filter(object_id=str(cti.pk), action="update").count() == 1
    # An empty French title is refused with its message, nothing changed.
    response = client.post(url, {"title_fr": " ", "title_en": "x", "text": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    with pytest.raises(ValidationError, match="The French title is required"):
        services.requirement_update(actor=school["quality_manager"], requirement=requirement, data={"title_fr": ""})
    requirement.refresh_from_db()
    assert requirement.title_fr == "Stages en entreprise"


def test_nobody_edits_or_deletes_a_published_requirement_nor_anyone_but_the_quality_manager(
    school: dict[str, Any], cti: Framework
) -> None:
    iso = Clause.objects.get(framework__code="ISO9001:2015", number="8.5")
    manager = client_for(school["quality_manager"])
    assert 'data-testid="edit-requirement"' not in manager.get(iso.get_absolute_url()).content.decode()
    assert manager.get(reverse("standards:requirement_update", args=[iso.pk])).status_code == 403
    assert manager.post(reverse("standards:requirement_delete", args=[iso.pk])).status_code == 403
    own = cti.clauses.get(number="C.5")
    for person in ("director", "teacher", "auditor"):
        client = client_for(school[person])
        assert client.post(reverse("standards:requirement_update", args=[own.pk]), {"title_fr": "X"}).status_code in (
            403,
            404,
        )
        assert client.post(reverse("standards:requirement_delete", args=[own.pk])).status_code in (403, 404)
        with pytest.raises(PermissionDenied):
            services.requirement_delete(actor=school[person], requirement=own)
    assert Clause.objects.filter(pk__in=[iso.pk, own.pk]).count() == 2
    own.refresh_from_db()
    assert own.title_fr == "International"


def test_a_requirement_is_deleted_only_once_nothing_rests_on_it(school: dict[str, Any], cti: Framework) -> None:
    manager = school["quality_manager"]
    parent, child = cti.clauses.get(number="C"), cti.clauses.get(number="C.4")
    iso = Clause.objects.get(framework__code="ISO9001:2015", number="8.5")
    services.evidence_link(actor=manager, record=school["process_civil"], requirement=child)
    services.mapping_create(actor=manager, requirement=child, other=iso)
    client = client_for(manager)
    # Requirements below it.
    response = client.post(reverse("standards:requirement_delete", args=[parent.pk]))
    assert response.status_code == 302 and response["Location"] == parent.get_absolute_url()
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Requirement C cannot be deleted while it has 2 requirement(s) below it: remove them first."
    ]
    # Evidence and a mapping.
    with pytest.raises(ValidationError) as refusal:
        services.requirement_delete(actor=manager, requirement=child)
    assert refusal.value.messages == [
        "Requirement C.4 cannot be deleted while it has 1 evidence link(s), 1 mapping(s) to other frameworks: "
        "remove them first."
    ]
    assert Clause.objects.filter(framework=cti).count() == 3
    # An audit finding written against it.
    finding = Finding.objects.create(
        audit=audit_in(school),
        number=1,
        grade="observation",
        statement="S",
        evidence="E",
        requirement="R",
        clause=cti.clauses.get(number="C.5"),
    )
    with pytest.raises(ValidationError, match="1 other record"):
        services.requirement_delete(actor=manager, requirement=cti.clauses.get(number="C.5"))
    assert Clause.objects.filter(framework=cti).count() == 3
    assert finding.clause_id and not HistoryEntry.objects.filter(action="delete").exists()
    # Once unlinked and unmapped, it goes, with its history line.
    EvidenceLink.objects.all().delete()
    ClauseMapping.objects.all().delete()
    response = client.post(reverse("standards:requirement_delete", args=[child.pk]))
    assert response.status_code == 302 and response["Location"] == cti.get_absolute_url()
    assert not Clause.objects.filter(pk=child.pk).exists()
    deleted = HistoryEntry.objects.get(action="delete", object_id=str(cti.pk))
    assert "C.4" in str(deleted.changes)
