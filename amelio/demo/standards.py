"""The demo school's frameworks and evidence (scenario data in
amelio/standards/demo/standards.toml): its own CTI criteria list entered by the quality
manager, requirements of the three frameworks mapped to one another, and evidence links — each
process to the ISO clauses the process map says it addresses, and the documents to the
requirements the scenario names, indicators, objectives and risks to theirs — and the
certification body's auditor's access for next week, all through the standards services."""

from __future__ import annotations

import datetime
from typing import Any

from amelio.core import clock
from amelio.documents.models import Document
from amelio.indicators.models import Indicator, Objective
from amelio.organisation.models import Person
from amelio.processes.models import Process
from amelio.risks.models import Risk
from amelio.standards import services
from amelio.standards.models import Clause, Framework

from . import data

DEMO_DOMAIN = "amelio-demo.fr"


def build_standards_demo(*, stdout: Any = None) -> int:
    """Returns the number of evidence links."""
    scenario = data.load("standards", "standards")
    quality = Person.objects.get(email=f"qualite@{DEMO_DOMAIN}")
    cti = scenario["cti"]
    framework = services.framework_create(
        actor=quality, data={"code": cti["code"], "name": cti["name"], "description": cti["description"]}
    )
    for entry in cti["requirement"]:
        services.requirement_create(actor=quality, framework=framework, data=entry)
    # "QUALIOPI:31", "ISO9001:2015:10.2": the framework's code, then the requirement's number.
    requirements = {
        f"{clause.framework.code}:{clause.number}": clause for clause in Clause.objects.select_related("framework")
    }
    for entry in scenario["mapping"]:
        first, second = (requirements[key] for key in entry["pair"])
        services.mapping_create(actor=quality, requirement=first, other=second, note=entry["note"])
    links = 0
    for process in Process.objects.prefetch_related("clauses").order_by("code"):
        for clause in process.clauses.all():
            services.evidence_link(actor=quality, record=process, requirement=clause)
            links += 1
    documents = Document.objects.in_bulk([entry["reference"] for entry in scenario["document"]], field_name="reference")
    for entry in scenario["document"]:
        for key in entry["requirements"]:
            services.evidence_link(actor=quality, record=documents[entry["reference"]], requirement=requirements[key])
            links += 1
    for key, model, field in (
        ("indicator", Indicator, "code"),
        ("objective", Objective, "code"),
        ("risk", Risk, "title"),
    ):
        # The first recorded of that name (a title may come back on another campus or year).
        named = model.objects.filter(**{f"{field}__in": [entry[field] for entry in scenario[key]]}).order_by("-pk")
        records = {getattr(record, field): record for record in named}
        for entry in scenario[key]:
            for requirement in entry["requirements"]:
                services.evidence_link(
                    actor=quality, record=records[entry[field]], requirement=requirements[requirement]
                )
                links += 1
    access = _auditor_access(scenario["auditor_access"], quality)
    if stdout is not None:
        stdout.write(
            f"standards: {len(cti['requirement'])} CTI criteria, {len(scenario['mapping'])} mappings, "
            f"{links} evidence links, an auditor's access from {access.starts_on} to {access.ends_on}\n"
        )
    return links


def _auditor_access(entry: dict[str, Any], quality: Person) -> Any:
    starts_on = clock.today() + datetime.timedelta(days=entry["starts_in_days"])
    access, _token = services.auditor_access_grant(
        actor=quality,
        data={
            "auditor": Person.objects.get(email=f"{entry['auditor']}@{DEMO_DOMAIN}"),
            "frameworks": list(Framework.objects.filter(code__in=entry["frameworks"])),
            "processes": list(Process.objects.filter(code__in=entry["processes"])),
            "starts_on": starts_on,
            "ends_on": starts_on + datetime.timedelta(days=entry["lasts_days"] - 1),
            "note": entry["note"],
        },
    )
    return access
