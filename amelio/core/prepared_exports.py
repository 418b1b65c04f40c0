"""Exports prepared in the background: a file too long to build within a request (a
dashboard of two hundred indicators drawn as a PDF takes half a minute) is built by the
worker, kept for its requester for a few days and listed on their "My exports" page.

An app registers, when Django starts, a builder by name: `builder(user=..., parameters=...)`
returns the file. The builder reads through the app's selectors with the requester, so the
file holds only what the requester may see when it is built. Core imports no domain app: it
knows builders by name only.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone, translation

from .models import PreparedExport, PreparedExportStatus

logger = logging.getLogger("amelio.exports")

# How long a prepared file is kept: long enough to come back for it, short enough that
# copies of the school's figures do not pile up on the server.
PREPARED_EXPORT_DAYS = 7


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content: bytes
    content_type: str


ExportBuilder = Callable[..., ExportFile]
_builders: dict[str, ExportBuilder] = {}


def register_export_builder(name: str, builder: ExportBuilder) -> None:
    """`builder(user=..., parameters=...)` builds the file `name` stands for; it raises
    PermissionDenied or Http404 when the user may no longer see what it would hold."""
    if _builders.get(name, builder) is not builder:
        raise ValueError(f"The export builder {name!r} is registered twice.")
    _builders[name] = builder


@transaction.atomic
def export_prepare(*, user: Any, builder: str, parameters: Mapping[str, Any], title: str) -> PreparedExport:
    """Records the request and has the worker build the file once the request is committed.
    The file is built in the language the requester reads now. The same file asked for again
    while it is being prepared is not queued twice: a click repeated in impatience would
    otherwise keep the worker busy for minutes."""
    if builder not in _builders:
        raise ValueError(f"Unknown export builder {builder!r}.")
    language = translation.get_language() or settings.LANGUAGE_CODE
    pending = PreparedExport.objects.filter(
        requested_by=user, builder=builder, language=language, status=PreparedExportStatus.PENDING
    )
    for export in pending.select_for_update():
        if export.parameters == dict(parameters):
            return export
    export = PreparedExport.objects.create(
        requested_by=user,
        builder=builder,
        parameters=dict(parameters),
        language=language,
        title=str(title)[:200],
    )
    from .tasks import build_export_task  # the tasks module imports this one

    transaction.on_commit(lambda: build_export_task(export.pk))
    return export


def export_build(*, export_id: int) -> PreparedExport:
    """Builds the file of a pending export. A builder that fails leaves the export failed
    (logged with its traceback); the requester is told it could not be prepared, never why,
    since the reason may name what they may not see."""
    export = PreparedExport.objects.select_related("requested_by").get(pk=export_id)
    if export.status != PreparedExportStatus.PENDING:
        return export
    user = export.requested_by
    try:
        with translation.override(export.language):
            built = _builders[export.builder](user=user, parameters=export.parameters)
    except Exception:
        logger.exception("The export %s (%s) could not be built", export.pk, export.builder)
        export.status = PreparedExportStatus.FAILED
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "finished_at"])
        return export
    export.file.save(f"{export.pk}-{built.filename}", ContentFile(built.content), save=False)
    export.filename = built.filename
    export.content_type = built.content_type
    export.size = len(built.content)
    export.status = PreparedExportStatus.READY
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "filename", "content_type", "size", "status", "finished_at"])
    return export


def remove_expired_exports(*, now: datetime.datetime | None = None) -> int:
    """Deletes the exports requested more than PREPARED_EXPORT_DAYS ago, with their files."""
    limit = (now or timezone.now()) - datetime.timedelta(days=PREPARED_EXPORT_DAYS)
    removed = 0
    for export in PreparedExport.objects.filter(requested_at__lt=limit):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        removed += 1
    return removed


def my_exports(*, user: Any) -> QuerySet[PreparedExport]:
    """The user's own exports still kept, newest first. Nobody sees another person's."""
    if not getattr(user, "is_authenticated", False):
        return PreparedExport.objects.none()
    limit = timezone.now() - datetime.timedelta(days=PREPARED_EXPORT_DAYS)
    return PreparedExport.objects.filter(requested_by=user, requested_at__gte=limit).order_by("-requested_at", "-pk")


def export_download(*, user: Any, pk: int) -> FileResponse:
    """The file of one of the user's ready exports; anything else is a 404."""
    export = my_exports(user=user).filter(pk=pk, status=PreparedExportStatus.READY).first()
    if export is None or not export.file:
        raise Http404
    response = FileResponse(
        export.file.open("rb"), as_attachment=True, filename=export.filename, content_type=export.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
