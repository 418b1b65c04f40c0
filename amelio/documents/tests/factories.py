"""Factories of documented information: rows written directly (the workflow itself is
tested through the services)."""

from __future__ import annotations

from typing import Any

import factory

from amelio.core import clock
from amelio.documents.choices import DocumentKind, DocumentStatus, VersionStatus
from amelio.documents.models import Acknowledgement, Distribution, Document, DocumentVersion
from amelio.organisation.tests.factories import PersonFactory


class DocumentFactory(factory.django.DjangoModelFactory[Document]):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"PR-{n:04d}")
    title = factory.Sequence(lambda n: f"Procédure {n}")
    kind = DocumentKind.PROCEDURE
    owner = factory.SubFactory(PersonFactory)

    @factory.post_generation
    def processes(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.processes.set(extracted)


class VersionFactory(factory.django.DjangoModelFactory[DocumentVersion]):
    class Meta:
        model = DocumentVersion

    document = factory.SubFactory(DocumentFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "# Objet\nDécrire la procédure."
    author = factory.SubFactory(PersonFactory)


def document_in_force(*, readers: Any = (), roles: Any = (), number: int = 1, **kwargs: Any) -> Document:
    """A document with an approved version `number`, distributed to these roles and people."""
    document = DocumentFactory(**kwargs)
    version = VersionFactory(document=document, number=number, status=VersionStatus.APPROVED, approved_on=clock.today())
    document.current_version = version
    document.status = DocumentStatus.IN_FORCE
    document.save()
    for role in roles:
        Distribution.objects.create(document=document, role=role)
    for person in readers:
        Distribution.objects.create(document=document, person=person)
    return document


def acknowledge(version: DocumentVersion, person: Any) -> Acknowledgement:
    return Acknowledgement.objects.create(version=version, person=person)
