"""The audit pages through the browser's path: plan, answer on the checklist, record a
finding, raise its item, issue the report as a PDF (drawn to PNG), and the review input."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amelio.audits import services
from amelio.audits.choices import Answer, AuditStatus, Grade
from amelio.audits.models import Audit, Finding
from amelio.audits.review_inputs import compile_audit_results
from amelio.core.registry import review_inputs
from amelio.improvement.choices import ItemStatus

from .factories import audit_in, clause, external_audit, programme

pytestmark = pytest.mark.django_db


def client_of(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_plan_answer_record_and_raise_through_the_pages(school: dict[str, Any]) -> None:
    year = programme()
    quality = client_of(school["quality_manager"])
    response = quality.post(
        reverse("audits:audit_create") + f"?programme={year.pk}",
        {
            "programme": year.pk,
            "title": "Audit GC",
            "processes": [school["process_civil"].pk],
            "clauses": [clause("8.5").pk],
            "criteria": "ISO 9001",
            "starts_on": "2026-03-10",
            "ends_on": "2026-03-11",
            "lead_auditor": school["teacher"].pk,
        },
    )
    assert response.status_code == 200
    assert "Théo Enseignant cannot audit R-GC" in response.content.decode()
    assert not Audit.objects.exists()
    response = quality.post(
        reverse("audits:audit_create"),
        {
            "programme": year.pk,
            "title": "Audit GC",
            "processes": [school["process_civil"].pk],
            "clauses": [clause("8.5").pk],
            "criteria": "ISO 9001",
            "starts_on": "2026-03-10",
            "ends_on": "2026-03-11",
            "lead_auditor": school["head_electrical"].pk,
        },
    )
    audit = Audit.objects.get()
    assert response.status_code == 302 and response["Location"] == audit.get_absolute_url()
    lead = client_of(school["head_electrical"])
    assert lead.post(reverse("audits:audit_step", args=[audit.pk, "start"])).status_code == 302
    line = audit.checklist.get(clause__number="8.5")
    url = reverse("audits:line_answer", args=[audit.pk, line.pk])
    refused = lead.post(url, {f"line{line.pk}-answer": "not_conform", f"line{line.pk}-note": ""})
    assert refused.status_code == 400 and "a nonconformity rests on evidence" in refused.content.decode()
    done = lead.post(url, {f"line{line.pk}-answer": "not_conform", f"line{line.pk}-note": "Pas de revue"})
    assert done.status_code == 302
    page = lead.get(reverse("audits:finding_create", args=[audit.pk]) + f"?line={line.pk}")
    assert "Pas de revue" in page.content.decode()
    response = lead.post(
        reverse("audits:finding_create", args=[audit.pk]) + f"?line={line.pk}",
        {
            "grade": Grade.MINOR_NONCONFORMITY,
            "statement": "Revues non tracées",
            "evidence": "Pas de revue",
            "requirement": "8.5.1",
            "clause": clause("8.5").pk,
            "process": school["process_civil"].pk,
        },
    )
    finding = Finding.objects.get()
    assert response.status_code == 302 and finding.checklist_line == line
    assert lead.post(reverse("audits:finding_raise_item", args=[finding.pk])).status_code == 302
    finding.refresh_from_db()
    assert finding.improvement_item.due_on == datetime.date(2026, 9, 7)  # 11 March + 180 days
    detail = lead.get(audit.get_absolute_url()).content.decode()
    assert finding.improvement_item.reference in detail
    register = quality.get(reverse("improvement:item_list")).content.decode()
    assert finding.improvement_item.reference in register


def test_programme_page_shows_coverage_and_late_audits(school: dict[str, Any]) -> None:
    year = programme(starts_on=datetime.date(2024, 9, 1))
    audit_in(school, programme=year, starts_on=datetime.date(2025, 1, 6), ends_on=datetime.date(2025, 1, 7))
    page = client_of(school["quality_manager"]).get(year.get_absolute_url()).content.decode()
    assert 'data-testid="late-audits"' in page
    assert "not covered" in page or "non couvert" in page


def test_the_report_pdf_is_drawn(school: dict[str, Any], tmp_path: Path) -> None:
    audit = audit_in(school, status=AuditStatus.IN_PROGRESS)
    services.finding_record(
        actor=school["head_electrical"],
        audit=audit,
        data={
            "grade": Grade.MINOR_NONCONFORMITY,
            "statement": "Revues non tracées",
            "evidence": "3 sur 5",
            "requirement": "8.3.4",
            "clause": clause("8.3"),
        },
    )
    for line in audit.checklist.select_related("audit"):
        services.checklist_answer(actor=school["head_electrical"], line=line, answer=Answer.CONFORM)
    services.audit_report(actor=school["head_electrical"], audit=audit, conclusion="Système globalement efficace.")
    response = client_of(school["teacher"]).get(reverse("audits:audit_report_pdf", args=[audit.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    assert shutil.which("pdftoppm"), "pdftoppm is missing: run `make system-packages` (poppler-utils)."
    out = Path("test-results")
    out.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(out / "audit-report")], check=True
    )
    assert list(out.glob("audit-report*.png"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert audit.reference in text and "Revues non tracées" in text and "NC Min" in text


def test_the_review_input_counts_the_audits_of_the_period(school: dict[str, Any]) -> None:
    assert "audit_results" in {entry.key for entry in review_inputs()}
    first = audit_in(school, status=AuditStatus.IN_PROGRESS, ends_on=datetime.date(2026, 3, 11))
    for grade in (Grade.MAJOR_NONCONFORMITY, Grade.MINOR_NONCONFORMITY, Grade.MINOR_NONCONFORMITY, Grade.STRENGTH):
        finding = services.finding_record(
            actor=school["head_electrical"],
            audit=first,
            data={"grade": grade, "statement": "F", "evidence": "E", "requirement": "R"},
        )
        if grade == Grade.MAJOR_NONCONFORMITY:
            item = services.finding_raise_item(actor=school["head_electrical"], finding=finding)
        if grade == Grade.STRENGTH:
            pass
    Audit.objects.filter(pk=first.pk).update(status=AuditStatus.REPORTED)
    minor = Finding.objects.filter(grade=Grade.MINOR_NONCONFORMITY).first()
    closed_item = services.finding_raise_item(actor=school["head_electrical"], finding=minor)
    type(closed_item).objects.filter(pk=closed_item.pk).update(status=ItemStatus.CLOSED_EFFECTIVE)
    external = external_audit(school)
    services.audit_start(actor=school["quality_manager"], audit=external)
    services.finding_record(
        actor=school["quality_manager"],
        audit=external,
        data={"grade": Grade.OPPORTUNITY, "statement": "PP", "evidence": "E", "requirement": "R"},
    )
    services.audit_report(actor=school["quality_manager"], audit=external, conclusion="Maintien")
    # Out of the period, or not reported: left out.
    audit_in(
        school, status=AuditStatus.REPORTED, starts_on=datetime.date(2025, 3, 1), ends_on=datetime.date(2025, 3, 2)
    )
    audit_in(school, status=AuditStatus.IN_PROGRESS, ends_on=datetime.date(2026, 4, 1))
    snapshot = compile_audit_results(datetime.date(2025, 9, 1), datetime.date(2026, 8, 31))
    figures = {figure["label"]: figure for figure in snapshot["figures"]}
    # Hand-computed: 1 internal and 1 external audit reported in the period; 1 major and 2
    # minor nonconformities; of the two items raised, one is closed, one open.
    assert figures["Internal audits carried out"]["value"] == 1
    assert figures["External audits"]["value"] == 1
    assert figures["Nonconformities found"]["value"] == 3
    assert figures["Nonconformities found"]["note"] == "of which 1 major"
    assert figures["Items from audits still open"]["value"] == 1
    assert item.status == ItemStatus.NEW
    rows = snapshot["tables"][0]["rows"]
    assert [row[0] for row in rows] == [first.reference, external.reference]
    assert rows[0][4:] == [1, 2, 4]
    chart = snapshot["charts"][0]
    assert chart["labels"] == ["NC Maj", "NC Min", "PS", "OBS", "PP", "PF"]
    assert chart["series"][0]["values"] == [1, 2, 0, 0, 0, 1]
    assert chart["series"][1]["values"] == [0, 0, 0, 0, 1, 0]


def test_an_external_audit_is_recorded_and_edited_through_its_pages(school: dict[str, Any]) -> None:
    quality = client_of(school["quality_manager"])
    data = {
        "kind": "certification",
        "title": "Audit de renouvellement",
        "processes": [school["process_school"].pk],
        "criteria": "ISO 9001:2015",
        "starts_on": "2026-06-02",
        "ends_on": "2026-06-03",
        "external_lead": "Mme Martin",
    }
    refused = quality.post(reverse("audits:external_audit_create"), data)
    assert refused.status_code == 200 and "Name the body that audits." in refused.content.decode()
    assert not Audit.objects.exists()
    response = quality.post(reverse("audits:external_audit_create"), {**data, "body": "Organisme certificateur"})
    audit = Audit.objects.get()
    assert response.status_code == 302 and audit.kind == "certification" and audit.reference.startswith("AE-")
    edit = reverse("audits:audit_update", args=[audit.pk])
    form = quality.get(edit).context["form"]
    assert "kind" not in form.fields and "lead_auditor" not in form.fields
    response = quality.post(
        edit,
        {
            **data,
            "body": "Organisme certificateur",
            "title": "Audit de certification",
            "version": form["version"].value(),
        },
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.title == "Audit de certification" and audit.kind == "certification"
    # The director reads it but does not plan.
    assert client_of(school["director"]).get(edit).status_code == 403
