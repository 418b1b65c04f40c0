"""Frameworks as data, the school's own requirements (by hand and CSV, all or nothing),
mappings read both ways, evidence links with their permissions, the requirement page, the
coverage view (uncovered, stale, covered) and its PDF, and the external auditor's access log."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amelio.core import clock
from amelio.documents.choices import DocumentStatus
from amelio.documents.tests.factories import DocumentFactory, document_in_force
from amelio.history.models import HistoryEntry
from amelio.organisation.choices import Role
from amelio.organisation.models import RoleAssignment
from amelio.standards import selectors, services
from amelio.standards.choices import Apprenticeship, Coverage
from amelio.standards.models import AccessLogEntry, Clause, ClauseMapping, EvidenceLink, Framework
from amelio.standards.tests.factories import open_access

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(school: dict[str, Any]) -> dict[str, Any]:
    """The external auditor reads every framework and process through an open access (the
    accesses' own rules are tested in test_auditor_access.py)."""
    open_access(school["auditor"], processes=[school["process_civil"], school["process_electrical"]])
    return school


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def qualiopi() -> Framework:
    return Framework.objects.get(code="QUALIOPI")


def iso() -> Framework:
    return Framework.objects.get(code="ISO9001:2015")


def cti(school: dict[str, Any]) -> Framework:
    return services.framework_create(
        actor=school["quality_manager"], data={"code": "CTI", "name": "CTI — critères de l'école"}
    )


# Frameworks as data --------------------------------------------------------------------------


def test_qualiopi_is_loaded_with_its_7_criteria_and_32_indicators() -> None:
    framework = qualiopi()
    assert framework.is_published_data and iso().is_published_data
    criteria = Clause.objects.filter(framework=framework, parent=None)
    indicators = Clause.objects.filter(framework=framework, parent__isnull=False)
    assert criteria.count() == 7
    assert indicators.count() == 32
    assert sorted(int(number) for number in indicators.values_list("number", flat=True)) == list(range(1, 33))
    # A CFA is audited on all 32; 14, 15, 20 and 29 apply to apprenticeship training only.
    assert not indicators.filter(apprenticeship=Apprenticeship.NOT_STATED).exists()
    assert sorted(indicators.filter(apprenticeship=Apprenticeship.ONLY).values_list("number", flat=True)) == [
        "14",
        "15",
        "20",
        "29",
    ]
    indicator_31 = indicators.get(number="31")
    assert indicator_31.parent.number == "C7" and indicator_31.major_only
    assert not indicators.get(number="30").major_only
    # Indicators sort under their criterion: 3 (criterion 1) before 4 (criterion 2).
    numbers = list(Clause.objects.filter(framework=framework).values_list("number", flat=True))
    assert numbers[:5] == ["C1", "1", "2", "3", "C2"]


def test_the_quality_manager_enters_a_requirement_by_hand(school: dict[str, Any]) -> None:
    framework = cti(school)
    chapter = services.requirement_create(
        actor=school["quality_manager"], framework=framework, data={"number": "C", "title_fr": "Formation"}
    )
    section = services.requirement_create(
        actor=school["quality_manager"], framework=framework, data={"number": "C.4", "title_fr": "Mise en œuvre"}
    )
    child = services.requirement_create(
        actor=school["quality_manager"],
        framework=framework,
        data={"number": "C.4.1", "title_fr": "Formation en entreprise", "text": "28 semaines"},
    )
    assert section.parent == chapter and child.parent == section
    assert child.title_en == "Formation en entreprise" and child.text == "28 semaines"
    assert HistoryEntry.objects.filter(object_id=str(framework.pk), content_type__model="framework").count() == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": "", "title_fr": "x"}, "The number is required."),
        ({"number": "C 4", "title_fr": "x"}, "is not a requirement number"),
        ({"number": "Z.1", "title_fr": "x"}, "Requirement Z must exist before Z.1."),
        ({"number": "C", "title_fr": "x"}, "already exists"),
        ({"number": "D", "title_fr": ""}, "This field cannot be blank."),
    ],
)
def test_a_wrong_requirement_is_refused_with_its_message(
    school: dict[str, Any], data: dict[str, str], message: str
) -> None:
    framework = cti(school)
    services.requirement_create(
        actor=school["quality_manager"], framework=framework, data={"number": "C", "title_fr": "Formation"}
    )
    with pytest.raises(ValidationError) as raised:
        services.requirement_create(actor=school["quality_manager"], framework=framework, data=data)
    assert message in str(raised.value)
    assert Clause.objects.filter(framework=framework).count() == 1


def test_only_the_quality_manager_edits_and_never_a_published_framework(school: dict[str, Any]) -> None:
    framework = cti(school)
    for person in (school["director"], school["teacher"], school["auditor"]):
        with pytest.raises(PermissionDenied):
            services.requirement_create(actor=person, framework=framework, data={"number": "A", "title_fr": "x"})
        with pytest.raises(PermissionDenied):
            services.framework_create(actor=person, data={"code": "X", "name": "X"})
    with pytest.raises(PermissionDenied):
        services.requirement_create(
            actor=school["quality_manager"], framework=iso(), data={"number": "11", "title_fr": "x"}
        )
    assert not Clause.objects.filter(framework=framework).exists()
    assert not Clause.objects.filter(framework=iso(), number="11").exists()
    response = client_for(school["teacher"]).post(
        reverse("standards:requirement_create", args=[framework.pk]), {"number": "A", "title_fr": "x"}
    )
    assert response.status_code == 403


CSV_OK = (
    "number;title_fr;title_en;text\n"
    "A;Mission et organisation;;\n"
    "A.1;Stratégie;Strategy;Le projet de l'école\n"
    "C;Formation;Training;\n"
    "C.4;Mise en œuvre;;\n"
    "C.4.1;Formation en entreprise;;28 semaines\n"
)


def test_a_csv_import_creates_the_tree(school: dict[str, Any]) -> None:
    framework = cti(school)
    response = client_for(school["quality_manager"]).post(
        reverse("standards:requirement_import", args=[framework.pk]),
        {"file": SimpleUploadedFile("cti.csv", CSV_OK.encode(), content_type="text/csv")},
    )
    assert response.status_code == 302
    clauses = {clause.number: clause for clause in Clause.objects.filter(framework=framework)}
    assert list(clauses) == ["A", "A.1", "C", "C.4", "C.4.1"]
    assert clauses["C.4.1"].parent == clauses["C.4"] and clauses["C.4"].parent == clauses["C"]
    assert clauses["C.4.1"].text == "28 semaines" and clauses["A.1"].title_en == "Strategy"


def test_a_wrong_csv_imports_nothing_and_names_every_wrong_row(school: dict[str, Any]) -> None:
    framework = cti(school)
    services.requirement_create(
        actor=school["quality_manager"], framework=framework, data={"number": "B", "title_fr": "Ouverture"}
    )
    content = "number,title_fr\nA,Mission\nB,Doublon\nX.1,Orphelin\nA.1,\nA.2,Bonne ligne\n"
    response = client_for(school["quality_manager"]).post(
        reverse("standards:requirement_import", args=[framework.pk]),
        {"file": SimpleUploadedFile("cti.csv", content.encode(), content_type="text/csv")},
    )
    assert response.status_code == 400
    report = response.context["report"]
    assert [line for line, _message in report.errors] == [3, 4, 5]
    page = response.content.decode()
    assert "Nothing was imported" in page and "Line 3" in page and "Requirement X must exist before X.1." in page
    assert list(Clause.objects.filter(framework=framework).values_list("number", flat=True)) == ["B"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"numero,titre\n1,x\n", "Missing columns: number, title_fr"),
        (b"number,title_fr\n", "The file has no requirement."),
        ("number,title_fr\nA,Qualité\n".encode("cp1252"), "not UTF-8"),
    ],
)
def test_an_unreadable_csv_is_refused(school: dict[str, Any], content: bytes, message: str) -> None:
    framework = cti(school)
    report = services.requirements_import(actor=school["quality_manager"], framework=framework, content=content)
    assert not report.succeeded and message in report.errors[0][1]
    assert not Clause.objects.filter(framework=framework).exists()


def test_a_file_that_is_not_csv_is_refused(school: dict[str, Any]) -> None:
    framework = cti(school)
    response = client_for(school["quality_manager"]).post(
        reverse("standards:requirement_import", args=[framework.pk]),
        {"file": SimpleUploadedFile("cti.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")},
    )
    assert response.status_code == 200
    assert "Send a CSV file." in response.content.decode()


# Mappings -------------------------------------------------------------------------------------


def test_a_mapping_is_shown_both_ways(school: dict[str, Any]) -> None:
    indicator_31 = Clause.objects.get(framework=qualiopi(), number="31")
    iso_10_2 = Clause.objects.get(framework=iso(), number="10.2")
    client = client_for(school["quality_manager"])
    response = client.post(
        reverse("standards:requirement_detail", args=[iso_10_2.pk]),
        {"other": indicator_31.pk, "note": "réclamations et actions correctives"},
    )
    assert response.status_code == 302
    assert ClauseMapping.objects.count() == 1
    for requirement, other in ((indicator_31, iso_10_2), (iso_10_2, indicator_31)):
        dossier = selectors.requirement_dossier(user=school["teacher"], requirement=requirement)
        assert [item.requirement for item in dossier.mapped] == [other]
        page = client_for(school["teacher"]).get(requirement.get_absolute_url()).content.decode()
        assert other.get_absolute_url() in page and "réclamations et actions correctives" in page


def test_a_mapping_is_refused_within_a_framework_twice_or_to_others(school: dict[str, Any]) -> None:
    indicator_31 = Clause.objects.get(framework=qualiopi(), number="31")
    indicator_32 = Clause.objects.get(framework=qualiopi(), number="32")
    iso_10_2 = Clause.objects.get(framework=iso(), number="10.2")
    manager = school["quality_manager"]
    with pytest.raises(ValidationError, match="another framework"):
        services.mapping_create(actor=manager, requirement=indicator_31, other=indicator_32)
    services.mapping_create(actor=manager, requirement=indicator_31, other=iso_10_2)
    with pytest.raises(ValidationError, match="already mapped"):
        services.mapping_create(actor=manager, requirement=iso_10_2, other=indicator_31)
    for person in (school["director"], school["teacher"], school["auditor"]):
        with pytest.raises(PermissionDenied):
            services.mapping_create(actor=person, requirement=indicator_32, other=iso_10_2)
        response = client_for(person).post(iso_10_2.get_absolute_url(), {"other": indicator_32.pk})
        assert response.status_code == 403
    mapping = ClauseMapping.objects.get()
    assert client_for(school["teacher"]).post(reverse("standards:mapping_delete", args=[mapping.pk])).status_code == 403
    assert ClauseMapping.objects.count() == 1
    response = client_for(manager).post(reverse("standards:mapping_delete", args=[mapping.pk]), {"back": iso_10_2.pk})
    assert response.status_code == 302 and response["Location"] == iso_10_2.get_absolute_url()
    assert not ClauseMapping.objects.exists()


# Evidence -------------------------------------------------------------------------------------


def _evidence_url(record: Any) -> str:
    return reverse("standards:evidence_create", args=[ContentType.objects.get_for_model(record).pk, record.pk])


def test_a_process_owner_links_their_process_and_it_shows_on_both_pages(school: dict[str, Any]) -> None:
    process = school["process_civil"]  # owned by the teacher
    requirement = Clause.objects.get(framework=qualiopi(), number="13")
    client = client_for(school["teacher"])
    page = client.get(process.get_absolute_url()).content.decode()
    assert "Link to a requirement" in page
    response = client.post(_evidence_url(process), {"requirement": requirement.pk, "note": "alternance"})
    assert response.status_code == 302 and response["Location"] == process.get_absolute_url()
    link = EvidenceLink.objects.get()
    assert link.record == process and link.note == "alternance" and link.created_by == school["teacher"]
    assert HistoryEntry.objects.filter(
        content_type__model="process", object_id=str(process.pk), action="create"
    ).exists()
    page = client.get(process.get_absolute_url()).content.decode()
    assert requirement.get_absolute_url() in page and "alternance" in page
    page = client.get(requirement.get_absolute_url()).content.decode()
    assert process.get_absolute_url() in page
    # Twice is refused, with its message.
    response = client.post(_evidence_url(process), {"requirement": requirement.pk})
    assert response.status_code == 200 and "already evidences" in response.content.decode()
    assert EvidenceLink.objects.count() == 1


def test_linking_is_refused_to_who_may_not_change_the_record(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    requirement = Clause.objects.get(framework=iso(), number="8.5")
    for person in (school["head_electrical"], school["auditor"], school["director"]):
        client = client_for(person)
        assert "Link to a requirement" not in client.get(process.get_absolute_url()).content.decode()
        assert client.post(_evidence_url(process), {"requirement": requirement.pk}).status_code == 403
        with pytest.raises(PermissionDenied):
            services.evidence_link(actor=person, record=process, requirement=requirement)
    # A student does not see the process at all: a 404 that tells nothing.
    assert client_for(school["student"]).post(_evidence_url(process), {"requirement": requirement.pk}).status_code in (
        403,
        404,
    )
    assert not EvidenceLink.objects.exists()


def test_a_record_out_of_sight_is_a_404_and_a_kind_not_registered_too(school: dict[str, Any]) -> None:
    draft = DocumentFactory(owner=school["quality_manager"])  # a draft: staff do not see it
    requirement = Clause.objects.get(framework=iso(), number="7.5")
    response = client_for(school["head_civil"]).post(_evidence_url(draft), {"requirement": requirement.pk})
    assert response.status_code == 404
    person_type = ContentType.objects.get_for_model(school["teacher"])
    url = reverse("standards:evidence_create", args=[person_type.pk, school["teacher"].pk])
    assert client_for(school["quality_manager"]).get(url).status_code == 404
    assert not EvidenceLink.objects.exists()


def test_unlinking_is_for_who_may_link(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    requirement = Clause.objects.get(framework=iso(), number="8.5")
    link = services.evidence_link(actor=school["teacher"], record=process, requirement=requirement)
    url = reverse("standards:evidence_delete", args=[link.pk])
    assert client_for(school["head_electrical"]).post(url).status_code == 403
    assert client_for(school["auditor"]).post(url).status_code == 403
    assert EvidenceLink.objects.count() == 1
    response = client_for(school["quality_manager"]).post(url)
    assert response.status_code == 302 and not EvidenceLink.objects.exists()


def test_a_requirement_page_lists_only_the_evidence_its_reader_sees(school: dict[str, Any]) -> None:
    requirement = Clause.objects.get(framework=iso(), number="7.5")
    in_force = document_in_force(owner=school["quality_manager"], title="Maîtrise des documents")
    draft = DocumentFactory(owner=school["quality_manager"], title="Brouillon secret")
    manager = school["quality_manager"]
    services.evidence_link(actor=manager, record=in_force, requirement=requirement)
    services.evidence_link(actor=manager, record=draft, requirement=requirement)
    services.evidence_link(actor=manager, record=school["process_school"], requirement=requirement)
    as_manager = selectors.requirement_dossier(user=manager, requirement=requirement)
    as_teacher = selectors.requirement_dossier(user=school["teacher"], requirement=requirement)
    assert as_manager.evidence_count == 3 and as_teacher.evidence_count == 2
    page = client_for(school["teacher"]).get(requirement.get_absolute_url()).content.decode()
    assert "Maîtrise des documents" in page and "Brouillon secret" not in page
    # Each record with its state; the draft is stale evidence (not in force).
    page = client_for(manager).get(requirement.get_absolute_url()).content.decode()
    assert page.count('data-testid="stale"') == 1 and "In force" in page
    assert client_for(school["student"]).get(requirement.get_absolute_url()).status_code == 403


# Coverage -------------------------------------------------------------------------------------


def test_the_coverage_tells_uncovered_stale_and_covered(school: dict[str, Any]) -> None:
    framework = cti(school)
    manager = school["quality_manager"]
    for number in ("A", "A.1", "A.2", "B", "B.1", "C"):
        services.requirement_create(actor=manager, framework=framework, data={"number": number, "title_fr": number})
    requirements = {clause.number: clause for clause in Clause.objects.filter(framework=framework)}
    fresh = document_in_force(owner=manager, review_due_on=clock.today() + datetime.timedelta(days=30))
    overdue = document_in_force(owner=manager, review_due_on=clock.today() - datetime.timedelta(days=1))
    withdrawn = DocumentFactory(owner=manager, status=DocumentStatus.OBSOLETE)
    services.evidence_link(actor=manager, record=fresh, requirement=requirements["A.1"])
    services.evidence_link(actor=manager, record=overdue, requirement=requirements["A.1"])
    services.evidence_link(actor=manager, record=overdue, requirement=requirements["B.1"])
    services.evidence_link(actor=manager, record=withdrawn, requirement=requirements["B.1"])
    services.evidence_link(actor=manager, record=school["process_school"], requirement=requirements["C"])
    coverage = selectors.framework_coverage(user=school["teacher"], framework=framework)
    by_number = {row.requirement.number: row for row in coverage.rows}
    assert {number: row.status for number, row in by_number.items()} == {
        "A": Coverage.COVERED,  # through A.1
        "A.1": Coverage.COVERED,  # one fresh record among two
        "A.2": Coverage.UNCOVERED,
        "B": Coverage.STALE,
        "B.1": Coverage.STALE,  # a document past its review date and a withdrawn one
        "C": Coverage.COVERED,
    }
    assert (by_number["A"].total, by_number["A.1"].total, by_number["A.1"].stale) == (2, 2, 1)
    assert (coverage.covered, coverage.stale, coverage.uncovered) == (3, 2, 1)
    open_access(school["auditor"], frameworks=[framework])
    page = client_for(school["auditor"]).get(framework.get_absolute_url()).content.decode()
    assert 'data-number="A.2" data-status="uncovered"' in page and 'data-number="B" data-status="stale"' in page
    # An inactive process is stale evidence too.
    school["process_school"].is_active = False
    school["process_school"].save()
    coverage = selectors.framework_coverage(user=manager, framework=framework)
    assert next(row for row in coverage.rows if row.requirement.number == "C").status == Coverage.STALE


def test_the_coverage_pdf_is_drawn(school: dict[str, Any], tmp_path: Path) -> None:
    framework = qualiopi()
    manager = school["quality_manager"]
    requirement = Clause.objects.get(framework=framework, number="31")
    services.evidence_link(actor=manager, record=document_in_force(owner=manager), requirement=requirement)
    response = client_for(school["auditor"]).get(framework.get_absolute_url() + "?export=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "coverage.pdf"
    pdf.write_bytes(response.content)
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) draws the PDF to look at it"
    output = Path("test-results")
    output.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(output / "coverage-pdf")], check=True
    )
    drawn = sorted(output.glob("coverage-pdf*.png"))
    assert drawn and drawn[0].stat().st_size > 5000
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Coverage of Qualiopi" in text and "Handle difficulties, complaints and incidents" in text


def test_the_coverage_view_and_requirement_page_are_refused_to_students(school: dict[str, Any]) -> None:
    client = client_for(school["student"])
    assert client.get(qualiopi().get_absolute_url()).status_code == 403
    assert client.get(reverse("standards:framework_list")).status_code == 403


# External auditor ---------------------------------------------------------------------------


def test_every_page_and_file_the_external_auditor_opens_is_logged(school: dict[str, Any]) -> None:
    auditor = school["auditor"]
    client = client_for(auditor)
    requirement = Clause.objects.get(framework=iso(), number="10.2")
    assert client.get(requirement.get_absolute_url()).status_code == 200
    assert client.get(qualiopi().get_absolute_url() + "?export=pdf").status_code == 200
    assert client.get(reverse("core:file_download", args=[999999])).status_code == 404
    entries = list(AccessLogEntry.objects.order_by("id"))
    assert [(entry.person, entry.path, entry.status_code, entry.is_file) for entry in entries] == [
        (auditor, requirement.get_absolute_url(), 200, False),
        (auditor, qualiopi().get_absolute_url() + "?export=pdf", 200, False),
        (auditor, reverse("core:file_download", args=[999999]), 404, True),
    ]
    # The others' pages are not logged.
    client_for(school["teacher"]).get(requirement.get_absolute_url())
    assert AccessLogEntry.objects.count() == 3
    # The quality manager reads the log; nobody else does, the auditor included.
    response = client_for(school["quality_manager"]).get(reverse("standards:access_log"))
    assert response.status_code == 200 and requirement.get_absolute_url() in response.content.decode()
    csv = client_for(school["quality_manager"]).get(reverse("standards:access_log") + "?export=csv").content.decode()
    assert requirement.get_absolute_url() in csv
    for person in (school["director"], school["teacher"]):
        assert client_for(person).get(reverse("standards:access_log")).status_code == 403
    assert client.get(reverse("standards:access_log")).status_code == 403


def test_the_external_auditor_reads_evidence_only_until_the_end_date(school: dict[str, Any]) -> None:
    auditor = school["auditor"]
    process = school["process_civil"]
    requirement = Clause.objects.get(framework=iso(), number="8.5")
    services.evidence_link(actor=school["quality_manager"], record=process, requirement=requirement)
    assignment = RoleAssignment.objects.get(person=auditor, role=Role.EXTERNAL_AUDITOR)
    client = client_for(auditor)
    page = client.get(requirement.get_absolute_url()).content.decode()
    assert process.get_absolute_url() in page
    assert "Link to a requirement" not in client.get(process.get_absolute_url()).content.decode()
    # The day after the end date: refused, and nothing changed.
    assignment.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    assignment.save()
    client = client_for(auditor)
    assert client.get(requirement.get_absolute_url()).status_code == 403
    assert client.get(qualiopi().get_absolute_url() + "?export=pdf").status_code == 403
    assert client.post(_evidence_url(process), {"requirement": requirement.pk}).status_code in (403, 404)
    assert EvidenceLink.objects.count() == 1


# Other kinds of record ---------------------------------------------------------------------


def test_improvement_items_and_actions_evidence_requirements_and_overdue_actions_are_stale(
    school: dict[str, Any],
) -> None:
    from amelio.improvement.choices import ActionStatus
    from amelio.improvement.tests.factories import ActionFactory, ImprovementItemFactory

    manager = school["quality_manager"]
    item = ImprovementItemFactory(raised_by=school["student"], process=school["process_civil"])
    late = ActionFactory(item=item, owner=school["teacher"], due_on=clock.today() - datetime.timedelta(days=3))
    requirement = Clause.objects.get(framework=qualiopi(), number="31")
    services.evidence_link(actor=manager, record=late, requirement=requirement)
    coverage = selectors.framework_coverage(user=manager, framework=qualiopi())
    assert next(row for row in coverage.rows if row.requirement == requirement).status == Coverage.STALE
    response = client_for(manager).post(_evidence_url(item), {"requirement": requirement.pk})
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    page = client_for(manager).get(item.get_absolute_url()).content.decode()
    assert "Requirements evidenced" in page and requirement.get_absolute_url() in page
    coverage = selectors.framework_coverage(user=manager, framework=qualiopi())
    assert next(row for row in coverage.rows if row.requirement == requirement).status == Coverage.COVERED
    action_type = ContentType.objects.get_for_model(late)
    assert selectors._stale_records(EvidenceLink.objects.all()) == {(action_type.pk, late.pk)}
    late.status = ActionStatus.DONE
    late.save()
    assert selectors._stale_records(EvidenceLink.objects.all()) == set()
    # The student who raised the item sees it but may not link it.
    assert client_for(school["student"]).post(_evidence_url(item), {"requirement": requirement.pk}).status_code == 403
    assert EvidenceLink.objects.count() == 2
