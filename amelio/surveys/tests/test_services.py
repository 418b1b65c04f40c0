"""Questionnaire versions, campaigns, reminders, results, comments turned into improvement
items, and who may do what (allowed, denied, out of scope, and nothing changed on denial)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from amelio.core import clock
from amelio.improvement.models import ImprovementItem
from amelio.surveys import results, services, tasks
from amelio.surveys.choices import Audience, CampaignStatus, QuestionKind, VersionStatus
from amelio.surveys.models import Answer, Campaign, Invitation, Question, QuestionnaireVersion

from .factories import QUESTIONS, campaign_of, published_version, questionnaire, students

pytestmark = pytest.mark.django_db


# Versions -----------------------------------------------------------------------------------


def test_a_published_version_is_frozen_and_editing_makes_a_new_draft(school: dict[str, Any]) -> None:
    qm = school["quality_manager"]
    version = published_version(qm)
    section = version.sections.get()
    with pytest.raises(ValidationError, match="frozen"):
        services.question_add(actor=qm, section=section, data=QUESTIONS[0] | {"code": "new"})
    with pytest.raises(ValidationError, match="frozen"):
        services.question_delete(actor=qm, question=Question.objects.filter(section=section).first())  # type: ignore[arg-type]
    draft = services.version_new_draft(actor=qm, version=version)
    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    assert list(Question.objects.filter(section__version=draft).values_list("code", flat=True)) == [
        q["code"] for q in QUESTIONS
    ]
    services.question_add(actor=qm, section=draft.sections.get(), data=QUESTIONS[0] | {"code": "new"})
    assert Question.objects.filter(section__version=version).count() == len(QUESTIONS)
    with pytest.raises(ValidationError, match="already has a draft"):
        services.version_new_draft(actor=qm, version=version)


def test_an_empty_version_is_not_published(school: dict[str, Any]) -> None:
    version = questionnaire().versions.get()
    with pytest.raises(ValidationError, match="without questions"):
        services.version_publish(actor=school["quality_manager"], version=version)
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": QuestionKind.LIKERT, "scale_points": 6}, "scale_points", "4, 5 or 7 points"),
        ({"kind": QuestionKind.NPS, "scale_points": 5}, "scale_points", "Only an agreement scale"),
        ({"kind": QuestionKind.SINGLE_CHOICE, "options": [{"fr": "Seul"}]}, "options", "at least two options"),
        ({"kind": QuestionKind.TEXT, "allows_other": True}, "allows_other", "Only a choice question"),
        ({"kind": QuestionKind.NUMBER, "minimum": 5, "maximum": 1}, "maximum", "at least the minimum"),
        ({"kind": QuestionKind.DATE, "minimum": 1}, "minimum", "Only a number question"),
    ],
)
def test_a_question_that_does_not_hold_together_is_refused(
    school: dict[str, Any], data: dict[str, Any], field: str, message: str
) -> None:
    version = questionnaire().versions.get()
    section = services.section_add(actor=None, version=version, title_fr="S")
    with pytest.raises(ValidationError) as refused:
        services.question_add(actor=None, section=section, data={"code": "q", "text_fr": "Q ?", **data})
    assert message in " ".join(refused.value.message_dict[field])
    assert not Question.objects.exists()


def test_a_code_is_unique_within_a_version(school: dict[str, Any]) -> None:
    version = questionnaire().versions.get()
    section = services.section_add(actor=None, version=version, title_fr="S")
    services.question_add(actor=None, section=section, data={"code": "q", "text_fr": "A", "kind": QuestionKind.TEXT})
    with pytest.raises(ValidationError, match="Another question"):
        services.question_add(
            actor=None, section=section, data={"code": "q", "text_fr": "B", "kind": QuestionKind.TEXT}
        )


# Campaigns ----------------------------------------------------------------------------------


def test_a_campaign_sends_a_published_version_only(school: dict[str, Any]) -> None:
    draft = questionnaire().versions.get()
    with pytest.raises(ValidationError) as refused:
        campaign_of(school, draft)
    assert "published" in str(refused.value.message_dict["version"])
    with pytest.raises(ValidationError) as refused:
        campaign_of(school, department=None)
    assert "programme or the department" in str(refused.value.message_dict["programme"])
    assert not Campaign.objects.exists()


def test_company_tutors_of_the_years_internships_are_the_population(school: dict[str, Any]) -> None:
    from amelio.internships.choices import InternshipStatus
    from amelio.internships.models import Internship
    from amelio.internships.tests.factories import agreement_data, year_2026

    data = agreement_data(school)
    Internship.objects.create(reference="ST-1", status=InternshipStatus.UNDER_WAY, **data)
    Internship.objects.create(reference="ST-2", status=InternshipStatus.DRAFT, **agreement_data(school))
    campaign = campaign_of(school, audience=Audience.COMPANY_TUTORS, academic_year=year_2026(), is_anonymous=False)
    population = services.campaign_population(campaign)
    assert [r.email for r in population] == [data["company_tutor"].email]
    assert population[0].contact == data["company_tutor"] and population[0].person is None


def test_interns_of_the_years_internships_are_the_population(school: dict[str, Any]) -> None:
    from amelio.internships.choices import InternshipStatus
    from amelio.internships.models import Internship
    from amelio.internships.tests.factories import agreement_data, year_2026

    data = agreement_data(school)
    Internship.objects.create(reference="ST-1", status=InternshipStatus.UNDER_WAY, **data)
    cancelled = agreement_data(school)
    Internship.objects.create(reference="ST-2", status=InternshipStatus.CANCELLED, **cancelled)
    campaign = campaign_of(school, audience=Audience.INTERNS, academic_year=year_2026())
    population = services.campaign_population(campaign)
    assert [r.email for r in population] == [data["student"].email]
    assert population[0].person == data["student"] and population[0].programme_id == data["programme"].pk


def test_contacts_of_the_active_partner_companies_are_the_population(school: dict[str, Any]) -> None:
    from amelio.partners.tests.factories import CompanyFactory, ContactFactory

    kept = ContactFactory()
    ContactFactory(is_active=False)
    ContactFactory(company=CompanyFactory(is_active=False))
    ContactFactory(email="")
    campaign = campaign_of(school, audience=Audience.PARTNER_CONTACTS, department=None)
    population = services.campaign_population(campaign)
    assert [(r.email, r.contact, r.department_id) for r in population] == [(kept.email, kept, None)]
    made = services.campaign_open_with_tokens(actor=school["quality_manager"], campaign=campaign)
    assert [invitation.contact for invitation, _token in made] == [kept]


def test_graduates_of_a_year_are_the_population(school: dict[str, Any]) -> None:
    from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory
    from amelio.students.choices import Outcome
    from amelio.students.tests.factories import StudentFactory, enrol, year

    civil, other = ProgrammeFactory(department=school["civil"]), ProgrammeFactory()
    account = PersonFactory(kind="student")
    with_account = StudentFactory(person=account)
    graduate = StudentFactory()
    enrol(with_account, civil, 2024, 5, Outcome.PASSED)  # an earlier year: not a diploma
    enrol(with_account, civil, 2025, 5, Outcome.GRADUATED)
    enrol(graduate, civil, 2025, 5, Outcome.GRADUATED)
    enrol(StudentFactory(), other, 2025, 5, Outcome.GRADUATED)  # another department
    enrol(StudentFactory(), civil, 2024, 5, Outcome.GRADUATED)  # another year
    enrol(StudentFactory(), civil, 2025, 5, Outcome.REPEATING)  # no diploma
    enrol(StudentFactory(email=""), civil, 2025, 5, Outcome.GRADUATED)  # no address to write to
    enrol(StudentFactory(pseudonymised_at=clock.now()), civil, 2025, 5, Outcome.GRADUATED)
    campaign = campaign_of(
        school, audience=Audience.GRADUATES, graduation_year=year(2025), academic_year=year(2026), is_anonymous=False
    )
    population = services.campaign_population(campaign)
    assert [(r.email, r.person, r.department_id, r.programme_id) for r in population] == [
        (with_account.email, account, school["civil"].pk, civil.pk),
        (graduate.email, None, school["civil"].pk, civil.pk),
    ]
    made = services.campaign_open_with_tokens(actor=school["quality_manager"], campaign=campaign)
    assert sorted((invitation.email, invitation.programme_id) for invitation, _token in made) == sorted(
        [(with_account.email, civil.pk), (graduate.email, civil.pk)]
    )
    everyone = campaign_of(school, audience=Audience.GRADUATES, graduation_year=year(2025), department=None)
    assert len(services.campaign_population(everyone)) == 3


def test_a_campaign_to_graduates_names_their_year_of_graduation(school: dict[str, Any]) -> None:
    from amelio.students.tests.factories import year

    with pytest.raises(ValidationError) as refused:
        campaign_of(school, audience=Audience.GRADUATES)
    assert refused.value.message_dict == {
        "graduation_year": ["Choose the year in which the graduates received the diploma."]
    }
    with pytest.raises(ValidationError) as refused:
        campaign_of(school, graduation_year=year(2025))
    assert refused.value.message_dict == {"graduation_year": ["Only a campaign to graduates has a year of graduation."]}
    assert not Campaign.objects.exists()


def test_a_campaign_to_graduates_is_made_on_the_page(school: dict[str, Any]) -> None:
    from amelio.students.tests.factories import year

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(school["quality_manager"])
    data = {
        "title": "Insertion à six mois",
        "version": published_version().pk,
        "academic_year": year(2026).pk,
        "audience": Audience.GRADUATES,
        "opens_on": "2027-01-10",
        "closes_on": "2027-02-28",
        "max_reminders": "2",
        "reminder_every_days": "7",
    }
    refused = client.post("/surveys/new/", data)
    assert refused.status_code == 200  # the form shown again, with the error on its field
    assert "Choose the year in which the graduates received the diploma." in refused.content.decode()
    assert not Campaign.objects.exists()
    made = client.post("/surveys/new/", data | {"graduation_year": year(2025).pk})
    campaign = Campaign.objects.get()
    assert made.status_code == 302 and campaign.graduation_year == year(2025)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Graduates of a year 2025-2026" in page


def test_nobody_to_send_to_refuses_the_opening(school: dict[str, Any]) -> None:
    campaign = campaign_of(school, audience=Audience.COMPANY_TUTORS)
    with pytest.raises(ValidationError, match="Nobody"):
        services.campaign_open(actor=school["quality_manager"], campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT and not Invitation.objects.exists()


def test_reminders_go_to_those_who_have_not_answered_at_most_n_times(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    students(school, 1)
    campaign = campaign_of(school, max_reminders=2, reminder_every_days=3)
    made = services.campaign_open_with_tokens(actor=None, campaign=campaign)
    answered, _waiting = made
    Invitation.objects.filter(pk=answered[0].pk).update(has_answered=True)
    mail.outbox.clear()
    later = clock.now()
    for days, expected in ((1, 0), (4, 1), (5, 0), (8, 1), (20, 0)):
        with clock.frozen_at(later + datetime.timedelta(days=days)), django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_survey_reminders.call_local() == {"sent": expected}, days
    assert len(mail.outbox) == 2 and all(message.subject.startswith("Reminder") for message in mail.outbox)
    waiting = Invitation.objects.get(has_answered=False)
    assert waiting.reminders_sent == 2
    # a reminder carries a fresh link; the previous one no longer works
    with pytest.raises(services.LinkRefused):
        services.invitation_resolve(made[1][1])


def test_moving_the_closing_day_of_an_open_campaign_moves_its_links_expiry(school: dict[str, Any]) -> None:
    campaign = campaign_of(school)
    made = services.campaign_open_with_tokens(actor=None, campaign=campaign)
    later = campaign.closes_on + datetime.timedelta(days=10)
    services.campaign_update(actor=school["quality_manager"], campaign=campaign, data={"closes_on": later})
    with clock.frozen_at(clock.now() + datetime.timedelta(days=25)):
        assert services.invitation_resolve(made[0][1]).campaign == campaign
    services.campaign_close(actor=None, campaign=campaign)
    with pytest.raises(ValidationError, match="closed campaign"):
        services.campaign_update(actor=None, campaign=campaign, data={"title": "Autre"})


# Permissions -------------------------------------------------------------------------------


def test_who_manages_a_campaign(school: dict[str, Any]) -> None:
    version = published_version()
    campaign = campaign_of(school, version)
    for role in ("head_electrical", "teacher", "student", "office"):
        with pytest.raises(PermissionDenied):
            services.campaign_open(actor=school[role], campaign=campaign)
        campaign.refresh_from_db()
        assert campaign.status == CampaignStatus.DRAFT and not Invitation.objects.exists()
    with pytest.raises(PermissionDenied):
        campaign_of(school, version, actor=school["head_electrical"])
    assert Campaign.objects.count() == 1
    students(school, 1)
    own = campaign_of(school, version, actor=school["head_civil"])
    services.campaign_open(actor=school["head_civil"], campaign=own)
    owned = campaign_of(school, version, department=None, audience=Audience.STAFF, process=school["process_civil"])
    services.campaign_open(actor=school["teacher"], campaign=owned)  # the owner of the process


def test_pages_are_scoped(school: dict[str, Any]) -> None:
    campaign = campaign_of(school)
    pages = [
        "/surveys/",
        "/surveys/questionnaires/",
        campaign.get_absolute_url(),
        f"/surveys/{campaign.pk}/results/",
    ]

    def codes(role: str) -> list[int]:
        client = Client()
        client.force_login(school[role])
        return [client.get(page).status_code for page in pages]

    assert codes("quality_manager") == [200, 200, 200, 200]
    assert codes("teacher") == [200, 200, 200, 200]  # staff of the department read the results
    assert codes("head_electrical") == [200, 200, 404, 404]  # another department's campaign
    assert codes("student") == [403, 403, 403, 403]


def test_authoring_is_for_the_quality_manager_and_department_heads_in_their_department(school: dict[str, Any]) -> None:
    from amelio.core.permissions import can

    civil = questionnaire(department=school["civil"])
    assert can(school["quality_manager"], "surveys.manage_questionnaire", civil)
    assert can(school["head_civil"], "surveys.manage_questionnaire", civil)
    assert not can(school["head_electrical"], "surveys.manage_questionnaire", civil)
    with pytest.raises(PermissionDenied):
        services.section_add(actor=school["teacher"], version=civil.versions.get(), title_fr="S")
    assert not civil.versions.get().sections.exists()


# Results and comments ----------------------------------------------------------------------------


def answered_campaign(school: dict[str, Any], likert: list[int], nps: list[int], comments: list[str]) -> Campaign:
    students(school, max(len(likert), len(nps)))
    campaign = campaign_of(school)
    made = services.campaign_open_with_tokens(actor=None, campaign=campaign)
    questions = {q.code: q for q in Question.objects.filter(section__version=campaign.version)}
    for index, (_invitation, token) in enumerate(made):
        answers: dict[int, Any] = {
            questions["overall"].pk: likert[index] if index < len(likert) else None,
            questions["recommend"].pk: nps[index] if index < len(nps) else None,
            questions["colour"].pk: (0, ""),
            questions["tools"].pk: ([1], ""),
            questions["hours"].pk: Decimal(10),
            questions["comment"].pk: comments[index] if index < len(comments) else None,
        }
        if answers[questions["overall"].pk] is None:
            continue
        services.response_submit(token=token, answers=answers)
    return campaign


def test_results_count_and_hide_small_groups(school: dict[str, Any]) -> None:
    campaign = answered_campaign(school, [5, 4, 4, 2, 1, 3], [10, 9, 8, 6, 5, 0], ["Bien", "", "Trop long"])
    questions = list(Question.objects.filter(section__version=campaign.version))
    found = {
        r.question.code: r
        for r in results.question_results(
            questions, Answer.objects.select_related("response__department", "response__programme")
        )
    }
    overall = found["overall"]
    assert overall.answered == 6 and overall.mean == Decimal("3.17")  # 19 / 6
    assert overall.satisfaction == Decimal("50.0")  # 5, 4, 4 of six
    assert [bar.count for bar in overall.bars] == [1, 1, 1, 2, 1]
    assert found["recommend"].nps == Decimal("-16.7")  # 2 promoters − 3 detractors, of 6
    assert [c.text for c in found["comment"].comments] == ["Bien", "Trop long"]
    # six answers from the department, five from the programme (the school's own student has none)
    groups = {group.label: (group.count, group.hidden, group.figure) for group in overall.breakdown}
    assert sorted(groups.values()) == [(5, False, Decimal("2.80")), (6, False, Decimal("3.17"))]
    stricter = results.question_results(questions, Answer.objects.all(), minimum_group=6)[0].breakdown
    assert sorted((group.count, group.hidden, group.figure) for group in stricter) == [
        (5, True, None),
        (6, False, Decimal("3.17")),
    ]


def test_the_results_page_and_its_export(school: dict[str, Any]) -> None:
    campaign = answered_campaign(school, [5, 4, 4], [10, 9, 0], ["Bien"])
    client = Client()
    client.force_login(school["quality_manager"])
    page = client.get(f"/surveys/{campaign.pk}/results/").content.decode()
    assert "<svg" in page and "NPS <strong>33.3</strong>" in page and 'data-testid="hidden-group"' in page
    export = client.get(f"/surveys/{campaign.pk}/results/?export=csv").content.decode()
    assert "hidden (fewer than the minimum)" in export and "33.3" in export
    assert "Bien" not in export  # an anonymous campaign's export holds aggregates only
    assert client.get(f"/surveys/{campaign.pk}/results/?export=xlsx").status_code == 200


def test_the_results_pdf_draws_the_charts_and_hides_small_groups(school: dict[str, Any], tmp_path: Any) -> None:
    import subprocess

    campaign = answered_campaign(school, [5, 4, 4], [10, 9, 0], ["Un commentaire anonyme"])
    client = Client()
    client.force_login(school["quality_manager"])
    response = client.get(f"/surveys/{campaign.pk}/results/?export=pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    pdf = tmp_path / "results.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Globalement satisfait" in text and "33.3" in text
    assert "hidden (too few answers)" in text
    assert "Un commentaire anonyme" not in text  # aggregates only for an anonymous campaign


def test_a_manager_turns_a_comment_into_an_improvement_item_without_its_author(school: dict[str, Any]) -> None:
    campaign = answered_campaign(school, [5], [10], ["Les salles sont trop froides"])
    comment = Answer.objects.get(question__kind=QuestionKind.TEXT)
    denied = Client()
    denied.force_login(school["teacher"])
    assert denied.post(f"/surveys/{campaign.pk}/comments/{comment.pk}/raise/").status_code == 403
    assert not ImprovementItem.objects.exists()
    client = Client()
    client.force_login(school["quality_manager"])
    response = client.post(f"/surveys/{campaign.pk}/comments/{comment.pk}/raise/")
    item = ImprovementItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.description == "Les salles sont trop froides" and item.raised_by == school["quality_manager"]
    assert item.department == school["civil"] and not item.contact_email and not item.contact_name


def test_the_list_shows_the_answers_counted(school: dict[str, Any]) -> None:
    answered_campaign(school, [5, 4], [10, 9], [])
    client = Client()
    client.force_login(school["quality_manager"])
    assert client.get("/surveys/?export=csv").status_code == 200
    row = Campaign.objects.get()
    assert QuestionnaireVersion.objects.count() == 1 and row.invitations.filter(has_answered=True).count() == 2
