"""Reads of documented information, narrowed to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from amelio.core.models import StoredFile
from amelio.core.permissions import can, roles_for, visible
from amelio.organisation.models import Person, RoleAssignment

from .choices import DocumentStatus
from .models import Acknowledgement, Distribution, Document, DocumentVersion
from .rules import READERS_OF_EVERYTHING, held_roles

# How many acknowledgements a document's page lists (the count is always whole).
ACKNOWLEDGEMENTS_SHOWN = 50
TO_READ_SHOWN = 8


def _latest_file_first() -> Prefetch[Any]:
    return Prefetch("files", queryset=StoredFile.objects.order_by("-uploaded_at", "-id"))


def document_list(*, user: Any) -> QuerySet[Document]:
    return (
        visible(user, Document.objects.all())
        .select_related("owner", "current_version")
        .prefetch_related("processes")
        .order_by("reference", "id")
    )


def document_get(*, user: Any, pk: int) -> Document:
    documents = Document.objects.select_related(
        "owner", "author", "reviewer", "approver", "current_version"
    ).prefetch_related("processes", Prefetch("distribution", queryset=Distribution.objects.select_related("person")))
    return get_object_or_404(visible(user, documents), pk=pk)


def version_get(*, user: Any, pk: int) -> DocumentVersion:
    versions = DocumentVersion.objects.select_related(
        "document", "document__owner", "document__reviewer", "document__approver", "author", "approved_by"
    ).prefetch_related("document__processes", "document__distribution", _latest_file_first())
    return get_object_or_404(visible(user, versions), pk=pk)


@dataclass
class DocumentDossier:
    document: Document
    versions: list[DocumentVersion] = field(default_factory=list)
    acknowledgements: list[Acknowledgement] = field(default_factory=list)
    acknowledged_count: int = 0
    readers_count: int = 0
    acknowledged_by_me: Acknowledgement | None = None


def expected_readers(document: Document) -> QuerySet[Person]:
    """The active people the document is distributed to, by role held today or by name."""
    roles = [reader.role for reader in document.distribution.all() if reader.role]
    people = [reader.person_id for reader in document.distribution.all() if reader.person_id]
    holders = RoleAssignment.objects.active().filter(role__in=roles).values("person_id")
    return Person.objects.filter(Q(pk__in=holders) | Q(pk__in=people), is_active=True)


def document_dossier(*, user: Any, document: Document) -> DocumentDossier:
    """The document's page: its versions the user may see, and the acknowledgements of the
    version in force (the whole list for those who manage it, one's own for the others)."""
    versions = (
        visible(user, DocumentVersion.objects.filter(document=document))
        .select_related("author", "approved_by")
        .prefetch_related(_latest_file_first())
        .order_by("-number")
    )
    dossier = DocumentDossier(document=document, versions=list(versions))
    current = document.current_version
    if current is None:
        return dossier
    acknowledgements = Acknowledgement.objects.filter(version=current)
    dossier.acknowledged_by_me = acknowledgements.filter(person_id=user.pk).first()
    if can(user, "documents.manage_document", document) or roles_for(user).has_school_wide(*READERS_OF_EVERYTHING):
        dossier.acknowledged_count = acknowledgements.count()
        dossier.readers_count = expected_readers(document).count()
        dossier.acknowledgements = list(
            acknowledgements.select_related("person").order_by("-acknowledged_at")[:ACKNOWLEDGEMENTS_SHOWN]
        )
    return dossier


def to_read(*, user: Any) -> QuerySet[Document]:
    """Documents in force distributed to the user whose version in force they have not
    acknowledged (an acknowledgement of an older version does not count)."""
    roles = roles_for(user)
    if not roles.is_authenticated:
        return Document.objects.none()
    distributed = Distribution.objects.filter(
        Q(role__in=held_roles(roles)) | Q(person_id=user.pk), document_id=OuterRef("pk")
    )
    read = Acknowledgement.objects.filter(version_id=OuterRef("current_version_id"), person_id=user.pk)
    return (
        visible(user, Document.objects.filter(status=DocumentStatus.IN_FORCE))
        .filter(Exists(distributed))
        .exclude(Exists(read))
        .select_related("current_version")
        .order_by("reference", "id")
    )


def stale_documents(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Documents that no longer make good evidence: not in force (never approved, withdrawn)
    or past their review date."""
    from amelio.core import clock

    return documents.filter(~Q(status=DocumentStatus.IN_FORCE) | Q(review_due_on__lt=clock.today()))
