"""The demo school's documented information (scenario data in
amelio/documents/demo/documents.toml): about 60 documents — the quality manual, policies, a
procedure of each process, work instructions, forms, record templates and external
documents — replayed through the documents services on the days they happened: each
version written by the document's owner, submitted, approved by someone else (so the
earlier ones are superseded), some withdrawn, some still in draft or in review, and read
and acknowledged by part of their readers."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from amelio.documents import services
from amelio.documents.models import Document, DocumentVersion
from amelio.organisation.models import Person, RoleAssignment
from amelio.processes.models import Process

from . import data, past

DEMO_DOMAIN = "amelio-demo.fr"
# Days between two approved versions of a document, and how many readers acknowledge each.
VERSION_EVERY_DAYS = 240
ACKNOWLEDGING_READERS = 4
# Accounts a visitor signs in with keep some documents to read on their home page.
LOGIN_ADDRESSES = {f"{local}@{DEMO_DOMAIN}" for local in ("enseignant", "etudiant", "chef.gc", "stages")}


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF showing `lines` (Latin-1 text), written by hand: no renderer needed,
    the demo stays fast."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 12 Tf 56 780 Td 16 TL " + " ".join(f"({escape(line)}) '" for line in lines) + " ET"
    content = stream.encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(out)


def _text(entry: dict[str, Any], processes: list[Process], owner: Person, number: int) -> str:
    process = processes[0]
    return "\n".join(
        [
            "# Objet",
            f"{entry['title']} : ce document fixe comment l'école procède, qui fait quoi "
            "et quelles traces sont gardées.",
            "",
            "# Domaine d'application",
            f"Processus {', '.join(p.code for p in processes)} — {process.name}. {process.purpose}",
            "",
            "# Responsabilités",
            f"- **Pilote** : {owner.get_full_name()}",
            "- **Approbation** : responsable qualité ou direction",
            "- **Application** : toutes les personnes destinataires du document",
            "",
            "# Déroulement",
            "- Préparer les éléments d'entrée et vérifier qu'ils sont complets.",
            "- Réaliser l'activité selon les règles ci-dessus et en garder la trace.",
            "- Signaler tout écart par une fiche d'amélioration.",
            "",
            f"Version {number}.",
        ]
    )


def _version(
    entry: dict[str, Any], document: Document, processes: list[Process], owner: Person, summary: str
) -> DocumentVersion:
    number = document.versions.count() + 1
    if entry.get("file"):
        content = pdf_bytes([f"{entry['reference']} - {entry['title']}", f"Version {number}", summary])
        upload = SimpleUploadedFile(f"{entry['reference']}-v{number}.pdf", content, content_type="application/pdf")
        return services.version_create(actor=owner, document=document, change_summary=summary, file=upload)
    return services.version_create(
        actor=owner, document=document, change_summary=summary, text=_text(entry, processes, owner, number)
    )


def build_document_demo(*, rng: random.Random, stdout: Any = None) -> int:
    """Returns the number of documents."""
    scenario = data.load("documents", "documents")
    changes = scenario["changes"]
    today = timezone.localdate()
    quality = Person.objects.get(email=f"qualite@{DEMO_DOMAIN}")
    director = Person.objects.get(email=f"direction@{DEMO_DOMAIN}")
    holders: dict[str, list[Person]] = {}
    for assignment in RoleAssignment.objects.active().select_related("person").order_by("person_id"):
        if assignment.person.is_active and assignment.person not in holders.setdefault(assignment.role, []):
            holders[assignment.role].append(assignment.person)
    processes_by_code = {process.code: process for process in Process.objects.select_related("owner")}
    for index, entry in enumerate(scenario["document"]):
        processes = [processes_by_code[code] for code in entry["processes"]]
        owner = processes[0].owner
        approver = director if owner == quality else quality
        reviewer = quality if owner == director else director
        approved = entry["approved"]
        started = today - datetime.timedelta(days=approved * VERSION_EVERY_DAYS + 40 + rng.randint(0, 60))
        review = entry.get("review")
        with past.on(started, 9):
            document = services.document_create(
                actor=quality,
                data={
                    "reference": entry["reference"],
                    "title": entry["title"],
                    "kind": entry["kind"],
                    "processes": processes,
                    "owner": owner,
                    "author": owner,
                    "reviewer": reviewer,
                    "approver": approver,
                    "review_due_on": today + datetime.timedelta(days=30 * review) if review is not None else None,
                    "retention_years": entry.get("retention"),
                },
            )
            services.distribution_set(actor=quality, document=document, roles=entry["readers"], people=[])
        day = started
        for number in range(approved):
            day = started + datetime.timedelta(days=number * VERSION_EVERY_DAYS + rng.randint(1, 20))
            with past.on(day, 10):
                version = _version(entry, document, processes, owner, changes[(index + number) % len(changes)])
            with past.on(day + datetime.timedelta(days=2), 11):
                services.version_submit(actor=owner, version=version)
            with past.on(day + datetime.timedelta(days=rng.randint(5, 15)), 15):
                services.version_approve(actor=approver, version=version)
        document.refresh_from_db()
        if document.current_version is not None:
            _acknowledge(document, entry, holders, rng, skip_logins=index % 2 == 0, after=day)
        if entry.get("withdrawn") and document.current_version is not None:
            with past.on(today - datetime.timedelta(days=rng.randint(10, 30)), 16):
                services.version_withdraw(
                    actor=quality,
                    version=document.current_version,
                    reason="Remplacé par un document commun à plusieurs processus.",
                )
        work = entry.get("work")
        if work:
            with past.on(today - datetime.timedelta(days=rng.randint(8, 20)), 10):
                version = _version(entry, document, processes, owner, changes[(index + approved) % len(changes)])
            if work == "in_review":
                with past.on(today - datetime.timedelta(days=rng.randint(1, 6)), 11):
                    services.version_submit(actor=owner, version=version)
    count = Document.objects.count()
    if stdout is not None:
        stdout.write(f"documents: {count}, {DocumentVersion.objects.count()} versions")
    return count


def _acknowledge(
    document: Document,
    entry: dict[str, Any],
    holders: dict[str, list[Person]],
    rng: random.Random,
    *,
    skip_logins: bool,
    after: datetime.date,
) -> None:
    """The first readers acknowledge the version in force within a few weeks of its approval;
    every other document is left for the demo accounts to read."""
    readers: list[Person] = []
    for role in entry["readers"]:
        for person in holders.get(role, []):
            if person not in readers and not (skip_logins and person.email in LOGIN_ADDRESSES):
                readers.append(person)
    for person in readers[:ACKNOWLEDGING_READERS]:
        with past.on(after + datetime.timedelta(days=rng.randint(16, 40)), rng.randint(8, 18)):
            services.acknowledgement_record(actor=person, document=document)
