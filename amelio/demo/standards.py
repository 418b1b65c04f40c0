"""The demo school's frameworks and evidence (scenario data in
amelio/standards/demo/standards.toml): its own CTI criteria list entered by the quality
manager, requirements of the three frameworks mapped to one another, and evidence links — each
process to the ISO clauses the process map says it addresses, and the documents to the
requirements the scenario names — all through the standards services."""

from __future__ import annotations

from typing import Any

from amelio.documents.models import Document
from amelio.organisation.models import Person
from amelio.processes.models import Process
from amelio.standards import services
from amelio.standards.models import Clause

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
    if stdout is not None:
        stdout.write(
            f"standards: {len(cti['requirement'])} CTI criteria, {len(scenario['mapping'])} mappings, "
            f"{links} evidence links\n"
        )
    return links
