"""Partnership agreements: who creates and edits them (a department head only for their
department), every transition allowed or refused from every state, the signed document,
the reminder sent once before the end and the expiry by the daily task, and the pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from amelio.history.choices import HistoryAction
from amelio.history.models import HistoryEntry
from amelio.notifications.models import Notification
from amelio.partners import services
from amelio.partners.choices import AgreementKind, AgreementStatus, AgreementTransition
from amelio.partners.models import PartnershipAgreement
from amelio.partners.tasks import watch_agreement_ends
from amelio.partners.tests.conftest import EXE_BYTES, PDF_BYTES, client_for, upload
from amelio.partners.tests.factories import AgreementFactory, CompanyFactory, ContactFactory
from amelio.partners.workflows import AGREEMENT_WORKFLOW

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def agreement_data(school: dict[str, Any], **changes: Any) -> dict[str, Any]:
    company = changes.pop("company", None) or CompanyFactory()
    data = {
        "company": company,
        "kind": AgreementKind.RESEARCH_CHAIR,
        "title": "Chaire ouvrages durables",
        "departments": [school["civil"]],
        "starts_on": TODAY - datetime.timedelta(days=30),
        "ends_on": TODAY + datetime.timedelta(days=700),
        "value": "150000.00",
        "signatory": None,
        "reminder_days": 60,
        "owner": school["office"],
    }
    data.update(changes)
    return data


def entries(agreement: PartnershipAgreement) -> list[HistoryEntry]:
    return list(
        HistoryEntry.objects.filter(content_type__model="partnershipagreement", object_id=str(agreement.pk)).order_by(
            "id"
        )
    )


def civil_agreement(school: dict[str, Any], status: str = AgreementStatus.DRAFT, **fields: Any) -> PartnershipAgreement:
    fields.setdefault("starts_on", TODAY - datetime.timedelta(days=30))
    fields.setdefault("ends_on", TODAY + datetime.timedelta(days=700))
    return AgreementFactory(status=status, owner=school["office"], departments=[school["civil"]], **fields)


# Creating and editing ------------------------------------------------------------------


@pytest.mark.parametrize("key", ["office", "director", "quality_manager", "head_civil"])
def test_who_may_create_an_agreement_of_civil_engineering(school: dict[str, Any], key: str) -> None:
    agreement = services.agreement_create(actor=school[key], data=agreement_data(school))
    assert agreement.status == AgreementStatus.DRAFT
    assert list(agreement.departments.all()) == [school["civil"]]
    [entry] = entries(agreement)
    assert entry.action == HistoryAction.CREATE and entry.actor == school[key]
    assert entry.changes["departments"] == ["", "Génie Civil"]


@pytest.mark.parametrize(
    ("key", "departments"),
    [
        ("head_electrical", "civil"),  # another department's
        ("head_civil", "both"),  # partly another department's
        ("teacher", "civil"),
        ("student", "civil"),
        ("auditor", "civil"),
    ],
)
def test_who_may_not_create_it(school: dict[str, Any], key: str, departments: str) -> None:
    chosen = [school["civil"]] if departments == "civil" else [school["civil"], school["electrical"]]
    with pytest.raises(PermissionDenied):
        services.agreement_create(actor=school[key], data=agreement_data(school, departments=chosen))
    assert not PartnershipAgreement.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_a_department_head_names_their_department(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.agreement_create(actor=school["head_civil"], data=agreement_data(school, departments=[]))
    assert "departments" in error.value.message_dict
    # The office may record an agreement of the whole school.
    agreement = services.agreement_create(actor=school["office"], data=agreement_data(school, departments=[]))
    assert not agreement.departments.exists()


def test_bad_dates_and_a_foreign_signatory_are_refused(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            actor=school["office"], data=agreement_data(school, ends_on=TODAY - datetime.timedelta(days=60))
        )
    assert "ends_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.agreement_create(actor=school["office"], data=agreement_data(school, signatory=ContactFactory()))
    assert "signatory" in error.value.message_dict
    assert not PartnershipAgreement.objects.exists()


def test_a_department_head_edits_only_their_departments_agreements(school: dict[str, Any]) -> None:
    agreement = civil_agreement(school, title="Avant")
    services.agreement_update(actor=school["head_civil"], agreement=agreement, data={"title": "Après"})
    agreement.refresh_from_db()
    assert agreement.title == "Après"
    with pytest.raises(PermissionDenied):
        services.agreement_update(actor=school["head_electrical"], agreement=agreement, data={"title": "Piraté"})
    with pytest.raises(PermissionDenied):
        # Adding another department's name is not theirs to do either.
        services.agreement_update(
            actor=school["head_civil"],
            agreement=agreement,
            data={"departments": [school["civil"], school["electrical"]]},
        )
    agreement.refresh_from_db()
    assert agreement.title == "Après"
    assert list(agreement.departments.all()) == [school["civil"]]
    assert len(entries(agreement)) == 1


def test_a_signed_agreement_cannot_be_edited(school: dict[str, Any]) -> None:
    agreement = civil_agreement(school, AgreementStatus.SIGNED, title="Signée")
    with pytest.raises(ValidationError):
        services.agreement_update(actor=school["office"], agreement=agreement, data={"title": "Changée"})
    agreement.refresh_from_db()
    assert agreement.title == "Signée"


def test_a_new_end_date_rearms_the_reminder(school: dict[str, Any]) -> None:
    agreement = civil_agreement(school, reminder_sent_on=TODAY)
    services.agreement_update(
        actor=school["office"], agreement=agreement, data={"ends_on": TODAY + datetime.timedelta(days=900)}
    )
    agreement.refresh_from_db()
    assert agreement.reminder_sent_on is None


# The state machine ------------------------------------------------------------------------


def perform(transition: str, actor: Any, agreement: PartnershipAgreement) -> PartnershipAgreement:
    if transition == AgreementTransition.SUBMIT:
        return services.agreement_submit(actor=actor, agreement=agreement)
    if transition == AgreementTransition.REVISE:
        return services.agreement_revise(actor=actor, agreement=agreement, reason="Montant à revoir")
    if transition == AgreementTransition.SIGN:
        return services.agreement_sign(
            actor=actor, agreement=agreement, signed_on=TODAY, document=upload("convention.pdf", PDF_BYTES)
        )
    if transition == AgreementTransition.ACTIVATE:
        return services.agreement_activate(actor=actor, agreement=agreement)
    if transition == AgreementTransition.EXPIRE:
        return services.agreement_expire(actor=actor, agreement=agreement)
    return services.agreement_terminate(actor=actor, agreement=agreement, reason="Rachat de l'entreprise")


CASES = [(transition, status) for transition in AgreementTransition.values for status in AgreementStatus.values]


@pytest.mark.parametrize(("transition", "status"), CASES)
def test_each_transition_from_each_state(school: dict[str, Any], transition: str, status: str) -> None:
    # Expiry needs an agreement past its end; the others one under way.
    ends_on = TODAY - datetime.timedelta(days=1) if transition == AgreementTransition.EXPIRE else None
    agreement = civil_agreement(school, status, **({"ends_on": ends_on} if ends_on else {}))
    sources, target = AGREEMENT_WORKFLOW[transition].sources, AGREEMENT_WORKFLOW[transition].target
    if status in sources:
        result = perform(transition, school["head_civil"], agreement)
        assert result.status == target
        # One transition entry (signing also has the file store's entry for the signed copy).
        [entry] = [entry for entry in entries(agreement) if entry.action == HistoryAction.TRANSITION]
        assert entry.changes["status"] == [status, target]
    else:
        with pytest.raises(ValidationError) as error:
            perform(transition, school["head_civil"], agreement)
        assert "not possible" in " ".join(error.value.messages)
        agreement.refresh_from_db()
        assert agreement.status == status
        assert not entries(agreement)


@pytest.mark.parametrize("transition", AgreementTransition.values)
def test_transitions_are_refused_out_of_scope(school: dict[str, Any], transition: str) -> None:
    status = next(iter(AGREEMENT_WORKFLOW[transition].sources))
    agreement = civil_agreement(school, status, ends_on=TODAY - datetime.timedelta(days=1))
    for key in ("head_electrical", "teacher"):
        with pytest.raises(PermissionDenied):
            perform(transition, school[key], agreement)
    agreement.refresh_from_db()
    assert agreement.status == status
    assert not agreement.files.exists()
    assert not entries(agreement)


def test_a_full_life(school: dict[str, Any]) -> None:
    agreement = services.agreement_create(actor=school["office"], data=agreement_data(school))
    services.agreement_submit(actor=school["office"], agreement=agreement)
    services.agreement_revise(actor=school["head_civil"], agreement=agreement, reason="Préciser la valeur")
    services.agreement_submit(actor=school["office"], agreement=agreement)
    services.agreement_sign(
        actor=school["office"], agreement=agreement, signed_on=TODAY, document=upload("c.pdf", PDF_BYTES)
    )
    signed = agreement.files.get()
    assert agreement.signed_on == TODAY
    assert (signed.original_name, signed.content_type, signed.purpose) == (
        "c.pdf",
        "application/pdf",
        "signed_agreement",
    )
    assert signed.uploaded_by == school["office"]
    services.agreement_activate(actor=school["office"], agreement=agreement)
    services.agreement_terminate(actor=school["director"], agreement=agreement, reason="Fin du partenariat")
    assert agreement.status == AgreementStatus.TERMINATED
    assert agreement.termination_reason == "Fin du partenariat" and agreement.terminated_on == TODAY
    history = entries(agreement)
    # The signed copy's entry (written by the file store) follows the signature's.
    assert [entry.action for entry in history] == [
        HistoryAction.CREATE,
        *[HistoryAction.TRANSITION] * 4,
        HistoryAction.CREATE,
        *[HistoryAction.TRANSITION] * 2,
    ]
    assert history[5].changes == {"file": ["", "c.pdf"]}
    assert history[2].reason == "Préciser la valeur"
    assert history[-1].reason == "Fin du partenariat"


@pytest.mark.parametrize("reason", ["", "   "])
def test_terminating_and_revising_need_a_reason(school: dict[str, Any], reason: str) -> None:
    active = civil_agreement(school, AgreementStatus.ACTIVE)
    with pytest.raises(ValidationError) as error:
        services.agreement_terminate(actor=school["office"], agreement=active, reason=reason)
    assert "reason" in error.value.message_dict
    under_review = civil_agreement(school, AgreementStatus.UNDER_REVIEW)
    with pytest.raises(ValidationError):
        services.agreement_revise(actor=school["office"], agreement=under_review, reason=reason)
    active.refresh_from_db()
    under_review.refresh_from_db()
    assert (active.status, under_review.status) == (AgreementStatus.ACTIVE, AgreementStatus.UNDER_REVIEW)
    assert not HistoryEntry.objects.exists()


def test_signing_needs_a_valid_document_and_a_past_date(school: dict[str, Any]) -> None:
    agreement = civil_agreement(school, AgreementStatus.UNDER_REVIEW)
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(actor=school["office"], agreement=agreement, signed_on=TODAY)
    assert "document" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(
            actor=school["office"], agreement=agreement, signed_on=TODAY, document=upload("c.pdf", EXE_BYTES)
        )
    assert "not an accepted type" in " ".join(error.value.messages)
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(
            actor=school["office"],
            agreement=agreement,
            signed_on=TODAY + datetime.timedelta(days=1),
            document=upload("c.pdf", PDF_BYTES),
        )
    assert "signed_on" in error.value.message_dict
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.UNDER_REVIEW and not agreement.files.exists()
    assert not entries(agreement)


def test_an_agreement_starts_on_its_start_date_and_expires_after_its_end(school: dict[str, Any]) -> None:
    future = civil_agreement(school, AgreementStatus.SIGNED, starts_on=TODAY + datetime.timedelta(days=10))
    with pytest.raises(ValidationError):
        services.agreement_activate(actor=school["office"], agreement=future)
    running = civil_agreement(school, AgreementStatus.ACTIVE, ends_on=TODAY)
    with pytest.raises(ValidationError):
        services.agreement_expire(actor=school["office"], agreement=running)
    assert not HistoryEntry.objects.exists()


# The daily task ---------------------------------------------------------------------------


def test_the_reminder_is_sent_once(school: dict[str, Any]) -> None:
    due = civil_agreement(school, AgreementStatus.ACTIVE, ends_on=TODAY + datetime.timedelta(days=30), reminder_days=60)
    civil_agreement(school, AgreementStatus.ACTIVE, ends_on=TODAY + datetime.timedelta(days=90), reminder_days=60)
    civil_agreement(school, AgreementStatus.DRAFT, ends_on=TODAY + datetime.timedelta(days=10))
    exactly = civil_agreement(
        school, AgreementStatus.SIGNED, ends_on=TODAY + datetime.timedelta(days=15), reminder_days=15
    )

    assert watch_agreement_ends.call_local() == {"reminded": 2, "expired": 0}
    assert watch_agreement_ends.call_local() == {"reminded": 0, "expired": 0}

    notifications = Notification.objects.filter(recipient=school["office"])
    assert notifications.count() == 2
    assert {n.url for n in notifications} == {due.get_absolute_url(), exactly.get_absolute_url()}
    due.refresh_from_db()
    assert due.reminder_sent_on == TODAY
    assert entries(due)[-1].changes == {"reminder_sent_on": ["", TODAY.isoformat()]}


def test_the_task_expires_agreements_past_their_end(school: dict[str, Any]) -> None:
    ended = civil_agreement(school, AgreementStatus.ACTIVE, ends_on=TODAY - datetime.timedelta(days=1))
    signed = civil_agreement(
        school,
        AgreementStatus.SIGNED,
        starts_on=TODAY - datetime.timedelta(days=400),
        ends_on=TODAY - datetime.timedelta(days=5),
    )
    ends_today = civil_agreement(school, AgreementStatus.ACTIVE, ends_on=TODAY, reminder_sent_on=TODAY)
    draft = civil_agreement(school, AgreementStatus.DRAFT, ends_on=TODAY - datetime.timedelta(days=1))

    assert watch_agreement_ends.call_local() == {"reminded": 0, "expired": 2}

    for agreement, status in (
        (ended, AgreementStatus.EXPIRED),
        (signed, AgreementStatus.EXPIRED),
        (ends_today, AgreementStatus.ACTIVE),
        (draft, AgreementStatus.DRAFT),
    ):
        agreement.refresh_from_db()
        assert agreement.status == status
    entry = entries(ended)[-1]
    assert entry.action == HistoryAction.TRANSITION and entry.actor is None


def test_the_task_runs_every_morning_at_seven() -> None:
    from huey.contrib.djhuey import HUEY

    assert watch_agreement_ends.task_class in HUEY._registry._periodic_tasks
    task = watch_agreement_ends.s()
    assert task.validate_datetime(datetime.datetime(2026, 3, 2, 7, 0))
    assert not task.validate_datetime(datetime.datetime(2026, 3, 2, 8, 0))


# The pages ------------------------------------------------------------------------------


def test_the_agreement_pages(school: dict[str, Any]) -> None:
    company = CompanyFactory(legal_name="Partenaire")
    client = client_for(school["head_civil"])
    assert client.get(reverse("partners:agreement_create") + f"?company={company.pk}").status_code == 200
    data = agreement_data(school, company=company)
    form = {
        **{key: value for key, value in data.items() if key not in ("departments", "signatory")},
        "company": company.pk,
        "owner": school["head_civil"].pk,
        "departments": [school["civil"].pk],
        "starts_on": data["starts_on"].isoformat(),
        "ends_on": data["ends_on"].isoformat(),
    }
    response = client.post(reverse("partners:agreement_create"), form)
    assert response.status_code == 302
    agreement = PartnershipAgreement.objects.get()
    assert response["Location"] == agreement.get_absolute_url()

    page = client.get(agreement.get_absolute_url())
    assert page.status_code == 200
    assert [step["name"] for step in page.context["steps"]] == [AgreementTransition.SUBMIT]
    assert client.post(reverse("partners:agreement_step", args=[agreement.pk, "submit"])).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.UNDER_REVIEW

    sign_url = reverse("partners:agreement_step", args=[agreement.pk, "sign"])
    assert client.get(sign_url).status_code == 200
    response = client.post(sign_url, {"signed_on": TODAY.isoformat(), "document": upload("x.pdf", EXE_BYTES)})
    assert response.status_code == 400
    response = client.post(sign_url, {"signed_on": TODAY.isoformat(), "document": upload("x.pdf", PDF_BYTES)})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    signed = agreement.files.get()
    page = client_for(school["teacher"]).get(agreement.get_absolute_url()).content.decode()
    assert f'href="{reverse("core:file_download", args=[signed.pk])}"' in page
    download = client_for(school["teacher"]).get(reverse("core:file_download", args=[signed.pk]))
    assert download.status_code == 200
    # Out of the agreements' sight, the file is not there either.
    assert client_for(school["student"]).get(reverse("core:file_download", args=[signed.pk])).status_code == 404
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    terminate_url = reverse("partners:agreement_step", args=[agreement.pk, "terminate"])
    assert client.post(terminate_url, {"reason": ""}).status_code == 400
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert client.get(reverse("partners:agreement_step", args=[agreement.pk, "unknown"])).status_code == 404


def test_agreement_pages_refuse_out_of_scope(school: dict[str, Any]) -> None:
    agreement = civil_agreement(school, AgreementStatus.DRAFT, title="Intacte")
    other = client_for(school["head_electrical"])
    assert other.get(agreement.get_absolute_url()).status_code == 200  # staff read the agreements
    assert other.get(reverse("partners:agreement_update", args=[agreement.pk])).status_code == 403
    assert other.post(reverse("partners:agreement_step", args=[agreement.pk, "submit"])).status_code == 403
    assert client_for(school["student"]).get(agreement.get_absolute_url()).status_code == 403
    assert client_for(school["teacher"]).get(agreement.get_absolute_url()).context["steps"] == []
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT and agreement.title == "Intacte"


def test_the_agreement_list_filters_and_exports(school: dict[str, Any]) -> None:
    soon = civil_agreement(
        school, AgreementStatus.ACTIVE, title="Bientôt finie", ends_on=TODAY + datetime.timedelta(days=45)
    )
    later = AgreementFactory(
        status=AgreementStatus.ACTIVE,
        title="Électrique",
        owner=school["office"],
        departments=[school["electrical"]],
        kind=AgreementKind.RECRUITMENT,
        ends_on=TODAY + datetime.timedelta(days=400),
    )
    civil_agreement(school, AgreementStatus.DRAFT, title="Brouillon", ends_on=TODAY + datetime.timedelta(days=20))
    client = client_for(school["teacher"])
    url = reverse("partners:agreement_list")

    def titles(**params: Any) -> set[str]:
        return {a.title for a in client.get(url, params).context["table"].data.data}

    assert titles(expiring="true") == {soon.title}
    assert titles(department=school["electrical"].pk) == {later.title}
    assert titles(kind=AgreementKind.RECRUITMENT) == {later.title}
    assert titles(status=AgreementStatus.DRAFT) == {"Brouillon"}
    assert len(titles()) == 3
    response = client.get(url, {"expiring": "true", "export": "csv"})
    assert "Bientôt finie" in response.content.decode("utf-8-sig")
    assert "Électrique" not in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("status", AgreementStatus.values)
@pytest.mark.parametrize("key", ["office", "head_civil", "head_electrical", "auditor"])
def test_the_edit_button_is_offered_exactly_when_the_service_accepts(
    school: dict[str, Any], status: str, key: str
) -> None:
    agreement = civil_agreement(school, status, title="Avant")
    offered = (
        f'href="{reverse("partners:agreement_update", args=[agreement.pk])}"'
        in client_for(school[key]).get(agreement.get_absolute_url()).content.decode()
    )
    try:
        services.agreement_update(actor=school[key], agreement=agreement, data={"title": "Après"})
    except (PermissionDenied, ValidationError):
        accepted = False
    else:
        accepted = True
    assert offered == accepted
    agreement.refresh_from_db()
    assert agreement.title == ("Après" if accepted else "Avant")
