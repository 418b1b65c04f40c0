"""A review's compiled inputs are frozen with their words as message ids (core.frozen_text):
compiled by a French-speaking quality manager, approved, the review reads in English for an
English reader and in French for a French one, its figures unchanged."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from amelio.improvement.choices import ItemStatus, Origin, Severity
from amelio.improvement.tests.factories import ImprovementItemFactory
from amelio.reviews import services
from amelio.reviews.models import ManagementReview

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 9, 1), datetime.date(2026, 8, 31)


def approved_in_french(school: dict[str, Any]) -> ManagementReview:
    ImprovementItemFactory(
        origin=Origin.NONCONFORMITY,
        severity=Severity.MAJOR,
        status=ItemStatus.ACCEPTED,
        raised_on=datetime.date(2026, 1, 5),
        raised_by=school["student"],
        process=school["process_civil"],
    )
    with translation.override("fr"):
        review = services.review_create(
            actor=school["quality_manager"],
            data={
                "title": "Revue de direction 2025-2026",
                "starts_on": START,
                "ends_on": END,
                "meeting_on": datetime.date(2026, 9, 15),
                "chair": school["director"],
                "participants": [school["teacher"]],
            },
        )
        services.review_compile(actor=school["quality_manager"], review=review)
        for section in review.sections.all():
            services.section_write_note(actor=school["quality_manager"], section=section, note="Vu.")
        services.review_approve(actor=school["director"], review=review)
    return review


def page(school: dict[str, Any], review: ManagementReview, language: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(school["director"])
    response = client.get(review.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_snapshot_stores_message_ids_and_figures_not_the_compilers_words(school: dict[str, Any]) -> None:
    review = approved_in_french(school)
    section = review.sections.get(key="nonconformities")
    assert section.title == "Nonconformities and corrective actions"
    summary = section.snapshot["summary"]
    assert summary == {
        "$t": "%(raised)s nonconformities raised (%(major)s major), %(closed)s closed.",
        "params": {"raised": 1, "major": 1, "closed": 0},
    }
    # A choice's label (the item's status in the table) is stored as its message id too.
    assert section.snapshot["tables"][0]["rows"][0][3] == {"$t": "accepted", "params": {}}
    # Names and references are data, stored as they are.
    assert section.snapshot["tables"][0]["rows"][0][2] == "R-GC"


def test_the_frozen_review_reads_in_each_readers_language(school: dict[str, Any]) -> None:
    review = approved_in_french(school)
    english = page(school, review, "en")
    assert "1 nonconformities raised (1 major), 0 closed." in english
    assert "Nonconformities and corrective actions" in english
    assert "non-conformités relevées" not in english
    french = page(school, review, "fr")
    assert "1 non-conformités relevées (1 majeures), 0 clôturées." in french
    assert "Non-conformités et actions correctives" in french
    assert "nonconformities raised" not in french


def test_a_snapshot_stored_as_text_before_is_shown_as_it_was(school: dict[str, Any]) -> None:
    review = approved_in_french(school)
    section = review.sections.get(key="nonconformities")
    type(section).objects.filter(pk=section.pk).update(
        title="Non-conformités (ancienne revue)", snapshot={"summary": "Résumé figé en français."}
    )
    english = page(school, review, "en")
    assert "Non-conformités (ancienne revue)" in english and "Résumé figé en français." in english
