"""The demo school's management reviews (amelio/reviews/demo/reviews.toml): last academic
year's, held in July at the end of its teaching year, compiled from the demo's live data, its
notes written, its decisions carried out as improvement actions (one done, two under way) and
approved by the director a week later; this year's compiled and in meeting, with a few notes
and decisions whose actions have started. Through the services only, each step with the
clock on its day (past.on): nothing is dated the day the demo is built.

`build_review_demo()` runs last among the domain demos, so that every input has its data."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from amelio.improvement import services as improvement_services
from amelio.organisation.models import AcademicYear, Person
from amelio.reviews import services
from amelio.reviews.models import ManagementReview

from . import data, past

DOMAIN = "amelio-demo.fr"
# An action not done is due at least this long after the demo is built: under way, not late.
OPEN_ACTION_MARGIN = datetime.timedelta(days=30)


def _person(local: str, people: dict[str, Person]) -> Person:
    return people[f"{local}@{DOMAIN}"]


def _schedule(
    row: dict[str, Any], year: AcademicYear, previous_end: datetime.date | None, today: datetime.date
) -> tuple[datetime.date, datetime.date, datetime.date]:
    """The review's period and meeting day (see the TOML's header)."""
    if "period_ends" in row:
        month, day = (int(part) for part in row["period_ends"].split("-"))
        ends_on = datetime.date(year.ends_on.year, month, day)
        meeting_on = min(ends_on + datetime.timedelta(days=row["meeting_after_days"]), today)
        return year.starts_on, ends_on, meeting_on
    starts_on = previous_end + datetime.timedelta(days=1) if previous_end else year.starts_on
    # Within this academic year, even when the demo is built in its first days.
    meeting_on = max(today - datetime.timedelta(days=row["meeting_days_ago"]), year.starts_on)
    return starts_on, year.ends_on, meeting_on


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
    previous_end: datetime.date | None = None
    for row in scenario["review"]:
        year = years[row["year"]]
        if year is None:
            continue
        starts_on, ends_on, meeting_on = _schedule(row, year, previous_end, today)
        previous_end = ends_on
        with past.on(meeting_on - datetime.timedelta(days=row["created_before_days"]), 10):
            review = services.review_create(
                actor=quality,
                data={
                    "title": f"{row['title']} {year.label}",
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "meeting_on": meeting_on,
                    "chair": director,
                    "participants": [_person(local, people) for local in scenario["participants"]],
                },
            )
        with past.on(meeting_on - datetime.timedelta(days=row["compiled_before_days"]), 9):
            services.review_compile(actor=quality, review=review)
        notes = row.get("notes", {})
        with past.on(meeting_on, 11):
            for section in review.sections.all():
                note = notes.get(section.key, row["default_note"])
                if note:
                    services.section_write_note(actor=quality, section=section, note=note)
        sections = {section.key: section for section in review.sections.all()}
        for decision_row in row.get("decision", []):
            _decide(decision_row, review=review, sections=sections, people=people, meeting_on=meeting_on, today=today)
        if row["approved"]:
            with past.on(meeting_on + datetime.timedelta(days=row["approved_after_days"]), 15):
                services.review_approve(actor=director, review=review)
    counts = {"reviews": ManagementReview.objects.count()}
    if stdout is not None:
        stdout.write(f"  management reviews: {counts['reviews']}\n")
    return counts


def _decide(
    row: dict[str, Any],
    *,
    review: ManagementReview,
    sections: dict[str, Any],
    people: dict[str, Person],
    meeting_on: datetime.date,
    today: datetime.date,
) -> None:
    quality, owner = _person("qualite", people), _person(row["owner"], people)
    due_on = meeting_on + datetime.timedelta(days=row["due_in_days"])
    if row["progress"] != "done":
        due_on = max(due_on, today + OPEN_ACTION_MARGIN)
    with past.on(meeting_on, 12):
        decision = services.decision_record(
            actor=quality,
            review=review,
            kind=row["kind"],
            title=row["title"],
            text=row["text"],
            owner=owner,
            due_on=due_on,
            section=sections.get(row.get("section", "")),
        )
    if row["progress"] in ("started", "done"):
        with past.on(meeting_on + datetime.timedelta(days=row["started_after_days"]), 14):
            improvement_services.action_start(actor=owner, action=decision.action)
    if row["progress"] == "done":
        with past.on(meeting_on + datetime.timedelta(days=row["done_after_days"]), 16):
            improvement_services.action_complete(
                actor=owner, action=decision.action, note="Réalisé : nouveau circuit en place."
            )
