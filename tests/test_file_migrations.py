"""The data migrations that moved every app's files onto the core file store (issue 9):
rows of the old stores, made at the schema before the move, come out as StoredFiles of the
same records under the same stored names, with their checksums, types and authors."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from amelio.core.tests.test_uploads import PDF_BYTES, PNG_BYTES

BEFORE = [
    ("improvement", "0004_counters_moved_to_core"),
    ("partners", "0002_agreement_termination_teaching_volume"),
    ("imports", "0002_worker_statuses"),
]
AFTER = [
    ("improvement", "0007_remove_attachment"),
    ("partners", "0005_remove_signed_document"),
    ("imports", "0005_remove_batch_file"),
]
CSV = "Raison sociale;Ville\r\nBâtiments du Rhône;Lyon\r\n".encode("cp1252")


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # The models as the applied migrations left them, every app included.
    executor = MigrationExecutor(connection)
    return executor._create_project_state(with_applied_migrations=True).apps


@pytest.mark.django_db(transaction=True)
def test_old_files_become_stored_files(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    for name, content in (
        ("improvement/2026/03/constat.pdf", PDF_BYTES),
        ("improvement/2026/03/photo.png", PNG_BYTES),
        ("partners/agreements/2026/convention.pdf", PDF_BYTES),
        ("imports/2026/03/entreprises.csv", CSV),
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    old = migrate(BEFORE)
    try:
        person = old.get_model("organisation", "Person").objects.create(email="office@school.test")
        item = old.get_model("improvement", "ImprovementItem").objects.create(
            reference="NC-2026-0001", origin="nonconformity", title="Fuite", raised_on=timezone.localdate()
        )
        action = old.get_model("improvement", "Action").objects.create(
            item=item, kind="corrective", title="Réparer", owner=person, due_on=timezone.localdate()
        )
        attachment = old.get_model("improvement", "Attachment")
        attachment.objects.create(
            item=item,
            file="improvement/2026/03/constat.pdf",
            original_name="constat.pdf",
            content_type="application/pdf",
            size=len(PDF_BYTES),
            uploaded_by=person,
        )
        attachment.objects.create(
            action=action,
            file="improvement/2026/03/missing.pdf",  # no longer on disk
            original_name="preuve.pdf",
            content_type="application/pdf",
            size=10,
        )
        company = old.get_model("partners", "Company").objects.create(legal_name="Electra")
        agreement = old.get_model("partners", "PartnershipAgreement").objects.create(
            company=company,
            title="Chaire",
            kind="research",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2027, 1, 1),
            owner=person,
            status="signed",
            signed_document="partners/agreements/2026/convention.pdf",
        )
        content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label="partners", model="partnershipagreement"
        )[0]
        signature = old.get_model("history", "HistoryEntry").objects.create(
            content_type=content_type,
            object_id=str(agreement.pk),
            object_repr="Chaire",
            action="transition",
            actor=person,
            changes={"status": ["under review", "signed"], "signed_document": ["", "convention.pdf"]},
        )
        batch = old.get_model("imports", "ImportBatch").objects.create(
            kind="companies",
            file="imports/2026/03/entreprises.csv",
            original_name="entreprises.csv",
            created_by=person,
            status="previewed",
        )
    except Exception:
        migrate(AFTER)
        raise
    new = migrate(AFTER)
    stored = {
        row.original_name: row for row in new.get_model("core", "StoredFile").objects.select_related("owner_type")
    }
    assert set(stored) == {"constat.pdf", "preuve.pdf", "convention.pdf", "entreprises.csv"}
    expected = {
        "constat.pdf": ("improvementitem", item.pk, "attachment", "application/pdf", PDF_BYTES, person.pk),
        "preuve.pdf": ("action", action.pk, "evidence", "application/pdf", None, None),
        "convention.pdf": (
            "partnershipagreement",
            agreement.pk,
            "signed_agreement",
            "application/pdf",
            PDF_BYTES,
            person.pk,
        ),
        "entreprises.csv": ("importbatch", batch.pk, "import", "text/plain", CSV, person.pk),
    }
    for name, (model, pk, purpose, content_type_, content, uploader) in expected.items():
        row = stored[name]
        assert (row.owner_type.model, row.owner_id, row.purpose, row.content_type) == (
            model,
            pk,
            purpose,
            content_type_,
        )
        assert row.uploaded_by_id == uploader
        if content is None:
            assert row.sha256 == ""  # the file was gone: kept as a row, without a checksum
        else:
            assert row.sha256 == hashlib.sha256(content).hexdigest()
            assert (tmp_path / row.file.name).read_bytes() == content  # the same file, not moved
    assert stored["convention.pdf"].file.name == "partners/agreements/2026/convention.pdf"
    assert stored["convention.pdf"].size == len(PDF_BYTES)
    assert stored["convention.pdf"].uploaded_at == signature.timestamp
    assert stored["entreprises.csv"].uploaded_at == batch.created_at
