"""The demo school's register of risks and opportunities (amelio/risks/demo/risks.toml):
each recorded by the owner of its process through the real services about a year ago, its
treatment actions planned through the improvement app, treated or closed as the scenario
says, reviewed since; a few reviews are overdue so that the reminders and the home card
have something to show.

`build_risk_demo()` runs after the improvement demo, in the same transaction, on a database
where the school, its people and its processes exist."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from amelio.improvement.choices import ActionKind
from amelio.processes.models import Process
from amelio.risks import services
from amelio.risks.choices import RiskKind, RiskStatus
from amelio.risks.models import Risk

from . import data, past

DEPARTMENT_PROCESSES = ("R-GB1", "R-GC1", "R-GE1", "R-IMDS1")
# One risk in OVERDUE_EVERY has its review past due.
OVERDUE_EVERY = 7


def _scenarios() -> list[dict[str, Any]]:
    scenario = data.load("risks", "risks")
    rows = [dict(row) for row in scenario["risk"]]
    for template in scenario["department_risk"]:
        for code in DEPARTMENT_PROCESSES:
            rows.append({**template, "process": code, "from_template": True})
    return rows


def build_risk_demo(*, rng: random.Random, stdout: Any = None) -> dict[str, int]:
    today = timezone.localdate()
    processes = {process.code: process for process in Process.objects.select_related("owner", "department")}
    rows = _scenarios()
    # Each step is taken by the process's owner, who is also the owner of the risk and of its
    # actions: nobody else is notified, so no email waits for the worker.
    for index, row in enumerate(rows):
        _build_one(row, index=index, process=processes[row["process"]], today=today, rng=rng)
    counts = {"risks": Risk.objects.count()}
    if stdout is not None:
        overdue = Risk.objects.filter(status__in=[RiskStatus.OPEN, RiskStatus.TREATED], review_on__lt=today).count()
        stdout.write(f"  risks: {counts['risks']} ({overdue} reviews overdue)\n")
    return counts


def _build_one(row: dict[str, Any], *, index: int, process: Process, today: datetime.date, rng: random.Random) -> None:
    owner = process.owner
    recorded_on = today - datetime.timedelta(days=rng.randint(300, 420))
    name = process.name
    texts = {key: str(row.get(key, "")).replace("{process}", name) for key in ("title", "description", "causes")}
    likelihood, impact = row["score"]
    residual = row.get("residual")
    with past.on(recorded_on, 10):
        # Recorded with its treatment decided (the scenario's state after its first weeks).
        risk = services.risk_create(
            actor=owner,
            data={
                "kind": row.get("kind", RiskKind.RISK),
                "title": texts["title"][:200],
                "description": texts["description"],
                "causes": texts["causes"],
                "consequences": row.get("consequences", ""),
                "process": process,
                "owner": owner,
                "likelihood": likelihood,
                "impact": impact,
                "treatment": row.get("treatment", ""),
                "treatment_plan": row.get("plan", ""),
                "residual_likelihood": residual[0] if residual else None,
                "residual_impact": residual[1] if residual else None,
                "review_on": recorded_on + datetime.timedelta(days=180),
            },
        )
    decided_on = recorded_on + datetime.timedelta(days=rng.randint(10, 40))
    with past.on(decided_on, 14):
        for title in row.get("actions", []):
            services.risk_plan_action(
                actor=owner,
                risk=risk,
                data={
                    "kind": ActionKind.PREVENTIVE,
                    "title": title,
                    "description": "",
                    "owner": owner,
                    "due_on": decided_on + datetime.timedelta(days=rng.randint(60, 200)),
                },
            )
        if row.get("item"):
            services.risk_raise_item(
                actor=owner, risk=risk, title=row["item"]["title"], description=row["item"]["description"]
            )
        if row.get("status") in (RiskStatus.TREATED, RiskStatus.CLOSED):
            services.risk_treat(actor=owner, risk=risk)
    if row.get("status") == RiskStatus.CLOSED:
        with past.on(decided_on + datetime.timedelta(days=rng.randint(60, 150)), 11):
            services.risk_close(actor=owner, risk=risk, reason=row.get("closing", "Risque maîtrisé."))
        return
    # The review held half a year after recording set the next one: past for a few risks,
    # within the coming weeks for some, months ahead for the others.
    reviewed_on = recorded_on + datetime.timedelta(days=rng.randint(170, 200))
    if index % OVERDUE_EVERY == 3:
        next_review = today - datetime.timedelta(days=rng.randint(3, 45))
    elif index % OVERDUE_EVERY == 5:
        next_review = today + datetime.timedelta(days=rng.randint(2, 12))
    else:
        next_review = today + datetime.timedelta(days=rng.randint(30, 300))
    next_review = max(next_review, reviewed_on + datetime.timedelta(days=1))
    with past.on(min(reviewed_on, today), 9):
        services.risk_review(actor=owner, risk=risk, next_review_on=next_review, note="Revue semestrielle.")
