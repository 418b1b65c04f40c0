"""Checks an uploaded file by its content and its name before anything is written.

The policy, in the order it is applied:

1. Size: empty or over `MAX_UPLOAD_SIZE` is refused, with a figure that never reads as equal
   to the limit when it is over ("“x.pdf” is 10.1 MB; at most 10 MB.").
2. Type, from the first bytes (`filetype`): PDF, common images, office documents. A file of
   one of these types whose name says otherwise is kept under the extension of its true type
   (a PNG sent as `scan.pdf` is stored as `scan.png`); `CheckedUpload.notice` says so, for the
   page and the history. The name is only a label: the type is what the content is.
3. Markup and scripts are never accepted, whatever their bytes sniff as: a name ending in
   .svg, .html, .xml, .js (and the like), or text whose start is a tag (`<svg`, `<html`,
   `<!doctype`, `<script`, `<?xml`, ...). A browser may run them; a school's evidence does not
   need them.
4. Plain text has no signature, so its name is the only statement of what it is: it is taken
   only under a text name (.txt, .csv, .md and the like); without an extension it is stored
   as .txt; under any other extension it is refused. Text is UTF-8 unless the caller accepts
   other encodings (`text_encodings`, e.g. the imports take the Windows-1252 CSV a
   spreadsheet saves); text in those still has no NUL nor other control character.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.html import avoid_wrapping
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
# Other spellings of a detected type's extension, kept as the sender wrote them.
EXTENSION_ALIASES = {"jpg": {"jpg", "jpeg", "jpe", "jfif"}}
TEXT_TYPE = "text/plain"
TEXT_EXTENSIONS = {"txt", "text", "csv", "tsv", "md", "markdown", "log"}
# Names a browser or a desktop would treat as a page, a drawing that runs code, or a program.
MARKUP_OR_SCRIPT_EXTENSIONS = {
    "svg",
    "svgz",
    "html",
    "htm",
    "xhtml",
    "xht",
    "shtml",
    "mht",
    "mhtml",
    "hta",
    "xml",
    "xsl",
    "xslt",
    "js",
    "mjs",
    "cjs",
    "jsx",
    "ts",
    "vbs",
    "vbe",
    "wsf",
    "php",
    "phtml",
    "asp",
    "aspx",
    "jsp",
    "py",
    "pl",
    "rb",
    "sh",
    "bash",
    "bat",
    "cmd",
    "ps1",
}
# Tags that make text a page or a drawing wherever they appear in the first bytes.
MARKUP_MARKERS = (b"<svg", b"<html", b"<!doctype", b"<script", b"<?xml", b"<iframe", b"<body", b"<head", b"<object")
# Text whose first non-blank character opens a tag ("<p", "<!--", "<?php") is markup too: it is
# what a browser sniffs as HTML.
LEADING_TAG = re.compile(rb"^\s*<[a-z!?/]", re.IGNORECASE)
SNIFF_BYTES = 8192
MAX_NAME_LENGTH = 255


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    name: str  # the name to store and show: the sender's, with the extension of the true type
    content_type: str
    size: int
    sent_name: str  # the name as it came, path removed

    @property
    def extension(self) -> str:
        """The extension of the true type, in lower case ("pdf")."""
        return _split(self.name)[1].lower()

    @property
    def renamed(self) -> bool:
        return self.name != self.sent_name

    @property
    def notice(self) -> str:
        """What to tell the person (and the history) when the name was corrected; else ""."""
        return renamed_notice(sent_name=self.sent_name, name=self.name)


def renamed_notice(*, sent_name: str, name: str) -> str:
    if clean_name(sent_name) == name:
        return ""
    return _("“%(sent)s” is in fact a %(kind)s file; it is kept as “%(name)s”.") % {
        "sent": clean_name(sent_name),
        "kind": _split(name)[1].upper(),
        "name": name,
    }


def clean_name(name: str | None) -> str:
    """The last component of the name a browser sent, without control characters."""
    name = re.split(r"[/\\]", name or "")[-1]
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    # No hidden name (".pdf") and no trailing dot, which some systems drop silently.
    name = name.strip().strip(".").strip()
    return name or "file"


def _split(name: str) -> tuple[str, str]:
    """("rapport.final", "PDF") from "rapport.final.PDF"; ("notes", "") from "notes"."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        return name, ""
    return stem, extension


def _named(stem: str, extension: str) -> str:
    suffix = f".{extension}" if extension else ""
    return stem[: MAX_NAME_LENGTH - len(suffix)] + suffix


# Sizes ----------------------------------------------------------------------------------

_UNITS = (1024**3, 1024**2, 1024)


def _unit_of(size: int) -> int:
    return next((unit for unit in _UNITS if size >= unit), 1)


def _format(tenths: int, unit: int) -> str:
    """`tenths` of `unit` as "10 MB" or "10.2 MB", in the language of the page."""
    # The same words as Django's filesizeformat, so sizes read the same everywhere, and the
    # figure never wraps away from its unit.
    if unit == 1:
        return avoid_wrapping(ngettext("%(size)d byte", "%(size)d bytes", tenths // 10) % {"size": tenths // 10})
    value = number_format(tenths // 10) if tenths % 10 == 0 else number_format(tenths / 10, decimal_pos=1)
    label = {1024: _("%s KB"), 1024**2: _("%s MB"), 1024**3: _("%s GB")}[unit]
    return avoid_wrapping(label % value)


def size_over_limit_message(*, name: str, size: int, limit: int | None = None) -> str:
    """“x.pdf” is 10.2 MB; at most 10 MB. The limit is rounded down and the size up past it,
    so an oversize file never reads as the size of the limit."""
    limit = settings.MAX_UPLOAD_SIZE if limit is None else limit
    limit_unit = _unit_of(limit)
    limit_tenths = limit * 10 // limit_unit
    unit = _unit_of(size)
    tenths = round(size * 10 / unit)
    if unit == limit_unit and tenths <= limit_tenths:
        # Just over the limit: one tenth more than it, never the same figure.
        tenths = limit_tenths + 1
    return _("“%(name)s” is %(size)s; at most %(limit)s.") % {
        "name": name,
        "size": _format(tenths, unit),
        "limit": _format(limit_tenths, limit_unit),
    }


# The check --------------------------------------------------------------------------------


# Control characters text may hold: tab, line feed, form feed, carriage return.
TEXT_CONTROLS = {"\t", "\n", "\f", "\r"}


def _is_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def _decodes_as_text(head: bytes, encoding: str) -> bool:
    """`head` in a single-byte encoding (cp1252, latin-1): every byte decodes (the few
    cp1252 leaves undefined do not) and none is a control character but those of text."""
    try:
        text = head.decode(encoding)
    except UnicodeDecodeError:
        return False
    return not any(unicodedata.category(c) == "Cc" and c not in TEXT_CONTROLS for c in text)


def _looks_like_text(head: bytes, encodings: tuple[str, ...] = ("utf-8",)) -> bool:
    if b"\x00" in head:
        return False
    return any(
        _is_utf8(head) if codecs.lookup(encoding).name == "utf-8" else _decodes_as_text(head, encoding)
        for encoding in encodings
    )


def _is_markup(head: bytes) -> bool:
    lowered = head.lstrip(b"\xef\xbb\xbf").lower()
    return bool(LEADING_TAG.match(lowered)) or any(marker in lowered for marker in MARKUP_MARKERS)


def _refused_type(name: str) -> ValidationError:
    return ValidationError(
        _("The file “%(name)s” is not an accepted type (PDF, image, office document or plain text).") % {"name": name},
        code="type",
    )


def check_upload(upload: UploadedFile, *, text_encodings: tuple[str, ...] = ("utf-8",)) -> CheckedUpload:
    """The upload with its detected type and the name to keep it under, or a ValidationError
    naming what is wrong. Nothing is written. Plain text is taken in any of `text_encodings`
    (tried in order; UTF-8 alone unless the caller reads other encodings itself)."""
    sent_name = clean_name(upload.name)
    stem, sent_extension = _split(sent_name)
    extension = sent_extension.lower()
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": sent_name}, code="empty")
    if size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(size_over_limit_message(name=sent_name, size=size), code="too_large")
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        if kind.extension not in ALLOWED_TYPES:
            raise _refused_type(sent_name)
        consistent = EXTENSION_ALIASES.get(kind.extension, {kind.extension})
        # The sender's spelling ("JPEG", "Pdf") when it names the true type, else the type's own.
        name = _named(stem, sent_extension if extension in consistent else kind.extension)
        return CheckedUpload(
            file=upload, name=name, content_type=ALLOWED_TYPES[kind.extension], size=size, sent_name=sent_name
        )
    if not _looks_like_text(head, text_encodings):
        raise _refused_type(sent_name)
    if extension in MARKUP_OR_SCRIPT_EXTENSIONS or _is_markup(head):
        raise ValidationError(
            _("The file “%(name)s” is a web page, a drawing or a script; these are never accepted. Send it as PDF.")
            % {"name": sent_name},
            code="markup",
        )
    if extension and extension not in TEXT_EXTENSIONS:
        raise ValidationError(
            _("The file “%(name)s” is plain text; a text file is accepted under a .txt, .csv or .md name.")
            % {"name": sent_name},
            code="text_name",
        )
    name = _named(stem, sent_extension or "txt")
    return CheckedUpload(file=upload, name=name, content_type=TEXT_TYPE, size=size, sent_name=sent_name)
