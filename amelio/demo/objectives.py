"""The demo school's quality objectives (scenario data in
amelio/indicators/demo/objectives.toml), written through the indicators services only: each
is created, measured by the demo's indicators, linked to the demo's improvement actions, and
moved along its workflow by its owner or the quality manager."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from amelio.improvement.models import Action
from amelio.indicators import services
from amelio.indicators.choices import ObjectiveStatus
from amelio.indicators.models import Indicator
from amelio.organisation.models import AcademicYear, Person
from amelio.processes.models import Process

from . import data

DEMO_DOMAIN = "amelio-demo.fr"

CLOSING = {
    ObjectiveStatus.ACHIEVED: services.objective_achieve,
    ObjectiveStatus.NOT_ACHIEVED: services.objective_miss,
    ObjectiveStatus.ABANDONED: services.objective_abandon,
}


def _months_after(start: datetime.date, months: int) -> datetime.date:
    """The day before the same day `months` later (10 months after 1 September: 30 June)."""
    index = start.month - 1 + months
    return start.replace(year=start.year + index // 12, month=index % 12 + 1) - datetime.timedelta(days=1)


def build_objective_demo(*, stdout: Any = None) -> int:
    """Returns the number of objectives written."""
    years = list(AcademicYear.objects.order_by("-starts_on"))
    current = next((year for year in years if year.is_current), years[0])
    previous = next((year for year in years if year.starts_on < current.starts_on), current)
    quality = Person.objects.get(email=f"qualite@{DEMO_DOMAIN}")
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    entries = data.load("indicators", "objectives")["objective"]
    for entry in entries:
        process = Process.objects.select_related("owner").get(code=entry["process"])
        owner = Person.objects.get(email=f"{entry['owner']}@{DEMO_DOMAIN}") if "owner" in entry else process.owner
        year = current if entry["starts"] == "current" else previous
        due_on = _months_after(year.starts_on, entry["months"])
        objective = services.objective_create(
            actor=quality,
            data={
                "code": entry["code"],
                "statement": entry["statement"],
                "commitment": entry["commitment"],
                "process": process,
                "owner": owner,
                "academic_year": year,
                "due_on": due_on,
            },
        )
        for measure in entry["measures"]:
            services.measure_add(
                actor=owner,
                objective=objective,
                indicator=indicators[measure["indicator"]],
                target=Decimal(measure["target"]) if "target" in measure else None,
                note=measure.get("note", ""),
            )
        for title in entry["actions"]:
            action = Action.objects.filter(title=title).order_by("-created_at", "-id").first()
            if action is not None:
                services.objective_link_action(actor=quality, objective=objective, action=action)
        if entry["status"] == ObjectiveStatus.DRAFT:
            continue
        services.objective_activate(actor=owner, objective=objective)
        close = CLOSING.get(entry["status"])
        if close is not None:
            close(actor=quality, objective=objective, reason=entry["reason"])
    if stdout is not None:
        stdout.write(f"objectives: {len(entries)} quality objectives")
    return len(entries)
