"""Times the evidence map at scale: a requirement evidenced by 5,000 records and the coverage
of a framework of 300 requirements, as a page and as a PDF.

    .venv/bin/python bench/standards_pages.py [--links N] [--requirements N] [--repeat N]

Builds a temporary SQLite database, migrates it (ISO 9001 and Qualiopi loaded), imports a
framework of N requirements through the CSV import (30 chapters, the rest below them), makes
N/2 processes and N/2 documents (in bulk: the records are not what is measured) and links
them all to one requirement, plus one or two links on each other requirement (a third of the
framework left without evidence, some documents past their review date), then times as the
quality manager and as an external auditor (`--repeat` requests each): the requirement page,
the coverage page and the coverage PDF, with their SQL query counts.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--links", type=int, default=5000)
    parser.add_argument("--requirements", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="amelio-bench-standards-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    warnings.simplefilter("ignore")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from amelio.documents.choices import DocumentStatus
    from amelio.documents.models import Document
    from amelio.organisation.choices import PersonKind, Role
    from amelio.organisation.models import Person
    from amelio.organisation.tests.factories import grant
    from amelio.processes.models import Process
    from amelio.standards import services
    from amelio.standards.models import Clause, EvidenceLink

    today = timezone.localdate()
    quality = Person.objects.create_user("qm@bench.test", first_name="Qualité", last_name="Bench")
    grant(quality, Role.QUALITY_MANAGER)
    auditor = Person.objects.create_user(
        "auditor@bench.test", first_name="Audit", last_name="Bench", kind=PersonKind.EXTERNAL
    )
    grant(auditor, Role.EXTERNAL_AUDITOR, ends_on=today + datetime.timedelta(days=30))

    framework = services.framework_create(actor=quality, data={"code": "BENCH", "name": "Référentiel de banc"})
    chapters = 30
    lines = ["number,title_fr"] + [f"{chapter},Chapitre {chapter}" for chapter in range(1, chapters + 1)]
    lines += [
        f"{1 + index % chapters}.{1 + index // chapters},Exigence {index}"
        for index in range(options.requirements - chapters)
    ]
    started = time.perf_counter()
    report = services.requirements_import(actor=quality, framework=framework, content="\n".join(lines).encode())
    assert report.succeeded, report.errors[:3]
    print(f"CSV import of {len(report.created)} requirements: {time.perf_counter() - started:.2f} s")

    half = options.links // 2
    Process.objects.bulk_create(
        Process(code=f"B-{n:05d}", name=f"Processus {n}", kind="realisation", purpose="Banc.", owner=quality)
        for n in range(half)
    )
    Document.objects.bulk_create(
        Document(
            reference=f"DOC-{n:05d}",
            title=f"Document {n}",
            kind="procedure",
            owner=quality,
            status=DocumentStatus.IN_FORCE,
            review_due_on=today + datetime.timedelta(days=-30 if n % 4 == 0 else 200),
        )
        for n in range(options.links - half)
    )
    process_type = ContentType.objects.get_for_model(Process)
    document_type = ContentType.objects.get_for_model(Document)
    requirements = list(Clause.objects.filter(framework=framework).order_by("sort_key"))
    target = requirements[-1]
    process_ids = list(Process.objects.values_list("pk", flat=True))
    document_ids = list(Document.objects.values_list("pk", flat=True))
    links = [EvidenceLink(clause=target, record_type=process_type, record_id=pk) for pk in process_ids]
    links += [EvidenceLink(clause=target, record_type=document_type, record_id=pk) for pk in document_ids]
    for index, requirement in enumerate(requirements[:-1]):
        if index % 3 == 0:
            continue  # a third without evidence
        links.append(EvidenceLink(clause=requirement, record_type=document_type, record_id=document_ids[index]))
        if index % 3 == 1:
            links.append(EvidenceLink(clause=requirement, record_type=process_type, record_id=process_ids[index]))
    EvidenceLink.objects.bulk_create(links)
    on_target = EvidenceLink.objects.filter(clause=target).count()
    print(f"{EvidenceLink.objects.count()} evidence links, {on_target} on one requirement")

    pages = [
        ("requirement page (5,000 records)", target.get_absolute_url()),
        (f"coverage page ({len(requirements)} requirements)", framework.get_absolute_url()),
        (f"coverage PDF ({len(requirements)} requirements)", framework.get_absolute_url() + "?export=pdf"),
    ]
    for person, who in ((quality, "quality manager"), (auditor, "external auditor")):
        client = Client()
        client.force_login(person)
        for label, url in pages:
            repeat = max(3, options.repeat // 4) if "PDF" in label else options.repeat
            client.get(url)
            times = []
            for _index in range(repeat):
                with CaptureQueriesContext(connection) as context:
                    begin = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - begin) * 1000)
                assert response.status_code == 200, (label, response.status_code)
            print(
                f"{who}, {label}: median {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
                f"{len(context.captured_queries)} queries, {len(response.content) // 1024} KiB"
            )


if __name__ == "__main__":
    main()
