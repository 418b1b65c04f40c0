"""Writes of internship agreements: drafts checked against the law at every step, the
workflow, amendments that keep the original, follow-up milestones, evaluation links."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amelio.core import clock
from amelio.core.emails import readable_date, send_email_after_commit
from amelio.core.files import store_file
from amelio.core.models import FilePurpose, StoredFile
from amelio.core.permissions import can, require
from amelio.core.references import next_reference, next_references
from amelio.core.services import model_update, refuse_other_fields
from amelio.core.uploads import check_upload
from amelio.history.choices import HistoryAction
from amelio.history.services import (
    diff,
    history_record,
    history_record_create,
    history_record_create_many,
    snapshot,
)
from amelio.notifications.services import notify

from .agreement_rules import NEIGHBOUR_FIELDS, check_agreement, figures_on, is_neighbour
from .choices import (
    AMENDABLE_STATUSES,
    COUNTING_STATUSES,
    REPORT_STATUSES,
    TUTORED_STATUSES,
    EvaluationKind,
    InternshipStatus,
    InternshipTransition,
    MilestoneKind,
)
from .models import Evaluation, EvaluationLink, Internship, Milestone, TutorQuota
from .workflows import INTERNSHIP_WORKFLOW

# The fields of an agreement: its student, and what its update service may change.
AGREEMENT_FIELDS = ["student", *Internship.editable_fields]
LINK_LIFETIME = datetime.timedelta(days=30)
BULK_SIZE = 500


def _validate(internship: Internship, **rule_inputs: Any) -> None:
    """Model validation, coherence of the parties, then the rules of the law (reading what
    `rule_inputs` gives them rather than the database, see check_agreement)."""
    # A party handed over as a record read from the database exists: Django would read each
    # again (a query per foreign key) to check it. Internship has no constraint or rule on
    # those keys beyond their existence, which the database's own foreign keys guard.
    loaded = [
        field.name
        for field in Internship._meta.concrete_fields
        if field.many_to_one and field.name in internship._state.fields_cache and getattr(internship, field.name)
    ]
    internship.full_clean(exclude=["reference", *loaded])
    errors: dict[str, list[str]] = {}
    if internship.company_tutor.company_id != internship.company_id:
        errors.setdefault("company_tutor", []).append(_("The company tutor works for another company."))
    if internship.site is not None and internship.site.company_id != internship.company_id:
        errors.setdefault("site", []).append(_("The site belongs to another company."))
    if internship.student.kind != "student":
        errors.setdefault("student", []).append(_("Only a student can do an internship."))
    if internship.academic_tutor is not None and internship.academic_tutor.kind != "teacher":
        errors.setdefault("academic_tutor", []).append(_("The academic tutor must be a teacher."))
    if errors:
        raise ValidationError(errors)
    broken = check_agreement(internship, **rule_inputs)
    if broken:
        raise ValidationError(broken)


@transaction.atomic
def internship_create(*, actor: Any, data: dict[str, Any], amends: Internship | None = None) -> Internship:
    """A draft agreement; a student may only draft their own."""
    require(actor, "internships.create")
    if actor is not None and getattr(actor, "kind", "") == "student":
        data = {**data, "student": actor}
    internship = Internship(created_by=actor, amends=amends, **{k: v for k, v in data.items() if k in AGREEMENT_FIELDS})
    _validate(internship)
    internship.reference = next_reference(prefix="ST", year=internship.starts_on.year, digits=5)
    internship.save()
    history_record_create(instance=internship, fields=[f for f in AGREEMENT_FIELDS if f in data], actor=actor)
    return internship


class InternshipBatch:
    """Many new draft agreements (an import): each is checked as `internship_create` checks
    it, by the same rules, but what the rules read is loaded once (the agreements of each
    academic year involved, the figures of each day, the tutors' quotas) and kept up to date
    in memory with the agreements accepted so far; `write` then saves them all, with their
    history, in a few statements. Call `write` inside the transaction of the whole batch."""

    def __init__(self, *, actor: Any) -> None:
        require(actor, "internships.create")
        self.actor = actor
        self.pending: list[Internship] = []
        self._history_fields: list[list[str]] = []  # of each pending agreement
        self._loaded: list[tuple[datetime.date, datetime.date]] = []  # windows of dates loaded
        self._years: set[int] = set()
        self._seen: set[int] = set()  # pks of the agreements loaded
        self._by_host: dict[tuple[int, int, int], list[tuple[Any, ...]]] = {}
        self._by_academic_tutor: dict[int, list[tuple[Any, ...]]] = {}
        self._by_company_tutor: dict[int, list[tuple[Any, ...]]] = {}
        self._figures: dict[datetime.date, dict[str, Any]] = {}
        self._quotas: dict[int, int] | None = None

    def _index(self, row: tuple[Any, ...]) -> None:
        student, company, year, academic_tutor, company_tutor = row[:5]
        self._by_host.setdefault((student, company, year), []).append(row)
        if academic_tutor is not None:
            self._by_academic_tutor.setdefault(academic_tutor, []).append(row)
        if company_tutor is not None:
            self._by_company_tutor.setdefault(company_tutor, []).append(row)

    def _load(self, condition: Q) -> None:
        # Amendments are not made here; an agreement and its amendment both counting is what
        # `_neighbours` avoids for the agreement being changed, never for a new one.
        for pk, *row in Internship.objects.filter(condition).values_list("pk", *NEIGHBOUR_FIELDS):
            if pk not in self._seen:
                self._seen.add(pk)
                self._index(tuple(row))

    def _ensure_loaded(self, internship: Internship) -> None:
        year = internship.academic_year
        if year.pk not in self._years:
            self._years.add(year.pk)
            self._load(Q(academic_year_id=year.pk, status__in=COUNTING_STATUSES))
        start, end = internship.starts_on, internship.ends_on
        if not any(first <= start and end <= last for first, last in self._loaded):
            # Every agreement overlapping the academic year (or these dates, when they leave
            # it) that a tutor follows: their quotas count interns at once.
            first, last = (min(start, year.starts_on), max(end, year.ends_on))
            self._load(
                Q(starts_on__lte=last, ends_on__gte=first, status__in=COUNTING_STATUSES | TUTORED_STATUSES)
                & (Q(academic_tutor__isnull=False) | Q(company_tutor__isnull=False))
            )
            self._loaded.append((first, last))

    def _neighbours(self, internship: Internship) -> list[tuple[Any, ...]]:
        self._ensure_loaded(internship)
        candidates = {
            id(row): row
            for group in (
                self._by_host.get((internship.student_id, internship.company_id, internship.academic_year_id), []),
                self._by_academic_tutor.get(internship.academic_tutor_id, [])
                if internship.academic_tutor_id is not None
                else [],
                self._by_company_tutor.get(internship.company_tutor_id, [])
                if internship.company_tutor_id is not None
                else [],
            )
            for row in group
        }
        return [row for row in candidates.values() if is_neighbour(row, internship)]

    def _figures_on(self, day: datetime.date) -> dict[str, Any]:
        if day not in self._figures:
            self._figures[day] = figures_on(day)
        return self._figures[day]

    def _quota_of(self, tutor_id: int) -> int | None:
        if self._quotas is None:
            self._quotas = dict(TutorQuota.objects.values_list("tutor_id", "max_interns"))
        return self._quotas.get(tutor_id)

    def add(self, data: dict[str, Any]) -> Internship:
        """Checks one agreement against the rules, this batch's earlier ones included; a
        ValidationError leaves the batch as it was."""
        if self.actor is not None and getattr(self.actor, "kind", "") == "student":
            data = {**data, "student": self.actor}
        internship = Internship(created_by=self.actor, **{k: v for k, v in data.items() if k in AGREEMENT_FIELDS})
        complete = internship.starts_on and internship.ends_on and internship.academic_year_id
        _validate(
            internship,
            # Without its dates or its year the model's validation refuses it first.
            neighbours=self._neighbours(internship) if complete else None,
            figures=self._figures_on,
            quota_of=self._quota_of,
        )
        self.pending.append(internship)
        self._history_fields.append([f for f in AGREEMENT_FIELDS if f in data])
        self._index(tuple(getattr(internship, name) for name in NEIGHBOUR_FIELDS))
        return internship

    @transaction.atomic
    def write(self) -> int:
        """Saves the accepted agreements with their references and their history entries."""
        by_year: dict[int, list[Internship]] = {}
        for internship in self.pending:
            by_year.setdefault(internship.starts_on.year, []).append(internship)
        for year, internships in by_year.items():
            references = next_references(prefix="ST", year=year, count=len(internships), digits=5)
            for internship, reference in zip(internships, references, strict=True):
                internship.reference = reference
        Internship.objects.bulk_create(self.pending, batch_size=BULK_SIZE)
        history_record_create_many(created=list(zip(self.pending, self._history_fields, strict=True)), actor=self.actor)
        written = len(self.pending)
        self.pending, self._history_fields = [], []
        return written


def internship_update(
    *, actor: Any, internship: Internship, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "internships.edit", internship)
    refuse_other_fields(data, Internship.editable_fields)  # the student and the status never change here
    with transaction.atomic():
        locked = Internship.objects.select_for_update().get(pk=internship.pk)
        candidate = Internship.objects.get(pk=internship.pk)
        for name, value in data.items():
            setattr(candidate, name, value)
        _validate(candidate)
        changes = model_update(instance=locked, data=data, actor=actor, version=version)
    internship.refresh_from_db()
    return changes


def _still_lawful(internship: Internship) -> None:
    broken = check_agreement(internship)
    if broken:
        raise ValidationError(broken)


def internship_check(*, actor: Any, internship: Internship) -> Internship:
    internship = INTERNSHIP_WORKFLOW.apply(
        actor=actor,
        record=internship,
        transition=InternshipTransition.CHECK,
        precondition=_still_lawful,
    )
    notify(
        recipients=[internship.student],
        subject=_("Your agreement %(reference)s was checked") % {"reference": internship.reference},
        url=internship.get_absolute_url(),
        exclude=actor,
    )
    return internship


def internship_return(*, actor: Any, internship: Internship, reason: str) -> Internship:
    internship = INTERNSHIP_WORKFLOW.apply(
        actor=actor, record=internship, transition=InternshipTransition.RETURN, reason=reason.strip()
    )
    notify(
        recipients=[internship.student],
        subject=_("Your agreement %(reference)s needs a correction") % {"reference": internship.reference},
        body=reason,
        url=internship.get_absolute_url(),
        exclude=actor,
    )
    return internship


def internship_validate(*, actor: Any, internship: Internship) -> Internship:
    return INTERNSHIP_WORKFLOW.apply(
        actor=actor,
        record=internship,
        transition=InternshipTransition.VALIDATE,
        precondition=_still_lawful,
    )


def _signatures_complete(internship: Internship) -> None:
    missing = [
        field
        for field in ("student_signed_on", "company_signed_on", "school_signed_on")
        if getattr(internship, field) is None
    ]
    if missing:
        raise ValidationError({field: _("This party's signature date is missing.") for field in missing})
    today = clock.today()
    late = [f for f in ("student_signed_on", "company_signed_on", "school_signed_on") if getattr(internship, f) > today]
    if late:
        raise ValidationError({field: _("A signature cannot be dated in the future.") for field in late})
    _still_lawful(internship)


@transaction.atomic
def internship_sign(
    *,
    actor: Any,
    internship: Internship,
    student_signed_on: datetime.date | None,
    company_signed_on: datetime.date | None,
    school_signed_on: datetime.date | None,
    files: Iterable[UploadedFile] = (),
) -> Internship:
    """Records the three signatures, with the signed agreement when it is given; the
    follow-up milestones are planned from the dates. An amendment, once signed, replaces the
    agreement it amends (which is kept)."""
    checked = [check_upload(upload) for upload in files]  # refuse a bad file before anything
    internship = INTERNSHIP_WORKFLOW.apply(
        actor=actor,
        record=internship,
        transition=InternshipTransition.SIGN,
        fields={
            "student_signed_on": student_signed_on,
            "company_signed_on": company_signed_on,
            "school_signed_on": school_signed_on,
        },
        precondition=_signatures_complete,
    )
    for upload in checked:
        store_file(actor=actor, upload=upload, owner=internship, purpose=FilePurpose.SIGNED_AGREEMENT)
    plan_milestones(internship)
    if internship.amends_id is not None:
        original = Internship.objects.select_for_update().get(pk=internship.amends_id)
        before = snapshot(original, ["status"])
        original.status = InternshipStatus.AMENDED
        original.save(update_fields=["status", "updated_at"])
        history_record(
            instance=original,
            action=HistoryAction.TRANSITION,
            actor=actor,
            changes=diff(before, snapshot(original, ["status"])),
            reason=_("Replaced by the amendment %(reference)s") % {"reference": internship.reference},
        )
    return internship


@transaction.atomic
def internship_add_report(*, actor: Any, internship: Internship, upload: UploadedFile) -> StoredFile:
    """A report of the internship (progress report, final report), added by its student or
    those who follow it, once the internship is under way."""
    # Locked: the report does not slip in while someone cancels or amends the agreement.
    locked = Internship.objects.select_for_update().get(pk=internship.pk)
    if locked.status not in REPORT_STATUSES and can(actor, "internships.follow_or_own", locked):
        raise ValidationError(
            _("A report can be added once the internship is under way; it is “%(status)s”.")
            % {"status": locked.get_status_display()},
            code="not_from_this_state",
        )
    require(actor, "internships.add_report", locked)
    return store_file(actor=actor, upload=upload, owner=locked, purpose=FilePurpose.REPORT)


def internship_start(*, actor: Any, internship: Internship) -> Internship:
    return INTERNSHIP_WORKFLOW.apply(actor=actor, record=internship, transition=InternshipTransition.START)


def internship_finish(*, actor: Any, internship: Internship) -> Internship:
    return INTERNSHIP_WORKFLOW.apply(actor=actor, record=internship, transition=InternshipTransition.FINISH)


def _company_evaluation_received(internship: Internship) -> None:
    if not internship.evaluations.filter(kind=EvaluationKind.COMPANY_TUTOR).exists():
        raise ValidationError(_("The company tutor's evaluation has not been received yet."))


def internship_evaluate(*, actor: Any, internship: Internship) -> Internship:
    return INTERNSHIP_WORKFLOW.apply(
        actor=actor,
        record=internship,
        transition=InternshipTransition.EVALUATE,
        precondition=_company_evaluation_received,
    )


def internship_cancel(*, actor: Any, internship: Internship, reason: str) -> Internship:
    return INTERNSHIP_WORKFLOW.apply(
        actor=actor,
        record=internship,
        transition=InternshipTransition.CANCEL,
        reason=reason.strip(),
        fields={"cancellation_reason": reason.strip()},
    )


@transaction.atomic
def internship_amend(*, actor: Any, internship: Internship, data: dict[str, Any], reason: str) -> Internship:
    """An amendment (avenant): a new draft carrying the changes; the signed original stays
    in force, and on record, until the amendment is signed."""
    require(actor, "internships.office", internship)
    if internship.status not in AMENDABLE_STATUSES:
        raise ValidationError(_("Only a signed agreement, or one under way, can be amended."))
    if hasattr(internship, "amendment"):
        raise ValidationError(_("This agreement already has an amendment."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the amendment changes and why.")})
    values = {field: getattr(internship, field) for field in AGREEMENT_FIELDS}
    values.update({k: v for k, v in data.items() if k in AGREEMENT_FIELDS and k != "student"})
    amendment = internship_create(actor=actor, data=values, amends=internship)
    history_record(
        instance=internship,
        action=HistoryAction.UPDATE,
        actor=actor,
        changes={"amendment": ["", amendment.reference]},
        reason=reason.strip(),
    )
    return amendment


def internship_move_to_company(*, actor: Any, internship: Internship, company: Any, reason: str) -> Internship:
    """The host record of an agreement is merged into another record of the same company:
    the agreement now points at the record kept, whatever its state (nothing of its content
    changes), and its history says so with the merge's reason."""
    require(actor, "partners.manage_companies", company)
    with transaction.atomic():
        locked = Internship.objects.select_for_update().get(pk=internship.pk)
        before = snapshot(locked, ["company"])
        locked.company = company
        locked.save(update_fields=["company", "updated_at"])
        history_record(
            instance=locked,
            action=HistoryAction.UPDATE,
            actor=actor,
            changes=diff(before, snapshot(locked, ["company"])),
            reason=reason,
        )
    internship.refresh_from_db()
    return internship


# Follow-up ----------------------------------------------------------------------------


def milestone_dates(internship: Internship) -> dict[str, datetime.date]:
    """When each step of the follow-up is due, from the agreement's dates."""
    start, end = internship.starts_on, internship.ends_on
    middle = start + (end - start) / 2
    return {
        MilestoneKind.AGREEMENT_SIGNED: start - datetime.timedelta(days=1),
        MilestoneKind.ARRIVAL_CONFIRMED: start + datetime.timedelta(days=3),
        MilestoneKind.MIDTERM_CONTACT: middle,
        MilestoneKind.COMPANY_EVALUATION: end + datetime.timedelta(days=15),
        MilestoneKind.REPORT_SUBMITTED: end + datetime.timedelta(days=21),
        MilestoneKind.DEFENCE: end + datetime.timedelta(days=35),
        MilestoneKind.GRADE: end + datetime.timedelta(days=45),
    }


def plan_milestones(internship: Internship) -> None:
    signed_on = internship.signature_date
    for kind, due_on in milestone_dates(internship).items():
        done_on = signed_on if kind == MilestoneKind.AGREEMENT_SIGNED else None
        Milestone.objects.update_or_create(
            internship=internship, kind=kind, defaults={"due_on": due_on, "done_on": done_on}
        )


@transaction.atomic
def milestone_complete(
    *, actor: Any, milestone: Milestone, done_on: datetime.date | None = None, note: str = ""
) -> Milestone:
    require(actor, "internships.follow", milestone.internship)
    if milestone.done_on is not None:
        raise ValidationError(_("This milestone is already done."))
    day = done_on or clock.today()
    if day > clock.today():
        raise ValidationError({"done_on": _("A milestone cannot be done in the future.")})
    milestone.done_on, milestone.done_by, milestone.note = day, actor, note
    milestone.save()
    history_record(
        instance=milestone,
        target=milestone.internship,
        action=HistoryAction.UPDATE,
        actor=actor,
        changes={"milestone": ["", f"{milestone.get_kind_display()} {day.isoformat()}"]},
    )
    return milestone


# Evaluation links ---------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def evaluation_link_send(*, actor: Any, internship: Internship, kind: str) -> tuple[EvaluationLink, str]:
    """A one-use personal link, emailed to the company tutor (or the student); the token is
    returned once and only its hash is kept."""
    require(actor, "internships.follow", internship)
    if internship.status not in (InternshipStatus.UNDER_WAY, InternshipStatus.FINISHED):
        raise ValidationError(_("Evaluations are asked for once the internship is under way."))
    if internship.evaluations.filter(kind=kind).exists():
        raise ValidationError(_("This evaluation has already been received."))
    email = internship.company_tutor.email if kind == EvaluationKind.COMPANY_TUTOR else internship.student.email
    if not email:
        raise ValidationError(_("There is no email address to send the link to."))
    EvaluationLink.objects.filter(
        internship=internship, kind=kind, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=clock.now())
    token = secrets.token_urlsafe(32)
    link = EvaluationLink.objects.create(
        internship=internship,
        kind=kind,
        email=email,
        token_hash=_hash(token),
        expires_at=clock.now() + LINK_LIFETIME,
        created_by=actor,
    )
    url = settings.SITE_URL.rstrip("/") + reverse("internships:evaluation_form", args=[token])
    send_email_after_commit(
        to=[email],
        compose=lambda: (
            _("Evaluation of the internship of %(student)s") % {"student": internship.student},
            _("Please fill in the evaluation through this personal link (valid until %(date)s, usable once):\n%(url)s")
            % {"date": readable_date(timezone.localtime(link.expires_at)), "url": url},
        ),
    )
    history_record(
        instance=link,
        target=internship,
        action=HistoryAction.CREATE,
        actor=actor,
        changes={"evaluation_link": ["", email]},
    )
    return link, token


def evaluation_link_revoke(*, actor: Any, link: EvaluationLink) -> None:
    require(actor, "internships.follow", link.internship)
    if link.used_at is None and link.revoked_at is None:
        link.revoked_at = clock.now()
        link.save(update_fields=["revoked_at"])


class LinkRefused(Exception):
    """The link cannot be used: unknown, expired, used or revoked (the message says which).
    `contact` is whom to ask for a new link when the link is known: the person who sent it."""

    def __init__(self, message: Any, contact: Any = None) -> None:
        super().__init__(message)
        self.contact = contact


def evaluation_link_resolve(token: str) -> EvaluationLink:
    link = (
        EvaluationLink.objects.select_related("internship__student", "internship__company", "created_by")
        .filter(token_hash=_hash(token or ""))
        .first()
    )
    if link is None:
        raise LinkRefused(_("This link is not valid."))
    if link.revoked_at is not None:
        raise LinkRefused(_("This link has been withdrawn."), contact=link.created_by)
    if link.used_at is not None:
        raise LinkRefused(_("This link has already been used."), contact=link.created_by)
    if link.expires_at <= clock.now():
        raise LinkRefused(_("This link has expired."), contact=link.created_by)
    return link


@transaction.atomic
def evaluation_submit(*, token: str, answers: dict[str, Any], score: Any, comment: str = "") -> Evaluation:
    """Records the evaluation and spends the link, both or neither."""
    link = evaluation_link_resolve(token)
    locked = EvaluationLink.objects.select_for_update().get(pk=link.pk)
    if locked.used_at is not None:
        raise LinkRefused(_("This link has already been used."))
    evaluation = Evaluation(
        internship=link.internship, kind=link.kind, link=locked, answers=answers, score=score, comment=comment
    )
    evaluation.full_clean()
    evaluation.save()
    locked.used_at = clock.now()
    locked.save(update_fields=["used_at"])
    if link.kind == EvaluationKind.COMPANY_TUTOR:
        Milestone.objects.filter(
            internship=link.internship, kind=MilestoneKind.COMPANY_EVALUATION, done_on__isnull=True
        ).update(done_on=clock.today())
    history_record(
        instance=evaluation,
        target=link.internship,
        action=HistoryAction.CREATE,
        actor=None,
        changes={"evaluation": ["", f"{link.get_kind_display()}: {score}/5"]},
    )
    return evaluation


# The archives ---------------------------------------------------------------------------------

# What an archived internship keeps of its follow-up: the steps the archives date.
ARCHIVED_MILESTONES = (MilestoneKind.AGREEMENT_SIGNED, MilestoneKind.MIDTERM_CONTACT, MilestoneKind.COMPANY_EVALUATION)


def _archive_errors(
    internship: Internship,
    *,
    midterm_contact_on: datetime.date | None,
    company_evaluation_on: datetime.date | None,
    company_score: Any,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    today = clock.today()
    if internship.ends_on >= today:
        errors.setdefault("ends_on", []).append(
            _("Only an internship that is over can be taken from the archives; record this one as a new agreement.")
        )
    for name in ("student_signed_on", "company_signed_on", "school_signed_on"):
        signed_on = getattr(internship, name)
        if signed_on is None:
            errors.setdefault(name, []).append(_("An archived agreement carries its three signature dates."))
        elif signed_on > internship.ends_on:
            errors.setdefault(name, []).append(_("A signature cannot come after the end of the internship."))
    # A late contact, even after the last day, is a fact of the archives: the indicator counts it late.
    if midterm_contact_on is not None and not internship.starts_on <= midterm_contact_on <= today:
        errors.setdefault("midterm_contact_on", []).append(
            _("The mid-term contact is dated between the start of the internship and today.")
        )
    if company_evaluation_on is not None and not internship.starts_on <= company_evaluation_on <= today:
        errors.setdefault("company_evaluation_on", []).append(
            _("The company's evaluation is dated between the start of the internship and today.")
        )
    if (company_score is None) != (company_evaluation_on is None):
        key = "company_score" if company_score is None else "company_evaluation_on"
        errors.setdefault(key, []).append(_("The company's evaluation has a score and a date, or neither."))
    return errors


@transaction.atomic
def internship_record_archive(
    *,
    actor: Any,
    data: dict[str, Any],
    student_signed_on: datetime.date | None,
    company_signed_on: datetime.date | None,
    school_signed_on: datetime.date | None,
    midterm_contact_on: datetime.date | None = None,
    company_evaluation_on: datetime.date | None = None,
    company_score: Any = None,
    student_score: Any = None,
) -> Internship:
    """A past internship taken from the office's archives (a spreadsheet, the previous tool):
    recorded as it ended — evaluated when the company's evaluation is known, finished
    otherwise — with its signatures, its mid-term contact and its evaluations. The agreement
    is checked against the law of the day it was signed, like a new one; one history entry
    says where it came from. Its other follow-up steps are not invented: only those the
    archives date are kept."""
    internship = Internship(
        created_by=actor,
        status=InternshipStatus.EVALUATED if company_score is not None else InternshipStatus.FINISHED,
        student_signed_on=student_signed_on,
        company_signed_on=company_signed_on,
        school_signed_on=school_signed_on,
        **{key: value for key, value in data.items() if key in AGREEMENT_FIELDS},
    )
    require(actor, "internships.record_archive", internship)
    errors = _archive_errors(
        internship,
        midterm_contact_on=midterm_contact_on,
        company_evaluation_on=company_evaluation_on,
        company_score=company_score,
    )
    if errors:
        raise ValidationError(errors)
    _validate(internship)
    internship.reference = next_reference(prefix="ST", year=internship.starts_on.year, digits=5)
    internship.save()
    done = {
        MilestoneKind.AGREEMENT_SIGNED: internship.signature_date,
        MilestoneKind.MIDTERM_CONTACT: midterm_contact_on,
        MilestoneKind.COMPANY_EVALUATION: company_evaluation_on,
    }
    dates = milestone_dates(internship)
    Milestone.objects.bulk_create(
        Milestone(internship=internship, kind=kind, due_on=dates[kind], done_on=done[kind])
        for kind in ARCHIVED_MILESTONES
    )
    evaluated_on = company_evaluation_on or internship.ends_on
    evaluated_at = datetime.datetime.combine(evaluated_on, datetime.time(12), tzinfo=timezone.get_current_timezone())
    fields = [*AGREEMENT_FIELDS, "status", "student_signed_on", "company_signed_on", "school_signed_on"]
    changes = {name: ["", value] for name, value in snapshot(internship, fields).items() if value != ""}
    evaluations = []
    scores = (
        (EvaluationKind.COMPANY_TUTOR, "company_score", company_score),
        (EvaluationKind.STUDENT, "student_score", student_score),
    )
    for kind, key, score in scores:
        if score is None:
            continue
        evaluation = Evaluation(internship=internship, kind=kind, score=score, submitted_at=evaluated_at)
        try:
            evaluation.full_clean(exclude=["link", "answers"])  # the archives keep the score only
        except ValidationError as error:
            raise ValidationError({key: error.message_dict.get("score", error.messages)}) from error
        evaluation.save()
        evaluations.append(f"{EvaluationKind(kind).label}: {score}/5")
    if evaluations:
        changes["evaluation"] = ["", "; ".join(evaluations)]
    # One entry: the agreement as the archives give it, with its evaluations.
    history_record(
        instance=internship,
        action=HistoryAction.CREATE,
        actor=actor,
        changes=changes,
        reason=_("Taken from the archives"),
    )
    return internship
