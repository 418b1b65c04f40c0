"""One way to store a file and one way to serve it.

- An app declares, once, which of its models own files and which permission lets a user
  download them: `register_file_owner("improvement.improvementitem",
  view_permission="improvement.view_item")` in its `AppConfig.ready`, optionally a stricter
  permission for one purpose (`purpose_permissions={"report": "internships.office"}`).
- Its services store an upload with `store_file(actor=..., upload=..., owner=..., purpose=...)`:
  checked by `check_upload` (content, extension, size), written under a generated name,
  its detected type, size and SHA-256 kept, one history entry on the owner. Deciding who
  may *add* a file stays with the calling service (its own `require`), which knows the rule.
- Every file is downloaded through one view, `core:file_download`: the owner out of the
  user's sight is a 404, in sight but without the registered permission a 403; the file is
  served with its stored type, `nosniff`, and as an attachment unless it is an image or a PDF.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import FileResponse, Http404

from amelio.history.choices import HistoryAction
from amelio.history.services import history_record

from . import clock
from .models import FilePurpose, StoredFile
from .permissions import can, visible
from .uploads import CheckedUpload, check_upload

# Types a browser shows itself without running anything of the file's; everything else is
# handed over as a download.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


@dataclass(frozen=True)
class FileOwner:
    model_label: str
    view_permission: str
    purpose_permissions: Mapping[str, str] = field(default_factory=dict)

    def permission_for(self, purpose: str) -> str:
        return self.purpose_permissions.get(purpose, self.view_permission)


_OWNERS: dict[str, FileOwner] = {}


def register_file_owner(
    model_label: str, *, view_permission: str, purpose_permissions: Mapping[str, str] | None = None
) -> None:
    """Declares that records of `model_label` ("app.model") own files, and the permission
    (checked with `can(user, permission, record)`) that lets a user download them."""
    label = model_label.lower()
    owner = FileOwner(label, view_permission, dict(purpose_permissions or {}))
    unknown = set(owner.purpose_permissions) - set(FilePurpose.values)
    if unknown:
        raise ValueError(f"Unknown file purposes for {label!r}: {sorted(unknown)}.")
    if _OWNERS.get(label, owner) != owner:
        raise ValueError(f"The files of {label!r} are registered twice, differently.")
    _OWNERS[label] = owner


def file_owner(model: type[models.Model] | models.Model) -> FileOwner:
    label = model._meta.label_lower
    try:
        return _OWNERS[label]
    except KeyError as error:
        raise LookupError(f"{label!r} is not registered as a file owner (see register_file_owner).") from error


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def store_file(*, actor: Any, upload: UploadedFile | CheckedUpload, owner: models.Model, purpose: str) -> StoredFile:
    """Keeps `upload` as a file of `owner`. A ValidationError (wrong type, too large, empty)
    writes nothing; an owner of a model no app registered is a programming error."""
    file_owner(owner)
    if owner.pk is None:
        raise ValueError("A file belongs to a saved record.")
    if purpose not in FilePurpose.values:
        raise ValueError(f"Unknown file purpose {purpose!r}.")
    checked = upload if isinstance(upload, CheckedUpload) else check_upload(upload)
    stored = StoredFile(
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=_sha256(checked.file),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        owner=owner,
        purpose=purpose,
    )
    # The sender's name never reaches the disk: no path tricks, no clash, no guessable URL.
    stored.file.save(f"{uuid.uuid4().hex}.{checked.extension}", checked.file, save=False)
    stored.save()
    history_record(
        instance=stored,
        target=owner,
        action=HistoryAction.CREATE,
        actor=actor,
        changes={"file": ["", stored.original_name]},
        reason=checked.notice,
    )
    return stored


def stored_file_get(*, user: Any, pk: int) -> StoredFile:
    """The file, if `user` may download it: Http404 when it or its record is out of the
    user's sight (or its owner is not registered), PermissionDenied when the record is in
    sight but its files are not for this user."""
    stored = StoredFile.objects.select_related("owner_type").filter(pk=pk).first()
    if stored is None:
        raise Http404
    model = stored.owner_type.model_class()
    if model is None or model._meta.label_lower not in _OWNERS:
        raise Http404  # never served without a declared rule
    permission = _OWNERS[model._meta.label_lower].permission_for(stored.purpose)
    records = model._default_manager.filter(pk=stored.owner_id)
    try:
        owner = visible(user, records).first()
    except LookupError:
        # No visibility scope for this kind of record: the permission alone says whether it
        # is in sight, and a refusal does not tell that the file exists.
        owner = records.first()
        if owner is None or not can(user, permission, owner):
            raise Http404 from None
    if owner is None:
        raise Http404
    if not can(user, permission, owner):
        raise PermissionDenied
    return stored


def file_response(stored: StoredFile) -> FileResponse:
    """The file with the type detected at upload. `nosniff` stops a browser from guessing
    another; only images and PDF are shown in the page."""
    inline = stored.content_type in INLINE_TYPES
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=not inline,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# A file is written to storage inside the transaction that records it; when that transaction
# rolls back (a refused import, an error after the upload), the row goes and the file stays.
# Such files are removed once they are old enough not to belong to a transaction still open.
ORPHAN_GRACE = datetime.timedelta(days=1)
STORED_FILES_DIRECTORY = "files"


def _stored_names(directory: str) -> Iterator[str]:
    directories, files = default_storage.listdir(directory)
    for name in files:
        yield f"{directory}/{name}"
    for child in directories:
        yield from _stored_names(f"{directory}/{child}")


def remove_orphan_files(*, older_than: datetime.timedelta = ORPHAN_GRACE) -> int:
    """Deletes the files of the store that no StoredFile row names and that were written more
    than `older_than` ago; returns how many were deleted."""
    if not default_storage.exists(STORED_FILES_DIRECTORY):
        return 0
    limit = clock.now() - older_than
    names = list(_stored_names(STORED_FILES_DIRECTORY))
    known = set(StoredFile.objects.filter(file__in=names).values_list("file", flat=True))
    removed = 0
    for name in names:
        if name not in known and default_storage.get_modified_time(name) < limit:
            default_storage.delete(name)
            removed += 1
    return removed
