"""Reads of frameworks, requirements, mappings and evidence, narrowed to what the user may see.
Evidence is read kind by kind (one query per registered kind, whatever the number of links),
and a link is shown only when its record is in the user's sight."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amelio.core import clock
from amelio.core.permissions import visible

from .choices import Coverage
from .evidence import EvidenceKind, evidence_kind_for, evidence_kinds
from .models import AccessLogEntry, AuditorAccess, Clause, ClauseMapping, EvidenceLink, Framework

# How many records of each kind a requirement's page lists (the counts are always whole).
EVIDENCE_SHOWN_PER_KIND = 20


def framework_list(*, user: Any) -> QuerySet[Framework]:
    return visible(user, Framework.objects.annotate(requirement_count=Count("clauses"))).order_by("name", "id")


def framework_get(*, user: Any, pk: int) -> Framework:
    return get_object_or_404(visible(user, Framework.objects.all()), pk=pk)


def requirement_get(*, user: Any, pk: int) -> Clause:
    return get_object_or_404(visible(user, Clause.objects.select_related("framework", "parent")), pk=pk)


def requirement_choices(*, user: Any) -> QuerySet[Clause]:
    return visible(user, Clause.objects.select_related("framework")).order_by("framework__name", "sort_key")


@dataclass
class EvidenceGroup:
    kind: EvidenceKind
    count: int
    links: list[EvidenceLink] = field(default_factory=list)


@dataclass
class MappedRequirement:
    mapping: ClauseMapping
    requirement: Clause


@dataclass
class RequirementDossier:
    requirement: Clause
    children: list[Clause]
    mapped: list[MappedRequirement]
    evidence: list[EvidenceGroup]

    @property
    def evidence_count(self) -> int:
        return sum(group.count for group in self.evidence)


def _content_types() -> dict[str, ContentType]:
    models = [kind.model for kind in evidence_kinds()]
    by_model = ContentType.objects.get_for_models(*models)
    return {model._meta.label_lower: content_type for model, content_type in by_model.items()}


def evidence_groups(
    *, user: Any, links: QuerySet[EvidenceLink], shown: int = EVIDENCE_SHOWN_PER_KIND
) -> list[EvidenceGroup]:
    """`links` grouped by kind of record, each with the count of the links whose record the
    user sees and the latest `shown` of them, their records attached (`link.evidence`).
    `user=None` is the reader of an auditor's personal link, whose access to the framework
    is the right to read every record evidencing it (named, not opened)."""
    groups = []
    types = _content_types()
    present = set(links.values_list("record_type_id", flat=True).distinct())
    for kind in evidence_kinds():
        content_type = types[kind.model_label]
        if content_type.pk not in present:
            continue
        of_kind = links.filter(record_type=content_type)
        if user is not None:
            in_sight = kind.visible_records(
                user, kind.model._default_manager.filter(pk__in=of_kind.values("record_id"))
            )
            of_kind = of_kind.filter(record_id__in=in_sight.values("pk"))
        latest = list(of_kind.select_related("clause", "clause__framework").order_by("-created_at", "-id")[:shown])
        shown_ids = [link.record_id for link in latest]
        records = kind.model._default_manager.in_bulk(shown_ids)
        stale: set[int] = set()
        if kind.stale is not None and shown_ids:
            stale = set(kind.stale(kind.model._default_manager.filter(pk__in=shown_ids)).values_list("pk", flat=True))
        for link in latest:
            link.evidence = records.get(link.record_id)  # type: ignore[attr-defined]
            link.is_stale = link.record_id in stale  # type: ignore[attr-defined]
        groups.append(EvidenceGroup(kind=kind, count=of_kind.count(), links=latest))
    return groups


def requirement_dossier(*, user: Any, requirement: Clause) -> RequirementDossier:
    mappings = ClauseMapping.objects.filter(Q(first=requirement) | Q(second=requirement)).select_related(
        "first__framework", "second__framework"
    )
    mapped = [
        MappedRequirement(mapping, mapping.second if mapping.first_id == requirement.pk else mapping.first)
        for mapping in mappings
    ]
    mapped.sort(key=lambda item: (item.requirement.framework.name, item.requirement.sort_key))
    return RequirementDossier(
        requirement=requirement,
        children=list(requirement.children.order_by("sort_key")),
        mapped=mapped,
        evidence=evidence_groups(user=user, links=EvidenceLink.objects.filter(clause=requirement)),
    )


def record_evidence(*, user: Any, record: Any) -> list[EvidenceLink]:
    """The requirements a record evidences (its page's block), in framework order."""
    kind = evidence_kind_for(record)
    if kind is None or record is None or record.pk is None:
        return []
    content_type = ContentType.objects.get_for_model(type(record))
    links = EvidenceLink.objects.filter(record_type=content_type, record_id=record.pk)
    return list(
        visible(user, links)
        .select_related("clause", "clause__framework")
        .order_by("clause__framework__name", "clause__sort_key")
    )


# Coverage -------------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    requirement: Clause
    direct: int = 0
    below: int = 0
    stale: int = 0
    mapped: int = 0

    @property
    def total(self) -> int:
        return self.direct + self.below

    @property
    def status(self) -> str:
        if self.total == 0:
            return Coverage.UNCOVERED
        if self.stale >= self.total:
            return Coverage.STALE
        return Coverage.COVERED


@dataclass
class FrameworkCoverage:
    framework: Framework
    rows: list[CoverageRow]
    computed_at: Any = None

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def covered(self) -> int:
        return self.count(Coverage.COVERED)

    @property
    def stale(self) -> int:
        return self.count(Coverage.STALE)

    @property
    def uncovered(self) -> int:
        return self.count(Coverage.UNCOVERED)


def _stale_records(links: QuerySet[EvidenceLink]) -> set[tuple[int, int]]:
    """(record type, record id) of the linked records their kinds call stale: one query for
    the kinds linked, then one per kind linked."""
    stale: set[tuple[int, int]] = set()
    types = _content_types()
    present = set(links.values_list("record_type_id", flat=True).distinct())
    for kind in evidence_kinds():
        content_type = types[kind.model_label]
        if kind.stale is None or content_type.pk not in present:
            continue
        linked = links.filter(record_type=content_type).values("record_id")
        ids = kind.stale(kind.model._default_manager.filter(pk__in=linked)).values_list("pk", flat=True)
        stale.update((content_type.pk, pk) for pk in ids)
    return stale


def framework_coverage(*, user: Any, framework: Framework) -> FrameworkCoverage:
    """Each requirement of the framework with the evidence of its own and of the requirements
    below it (a criterion is evidenced through its indicators), and its colour: no evidence,
    only stale evidence (every linked record stale), covered. The counts are the school's:
    every link counts, whoever reads the view. A fixed number of queries (one per kind)."""
    clauses = Clause.objects.filter(framework=framework)
    # user=None: the reader of an auditor's personal link, to whom the framework was opened.
    requirements = list((clauses if user is None else visible(user, clauses)).order_by("sort_key"))
    links = EvidenceLink.objects.filter(clause__framework=framework)
    stale = _stale_records(links)
    rows = {requirement.pk: CoverageRow(requirement) for requirement in requirements}
    per_requirement: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for clause_id, record_type_id, record_id in links.values_list("clause_id", "record_type_id", "record_id"):
        per_requirement[clause_id].append((record_type_id, record_id))
    mapped_counts: dict[int, int] = defaultdict(int)
    for first_id, second_id in ClauseMapping.objects.filter(
        Q(first__framework=framework) | Q(second__framework=framework)
    ).values_list("first_id", "second_id"):
        mapped_counts[first_id] += 1
        mapped_counts[second_id] += 1
    parents = {requirement.pk: requirement.parent_id for requirement in requirements}
    for clause_id, records in per_requirement.items():
        row = rows.get(clause_id)
        if row is None:
            continue
        stale_count = sum(1 for record in records if record in stale)
        row.direct += len(records)
        row.stale += stale_count
        # Up the tree: every ancestor is evidenced through this requirement too.
        ancestor = parents.get(clause_id)
        while ancestor is not None and ancestor in rows:
            rows[ancestor].below += len(records)
            rows[ancestor].stale += stale_count
            ancestor = parents.get(ancestor)
    for pk, row in rows.items():
        row.mapped = mapped_counts.get(pk, 0)
    return FrameworkCoverage(framework=framework, rows=list(rows.values()), computed_at=clock.now())


def access_log(*, user: Any) -> QuerySet[AccessLogEntry]:
    return visible(user, AccessLogEntry.objects.select_related("person", "access__auditor")).order_by(
        "-opened_at", "-id"
    )


# External auditors' accesses ---------------------------------------------------------------


def auditor_access_list(*, user: Any) -> QuerySet[AuditorAccess]:
    return (
        visible(user, AuditorAccess.objects.select_related("auditor", "granted_by"))
        .prefetch_related("frameworks", "processes")
        .annotate(log_count=Count("log"))
        .order_by("-starts_on", "-id")
    )


def auditor_access_get(*, user: Any, pk: int) -> AuditorAccess:
    return get_object_or_404(
        visible(user, AuditorAccess.objects.select_related("auditor", "granted_by")).prefetch_related(
            "frameworks", "processes"
        ),
        pk=pk,
    )


def access_log_of(*, access: AuditorAccess) -> QuerySet[AccessLogEntry]:
    """What was opened under an access: through its personal link, or by its account between
    the first minute of its start date and the last of its end date."""
    opened = Q(access=access)
    if access.auditor_id is not None:
        start = datetime.datetime.combine(access.starts_on, datetime.time.min, tzinfo=timezone.get_current_timezone())
        end = datetime.datetime.combine(
            access.ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone()
        )
        opened |= Q(person_id=access.auditor_id, opened_at__gte=start, opened_at__lt=end)
    return AccessLogEntry.objects.filter(opened).select_related("person").order_by("-opened_at", "-id")


def access_link_frameworks(*, access: AuditorAccess) -> list[Framework]:
    return list(access.frameworks.order_by("name", "id"))


def access_link_framework(*, access: AuditorAccess, pk: int) -> Framework:
    return get_object_or_404(access.frameworks.all(), pk=pk)


def access_link_requirement(*, access: AuditorAccess, pk: int) -> Clause:
    return get_object_or_404(
        Clause.objects.select_related("framework", "parent").filter(framework__in=access.frameworks.all()), pk=pk
    )
