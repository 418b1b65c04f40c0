"""Writes of documented information: documents, their readers, their versions and the
versions' workflow, acknowledgements and the review reminder. Every write checks the actor's
right and records its history in the same transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from amelio.core import clock
from amelio.core.emails import readable_date
from amelio.core.files import store_file
from amelio.core.models import FilePurpose
from amelio.core.permissions import can, require
from amelio.core.services import model_create, model_update
from amelio.core.uploads import CheckedUpload, check_upload
from amelio.history.choices import HistoryAction
from amelio.history.services import diff, history_record, history_record_create, snapshot
from amelio.notifications.services import notify
from amelio.organisation.choices import Role

from .choices import WORK_IN_PROGRESS, DocumentStatus, VersionStatus, VersionTransition
from .models import Acknowledgement, Distribution, Document, DocumentVersion
from .workflows import VERSION_WORKFLOW

# How long before its review date the owner of a document is reminded.
REVIEW_REMINDER_DAYS = 30


# Documents ------------------------------------------------------------------------------


def _require_own_processes(actor: Any, processes: Iterable[Any] | None) -> None:
    """Someone other than the quality manager files documents only under processes they own."""
    if actor is None or can(actor, "documents.manage_document", None):
        return
    from amelio.organisation.permissions import roles_of

    roles = roles_of(actor)
    owned = roles.processes_for(Role.PROCESS_OWNER)
    chosen = list(processes or [])
    if not chosen or any(process.owner_id != actor.pk and process.pk not in owned for process in chosen):
        raise ValidationError({"processes": _("Choose only processes you own.")}, code="not_your_process")


@transaction.atomic
def document_create(*, actor: Any, data: dict[str, Any]) -> Document:
    """A new document, with no version yet (status: not yet approved)."""
    require(actor, "documents.create_document")
    _require_own_processes(actor, data.get("processes"))
    return model_create(model=Document, data=data, actor=actor)


@transaction.atomic
def document_update(
    *, actor: Any, document: Document, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "documents.manage_document", document)
    if "processes" in data:
        _require_own_processes(actor, data["processes"])
    return model_update(instance=document, data=data, actor=actor, version=version)


@transaction.atomic
def distribution_set(
    *, actor: Any, document: Document, roles: Iterable[str], people: Iterable[Any], reason: str = ""
) -> None:
    """Who must read the document: these roles and these people, replacing the list."""
    require(actor, "documents.manage_document", document)
    roles, people = sorted(set(roles)), list({person.pk: person for person in people}.values())
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %(roles)s.") % {"roles": ", ".join(sorted(unknown))}})
    before = _readers_display(document)
    document.distribution.all().delete()
    Distribution.objects.bulk_create(
        [Distribution(document=document, role=role) for role in roles]
        + [Distribution(document=document, person=person) for person in people]
    )
    after = _readers_display(document)
    if before != after:
        history_record(
            instance=document,
            action=HistoryAction.UPDATE,
            actor=actor,
            changes={"readers": [before, after]},
            reason=reason,
        )


def _readers_display(document: Document) -> str:
    readers = Distribution.objects.filter(document=document).select_related("person")
    return ", ".join(sorted(str(reader) for reader in readers))


# Versions -------------------------------------------------------------------------------


def _checked(file: UploadedFile | CheckedUpload | None) -> CheckedUpload | None:
    """The file checked by its content before anything is written (a refusal names it)."""
    if file is None:
        return None
    if isinstance(file, CheckedUpload):
        return file
    try:
        return check_upload(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}, code="bad_file") from error


@transaction.atomic
def version_create(
    *,
    actor: Any,
    document: Document,
    change_summary: str = "",
    text: str = "",
    file: UploadedFile | CheckedUpload | None = None,
    author: Any = None,
) -> DocumentVersion:
    """The next version of `document`, as a draft: its text, or its file, or both. One
    version is worked on at a time."""
    require(actor, "documents.add_version", document)
    checked = _checked(file)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.versions.filter(status__in=WORK_IN_PROGRESS).exists():
        raise ValidationError(
            _("Version %(number)s is still being written or reviewed: finish it before starting another one.")
            % {"number": locked.versions.filter(status__in=WORK_IN_PROGRESS).values_list("number", flat=True)[0]},
            code="version_in_progress",
        )
    if not (text or "").strip() and checked is None:
        raise ValidationError({"text": _("Write the text of the version or attach its file.")}, code="empty")
    number = (locked.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    version = model_create(
        model=DocumentVersion,
        data={
            "document": locked,
            "number": number,
            "change_summary": change_summary,
            "text": text,
            "author": author or actor,
        },
        actor=actor,
    )
    if checked is not None:
        store_file(actor=actor, upload=checked, owner=version, purpose=FilePurpose.ATTACHMENT)
    return version


@transaction.atomic
def version_update(
    *,
    actor: Any,
    version: DocumentVersion,
    data: dict[str, Any],
    file: UploadedFile | CheckedUpload | None = None,
    token: str | None = None,
) -> dict[str, list[str]]:
    """Change a draft's text or summary, or give it a new file (the latest file is the version's)."""
    require(actor, "documents.work_on_version", version)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be changed; this version is “%(status)s”.") % {"status": version.get_status_display()}
        )
    checked = _checked(file)
    changes = model_update(instance=version, data=data, actor=actor, version=token)
    if checked is not None:
        store_file(actor=actor, upload=checked, owner=version, purpose=FilePurpose.ATTACHMENT)
    return changes


def _has_content(version: DocumentVersion) -> None:
    if not version.text.strip() and not version.files.exists():
        raise ValidationError(_("The version has neither text nor file: there is nothing to review."))


def version_submit(*, actor: Any, version: DocumentVersion, reason: str = "") -> DocumentVersion:
    return VERSION_WORKFLOW.apply(
        actor=actor, record=version, transition=VersionTransition.SUBMIT, reason=reason, precondition=_has_content
    )


def version_send_back(*, actor: Any, version: DocumentVersion, reason: str) -> DocumentVersion:
    version = VERSION_WORKFLOW.apply(actor=actor, record=version, transition=VersionTransition.SEND_BACK, reason=reason)
    transaction.on_commit(lambda: _tell_author(version, reason))
    return version


def _tell_author(version: DocumentVersion, reason: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            recipients=[version.author],
            subject=_("Version %(number)s of “%(title)s” was sent back to you")
            % {"number": version.number, "title": version.document.title},
            body=reason,
            url=version.get_absolute_url(),
        )


def author_may_not_approve(actor: Any, version: DocumentVersion) -> None:
    if actor is not None and version.author_id == getattr(actor, "pk", None):
        raise PermissionDenied(
            _("You wrote this version: another person (the document's approver or the quality manager) approves it.")
        )


@transaction.atomic
def version_approve(*, actor: Any, version: DocumentVersion, reason: str = "") -> DocumentVersion:
    """The version comes into force: the one approved before it is kept, marked superseded,
    and the document now shows this one to everyone it is distributed to."""
    author_may_not_approve(actor, version)
    require(actor, "documents.approve_version", version)
    document = Document.objects.select_for_update().get(pk=version.document_id)
    previous = document.versions.filter(status=VersionStatus.APPROVED).exclude(pk=version.pk).first()
    if previous is not None and version.status == VersionStatus.IN_REVIEW:
        version_supersede(
            actor=None,
            version=previous,
            reason=_("Replaced by version %(number)s.") % {"number": version.number},
        )
    version = VERSION_WORKFLOW.apply(
        actor=actor,
        record=version,
        transition=VersionTransition.APPROVE,
        reason=reason,
        fields={"approved_by": actor if getattr(actor, "pk", None) else None, "approved_on": clock.today()},
    )
    _document_now(document, actor=actor, status=DocumentStatus.IN_FORCE, current=version)
    return version


def version_supersede(*, actor: Any, version: DocumentVersion, reason: str = "") -> DocumentVersion:
    """Applied by `version_approve` to the version it replaces (as the system)."""
    return VERSION_WORKFLOW.apply(actor=actor, record=version, transition=VersionTransition.SUPERSEDE, reason=reason)


@transaction.atomic
def version_withdraw(*, actor: Any, version: DocumentVersion, reason: str) -> DocumentVersion:
    """The document is no longer in force: its approved version becomes obsolete."""
    version = VERSION_WORKFLOW.apply(actor=actor, record=version, transition=VersionTransition.WITHDRAW, reason=reason)
    document = Document.objects.select_for_update().get(pk=version.document_id)
    _document_now(document, actor=actor, status=DocumentStatus.OBSOLETE, current=None, reason=reason)
    return version


def _document_now(
    document: Document, *, actor: Any, status: str, current: DocumentVersion | None, reason: str = ""
) -> None:
    tracked = ["status", "current_version"]
    before = snapshot(document, tracked)
    document.status = status
    document.current_version = current
    document.save(update_fields=tracked)
    history_record(
        instance=document,
        action=HistoryAction.TRANSITION,
        actor=actor,
        changes=diff(before, snapshot(document, tracked)),
        reason=reason,
    )


# Acknowledgements -----------------------------------------------------------------------


@transaction.atomic
def acknowledgement_record(*, actor: Any, document: Document) -> Acknowledgement:
    """`actor` has read the version in force (one click; a second click changes nothing)."""
    require(actor, "documents.acknowledge", document)
    current = document.current_version
    if current is None or current.status != VersionStatus.APPROVED:
        raise ValidationError(_("The document has no version in force to acknowledge."))
    existing = Acknowledgement.objects.filter(version=current, person=actor).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            acknowledgement = Acknowledgement.objects.create(version=current, person=actor)
    except IntegrityError:  # the same click, twice at once
        return Acknowledgement.objects.get(version=current, person=actor)
    history_record_create(instance=acknowledgement, fields=["version", "person", "acknowledged_at"], actor=actor)
    return acknowledgement


# Review reminders -----------------------------------------------------------------------


def documents_to_remind(*, today: datetime.date) -> list[Document]:
    """Documents in force whose review falls within REVIEW_REMINDER_DAYS (or is past) and
    whose owner was not yet reminded of this review date."""
    candidates = Document.objects.filter(
        status=DocumentStatus.IN_FORCE,
        review_due_on__isnull=False,
        review_due_on__lte=today + datetime.timedelta(days=REVIEW_REMINDER_DAYS),
    ).select_related("owner")
    return [
        document for document in candidates.order_by("id") if document.review_reminded_for != document.review_due_on
    ]


@transaction.atomic
def document_send_review_reminder(*, document: Document, today: datetime.date) -> bool:
    """Tell the owner the document is due for review, once per review date (recorded on
    the locked row)."""
    locked = Document.objects.select_for_update().select_related("owner").get(pk=document.pk)
    if locked.review_due_on is None or locked.review_reminded_for == locked.review_due_on:
        return False
    if locked.status != DocumentStatus.IN_FORCE:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            recipients=[locked.owner],
            subject=_("“%(reference)s %(title)s” is due for review on %(date)s")
            % {"reference": locked.reference, "title": locked.title, "date": readable_date(locked.review_due_on)},
            body=_("Check that it is still right and start a new version if it must change, then set its next review."),
            url=locked.get_absolute_url(),
        )
    before = snapshot(locked, ["review_reminded_for"])
    locked.review_reminded_for = locked.review_due_on
    locked.save(update_fields=["review_reminded_for"])
    history_record(
        instance=locked,
        action=HistoryAction.UPDATE,
        actor=None,
        changes=diff(before, snapshot(locked, ["review_reminded_for"])),
    )
    return True
