"""Who may do what in the risk register: allowed, denied, out of scope, and nothing changed
on denial. The quality manager manages every risk; a process owner those of their process;
a department head those of their department's processes; the staff side reads (auditors
included); students see nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amelio.core.permissions import can, visible
from amelio.history.models import HistoryEntry
from amelio.organisation.choices import Role
from amelio.organisation.tests.factories import PersonFactory, grant
from amelio.risks import services
from amelio.risks.models import Risk, RiskScale

from .factories import RiskFactory, risk_data

pytestmark = pytest.mark.django_db

# Who manages a risk of the civil engineering process (owned by the teacher, in the civil
# department) and who does not.
MANAGERS = ["quality_manager", "teacher", "head_civil"]
NOT_MANAGERS = ["director", "head_electrical", "student", "auditor", "office"]


@pytest.mark.parametrize("role", MANAGERS)
def test_managers_edit_a_risk(school: dict[str, Any], role: str) -> None:
    risk = RiskFactory(process=school["process_civil"])
    services.risk_update(actor=school[role], risk=risk, data={"title": f"Revu par {role}"})
    assert Risk.objects.get(pk=risk.pk).title == f"Revu par {role}"


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_others_may_not_edit_and_nothing_changes(school: dict[str, Any], role: str) -> None:
    risk = RiskFactory(process=school["process_civil"])
    entries = HistoryEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.risk_update(actor=school[role], risk=risk, data={"title": "Changé"})
    with pytest.raises(PermissionDenied):
        services.risk_plan_action(actor=school[role], risk=risk, data={})
    assert Risk.objects.get(pk=risk.pk).title == risk.title
    assert HistoryEntry.objects.count() == entries


def test_a_co_owner_by_role_manages_the_risks_of_that_process(school: dict[str, Any]) -> None:
    co_owner = PersonFactory()
    grant(co_owner, Role.PROCESS_OWNER, school["process_electrical"])
    assert can(co_owner, "risks.manage_risk", RiskFactory(process=school["process_electrical"]))
    assert not can(co_owner, "risks.manage_risk", RiskFactory(process=school["process_civil"]))


@pytest.mark.parametrize(
    ("role", "process", "allowed"),
    [
        ("quality_manager", "process_school", True),
        ("teacher", "process_civil", True),
        ("teacher", "process_electrical", False),
        ("head_civil", "process_civil", True),
        ("head_civil", "process_school", False),
        ("head_electrical", "process_civil", False),
        ("director", "process_school", True),  # owns the school's management process
        ("auditor", "process_civil", False),
        ("student", "process_civil", False),
    ],
)
def test_recording_a_risk_needs_the_right_on_its_process(
    school: dict[str, Any], role: str, process: str, allowed: bool
) -> None:
    data = risk_data(school, process=school[process])
    if allowed:
        assert services.risk_create(actor=school[role], data=data).process == school[process]
    else:
        with pytest.raises(PermissionDenied):
            services.risk_create(actor=school[role], data=data)
        assert not Risk.objects.exists()


def test_the_owner_of_a_risk_records_its_review_but_does_not_edit_it(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"], owner=school["office"])
    next_review = timezone.localdate() + datetime.timedelta(days=60)
    services.risk_review(actor=school["office"], risk=risk, next_review_on=next_review)
    assert Risk.objects.get(pk=risk.pk).review_on == next_review
    with pytest.raises(PermissionDenied):
        services.risk_update(actor=school["office"], risk=risk, data={"title": "X"})
    with pytest.raises(PermissionDenied):
        services.risk_review(actor=school["auditor"], risk=risk, next_review_on=next_review + datetime.timedelta(1))
    assert Risk.objects.get(pk=risk.pk).review_on == next_review


@pytest.mark.parametrize("role", ["teacher", "head_civil", "director", "auditor", "office"])
def test_only_the_quality_manager_sets_the_scale(school: dict[str, Any], role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.risk_scale_update(actor=school[role], maximum=4)
    assert not RiskScale.objects.exists()
    services.risk_scale_update(actor=school["quality_manager"], maximum=4)
    assert RiskScale.objects.get().maximum == 4


def test_the_staff_side_reads_the_register_and_students_see_nothing(school: dict[str, Any]) -> None:
    RiskFactory(process=school["process_civil"])
    RiskFactory(process=school["process_electrical"])
    for role in ["quality_manager", "director", "head_electrical", "teacher", "auditor", "office"]:
        assert visible(school[role], Risk.objects.all()).count() == 2, role
    assert visible(school["student"], Risk.objects.all()).count() == 0


def test_pages_answer_as_the_rules_say(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"])
    pages = {
        "list": reverse("risks:risk_list"),
        "matrix": reverse("risks:risk_matrix"),
        "detail": reverse("risks:risk_detail", args=[risk.pk]),
        "edit": reverse("risks:risk_update", args=[risk.pk]),
        "review": reverse("risks:risk_review", args=[risk.pk]),
        "scale": reverse("risks:scale_update"),
        "new": reverse("risks:risk_create"),
    }
    expected = {
        "quality_manager": dict.fromkeys(pages, 200),
        "teacher": {**dict.fromkeys(pages, 200), "scale": 403},
        "auditor": {"list": 200, "matrix": 200, "detail": 200, "edit": 403, "review": 403, "scale": 403, "new": 403},
        "head_electrical": {
            "list": 200,
            "matrix": 200,
            "detail": 200,
            "edit": 403,
            "review": 403,
            "scale": 403,
            "new": 200,
        },
        "student": dict.fromkeys(pages, 403),
    }
    for role, statuses in expected.items():
        client = Client()
        client.force_login(school[role])
        answered = {name: client.get(url).status_code for name, url in pages.items()}
        assert answered == statuses, role


def test_an_auditor_posting_an_edit_changes_nothing(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"])
    client = Client()
    client.force_login(school["auditor"])
    response = client.post(reverse("risks:risk_update", args=[risk.pk]), {"title": "Piraté"})
    assert response.status_code == 403
    assert Risk.objects.get(pk=risk.pk).title == risk.title
