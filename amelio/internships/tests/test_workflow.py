"""The agreement's workflow, its permissions, amendments, milestones and the expiring
evaluation links."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from amelio.history.models import HistoryEntry
from amelio.internships import services
from amelio.internships.choices import EvaluationKind, InternshipStatus, MilestoneKind
from amelio.internships.models import Evaluation, EvaluationLink, Internship, Milestone
from amelio.internships.tests.factories import agreement_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def draft(school: dict[str, Any], **changes: Any) -> Internship:
    return services.internship_create(actor=school["student"], data=agreement_data(school, **changes))


def signed(school: dict[str, Any]) -> Internship:
    internship = draft(school)
    services.internship_check(actor=school["office"], internship=internship)
    services.internship_validate(actor=school["head_civil"], internship=internship)
    return services.internship_sign(
        actor=school["office"],
        internship=internship,
        student_signed_on=TODAY,
        company_signed_on=TODAY,
        school_signed_on=TODAY,
    )


def test_student_drafts_only_their_own_agreement(school: dict[str, Any]) -> None:
    from amelio.organisation.tests.factories import PersonFactory

    other = PersonFactory(kind="student")
    internship = services.internship_create(actor=school["student"], data=agreement_data(school, student=other))
    assert internship.student == school["student"]
    assert internship.status == InternshipStatus.DRAFT
    with pytest.raises(PermissionDenied):
        services.internship_create(actor=school["teacher"], data=agreement_data(school))


def test_the_whole_workflow(school: dict[str, Any]) -> None:
    internship = signed(school)
    assert internship.status == InternshipStatus.SIGNED
    kinds = set(Milestone.objects.filter(internship=internship).values_list("kind", flat=True))
    assert kinds == set(MilestoneKind.values)
    assert Milestone.objects.get(internship=internship, kind=MilestoneKind.AGREEMENT_SIGNED).done_on == TODAY
    midterm = Milestone.objects.get(internship=internship, kind=MilestoneKind.MIDTERM_CONTACT)
    assert midterm.due_on == datetime.date(2027, 5, 8)
    services.internship_start(actor=school["teacher"], internship=internship)
    services.internship_finish(actor=school["teacher"], internship=internship)
    with pytest.raises(ValidationError, match="has not been received"):
        services.internship_evaluate(actor=school["office"], internship=internship)
    _link, token = services.evaluation_link_send(
        actor=school["office"], internship=internship, kind=EvaluationKind.COMPANY_TUTOR
    )
    services.evaluation_submit(token=token, answers={"autonomy": 4}, score=Decimal("4.5"))
    internship = services.internship_evaluate(actor=school["office"], internship=internship)
    assert internship.status == InternshipStatus.EVALUATED
    transitions = HistoryEntry.objects.filter(
        content_type__model="internship", object_id=str(internship.pk), action="transition"
    )
    assert transitions.count() == 6


def test_only_the_office_checks_and_only_the_right_department_head_validates(school: dict[str, Any]) -> None:
    internship = draft(school)
    for key in ("student", "teacher", "head_civil"):
        with pytest.raises(PermissionDenied):
            services.internship_check(actor=school[key], internship=internship)
    services.internship_check(actor=school["office"], internship=internship)
    for key in ("head_electrical", "office", "student"):
        with pytest.raises(PermissionDenied):
            services.internship_validate(actor=school[key], internship=internship)
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.CHECKED
    services.internship_validate(actor=school["head_civil"], internship=internship)
    assert internship.status == InternshipStatus.VALIDATED


def test_transitions_refused_from_the_wrong_state(school: dict[str, Any]) -> None:
    internship = draft(school)
    with pytest.raises(ValidationError, match="is not possible while the agreement is"):
        services.internship_validate(actor=school["head_civil"], internship=internship)
    with pytest.raises(ValidationError):
        services.internship_start(actor=school["office"], internship=internship)
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.DRAFT


def test_signing_needs_the_three_signatures(school: dict[str, Any]) -> None:
    internship = draft(school)
    services.internship_check(actor=school["office"], internship=internship)
    services.internship_validate(actor=school["head_civil"], internship=internship)
    with pytest.raises(ValidationError) as error:
        services.internship_sign(
            actor=school["office"],
            internship=internship,
            student_signed_on=TODAY,
            company_signed_on=None,
            school_signed_on=None,
        )
    assert set(error.value.message_dict) == {"company_signed_on", "school_signed_on"}
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.VALIDATED and internship.student_signed_on is None
    assert not Milestone.objects.exists()


def test_returned_to_the_student_with_a_reason(school: dict[str, Any]) -> None:
    internship = draft(school)
    services.internship_check(actor=school["office"], internship=internship)
    with pytest.raises(ValidationError):
        services.internship_return(actor=school["office"], internship=internship, reason=" ")
    services.internship_return(actor=school["office"], internship=internship, reason="Le sujet est trop vague.")
    assert internship.status == InternshipStatus.DRAFT
    services.internship_update(actor=school["student"], internship=internship, data={"subject": "Étude précise"})
    internship.refresh_from_db()
    assert internship.subject == "Étude précise"


def test_a_draft_that_breaks_a_rule_cannot_be_saved(school: dict[str, Any]) -> None:
    internship = draft(school)
    with pytest.raises(ValidationError) as error:
        services.internship_update(actor=school["student"], internship=internship, data={"hourly_gratification": None})
    assert "hourly_gratification" in error.value.message_dict
    internship.refresh_from_db()
    assert internship.hourly_gratification == Decimal("4.35")


def test_an_amendment_keeps_the_original(school: dict[str, Any]) -> None:
    original = signed(school)
    with pytest.raises(ValidationError):
        services.internship_amend(actor=school["office"], internship=original, data={}, reason="")
    amendment = services.internship_amend(
        actor=school["office"],
        internship=original,
        data={"ends_on": datetime.date(2027, 6, 25)},
        reason="Prolongation de deux semaines",
    )
    original.refresh_from_db()
    assert original.status == InternshipStatus.SIGNED  # still in force until the amendment is signed
    assert amendment.amends == original and amendment.status == InternshipStatus.DRAFT
    services.internship_check(actor=school["office"], internship=amendment)
    services.internship_validate(actor=school["head_civil"], internship=amendment)
    services.internship_sign(
        actor=school["office"],
        internship=amendment,
        student_signed_on=TODAY,
        company_signed_on=TODAY,
        school_signed_on=TODAY,
    )
    original.refresh_from_db()
    assert original.status == InternshipStatus.AMENDED
    assert original.ends_on == datetime.date(2027, 6, 11)  # the original is kept as it was


def test_cancelling_needs_a_reason_and_the_office(school: dict[str, Any]) -> None:
    internship = draft(school)
    with pytest.raises(PermissionDenied):
        services.internship_cancel(actor=school["student"], internship=internship, reason="Je renonce")
    with pytest.raises(ValidationError):
        services.internship_cancel(actor=school["office"], internship=internship, reason="")
    services.internship_cancel(actor=school["office"], internship=internship, reason="Stage annulé par l'entreprise")
    assert internship.status == InternshipStatus.CANCELLED


def under_way(school: dict[str, Any]) -> Internship:
    internship = signed(school)
    return services.internship_start(actor=school["office"], internship=internship)


def test_evaluation_link_is_emailed_and_used_once(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    internship = under_way(school)
    with django_capture_on_commit_callbacks(execute=True):
        link, token = services.evaluation_link_send(
            actor=school["office"], internship=internship, kind=EvaluationKind.COMPANY_TUTOR
        )
    assert token not in link.token_hash
    assert any(token in message.body for message in mail.outbox)
    services.evaluation_submit(token=token, answers={"q1": 5}, score=Decimal("5"))
    assert Milestone.objects.get(internship=internship, kind=MilestoneKind.COMPANY_EVALUATION).done_on == TODAY
    with pytest.raises(services.LinkRefused, match="already been used"):
        services.evaluation_submit(token=token, answers={"q1": 1}, score=Decimal("1"))
    assert Evaluation.objects.get().score == Decimal("5")


def test_expired_revoked_and_wrong_links_write_nothing(school: dict[str, Any]) -> None:
    internship = under_way(school)
    link, token = services.evaluation_link_send(
        actor=school["office"], internship=internship, kind=EvaluationKind.COMPANY_TUTOR
    )
    EvaluationLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(services.LinkRefused, match="expired"):
        services.evaluation_submit(token=token, answers={}, score=Decimal("3"))
    with pytest.raises(services.LinkRefused, match="not valid"):
        services.evaluation_submit(token="forged-token", answers={}, score=Decimal("3"))
    fresh, fresh_token = services.evaluation_link_send(
        actor=school["office"], internship=internship, kind=EvaluationKind.COMPANY_TUTOR
    )
    services.evaluation_link_revoke(actor=school["office"], link=fresh)
    with pytest.raises(services.LinkRefused, match="withdrawn"):
        services.evaluation_submit(token=fresh_token, answers={}, score=Decimal("3"))
    assert not Evaluation.objects.exists()
    assert EvaluationLink.objects.filter(used_at__isnull=False).count() == 0


def test_a_new_link_withdraws_the_previous_one(school: dict[str, Any]) -> None:
    internship = under_way(school)
    _first, first_token = services.evaluation_link_send(
        actor=school["office"], internship=internship, kind=EvaluationKind.STUDENT
    )
    services.evaluation_link_send(actor=school["office"], internship=internship, kind=EvaluationKind.STUDENT)
    with pytest.raises(services.LinkRefused, match="withdrawn"):
        services.evaluation_link_resolve(first_token)


def test_a_bad_score_spends_nothing(school: dict[str, Any]) -> None:
    internship = under_way(school)
    _link, token = services.evaluation_link_send(
        actor=school["office"], internship=internship, kind=EvaluationKind.COMPANY_TUTOR
    )
    with pytest.raises(ValidationError):
        services.evaluation_submit(token=token, answers={}, score=Decimal("7"))
    assert services.evaluation_link_resolve(token) is not None  # still usable


def test_milestones_are_completed_by_the_tutor_not_the_student(school: dict[str, Any]) -> None:
    internship = under_way(school)
    midterm = Milestone.objects.get(internship=internship, kind=MilestoneKind.MIDTERM_CONTACT)
    with pytest.raises(PermissionDenied):
        services.milestone_complete(actor=school["student"], milestone=midterm)
    with pytest.raises(ValidationError):
        services.milestone_complete(
            actor=school["teacher"], milestone=midterm, done_on=TODAY + datetime.timedelta(days=2)
        )
    services.milestone_complete(actor=school["teacher"], milestone=midterm, note="Appel avec le tuteur")
    midterm.refresh_from_db()
    assert midterm.done_on == TODAY and midterm.done_by == school["teacher"]


def test_a_withdrawn_link_names_whom_to_ask_for_a_new_one(school: dict[str, Any]) -> None:
    from django.test import Client

    internship = under_way(school)
    first, first_token = services.evaluation_link_send(
        actor=school["office"], internship=internship, kind=EvaluationKind.COMPANY_TUTOR
    )
    services.evaluation_link_revoke(actor=school["office"], link=first)
    page = Client().get(f"/internships/evaluation/{first_token}/")
    assert page.status_code == 410
    content = page.content.decode()
    assert 'data-testid="contact"' in content and f"mailto:{school['office'].email}" in content
    forged = Client().get("/internships/evaluation/forged-token/")
    assert forged.status_code == 410 and 'data-testid="contact"' not in forged.content.decode()
