"""The home page says, for every role, what waits on that person today: each count is a link
to the list filtered to exactly those rows, and the list shows the same number. Cards at zero
are left out. One test per role builds its data; the page runs a fixed number of queries."""

from __future__ import annotations

import datetime
import itertools
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amelio.improvement.choices import ActionStatus, ItemStatus
from amelio.improvement.tests.factories import ActionFactory, ImprovementItemFactory
from amelio.internships.choices import InternshipStatus, MilestoneKind
from amelio.internships.models import Internship, Milestone
from amelio.internships.tests.factories import agreement_data
from amelio.organisation.choices import PersonKind, Role
from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory, grant
from tests.query_budgets import check_query_budgets

pytestmark = pytest.mark.django_db

COUNT = re.compile(r'<a [^>]*href="(?P<url>[^"]+)" data-testid="(?P<testid>home-[a-z-]+)" data-count="(?P<count>\d+)"')
_references = itertools.count(1)


def today() -> datetime.date:
    return timezone.localdate()


def days(number: int) -> datetime.date:
    return today() + datetime.timedelta(days=number)


def home_counts(client: Client) -> dict[str, tuple[int, str]]:
    """Each count of the home page by its test id: (count, the link's address)."""
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    html = response.content.decode()
    return {
        match["testid"]: (int(match["count"]), match["url"].replace("&amp;", "&")) for match in COUNT.finditer(html)
    }


def listed(client: Client, url: str) -> int:
    """How many rows the list or board behind a home link shows."""
    response = client.get(url)
    assert response.status_code == 200, url
    if "board" in response.context:
        return len(response.context["board"]["milestones"])
    return int(response.context["table"].paginator.count)


def assert_counts(client: Client, expected: dict[str, int]) -> dict[str, tuple[int, str]]:
    """The home shows exactly `expected` (no other count), and each link lists that many rows."""
    counts = home_counts(client)
    assert {testid: count for testid, (count, _url) in counts.items()} == expected
    for testid, (count, url) in counts.items():
        assert listed(client, url) == count, testid
    return counts


def internship(school: dict[str, Any], *, status: str, department: Any = None, **changes: Any) -> Internship:
    programme = ProgrammeFactory(department=department or school["civil"])
    return Internship.objects.create(
        **agreement_data(school, programme=programme, **changes), reference=f"ST-H-{next(_references)}", status=status
    )


def milestone(internship: Internship, kind: str, due_on: datetime.date, *, done: bool = False) -> Milestone:
    return Milestone.objects.create(internship=internship, kind=kind, due_on=due_on, done_on=today() if done else None)


def login(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


# One test per role ----------------------------------------------------------------------


def test_quality_manager_sees_own_actions_and_the_items_awaiting_the_check(school: dict[str, Any]) -> None:
    qm = school["quality_manager"]
    ActionFactory(owner=qm, due_on=days(-3))
    ActionFactory(owner=qm, due_on=days(0))
    ActionFactory(owner=qm, due_on=days(6), status=ActionStatus.IN_PROGRESS)
    ActionFactory(owner=qm, due_on=days(7))  # beyond the week
    ActionFactory(owner=qm, due_on=days(-10), status=ActionStatus.DONE)  # done: waits on nobody
    ActionFactory(owner=school["teacher"], due_on=days(-3))  # someone else's
    ImprovementItemFactory(process=school["process_civil"], status=ItemStatus.AWAITING_CHECK)
    ImprovementItemFactory(process=school["process_electrical"], status=ItemStatus.AWAITING_CHECK)
    ImprovementItemFactory(process=school["process_civil"], status=ItemStatus.NEW)  # the process owner's to accept

    counts = assert_counts(login(qm), {"home-actions-overdue": 1, "home-actions-due-soon": 2, "home-items-waiting": 2})
    assert counts["home-actions-overdue"][1] == f"{reverse('improvement:action_list')}?owner={qm.pk}&overdue=true"


def test_director_sees_the_actions_and_items_of_the_process_they_own(school: dict[str, Any]) -> None:
    director = school["director"]
    ActionFactory(owner=director, due_on=days(-1))
    ImprovementItemFactory(process=school["process_school"], status=ItemStatus.ACCEPTED)
    ImprovementItemFactory(process=school["process_school"], status=ItemStatus.CLOSED_EFFECTIVE)
    ImprovementItemFactory(process=school["process_civil"], status=ItemStatus.NEW)
    internship(school, status=InternshipStatus.CHECKED)  # validation is the department head's

    assert_counts(login(director), {"home-actions-overdue": 1, "home-items-waiting": 1})


def test_department_head_sees_their_department_only(school: dict[str, Any]) -> None:
    head = school["head_civil"]
    ImprovementItemFactory(department=school["civil"], status=ItemStatus.NEW)
    ImprovementItemFactory(department=school["civil"], status=ItemStatus.ANALYSED)
    # Out of scope: another department's, and a process's of their department (its owner's).
    ImprovementItemFactory(department=school["electrical"], status=ItemStatus.NEW)
    ImprovementItemFactory(department=school["civil"], process=school["process_civil"], status=ItemStatus.NEW)
    internship(school, status=InternshipStatus.CHECKED)
    internship(school, status=InternshipStatus.CHECKED)
    internship(school, status=InternshipStatus.CHECKED, department=school["electrical"])
    internship(school, status=InternshipStatus.DRAFT)  # the office checks it first
    late = internship(school, status=InternshipStatus.UNDER_WAY)  # the teacher tutors it
    milestone(late, MilestoneKind.MIDTERM_CONTACT, days(-5))

    assert_counts(login(head), {"home-items-waiting": 2, "home-agreements-validate": 2})
    # The other department's head counts theirs, not the civil ones.
    assert_counts(login(school["head_electrical"]), {"home-items-waiting": 1, "home-agreements-validate": 1})


def test_department_head_cannot_list_another_step_or_department_through_the_filter(school: dict[str, Any]) -> None:
    internship(school, status=InternshipStatus.DRAFT)
    internship(school, status=InternshipStatus.CHECKED, department=school["electrical"])
    client = login(school["head_civil"])
    url = reverse("internships:internship_list")
    assert listed(client, url + "?waiting=check") == 0  # the office's step, not theirs
    assert listed(client, url + "?waiting=validate") == 0  # the electrical one is out of their scope
    assert listed(login(school["office"]), url + "?waiting=check") == 1


def test_process_owner_and_tutor_sees_their_items_actions_and_interns_milestones(school: dict[str, Any]) -> None:
    teacher = school["teacher"]  # owns the civil process, tutors the civil interns
    ImprovementItemFactory(process=school["process_civil"], status=ItemStatus.NEW)
    ImprovementItemFactory(process=school["process_civil"], status=ItemStatus.REOPENED)
    ImprovementItemFactory(process=school["process_civil"], status=ItemStatus.AWAITING_CHECK)  # the QM's
    ImprovementItemFactory(process=school["process_electrical"], status=ItemStatus.NEW)
    ActionFactory(owner=teacher, due_on=days(2))
    mine = internship(school, status=InternshipStatus.UNDER_WAY)
    milestone(mine, MilestoneKind.ARRIVAL_CONFIRMED, days(-20), done=True)
    milestone(mine, MilestoneKind.MIDTERM_CONTACT, days(-2))
    milestone(mine, MilestoneKind.COMPANY_EVALUATION, days(3))
    milestone(mine, MilestoneKind.DEFENCE, days(40))
    other_tutor = PersonFactory(kind=PersonKind.TEACHER, department=school["civil"])
    grant(other_tutor, Role.TEACHER, school["civil"])
    theirs = internship(school, status=InternshipStatus.UNDER_WAY, academic_tutor=other_tutor)
    milestone(theirs, MilestoneKind.MIDTERM_CONTACT, days(-2))
    draft = internship(school, status=InternshipStatus.DRAFT)  # not followed yet
    milestone(draft, MilestoneKind.AGREEMENT_SIGNED, days(-1))

    counts = assert_counts(
        login(teacher),
        {
            "home-actions-due-soon": 1,
            "home-items-waiting": 2,
            "home-milestones-late": 1,
            "home-milestones-soon": 1,
        },
    )
    assert counts["home-milestones-late"][1] == reverse("internships:follow_up") + "?academic_year=&mine=true&when=late"


def test_internship_office_sees_agreements_to_check_and_sign_and_every_late_milestone(school: dict[str, Any]) -> None:
    internship(school, status=InternshipStatus.DRAFT)
    internship(school, status=InternshipStatus.DRAFT, department=school["electrical"])
    internship(school, status=InternshipStatus.CHECKED)  # the department head's to validate
    internship(school, status=InternshipStatus.VALIDATED)
    followed = internship(school, status=InternshipStatus.SIGNED)
    milestone(followed, MilestoneKind.ARRIVAL_CONFIRMED, days(-1))
    milestone(followed, MilestoneKind.MIDTERM_CONTACT, days(6))
    milestone(followed, MilestoneKind.REPORT_SUBMITTED, days(7))  # beyond the week

    assert_counts(
        login(school["office"]),
        {
            "home-agreements-check": 2,
            "home-agreements-sign": 1,
            "home-milestones-late": 1,
            "home-milestones-soon": 1,
        },
    )


def test_department_internship_office_counts_its_department_only(school: dict[str, Any]) -> None:
    office = PersonFactory()
    grant(office, Role.INTERNSHIP_OFFICE, school["electrical"])
    internship(school, status=InternshipStatus.DRAFT)
    internship(school, status=InternshipStatus.DRAFT, department=school["electrical"])
    late = internship(school, status=InternshipStatus.UNDER_WAY)
    milestone(late, MilestoneKind.MIDTERM_CONTACT, days(-5))

    assert_counts(login(office), {"home-agreements-check": 1})


def test_student_sees_the_milestones_of_their_own_internship(school: dict[str, Any]) -> None:
    student = school["student"]
    mine = internship(school, status=InternshipStatus.UNDER_WAY)
    milestone(mine, MilestoneKind.REPORT_SUBMITTED, days(1))
    milestone(mine, MilestoneKind.MIDTERM_CONTACT, days(-4))
    classmate = PersonFactory(kind=PersonKind.STUDENT, department=school["civil"])
    theirs = internship(school, status=InternshipStatus.UNDER_WAY, student=classmate)
    milestone(theirs, MilestoneKind.REPORT_SUBMITTED, days(1))
    ImprovementItemFactory(raised_by=student, status=ItemStatus.NEW)  # raised, but not theirs to move
    internship(school, status=InternshipStatus.DRAFT)  # their draft waits on the office

    counts = assert_counts(login(student), {"home-milestones-late": 1, "home-milestones-soon": 1})
    assert counts["home-milestones-soon"][1] == reverse("internships:follow_up") + "?academic_year=&mine=true&when=soon"


def test_external_auditor_home_is_quiet(school: dict[str, Any]) -> None:
    """The auditor reads everything and acts on nothing: no count waits on them, whatever
    waits on the others."""
    ActionFactory(owner=school["teacher"], due_on=days(-3))
    ImprovementItemFactory(process=school["process_civil"], status=ItemStatus.AWAITING_CHECK)
    internship(school, status=InternshipStatus.CHECKED)
    late = internship(school, status=InternshipStatus.UNDER_WAY)
    milestone(late, MilestoneKind.MIDTERM_CONTACT, days(-5))

    response = login(school["auditor"]).get(reverse("core:home"))
    assert response.status_code == 200
    assert home_counts(login(school["auditor"])) == {}
    assert b'data-testid="home-my-work"' not in response.content
    assert b'data-testid="home-internships"' not in response.content


def test_cards_at_zero_are_left_out(school: dict[str, Any]) -> None:
    ActionFactory(owner=school["teacher"], due_on=days(30))  # open, but not due this week
    internship(school, status=InternshipStatus.SIGNED)  # followed, no milestone due
    response = login(school["teacher"]).get(reverse("core:home"))
    assert b'data-testid="home-my-work"' not in response.content
    assert b'data-testid="home-internships"' not in response.content


# Queries ------------------------------------------------------------------------------


def populate(school: dict[str, Any], rows: int) -> None:
    """`rows` of everything the counts read, for every role of the school."""
    for index in range(rows):
        for owner in (school["quality_manager"], school["director"], school["teacher"]):
            ActionFactory(owner=owner, due_on=days(index % 9 - 3))
        ImprovementItemFactory(process=school["process_civil"], status=ItemStatus.NEW)
        ImprovementItemFactory(department=school["civil"], status=ItemStatus.NEW)
        ImprovementItemFactory(process=school["process_school"], status=ItemStatus.AWAITING_CHECK)
        for status in (InternshipStatus.DRAFT, InternshipStatus.CHECKED, InternshipStatus.VALIDATED):
            internship(school, status=status)
        followed = internship(school, status=InternshipStatus.UNDER_WAY)
        milestone(followed, MilestoneKind.MIDTERM_CONTACT, days(index % 9 - 3))


ROLES = ("quality_manager", "director", "head_civil", "teacher", "office", "student", "auditor")


def measure(school: dict[str, Any]) -> dict[str, int]:
    counts = {}
    for role in ROLES:
        client = login(school[role])
        client.get(reverse("core:home"))  # fills the process-wide caches (content types)
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("core:home"))
        assert response.status_code == 200
        counts[role] = len(context.captured_queries)
    return counts


def test_home_runs_its_budgeted_queries_for_every_role(school: dict[str, Any]) -> None:
    populate(school, 5)
    with_5 = measure(school)
    populate(school, 45)
    with_50 = measure(school)
    check_query_budgets(
        "home",
        {f"as {role}": {"5 rows": with_5[role], "50 rows": with_50[role]} for role in ROLES},
    )


# The way back from a record's page ----------------------------------------------------------


def test_record_pages_lead_back_to_their_list(school: dict[str, Any]) -> None:
    item = ImprovementItemFactory(process=school["process_civil"])
    action = ActionFactory(item=item, owner=school["teacher"])
    agreement = internship(school, status=InternshipStatus.DRAFT)
    client = login(school["quality_manager"])
    for page, links in (
        (item.get_absolute_url(), [reverse("improvement:item_list")]),
        (action.get_absolute_url(), [reverse("improvement:action_list"), item.get_absolute_url()]),
        (agreement.get_absolute_url(), [reverse("internships:internship_list")]),
    ):
        html = client.get(page).content.decode()
        crumbs = html[html.index('<ol class="breadcrumb') : html.index("</ol>")]
        assert [f'href="{link}"' in crumbs for link in links] == [True] * len(links), page
        assert 'aria-current="page"' in crumbs
