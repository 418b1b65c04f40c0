"""Who may read, write, approve and acknowledge documented information.

- The quality manager manages every document. A process owner (the process's `owner`, or a
  holder of the process-owner role for it) manages the documents of their processes; so
  does the document's own owner. Managing means: edit the document, its readers, start a
  version, send a version back, withdraw it.
- A version is written by its author (or a manager), sent back by the document's reviewer,
  approver or a manager, and approved by the document's approver or the quality manager —
  never by the version's author. Superseding the previous version is not a step anyone
  takes: approving the next one does it.
- Drafts and versions in review are seen by their author and by the document's owner,
  reviewer, approver and managers (the quality manager included), nobody else.
- Staff and teachers read every document in force (and the obsolete ones, marked as such),
  with their approved and superseded versions. The director and the auditors (internal and
  external, school-wide) read every document and every published version; they change
  nothing.
- Students read only the approved version of documents in force that are distributed to
  students (the role) or to them in person: the rest is the staff's working material.
- Only a person the document is distributed to (by one of their roles, or by name)
  acknowledges its version in force.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from amelio.core.permissions import rule, scope
from amelio.organisation.choices import Role
from amelio.organisation.permissions import UserRoles

from .choices import PUBLISHED, DocumentStatus, VersionStatus

READERS_OF_EVERYTHING = (Role.QUALITY_MANAGER, Role.DIRECTOR, Role.INTERNAL_AUDITOR, Role.EXTERNAL_AUDITOR)


def held_roles(roles: UserRoles) -> set[str]:
    return {grant.role for grant in roles.grants}


def _owns_a_process_of(roles: UserRoles, document: Any) -> bool:
    owned = roles.processes_for(Role.PROCESS_OWNER)
    return any(process.owner_id == roles.user.pk or process.pk in owned for process in document.processes.all())


def manages_document(roles: UserRoles, document: Any) -> bool:
    if roles.is_quality_manager:
        return True
    if document is None or document.pk is None:
        return False
    return document.owner_id == roles.user.pk or _owns_a_process_of(roles, document)


def _works_on(roles: UserRoles, document: Any) -> bool:
    user_id = roles.user.pk
    return user_id in (document.owner_id, document.author_id, document.reviewer_id, document.approver_id) or (
        manages_document(roles, document)
    )


def _is_reader(roles: UserRoles, document: Any) -> bool:
    mine = held_roles(roles)
    return any(
        reader.person_id == roles.user.pk or (reader.role and reader.role in mine)
        for reader in document.distribution.all()
    )


@rule("documents.view_documents")
def view_documents(roles: UserRoles, obj: Any) -> bool:
    # Everyone with an account has a list: students see the documents distributed to them.
    return True


@rule("documents.create_document")
def create_document(roles: UserRoles, obj: Any) -> bool:
    """The quality manager, and a process owner (for the documents of their processes)."""
    if roles.is_quality_manager or roles.processes_for(Role.PROCESS_OWNER):
        return True
    from amelio.processes.models import Process

    return Process.objects.filter(owner_id=roles.user.pk).exists()


@rule("documents.view_document")
def view_document(roles: UserRoles, document: Any) -> bool:
    if roles.has_school_wide(*READERS_OF_EVERYTHING) or _works_on(roles, document):
        return True
    if roles.sees_staff_pages:
        return document.status != DocumentStatus.DRAFT
    return document.status == DocumentStatus.IN_FORCE and _is_reader(roles, document)


@rule("documents.manage_document")
def manage_document(roles: UserRoles, document: Any) -> bool:
    return manages_document(roles, document)


@rule("documents.add_version")
def add_version(roles: UserRoles, document: Any) -> bool:
    if document.status == DocumentStatus.OBSOLETE:
        return False
    return document.author_id == roles.user.pk or manages_document(roles, document)


@rule("documents.view_version")
def view_version(roles: UserRoles, version: Any) -> bool:
    document = version.document
    if roles.is_quality_manager or _works_on(roles, document) or version.author_id == roles.user.pk:
        return True
    if roles.has_school_wide(*READERS_OF_EVERYTHING) or roles.sees_staff_pages:
        return version.status in PUBLISHED and view_document(roles, document)
    return version.status == VersionStatus.APPROVED and view_document(roles, document)


@rule("documents.work_on_version")
def work_on_version(roles: UserRoles, version: Any) -> bool:
    """Edit a draft, attach its file, submit it for review."""
    return version.author_id == roles.user.pk or manages_document(roles, version.document)


@rule("documents.review_version")
def review_version(roles: UserRoles, version: Any) -> bool:
    document = version.document
    return roles.user.pk in (document.reviewer_id, document.approver_id) or manages_document(roles, document)


@rule("documents.approve_version")
def approve_version(roles: UserRoles, version: Any) -> bool:
    """The document's approver or the quality manager, never the author of the version."""
    if version.author_id == roles.user.pk:
        return False
    return version.document.approver_id == roles.user.pk or roles.is_quality_manager


@rule("documents.supersede_version")
def supersede_version(roles: UserRoles, version: Any) -> bool:
    # Done by approving the next version (the service applies it as the system), never by hand.
    return False


@rule("documents.withdraw_version")
def withdraw_version(roles: UserRoles, version: Any) -> bool:
    return manages_document(roles, version.document)


@rule("documents.acknowledge")
def acknowledge(roles: UserRoles, document: Any) -> bool:
    return document.current_version_id is not None and _is_reader(roles, document)


def _involved(roles: UserRoles, prefix: str = "") -> Q:
    user_id = roles.user.pk
    fields = ("owner_id", "author_id", "reviewer_id", "approver_id", "processes__owner_id")
    condition = Q(**{f"{prefix}processes__in": roles.processes_for(Role.PROCESS_OWNER)})
    for name in fields:
        condition |= Q(**{f"{prefix}{name}": user_id})
    return condition


def _distributed_to(roles: UserRoles) -> Q:
    return Q(distribution__role__in=held_roles(roles)) | Q(distribution__person_id=roles.user.pk)


@scope("documents.document")
def visible_documents(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    from .models import Document

    if roles.has_school_wide(*READERS_OF_EVERYTHING):
        return queryset
    if roles.sees_staff_pages:
        readable = ~Q(status=DocumentStatus.DRAFT)
    else:
        readable = Q(status=DocumentStatus.IN_FORCE) & _distributed_to(roles)
    # pk__in: the joins on processes and readers would otherwise repeat rows.
    return queryset.filter(pk__in=Document.objects.filter(readable | _involved(roles)).values("pk"))


@scope("documents.documentversion")
def visible_versions(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    from .models import Document, DocumentVersion

    if roles.is_quality_manager:
        return queryset
    readable_documents = visible_documents(roles, Document.objects.all()).values("pk")
    if roles.has_school_wide(*READERS_OF_EVERYTHING) or roles.sees_staff_pages:
        shown = Q(status__in=PUBLISHED)
    else:
        shown = Q(status=VersionStatus.APPROVED)
    working = Q(author_id=roles.user.pk) | Q(document__in=Document.objects.filter(_involved(roles)).values("pk"))
    return queryset.filter(
        pk__in=DocumentVersion.objects.filter((shown & Q(document__in=readable_documents)) | working).values("pk")
    )


@scope("documents.distribution")
def visible_distribution(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    from .models import Document

    return queryset.filter(document__in=visible_documents(roles, Document.objects.all()).values("pk"))


@scope("documents.acknowledgement")
def visible_acknowledgements(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """One's own; all of a document one manages or reads everything of."""
    from .models import Document

    if roles.has_school_wide(*READERS_OF_EVERYTHING):
        return queryset
    managed = Document.objects.filter(Q(owner_id=roles.user.pk) | _involved(roles)).values("pk")
    return queryset.filter(Q(person_id=roles.user.pk) | Q(version__document__in=managed))
