"""The files of items and actions move to the core file store (issue 9): each Attachment
becomes a StoredFile of its item ("attachment") or its action ("evidence"), under the same
stored name (nothing moves on disk), with its checksum read from the storage."""

from django.db import migrations

from amelio.core.file_migration import owner_type, sha256_of


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Attachment = apps.get_model("improvement", "Attachment")
    StoredFile = apps.get_model("core", "StoredFile")
    item_type = owner_type(apps, "improvement", "improvementitem")
    action_type = owner_type(apps, "improvement", "action")
    for attachment in Attachment.objects.order_by("pk").iterator():
        on_item = attachment.item_id is not None
        StoredFile.objects.create(
            file=attachment.file.name,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=sha256_of(attachment.file.name),
            uploaded_by_id=attachment.uploaded_by_id,
            uploaded_at=attachment.uploaded_at,
            owner_type=item_type if on_item else action_type,
            owner_id=attachment.item_id if on_item else attachment.action_id,
            purpose="attachment" if on_item else "evidence",
        )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Attachment = apps.get_model("improvement", "Attachment")
    StoredFile = apps.get_model("core", "StoredFile")
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = {
        row.pk: row.model
        for row in ContentType.objects.filter(app_label="improvement", model__in=["improvementitem", "action"])
    }
    for stored in StoredFile.objects.filter(owner_type_id__in=types).order_by("pk").iterator():
        on_item = types[stored.owner_type_id] == "improvementitem"
        attachment = Attachment.objects.create(
            file=stored.file.name,
            original_name=stored.original_name,
            content_type=stored.content_type,
            size=stored.size,
            uploaded_by_id=stored.uploaded_by_id,
            item_id=stored.owner_id if on_item else None,
            action_id=None if on_item else stored.owner_id,
        )
        Attachment.objects.filter(pk=attachment.pk).update(uploaded_at=stored.uploaded_at)
        stored.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_stored_file"),
        ("improvement", "0005_clock_default"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
