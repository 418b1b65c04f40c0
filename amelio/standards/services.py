"""Writes of the standards app: the school's frameworks and their requirements (by hand or
from a CSV file, all or nothing), mappings between requirements, evidence links. Every write
checks the actor's right and records its history in the same transaction."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from amelio.core import clock
from amelio.core.emails import readable_date, send_email_after_commit
from amelio.core.permissions import require, roles_for
from amelio.core.services import model_create, model_update
from amelio.history.choices import HistoryAction
from amelio.history.services import history_record, history_record_create, history_record_delete

from .access import forget_scope
from .choices import AccessStatus, AccessTransition
from .evidence import evidence_kind_for
from .models import AccessLogEntry, AuditorAccess, Clause, ClauseMapping, EvidenceLink, Framework
from .workflows import ACCESS_WORKFLOW

NUMBER_PATTERN = re.compile(r"^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$")
IMPORT_COLUMNS = ("number", "title_fr", "title_en", "text")
IMPORT_MAX_ROWS = 2000


# Frameworks and requirements --------------------------------------------------------------


@transaction.atomic
def framework_create(*, actor: Any, data: dict[str, Any]) -> Framework:
    """A framework of the school's own (e.g. its CTI criteria list), empty at first."""
    require(actor, "standards.manage_frameworks")
    return model_create(model=Framework, data=data, actor=actor)


def _parent_for(framework: Framework, number: str, known: dict[str, Clause]) -> Clause | None:
    """'C.4.1' sits under 'C.4', which must exist already; a number without a dot is at the top."""
    if "." not in number:
        return None
    parent_number = number.rsplit(".", 1)[0]
    parent = known.get(parent_number)
    if parent is None:
        parent = Clause.objects.filter(framework=framework, number=parent_number).first()
    if parent is None:
        raise ValidationError(
            {
                "number": _("Requirement %(parent)s must exist before %(number)s.")
                % {"parent": parent_number, "number": number}
            },
            code="no_parent",
        )
    return parent


def _check_number(number: str) -> str:
    number = number.strip()
    if not number:
        raise ValidationError({"number": _("The number is required.")}, code="required")
    if len(number) > 20 or not NUMBER_PATTERN.match(number):
        raise ValidationError(
            {
                "number": _(
                    "“%(number)s” is not a requirement number: letters and digits separated by dots, e.g. C.4.1."
                )
                % {"number": number[:40]}
            },
            code="bad_number",
        )
    return number


def _new_requirement(framework: Framework, data: dict[str, Any], known: dict[str, Clause]) -> Clause:
    number = _check_number(str(data.get("number", "")))
    if number in known or Clause.objects.filter(framework=framework, number=number).exists():
        raise ValidationError(
            {"number": _("Requirement %(number)s already exists in this framework.") % {"number": number}},
            code="duplicate",
        )
    clause = Clause(
        framework=framework,
        number=number,
        title_fr=str(data.get("title_fr", "")).strip(),
        title_en=str(data.get("title_en", "")).strip() or str(data.get("title_fr", "")).strip(),
        text=str(data.get("text", "")).strip(),
        parent=_parent_for(framework, number, known),
        sort_key=Clause.sort_key_for(number),
    )
    clause.full_clean(exclude=["sort_key"])
    return clause


@transaction.atomic
def requirement_create(*, actor: Any, framework: Framework, data: dict[str, Any]) -> Clause:
    """One requirement entered by hand; its parent is read from its number."""
    require(actor, "standards.edit_framework", framework)
    clause = _new_requirement(framework, data, {})
    clause.save()
    history_record_create(
        instance=clause, fields=["number", "title_fr", "title_en", "text"], actor=actor, target=framework
    )
    return clause


@transaction.atomic
def requirement_update(
    *, actor: Any, requirement: Clause, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    """Change the titles and text of a requirement of the school's own framework (its number,
    hence its place in the tree, stays: delete and enter it again to move it)."""
    require(actor, "standards.edit_framework", requirement.framework)
    cleaned = {name: str(value or "").strip() for name, value in data.items()}
    if "title_fr" in cleaned and not cleaned["title_fr"]:
        raise ValidationError({"title_fr": _("The French title is required.")}, code="required")
    if "title_en" in cleaned and not cleaned["title_en"]:
        cleaned["title_en"] = cleaned.get("title_fr") or requirement.title_fr
    return model_update(
        instance=requirement, data=cleaned, actor=actor, history_target=requirement.framework, version=version
    )


@transaction.atomic
def requirement_delete(*, actor: Any, requirement: Clause) -> None:
    """Remove a requirement of the school's own framework entered by mistake. Refused while
    anything rests on it (requirements below it, evidence links, mappings, audit findings):
    the message says what, so it is removed first, knowingly."""
    require(actor, "standards.edit_framework", requirement.framework)
    children = requirement.children.count()
    links = EvidenceLink.objects.filter(clause=requirement).count()
    mappings = ClauseMapping.objects.filter(models.Q(first=requirement) | models.Q(second=requirement)).count()
    held: list[str] = []
    if children:
        held.append(_("%(count)s requirement(s) below it") % {"count": children})
    if links:
        held.append(_("%(count)s evidence link(s)") % {"count": links})
    if mappings:
        held.append(_("%(count)s mapping(s) to other frameworks") % {"count": mappings})
    if held:
        raise ValidationError(
            _("Requirement %(number)s cannot be deleted while it has %(held)s: remove them first.")
            % {"number": requirement.number, "held": ", ".join(held)},
            code="in_use",
        )
    history_record_delete(
        instance=requirement,
        fields=["number", "title_fr", "title_en", "text"],
        actor=actor,
        target=requirement.framework,
    )
    try:
        with transaction.atomic():
            requirement.delete()
    except models.ProtectedError as error:
        # Another app's record names it (an audit finding's clause).
        raise ValidationError(
            _("Requirement %(number)s cannot be deleted: %(count)s other record(s) refer to it (audit findings).")
            % {"number": requirement.number, "count": len(error.protected_objects)},
            code="in_use",
        ) from error


@dataclass
class ImportReport:
    """What an import did, row by row: the file's line number and what was wrong (or done)."""

    created: list[Clause] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return not self.errors


def _messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(f"{message}" for messages in error.message_dict.values() for message in messages)
    return " ".join(error.messages)


def _read_rows(content: bytes) -> tuple[list[dict[str, str]], list[tuple[int, str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [(0, _("The file is not UTF-8 text: save it as “CSV UTF-8”."))]
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in ("number", "title_fr") if name not in header]
    if missing:
        return [], [
            (
                1,
                _("Missing columns: %(columns)s (expected: %(expected)s).")
                % {"columns": ", ".join(missing), "expected": ", ".join(IMPORT_COLUMNS)},
            )
        ]
    reader.fieldnames = header
    rows = []
    for row in reader:
        rows.append({key: (value or "").strip() for key, value in row.items() if key in IMPORT_COLUMNS})
        if len(rows) > IMPORT_MAX_ROWS:
            return [], [(0, _("At most %(count)s requirements per file.") % {"count": IMPORT_MAX_ROWS})]
    if not rows:
        return [], [(0, _("The file has no requirement."))]
    return rows, []


def requirements_import(*, actor: Any, framework: Framework, content: bytes) -> ImportReport:
    """Requirements from a CSV file (columns number, title_fr, optional title_en and text;
    parents before their children). All or nothing: any wrong row, and nothing is written;
    the report names every wrong row with its line in the file."""
    require(actor, "standards.edit_framework", framework)
    rows, errors = _read_rows(content)
    report = ImportReport(errors=errors)
    if errors:
        return report
    known: dict[str, Clause] = {}
    for line, row in enumerate(rows, start=2):
        try:
            clause = _new_requirement(framework, row, known)
        except ValidationError as error:
            report.errors.append((line, _messages(error)))
            continue
        known[clause.number] = clause
        report.created.append(clause)
    if report.errors:
        report.created = []
        return report
    with transaction.atomic():
        for clause in report.created:
            # Parents come first in the file: a parent read from it is saved before its children.
            clause.save()
            history_record_create(
                instance=clause, fields=["number", "title_fr"], actor=actor, target=framework, reason=_("CSV import")
            )
    return report


# Mappings -------------------------------------------------------------------------------------


@transaction.atomic
def mapping_create(*, actor: Any, requirement: Clause, other: Clause, note: str = "") -> ClauseMapping:
    require(actor, "standards.map_requirements")
    if requirement.framework_id == other.framework_id:
        raise ValidationError(
            {"other": _("Map a requirement to a requirement of another framework.")}, code="same_framework"
        )
    first, second = sorted((requirement, other), key=lambda clause: clause.pk)
    if ClauseMapping.objects.filter(first=first, second=second).exists():
        raise ValidationError({"other": _("These requirements are already mapped.")}, code="duplicate")
    mapping = ClauseMapping(first=first, second=second, note=note.strip(), created_by=actor)
    mapping.full_clean()
    mapping.save()
    history_record_create(instance=mapping, fields=["first", "second", "note"], actor=actor, target=requirement)
    return mapping


@transaction.atomic
def mapping_delete(*, actor: Any, mapping: ClauseMapping) -> None:
    require(actor, "standards.map_requirements")
    history_record_delete(instance=mapping, fields=["first", "second", "note"], actor=actor, target=mapping.first)
    mapping.delete()


# Evidence -------------------------------------------------------------------------------------


def _kind_of(record: models.Model) -> Any:
    kind = evidence_kind_for(record)
    if kind is None:
        raise ValidationError(_("This kind of record cannot evidence a requirement."), code="not_evidence")
    return kind


@transaction.atomic
def evidence_link(*, actor: Any, record: models.Model, requirement: Clause, note: str = "") -> EvidenceLink:
    """`record` evidences `requirement`. Only who may change the record links it."""
    kind = _kind_of(record)
    if actor is not None and not kind.may_link(actor, record):
        raise PermissionDenied(_("You are not allowed to do this."))
    link = EvidenceLink(
        clause=requirement,
        record_type=kind.content_type(),
        record_id=record.pk,
        note=note.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if EvidenceLink.objects.filter(clause=requirement, record_type=link.record_type, record_id=record.pk).exists():
        raise ValidationError({"requirement": _("This record already evidences this requirement.")}, code="duplicate")
    link.full_clean()
    link.save()
    history_record(instance=link, target=record, action=HistoryAction.CREATE, actor=actor, changes=_link_changes(link))
    return link


def _link_changes(link: EvidenceLink) -> dict[str, list[str]]:
    """As the record's history shows them (history/labels.py names these keys)."""
    requirement = f"{link.clause.framework.name} {link.clause}"
    changes = {"requirement_evidenced": ["", requirement]}
    if link.note:
        changes["evidence_note"] = ["", link.note]
    return changes


@transaction.atomic
def evidence_unlink(*, actor: Any, link: EvidenceLink) -> None:
    record = link.record
    if record is None:
        raise ValidationError(_("The record of this link no longer exists."), code="gone")
    kind = _kind_of(record)
    if actor is not None and not kind.may_link(actor, record):
        raise PermissionDenied(_("You are not allowed to do this."))
    changes = {name: [after, before] for name, (before, after) in _link_changes(link).items()}
    history_record(instance=link, target=record, action=HistoryAction.DELETE, actor=actor, changes=changes)
    link.delete()


# External auditors' accesses ---------------------------------------------------------------

# The longest access the quality manager may grant at once: an audit lasts days, a
# certification cycle's surveillance a few weeks.
ACCESS_LONGEST = datetime.timedelta(days=92)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def auditor_access_grant(*, actor: Any, data: dict[str, Any]) -> tuple[AuditorAccess, str | None]:
    """Let an auditor read the chosen frameworks and processes from `starts_on` to `ends_on`
    (both included). An account reads with its own login; a person without one receives a
    personal link by email, its token returned once (only its hash is kept)."""
    require(actor, "standards.manage_auditor_access")
    frameworks = list(data.get("frameworks") or [])
    processes = list(data.get("processes") or [])
    auditor = data.get("auditor")
    # Missing dates are refused by the model's validation below, with its messages.
    starts_on: Any = data.get("starts_on")
    ends_on: Any = data.get("ends_on")
    access = AuditorAccess(
        auditor=auditor,
        auditor_name=str(data.get("auditor_name") or "").strip(),
        auditor_email=str(data.get("auditor_email") or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        note=str(data.get("note") or "").strip(),
        granted_by=actor,
    )
    errors: dict[str, str] = {}
    if not frameworks and not processes:
        errors["frameworks"] = _("Choose at least one framework or one process.")
    if auditor is not None and not getattr(roles_for(auditor), "reads_are_logged", False):
        errors["auditor"] = _(
            "This account holds no external auditor's role today: grant it the role first, or send a personal link."
        )
    if auditor is None and not access.auditor_email:
        errors["auditor_email"] = _("Choose the auditor's account, or give the email address to send the link to.")
    if auditor is None and not access.auditor_name:
        errors["auditor_name"] = _("Give the name of the auditor who receives the link.")
    if access.starts_on and access.ends_on:
        if access.ends_on < access.starts_on:
            errors["ends_on"] = _("The end date must come after the start date.")
        elif access.ends_on - access.starts_on > ACCESS_LONGEST:
            errors["ends_on"] = _("An access lasts at most %(days)s days.") % {"days": ACCESS_LONGEST.days}
        elif access.ends_on < clock.today():
            errors["ends_on"] = _("The end date is already past.")
    if errors:
        raise ValidationError(errors)
    token = None
    if auditor is None:
        token = secrets.token_urlsafe(32)
        access.token_hash = _hash(token)
    access.full_clean()
    access.save()
    access.frameworks.set(frameworks)
    access.processes.set(processes)
    history_record_create(
        instance=access,
        fields=["auditor", "auditor_name", "auditor_email", "starts_on", "ends_on", "note"],
        actor=actor,
    )
    if token is not None:
        url = settings.SITE_URL.rstrip("/") + reverse("standards:access_link", args=[token])
        send_email_after_commit(
            to=[access.auditor_email],
            compose=lambda: (
                _("Your read access to the quality system"),
                _(
                    "You may read the evidence prepared for your audit through this personal link, "
                    "from %(start)s to %(end)s:\n%(url)s"
                )
                % {"start": readable_date(access.starts_on), "end": readable_date(access.ends_on), "url": url},
            ),
        )
    if auditor is not None:
        forget_scope(auditor)
    return access, token


def auditor_access_revoke(*, actor: Any, access: AuditorAccess, reason: str) -> AuditorAccess:
    """The access ends now, before its end date (its log is kept)."""
    revoked = ACCESS_WORKFLOW.apply(actor=actor, record=access, transition=AccessTransition.REVOKE, reason=reason)
    if access.auditor is not None:
        forget_scope(access.auditor)
    return revoked


class LinkRefused(Exception):
    """The personal link cannot be used: unknown, revoked, not open yet or ended (the message
    says which)."""


def access_link_resolve(token: str) -> AuditorAccess:
    """The access a personal link opens today, or LinkRefused."""
    access = AuditorAccess.objects.filter(token_hash=_hash(token or ""), auditor__isnull=True).first()
    if access is None:
        raise LinkRefused(_("This link is not valid."))
    today = clock.today()
    if access.status == AccessStatus.REVOKED:
        raise LinkRefused(_("This access has been revoked."))
    if today < access.starts_on:
        raise LinkRefused(_("This access opens on %(date)s.") % {"date": readable_date(access.starts_on)})
    if today > access.ends_on:
        raise LinkRefused(_("This access ended on %(date)s.") % {"date": readable_date(access.ends_on)})
    return access


def access_log_record(
    *, person: Any, path: str, view_name: str, is_file: bool, status_code: int, access: AuditorAccess | None = None
) -> None:
    """One line of an external auditor's access log (written by the middleware, or by the
    pages of a personal link)."""
    AccessLogEntry.objects.create(
        person=person,
        access=access,
        path=path[:500],
        view_name=view_name[:120],
        is_file=is_file,
        status_code=status_code,
    )
