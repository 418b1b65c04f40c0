"""Imports: every row goes through the domain's services inside one transaction; the
preview runs the same import and rolls it back, so what the preview accepts is exactly
what applying writes. One refused row and nothing is written."""

from __future__ import annotations

from collections import ChainMap
from functools import partial
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from amelio.core import clock
from amelio.core.files import store_file
from amelio.core.models import FilePurpose
from amelio.core.permissions import require
from amelio.core.uploads import ALLOWED_TYPES, TEXT_TYPE, CheckedUpload, check_upload, clean_name
from amelio.history.choices import HistoryAction
from amelio.history.services import diff, history_record, snapshot

from .models import ImportBatch, ImportKind, ImportStatus
from .reading import is_xls, read_table
from .specs import INTERNSHIP_FIELD_COLUMNS, SPECS, Spec

MAX_REPORTED_ERRORS = 1000
# A spreadsheet saves CSV in UTF-8 or, on Windows, in Windows-1252 (reading.py reads both).
TEXT_ENCODINGS = ("utf-8", "cp1252")
IMPORT_TYPES = {TEXT_TYPE, ALLOWED_TYPES["xlsx"]}
# Excel 97-2003 (.xls), what Esup-Stage exports: taken by the imports alone, once xlrd opens it
# (the file store's own list of types stays without it).
XLS_TYPE = "application/vnd.ms-excel"


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [(field, message) for field, messages in error.message_dict.items() for message in messages]
    return [(NON_FIELD_ERRORS, message) for message in error.messages]


def _column_label(spec: Spec, field: str) -> str:
    if field == NON_FIELD_ERRORS:
        return ""
    if spec.field_columns is not None:
        return spec.label(spec.field_columns.get(field, field))
    internships = spec.kind in (ImportKind.INTERNSHIPS, ImportKind.ARCHIVES)
    return spec.label(INTERNSHIP_FIELD_COLUMNS.get(field, field) if internships else field)


def spec_for(kind: str, headers: list[str]) -> Spec:
    """The import's reading of the file. An Esup-Stage export given as internships is read
    as one: its titles say so, and Amelio's own titles would all be missing."""
    from .esup_stage import is_esup_agreements  # after specs, which registers its imports

    if kind == ImportKind.INTERNSHIPS and is_esup_agreements(headers):
        return SPECS[ImportKind.ESUP_AGREEMENTS]
    return SPECS[kind]


def run_import(*, actor: Any, kind: str, content: bytes, commit: bool) -> dict[str, Any]:
    """Reads and applies the file; returns the report. Writes only when `commit` and no
    row is refused."""
    require(actor, "imports.import")
    table = read_table(content)
    spec = spec_for(kind, table.headers)
    mapping = spec.mapping(table.headers)
    missing = [str(column.label) for column in spec.columns if column.required and column.key not in mapping]
    if missing:
        return {
            "rows": len(table.rows),
            "created": 0,
            "errors": [{"row": 1, "column": name, "message": _("This column is missing.")} for name in missing],
            "columns": {key: header for key, header in mapping.items()},
        }
    errors: list[dict[str, Any]] = []
    created = 0
    with transaction.atomic():
        cache: dict[Any, Any] = {}
        for number, row in enumerate(table.rows, start=2):  # row 1 holds the column names
            values = {key: row.get(header, "") for key, header in mapping.items()}
            if spec.empty_values:
                values = {key: "" if value in spec.empty_values else value for key, value in values.items()}
            # What the row adds to the cache is kept only when the row is accepted: a refused
            # row's records are rolled back, so must be what it remembered of them.
            row_cache: ChainMap[Any, Any] = ChainMap({}, cache)
            try:
                with transaction.atomic():
                    spec.apply_row(values, actor, row_cache)  # type: ignore[arg-type]
                cache.update(row_cache.maps[0])
                created += 1
            except ValidationError as error:
                for field, message in _messages(error):
                    if len(errors) < MAX_REPORTED_ERRORS:
                        errors.append({"row": number, "column": _column_label(spec, field), "message": message})
            except PermissionDenied:
                errors.append({"row": number, "column": "", "message": _("You are not allowed to write this row.")})
        finished = 0
        if spec.finish is not None and not errors:
            try:
                finished = spec.finish(actor, cache)
            except PermissionDenied:
                errors.append({"row": 0, "column": "", "message": _("You are not allowed to write this row.")})
        if errors or not commit:
            transaction.set_rollback(True)
    return {
        "rows": len(table.rows),
        "created": created if commit and not errors else 0,
        "accepted": created,
        "finished": finished,
        "errors": errors,
        "columns": mapping,
    }


def _read(batch: ImportBatch) -> bytes:
    stored = batch.files.filter(purpose=FilePurpose.IMPORT).order_by("id").first()
    if stored is None:
        raise ValidationError(_("The file of this import is no longer kept."))
    with stored.file.open("rb") as handle:
        return bytes(handle.read())


def _checked_xls(name: str, content: bytes) -> CheckedUpload | None:
    """An .xls workbook, when xlrd reads it as one (Word's .doc shares its first bytes)."""
    import xlrd

    try:
        xlrd.open_workbook(file_contents=content, on_demand=True).release_resources()
    except Exception:  # xlrd raises many kinds for what is not a workbook
        return None
    sent_name = clean_name(name)
    stem = sent_name.rsplit(".", 1)[0] if "." in sent_name else sent_name
    upload = SimpleUploadedFile(f"{stem}.xls", content)
    return CheckedUpload(file=upload, name=f"{stem}.xls", content_type=XLS_TYPE, size=len(content), sent_name=sent_name)


@transaction.atomic
def import_upload(*, actor: Any, kind: str, name: str, content: bytes) -> ImportBatch:
    """Keeps the file (core file store) and has the worker check it: a large file takes
    minutes, longer than a web request may wait. The page of the batch follows its progress.
    Only CSV (UTF-8 or Windows-1252), XLSX and XLS files are taken; anything else is refused
    before anything is written."""
    from .tasks import import_check_task

    require(actor, "imports.import")
    checked: CheckedUpload | None
    if is_xls(content):
        checked = _checked_xls(name, content)
    else:
        try:
            checked = check_upload(SimpleUploadedFile(name, content), text_encodings=TEXT_ENCODINGS)
        except ValidationError as error:
            if error.code != "type":
                raise
            checked = None
    if checked is None or checked.content_type not in IMPORT_TYPES | {XLS_TYPE}:
        # What an import takes, rather than the store's list of types (PDF, images, ...).
        raise ValidationError(_("Give a CSV, XLSX or XLS file."), code="type")
    batch = ImportBatch.objects.create(
        kind=kind, original_name=checked.name, created_by=actor, status=ImportStatus.CHECKING
    )
    store_file(actor=actor, upload=checked, owner=batch, purpose=FilePurpose.IMPORT)
    transaction.on_commit(partial(import_check_task, batch.pk))
    return batch


def import_check(*, batch_id: int) -> ImportBatch:
    """The preview, run by the worker: the whole import, rolled back, with its report."""
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status != ImportStatus.CHECKING:
        return batch
    try:
        report = run_import(actor=batch.created_by, kind=batch.kind, content=_read(batch), commit=False)
    except ValidationError as error:  # the file itself cannot be read
        report = {"rows": 0, "created": 0, "errors": [{"row": 0, "column": "", "message": m} for m in error.messages]}
    except PermissionDenied:
        report = {
            "rows": 0,
            "created": 0,
            "errors": [{"row": 0, "column": "", "message": _("You may no longer import.")}],
        }
    batch.report = report
    batch.row_count = report["rows"]
    batch.error_count = len(report["errors"])
    batch.status = ImportStatus.PREVIEWED if not report["errors"] else ImportStatus.REFUSED
    batch.save()
    return batch


@transaction.atomic
def import_apply(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Asks the worker to write a previewed import."""
    from .tasks import import_apply_task

    require(actor, "imports.import")
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.created_by_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if batch.status != ImportStatus.PREVIEWED:
        raise ValidationError(_("Only a previewed import without refused rows can be applied, once."))
    batch.status = ImportStatus.APPLYING
    batch.save(update_fields=["status"])
    transaction.on_commit(partial(import_apply_task, batch.pk))
    return batch


@transaction.atomic
def import_write(*, batch_id: int) -> ImportBatch:
    """Applying, run by the worker: every row or none."""
    batch = ImportBatch.objects.select_for_update().select_related("created_by").get(pk=batch_id)
    if batch.status != ImportStatus.APPLYING:
        return batch
    actor = batch.created_by
    report = run_import(actor=actor, kind=batch.kind, content=_read(batch), commit=True)
    before = snapshot(batch, ["status"])
    batch.report = report
    batch.error_count = len(report["errors"])
    if report["errors"]:
        batch.status = ImportStatus.REFUSED  # the data changed since the preview; nothing written
    else:
        batch.status = ImportStatus.APPLIED
        batch.applied_at = clock.now()
        # The file's own entry was written by the store when it came; this one says it was applied.
        history_record(
            instance=batch,
            action=HistoryAction.UPDATE,
            actor=actor,
            changes=diff(before, snapshot(batch, ["status"])),
            reason=_("%(count)s rows imported") % {"count": report["created"]},
        )
    batch.save()
    return batch
