from __future__ import annotations

import factory

from amelio.organisation.tests.factories import PersonFactory
from amelio.processes.choices import ProcessKind
from amelio.processes.models import Activity, Process


class ProcessFactory(factory.django.DjangoModelFactory[Process]):
    class Meta:
        model = Process

    code = factory.Sequence(lambda n: f"P-{n:03d}")
    name = factory.Sequence(lambda n: f"Processus {n}")
    kind = ProcessKind.REALISATION
    purpose = "Former des ingénieurs."
    owner = factory.SubFactory(PersonFactory)


class ActivityFactory(factory.django.DjangoModelFactory[Activity]):
    class Meta:
        model = Activity

    process = factory.SubFactory(ProcessFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Activité {n}")
