"""Checks an uploaded file by its content, never by its name: size limit, then the type
read from its first bytes, against the types a school's evidence comes in."""

from __future__ import annotations

from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Detected extension -> MIME type stored with the file.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
TEXT_TYPE = "text/plain"
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    name: str
    content_type: str
    size: int


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """The upload with its detected type, or a ValidationError naming what is wrong."""
    limit = settings.MAX_UPLOAD_SIZE
    name = (upload.name or "file").rsplit("/", 1)[-1][:255]
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name}, code="empty")
    if size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.extension in ALLOWED_TYPES:
        content_type = ALLOWED_TYPES[kind.extension]
    elif kind is None and _looks_like_text(head):
        content_type = TEXT_TYPE
    else:
        raise ValidationError(
            _("The file “%(name)s” is not an accepted type (PDF, image, office document or plain text).")
            % {"name": name},
            code="type",
        )
    return CheckedUpload(file=upload, name=name, content_type=content_type, size=size)
