"""Reminders of follow-up milestones: the digest section for academic tutors and the
internship office, and the daily notice of an overdue milestone, sent once."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from amelio.internships import digest
from amelio.internships.choices import InternshipStatus, MilestoneKind
from amelio.internships.models import Internship, Milestone
from amelio.internships.tasks import notify_overdue_milestones, overdue_milestones_notify
from amelio.internships.tests.factories import ContactFactory, year_2026
from amelio.notifications.digest import sections
from amelio.notifications.models import Notification
from amelio.notifications.tasks import build_digest
from amelio.organisation.choices import Role
from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory, grant

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
_references = itertools.count(1)


def days(number: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=number)


@pytest.fixture(autouse=True)
def site_url(settings: Any) -> None:
    settings.SITE_URL = "http://testserver"


def internship(school: dict[str, Any], *, department: Any, tutor: Any, status: str, **milestones: Any) -> Internship:
    """An internship written directly, with milestones given as kind=(due in days, done in days or None)."""
    contact = ContactFactory()
    record = Internship.objects.create(
        reference=f"ST-R-{next(_references):05d}",
        student=school["student"],
        company=contact.company,
        company_tutor=contact,
        academic_tutor=tutor,
        programme=ProgrammeFactory(department=department),
        academic_year=year_2026(),
        kind="engineer",
        subject="Sujet",
        starts_on=days(-30),
        ends_on=days(30),
        status=status,
    )
    for kind, (due, done) in milestones.items():
        Milestone.objects.create(
            internship=record, kind=kind, due_on=days(due), done_on=None if done is None else days(done)
        )
    return record


@pytest.fixture
def followed(school: dict[str, Any]) -> dict[str, Any]:
    other_teacher = PersonFactory(kind="teacher", email="other.teacher@school.test", department=school["civil"])
    office_electrical = PersonFactory(email="office.ge@school.test")
    grant(office_electrical, Role.INTERNSHIP_OFFICE, school["electrical"])
    civil, electrical = school["civil"], school["electrical"]
    mine = internship(
        school,
        department=civil,
        tutor=school["teacher"],
        status=InternshipStatus.UNDER_WAY,
        arrival_confirmed=(-10, -10),  # done
        midterm_contact=(-3, None),  # overdue
        company_evaluation=(7, None),  # due in a week
        report_submitted=(8, None),  # later
    )
    others = internship(
        school, department=civil, tutor=other_teacher, status=InternshipStatus.SIGNED, midterm_contact=(-1, None)
    )
    untutored = internship(
        school, department=electrical, tutor=None, status=InternshipStatus.UNDER_WAY, arrival_confirmed=(2, None)
    )
    internship(school, department=civil, tutor=school["teacher"], status=InternshipStatus.CANCELLED, grade=(-5, None))
    # Evaluated, its grade given: nothing left to follow.
    internship(school, department=civil, tutor=school["teacher"], status=InternshipStatus.EVALUATED, grade=(-5, -5))
    return {
        "other_teacher": other_teacher,
        "office_electrical": office_electrical,
        "mine": mine,
        "others": others,
        "untutored": untutored,
    }


def listed(person: Any) -> list[str]:
    _title, lines = digest.milestones_due(person, TODAY)
    return lines


def test_the_section_is_in_the_digest() -> None:
    assert digest.milestones_due in sections()


def test_the_tutor_sees_their_interns_milestones_due_within_a_week_or_overdue(
    school: dict[str, Any], followed: dict[str, Any]
) -> None:
    lines = listed(school["teacher"])
    assert len(lines) == 2
    assert lines[0].startswith(f"Overdue since {days(-3).isoformat()}: mid-term contact by the academic tutor")
    assert lines[1].startswith(f"Due on {days(7).isoformat()}: company tutor's evaluation")
    assert all(followed["mine"].reference in line for line in lines)
    assert lines[0].endswith(f"http://testserver/internships/{followed['mine'].pk}/")
    assert [line.split(" — ")[1].split()[0] for line in listed(followed["other_teacher"])] == [
        followed["others"].reference
    ]


def test_the_office_sees_the_milestones_of_its_scope(school: dict[str, Any], followed: dict[str, Any]) -> None:
    school_wide = listed(school["office"])
    assert [line.split(" — ")[1].split()[0] for line in school_wide] == [
        followed["mine"].reference,
        followed["others"].reference,
        followed["untutored"].reference,
        followed["mine"].reference,
    ]
    electrical = listed(followed["office_electrical"])
    assert len(electrical) == 1 and followed["untutored"].reference in electrical[0]


def test_nothing_for_a_student_or_anyone_else(school: dict[str, Any], followed: dict[str, Any]) -> None:
    for key in ("student", "head_civil", "quality_manager", "auditor"):
        assert listed(school[key]) == []
    text = build_digest(school["student"], TODAY)
    assert text is None or "milestone" not in text


def test_the_digest_text_and_its_limit(
    school: dict[str, Any], followed: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = build_digest(school["teacher"], TODAY)
    assert text is not None
    assert "Internship milestones due within 7 days or overdue" in text
    assert "mid-term contact by the academic tutor" in text
    monkeypatch.setattr(digest, "MAX_LINES", 2)
    lines = listed(school["office"])
    assert len(lines) == 3
    assert lines[-1] == "… and 2 more on the follow-up board: http://testserver/internships/follow-up/"


def test_an_overdue_milestone_is_notified_once_to_the_tutor(
    school: dict[str, Any], followed: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    assert HUEY.immediate  # the emails go at once, after commit (conftest)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_overdue_milestones.call_local() == 2
    notices = Notification.objects.filter(subject__startswith="Overdue milestone")
    assert sorted(notices.values_list("recipient__email", "subject")) == [
        ("other.teacher@school.test", f"Overdue milestone of {followed['others'].reference}: "
         "mid-term contact by the academic tutor"),
        ("teacher@school.test", f"Overdue milestone of {followed['mine'].reference}: "
         "mid-term contact by the academic tutor"),
    ]  # fmt: skip
    assert notices.get(recipient=school["teacher"]).url == f"/internships/{followed['mine'].pk}/#follow-up"
    assert len(mail.outbox) == 2

    # The next morning, and the one after: nothing more, even once read.
    notices.update(read_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_overdue_milestones.call_local() == 0
        assert overdue_milestones_notify(day=days(1)) == 0
    assert notices.count() == 2 and len(mail.outbox) == 2
    # Nothing moves on its own.
    assert Internship.objects.get(pk=followed["others"].pk).status == InternshipStatus.SIGNED


def test_a_milestone_that_becomes_overdue_later_is_notified_then(
    school: dict[str, Any], followed: dict[str, Any]
) -> None:
    assert overdue_milestones_notify(day=TODAY) == 2
    # A week and a day later the company evaluation is overdue too; the untutored one tells no one.
    assert overdue_milestones_notify(day=days(8)) == 1
    assert Notification.objects.filter(recipient=school["teacher"]).count() == 2
    Milestone.objects.filter(internship=followed["mine"], kind=MilestoneKind.REPORT_SUBMITTED).update(done_on=days(8))
    assert overdue_milestones_notify(day=days(9)) == 0


def test_the_task_runs_every_morning() -> None:
    periodic = {task.name for task in HUEY._registry.periodic_tasks}
    assert any(name.endswith("notify_overdue_milestones") for name in periodic)


def test_an_evaluated_internship_still_has_its_grade_to_come(school: dict[str, Any], followed: dict[str, Any]) -> None:
    """The report, defence and grade come after the company tutor's evaluation."""
    late = internship(
        school, department=school["civil"], tutor=school["teacher"], status=InternshipStatus.EVALUATED, grade=(-2, None)
    )
    assert any(late.reference in line and "grade" in line for line in listed(school["teacher"]))
