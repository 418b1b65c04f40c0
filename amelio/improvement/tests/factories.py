from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from amelio.improvement.choices import ActionKind, ItemStatus, Origin
from amelio.improvement.models import Action, ImprovementItem
from amelio.organisation.tests.factories import PersonFactory


class ImprovementItemFactory(factory.django.DjangoModelFactory[ImprovementItem]):
    class Meta:
        model = ImprovementItem

    reference = factory.Sequence(lambda n: f"SU-2026-{n + 1:04d}")
    origin = Origin.SUGGESTION
    title = factory.Sequence(lambda n: f"Idée {n}")
    description = "Une description."
    raised_by = factory.SubFactory(PersonFactory)
    status = ItemStatus.NEW


class ActionFactory(factory.django.DjangoModelFactory[Action]):
    class Meta:
        model = Action

    kind = ActionKind.CORRECTIVE
    title = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SubFactory(PersonFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
