"""The demo school's management reviews (amelio/reviews/demo/reviews.toml): last academic
year's, compiled from the demo's live data, its notes written, its decisions carried out as
improvement actions (one done, one under way, one planned) and approved by the director; this
year's compiled and in meeting, with a few notes and a decision. Through the services only.

`build_review_demo()` runs last among the domain demos, so that every input has its data."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from amelio.improvement import services as improvement_services
from amelio.organisation.models import AcademicYear, Person
from amelio.reviews import services
from amelio.reviews.models import ManagementReview

from . import data

DOMAIN = "amelio-demo.fr"


def _person(local: str, people: dict[str, Person]) -> Person:
    return people[f"{local}@{DOMAIN}"]


def build_review_demo(*, stdout: Any = None) -> dict[str, int]:
    scenario = data.load("reviews", "reviews")
    today = timezone.localdate()
    years_by_start = AcademicYear.objects.order_by("-starts_on")
    current = years_by_start.filter(is_current=True).first() or years_by_start.first()
    if current is None:
        return {"reviews": 0}
    previous = AcademicYear.objects.filter(ends_on__lt=current.starts_on).order_by("-ends_on").first()
    years = {"current": current, "previous": previous}
    locals_ = {row["owner"] for review in scenario["review"] for row in review.get("decision", [])}
    locals_ |= set(scenario["participants"])
    people = {p.email: p for p in Person.objects.filter(email__in=[f"{local}@{DOMAIN}" for local in locals_])}
    director, quality = _person("direction", people), _person("qualite", people)
    for row in scenario["review"]:
        year = years[row["year"]]
        if year is None:
            continue
        ends_on = min(year.ends_on, today)
        review = services.review_create(
            actor=quality,
            data={
                "title": f"{row['title']} {year.label}",
                "starts_on": year.starts_on,
                "ends_on": year.ends_on,
                "meeting_on": min(ends_on + datetime.timedelta(days=row["meeting_after_days"]), today),
                "chair": director,
                "participants": [_person(local, people) for local in scenario["participants"]],
            },
        )
        services.review_compile(actor=quality, review=review)
        notes = row.get("notes", {})
        for section in review.sections.all():
            note = notes.get(section.key, row["default_note"])
            if note:
                services.section_write_note(actor=quality, section=section, note=note)
        sections = {section.key: section for section in review.sections.all()}
        for decision_row in row.get("decision", []):
            owner = _person(decision_row["owner"], people)
            decision = services.decision_record(
                actor=quality,
                review=review,
                kind=decision_row["kind"],
                title=decision_row["title"],
                text=decision_row["text"],
                owner=owner,
                due_on=today + datetime.timedelta(days=decision_row["due_in_days"]),
                section=sections.get(decision_row.get("section", "")),
            )
            if decision_row["progress"] in ("started", "done"):
                improvement_services.action_start(actor=owner, action=decision.action)
            if decision_row["progress"] == "done":
                improvement_services.action_complete(
                    actor=owner, action=decision.action, note="Réalisé : nouveau circuit en place."
                )
        if row["approved"]:
            services.review_approve(actor=director, review=review)
    counts = {"reviews": ManagementReview.objects.count()}
    if stdout is not None:
        stdout.write(f"  management reviews: {counts['reviews']}\n")
    return counts
