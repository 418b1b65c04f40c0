"""The management review: compiled from live data, notes required before approval, frozen
once approved, decisions carried out as improvement actions, permissions with nothing
changed on denial, and its PDF drawn with its charts."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amelio.core.registry import review_inputs
from amelio.history.models import HistoryEntry
from amelio.improvement.choices import ActionKind, Origin
from amelio.improvement.models import ImprovementItem
from amelio.improvement.tests.factories import ImprovementItemFactory
from amelio.reviews import services
from amelio.reviews.choices import DecisionKind, ReviewStatus
from amelio.reviews.models import ManagementReview, ReviewDecision, ReviewSection

from .factories import review_of

START, END = datetime.date(2025, 9, 1), datetime.date(2026, 8, 31)


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def nonconformity(school: dict[str, Any], raised_on: datetime.date) -> ImprovementItem:
    return ImprovementItemFactory(
        origin=Origin.NONCONFORMITY, raised_on=raised_on, raised_by=school["student"], process=school["process_civil"]
    )


def created(school: dict[str, Any]) -> ManagementReview:
    return services.review_create(
        actor=school["quality_manager"],
        data={
            "title": "Revue de direction 2025-2026",
            "starts_on": START,
            "ends_on": END,
            "meeting_on": datetime.date(2026, 9, 15),
            "chair": school["director"],
            "participants": [school["teacher"], school["quality_manager"]],
        },
    )


def test_compiling_takes_a_snapshot_of_every_registered_input(school: dict[str, Any]) -> None:
    nonconformity(school, datetime.date(2026, 1, 5))
    nonconformity(school, datetime.date(2024, 1, 5))  # before the period
    review = created(school)
    assert review.reference.startswith("RDD-2026-")
    services.review_compile(actor=school["quality_manager"], review=review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMPILED and review.compiled_at is not None
    sections = list(review.sections.all())
    assert {section.key for section in sections} == {entry.key for entry in review_inputs()}
    # In the order of 9.3.2, a) first, f) last.
    clauses = [section.clause for section in sections]
    assert clauses == sorted(clauses) and clauses[0] == "9.3.2 a)"
    nonconformities = review.sections.get(key="nonconformities")
    assert nonconformities.snapshot["figures"][0]["value"] == 1
    assert nonconformities.title == "Nonconformities and corrective actions"


def test_compiling_again_refreshes_the_figures_and_keeps_the_notes(school: dict[str, Any]) -> None:
    review = created(school)
    services.review_compile(actor=school["quality_manager"], review=review)
    section = review.sections.get(key="nonconformities")
    services.section_write_note(actor=school["director"], section=section, note="Tendance stable.")
    nonconformity(school, datetime.date(2026, 2, 1))
    services.review_compile(actor=school["quality_manager"], review=review)
    section.refresh_from_db()
    assert section.note == "Tendance stable." and section.snapshot["figures"][0]["value"] == 1


def test_approval_is_refused_while_an_input_has_no_note_naming_the_sections(school: dict[str, Any]) -> None:
    review = review_of(school, status=ReviewStatus.COMPILED)
    sections = list(review.sections.all())
    for section in sections[:-2]:
        services.section_write_note(actor=school["quality_manager"], section=section, note="Vu.")
    history = HistoryEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.review_approve(actor=school["director"], review=review)
    message = refused.value.messages[0]
    for section in sections[-2:]:
        assert f"{section.clause} {section.title}" in message
    assert sections[0].title not in message
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMPILED and review.approved_on is None
    assert HistoryEntry.objects.count() == history
    for section in sections[-2:]:
        services.section_write_note(actor=school["director"], section=section, note="Vu en séance.")
    services.review_approve(actor=school["director"], review=review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED and review.approved_by == school["director"]


def test_an_approved_review_is_frozen_whatever_happens_to_its_sources(school: dict[str, Any]) -> None:
    first = nonconformity(school, datetime.date(2026, 1, 5))
    review = review_of(school, status=ReviewStatus.COMPILED, notes=True)
    services.review_approve(actor=school["director"], review=review)
    before = {section.key: section.snapshot for section in review.sections.all()}
    assert before["nonconformities"]["figures"][0]["value"] == 1
    # The sources change: a new nonconformity in the period, the first one renamed.
    nonconformity(school, datetime.date(2026, 3, 5))
    ImprovementItem.objects.filter(pk=first.pk).update(title="Renommée", severity="major")
    assert {section.key: section.snapshot for section in review.sections.all()} == before
    with pytest.raises(ValidationError, match="not possible while the review is “approved”"):
        services.review_compile(actor=school["quality_manager"], review=review)
    section = review.sections.get(key="nonconformities")
    with pytest.raises(ValidationError, match="frozen"):
        services.section_write_note(actor=school["director"], section=section, note="Modifiée")
    with pytest.raises(ValidationError, match="frozen"):
        services.review_update(actor=school["quality_manager"], review=review, data={"title": "Autre"})
    with pytest.raises(ValidationError, match="frozen"):
        services.decision_record(
            actor=school["quality_manager"],
            review=review,
            kind=DecisionKind.IMPROVEMENT,
            text="Trop tard",
            owner=school["teacher"],
            due_on=timezone.localdate() + datetime.timedelta(days=30),
        )
    assert {s.key: (s.snapshot, s.note) for s in review.sections.all()} == {
        key: (snapshot, "Examiné en séance.") for key, snapshot in before.items()
    }
    assert ReviewDecision.objects.count() == 0
    # The PDF still shows the frozen figure.
    page = client_for(school["auditor"]).get(review.get_absolute_url()).content.decode()
    assert "Renommée" not in page


def test_a_decision_becomes_an_improvement_action_linked_both_ways(school: dict[str, Any]) -> None:
    review = review_of(school, status=ReviewStatus.COMPILED)
    section = review.sections.get(key="resources")
    due_on = timezone.localdate() + datetime.timedelta(days=90)
    decision = services.decision_record(
        actor=school["quality_manager"],
        review=review,
        kind=DecisionKind.RESOURCES,
        text="Recruter un technicien de laboratoire.",
        owner=school["head_civil"],
        due_on=due_on,
        section=section,
    )
    action = decision.action
    assert action.kind == ActionKind.IMPROVEMENT and action.owner == school["head_civil"] and action.due_on == due_on
    assert review.reference in action.description
    assert action.review_decision == decision and decision.section == section
    page = client_for(school["quality_manager"]).get(review.get_absolute_url()).content.decode()
    assert action.get_absolute_url() in page
    # The action's own story names the review.
    action_type = ContentType.objects.get_for_model(action)
    story = HistoryEntry.objects.filter(content_type=action_type, object_id=str(action.pk))
    assert any("management review" in entry.changes for entry in story)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"text": "  "}, "text", "Write the decision."),
        ({"due_on": datetime.date(2020, 1, 1)}, "due_on", "The due date is in the past."),
        ({"kind": "other"}, "kind", "Choose what the decision is about."),
    ],
)
def test_a_wrong_decision_is_refused_with_its_message(
    school: dict[str, Any], changes: dict[str, Any], field: str, message: str
) -> None:
    review = review_of(school, status=ReviewStatus.COMPILED)
    data = {
        "kind": DecisionKind.IMPROVEMENT,
        "text": "Décision",
        "owner": school["teacher"],
        "due_on": timezone.localdate() + datetime.timedelta(days=10),
        **changes,
    }
    with pytest.raises(ValidationError) as refused:
        services.decision_record(actor=school["quality_manager"], review=review, **data)
    assert refused.value.message_dict[field] == [message]
    assert ReviewDecision.objects.count() == 0


def test_the_period_must_be_in_order(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        services.review_create(
            actor=school["quality_manager"],
            data={"title": "x", "starts_on": END, "ends_on": START, "chair": school["director"]},
        )
    assert refused.value.message_dict["ends_on"] == ["The period ends before it starts."]
    assert ManagementReview.objects.count() == 0


# Permissions -------------------------------------------------------------------------

WRITERS = {
    # who may: create, compile, write a note, record a decision, approve
    "quality_manager": {"create", "compile", "note", "decide"},
    "director": {"note", "approve"},
}


def attempt(school: dict[str, Any], role: str, what: str) -> bool:
    person = school[role]
    review = review_of(school, status=ReviewStatus.COMPILED, notes=(what == "approve"))
    if what == "compile":
        review.status = ReviewStatus.DRAFT
        review.save()
    section = review.sections.first()
    assert section is not None
    calls = {
        "create": lambda: created({**school, "quality_manager": person}),
        "compile": lambda: services.review_compile(actor=person, review=review),
        "note": lambda: services.section_write_note(actor=person, section=section, note="Nouvelle note"),
        "decide": lambda: services.decision_record(
            actor=person,
            review=review,
            kind=DecisionKind.IMPROVEMENT,
            text="Décision",
            owner=school["teacher"],
            due_on=timezone.localdate() + datetime.timedelta(days=10),
        ),
        "approve": lambda: services.review_approve(actor=person, review=review),
    }
    reviews, history = ManagementReview.objects.count(), HistoryEntry.objects.count()
    status, note = review.status, section.note
    try:
        calls[what]()
    except PermissionDenied:
        review.refresh_from_db()
        section.refresh_from_db()
        assert (review.status, section.note) == (status, note)
        assert ManagementReview.objects.count() == reviews and HistoryEntry.objects.count() == history
        assert ReviewDecision.objects.count() == 0
        return False
    return True


@pytest.mark.parametrize("role", ["quality_manager", "director", "teacher", "head_civil", "auditor", "student"])
@pytest.mark.parametrize("what", ["create", "compile", "note", "decide", "approve"])
def test_who_may_prepare_write_decide_and_approve(school: dict[str, Any], role: str, what: str) -> None:
    assert attempt(school, role, what) == (what in WRITERS.get(role, set()))


def test_who_sees_a_review(school: dict[str, Any]) -> None:
    review = review_of(school, status=ReviewStatus.COMPILED)
    expected = {
        "quality_manager": 200,
        "director": 200,
        "teacher": 200,  # a participant
        "auditor": 200,  # reads, offered nothing
        "head_civil": 404,  # not a participant
        "student": 403,
    }
    for role, status in expected.items():
        client = client_for(school[role])
        response = client.get(review.get_absolute_url())
        assert response.status_code == status, role
        assert client.get(reverse("reviews:review_pdf", args=[review.pk])).status_code == status, role
        listed = client.get(reverse("reviews:review_list"))
        if status == 200:
            assert review.reference in listed.content.decode(), role
        else:
            assert listed.status_code == 403 or review.reference not in listed.content.decode(), role
    auditor_page = client_for(school["auditor"]).get(review.get_absolute_url()).content.decode()
    assert "data-step=" not in auditor_page and "Write the note" not in auditor_page
    director_page = client_for(school["director"]).get(review.get_absolute_url()).content.decode()
    assert 'data-step="approve"' in director_page


def test_the_pages_write_notes_and_decisions_through_the_services(school: dict[str, Any]) -> None:
    review = review_of(school, status=ReviewStatus.COMPILED)
    director, manager = client_for(school["director"]), client_for(school["quality_manager"])
    url = reverse("reviews:section_note", args=[review.pk, "resources"])
    assert director.get(url).status_code == 200
    response = director.post(url, {"note": "Ressources suffisantes, sauf un poste de technicien."})
    assert response.status_code == 302
    assert review.sections.get(key="resources").note.startswith("Ressources suffisantes")
    # An auditor may not post a note: refused, nothing changed.
    assert client_for(school["auditor"]).post(url, {"note": "Non"}).status_code == 403
    assert review.sections.get(key="resources").note.startswith("Ressources suffisantes")
    response = manager.post(
        reverse("reviews:decision_create", args=[review.pk]),
        {
            "kind": DecisionKind.RESOURCES,
            "section": review.sections.get(key="resources").pk,
            "text": "Recruter un technicien.",
            "owner": school["head_civil"].pk,
            "due_on": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ReviewDecision.objects.get().action.owner == school["head_civil"]


def test_the_pdf_draws_every_section_with_its_charts(school: dict[str, Any], tmp_path: Path) -> None:
    for day in (datetime.date(2025, 10, 1), datetime.date(2026, 1, 5), datetime.date(2026, 2, 5)):
        nonconformity(school, day)
    review = review_of(school, status=ReviewStatus.COMPILED, notes=True)
    response = client_for(school["auditor"]).get(reverse("reviews:review_pdf", args=[review.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "review.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for section in review.sections.all():
        assert section.title.split(":")[0] in text.replace("\n", " ")
    assert "Nonconformities by process" in text
    assert shutil.which("pdftoppm"), "pdftoppm is missing: run `make system-packages` (poppler-utils)."
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and all(page.stat().st_size > 5_000 for page in pages)
    keep = Path(__file__).resolve().parents[3] / "test-results" / "screenshots"
    keep.mkdir(parents=True, exist_ok=True)
    for page in pages:
        shutil.copy(page, keep / f"review-pdf-{page.name}")


def test_sections_are_unique_per_input(school: dict[str, Any]) -> None:
    review = review_of(school, status=ReviewStatus.COMPILED)
    assert ReviewSection.objects.filter(review=review).count() == len(review_inputs())


def test_the_edit_page_saves_the_period_and_participants(school: dict[str, Any]) -> None:
    review = review_of(school)
    client = client_for(school["quality_manager"])
    url = reverse("reviews:review_update", args=[review.pk])
    form = client.get(url).context["form"]
    data = {
        "title": "Revue 2025-2026",
        "starts_on": "2025-09-01",
        "ends_on": "2026-08-31",
        "meeting_on": "2026-09-20",
        "chair": school["director"].pk,
        "participants": [school["head_civil"].pk],
        "version": form["version"].value(),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    review.refresh_from_db()
    assert review.title == "Revue 2025-2026" and list(review.participants.all()) == [school["head_civil"]]
    # The director does not prepare: refused, nothing changed.
    assert client_for(school["director"]).post(url, {**data, "title": "Autre"}).status_code == 403
    review.refresh_from_db()
    assert review.title == "Revue 2025-2026"
