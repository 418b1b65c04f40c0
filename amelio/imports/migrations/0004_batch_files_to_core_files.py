"""The uploaded file of each import moves to the core file store (issue 9): a StoredFile of
its batch (purpose "import") under the same stored name (nothing moves on disk), uploaded by
the batch's author at the batch's date. Its type is read from its first bytes; a CSV, which
has none, is text/plain when it holds no NUL, else application/octet-stream."""

import filetype
from django.db import migrations

from amelio.core.file_migration import head_of, owner_type, sha256_of, size_of


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    ImportBatch = apps.get_model("imports", "ImportBatch")
    StoredFile = apps.get_model("core", "StoredFile")
    batch_type = owner_type(apps, "imports", "importbatch")
    for batch in ImportBatch.objects.exclude(file="").order_by("pk").iterator():
        name = batch.file.name
        head = head_of(name)
        kind = filetype.guess(head)
        if kind is not None:
            content_type = kind.mime
        elif head and b"\x00" not in head:
            content_type = "text/plain"
        else:
            content_type = "application/octet-stream"
        StoredFile.objects.create(
            file=name,
            original_name=batch.original_name or name.rsplit("/", 1)[-1],
            content_type=content_type,
            size=size_of(name),
            sha256=sha256_of(name),
            uploaded_by_id=batch.created_by_id,
            uploaded_at=batch.created_at,
            owner_type=batch_type,
            owner_id=batch.pk,
            purpose="import",
        )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    ImportBatch = apps.get_model("imports", "ImportBatch")
    StoredFile = apps.get_model("core", "StoredFile")
    ContentType = apps.get_model("contenttypes", "ContentType")
    batch_type = ContentType.objects.filter(app_label="imports", model="importbatch").first()
    if batch_type is None:
        return
    files = StoredFile.objects.filter(owner_type=batch_type, purpose="import").order_by("pk")
    for stored in files:
        ImportBatch.objects.filter(pk=stored.owner_id).update(file=stored.file.name)
    files.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_stored_file"),
        ("imports", "0003_clock_default"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
