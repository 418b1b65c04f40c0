"""The signed copies of partnership agreements move to the core file store (issue 9): each
`signed_document` becomes a StoredFile of its agreement (purpose "signed_agreement") under
the same stored name (nothing moves on disk). Its type is read from its first bytes
(application/octet-stream when unknown); who uploaded it and when come from the history entry
of the signature, when there is one."""

import filetype
from django.db import migrations

from amelio.core.file_migration import head_of, owner_type, sha256_of, size_of


def _signature_entry(HistoryEntry, agreement_type, agreement):  # type: ignore[no-untyped-def]
    entries = HistoryEntry.objects.filter(
        content_type=agreement_type, object_id=str(agreement.pk), action="transition"
    ).order_by("-timestamp", "-id")
    return (
        entries.filter(changes__has_key="signed_document").first()
        or entries.filter(changes__has_key="signed_on").first()
    )


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Agreement = apps.get_model("partners", "PartnershipAgreement")
    StoredFile = apps.get_model("core", "StoredFile")
    HistoryEntry = apps.get_model("history", "HistoryEntry")
    agreement_type = owner_type(apps, "partners", "partnershipagreement")
    for agreement in Agreement.objects.exclude(signed_document="").order_by("pk").iterator():
        name = agreement.signed_document.name
        kind = filetype.guess(head_of(name))
        entry = _signature_entry(HistoryEntry, agreement_type, agreement)
        stored = StoredFile(
            file=name,
            original_name=name.rsplit("/", 1)[-1][:255],
            content_type=kind.mime if kind is not None else "application/octet-stream",
            size=size_of(name),
            sha256=sha256_of(name),
            uploaded_by_id=entry.actor_id if entry is not None else None,
            owner_type=agreement_type,
            owner_id=agreement.pk,
            purpose="signed_agreement",
        )
        if entry is not None:
            stored.uploaded_at = entry.timestamp
        stored.save()


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Agreement = apps.get_model("partners", "PartnershipAgreement")
    StoredFile = apps.get_model("core", "StoredFile")
    ContentType = apps.get_model("contenttypes", "ContentType")
    agreement_type = ContentType.objects.filter(app_label="partners", model="partnershipagreement").first()
    if agreement_type is None:
        return
    files = StoredFile.objects.filter(owner_type=agreement_type, purpose="signed_agreement").order_by("pk")
    for stored in files:
        # The old field held one document: the latest one.
        Agreement.objects.filter(pk=stored.owner_id).update(signed_document=stored.file.name)
    files.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_stored_file"),
        ("history", "0003_author_name_label"),
        ("partners", "0003_clock_default"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
