"""What the data migrations moving an app's files onto the core store share (issue 9).

They take the rows of the old stores as they are: the file stays where it is on disk (the
stored name is copied, nothing is moved), and its checksum is read from the storage, or left
empty when the file is missing there. Only historical models go through here (`apps`), so
these functions stay valid whatever the models become.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.storage import default_storage


def sha256_of(name: str) -> str:
    """The SHA-256 of the stored file `name`, or "" when the storage no longer has it."""
    if not name:
        return ""
    digest = hashlib.sha256()
    try:
        with default_storage.open(name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def size_of(name: str) -> int:
    try:
        return int(default_storage.size(name)) if name else 0
    except OSError:
        return 0


def head_of(name: str, length: int = 8192) -> bytes:
    try:
        with default_storage.open(name, "rb") as handle:
            return bytes(handle.read(length))
    except OSError:
        return b""


def owner_type(apps: Any, app_label: str, model: str) -> Any:
    """The content type row of `app_label.model`, created when the migrations run on a new
    database (content types are otherwise made after the last migration)."""
    content_type_model = apps.get_model("contenttypes", "ContentType")
    found, _created = content_type_model.objects.get_or_create(app_label=app_label, model=model)
    return found
