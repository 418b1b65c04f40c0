"""Writes of company partnerships: companies (de-duplicated and merged with their whole
story), sites and contacts, partnership agreements and their workflow, teaching given by
professionals and the programmes' teaching volumes. Every write checks the actor's right
and records its history in the same transaction."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amelio.core import clock
from amelio.core.emails import readable_date
from amelio.core.files import store_file
from amelio.core.models import FilePurpose
from amelio.core.permissions import can, require
from amelio.core.services import model_create, model_update
from amelio.core.uploads import check_upload
from amelio.history.choices import HistoryAction
from amelio.history.services import diff, history_record, snapshot
from amelio.notifications.services import notify

from .choices import (
    EDITABLE_AGREEMENT_STATUSES,
    RUNNING_AGREEMENT_STATUSES,
    AgreementStatus,
    AgreementTransition,
)
from .hooks import run_merge_hooks
from .models import Company, Contact, Intervention, PartnershipAgreement, Site, TeachingVolume
from .validators import format_siret, normalise_siret
from .workflows import AGREEMENT_WORKFLOW

# The fields a merge fills on the kept record when it has them empty and the absorbed one does not.
MERGE_FILLED_FIELDS = ["trade_name", "siret", "naf_code", "size", "address", "postal_code", "city", "website"]

# Legal forms and group words left out of a name when looking for duplicates: "Vinci SA",
# "VINCI" and "Vinci Group" are the same company.
LEGAL_SUFFIXES = frozenset(
    {
        "SA",
        "SAS",
        "SASU",
        "SARL",
        "EURL",
        "SNC",
        "SCS",
        "SCA",
        "SCOP",
        "SE",
        "GIE",
        "GROUP",
        "GROUPE",
        "GMBH",
        "AG",
        "LTD",
        "LLC",
        "INC",
        "PLC",
        "BV",
        "NV",
        "SPA",
        "SRL",
    }
)


# Companies ----------------------------------------------------------------------------


def normalise_company_name(name: str) -> str:
    """The name in a comparable form: upper case, without accents, punctuation or legal
    suffix. "Société Générale S.A." and "SOCIETE GENERALE" give "SOCIETE GENERALE"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(character for character in decomposed if not unicodedata.combining(character)).upper()
    # Dots and apostrophes join (S.A.S. -> SAS, L'Oréal -> LOREAL); other signs separate words.
    plain = re.sub(r"[.'’]", "", plain)
    words = re.split(r"[^0-9A-Z]+", plain)
    kept = [word for word in words if word and word not in LEGAL_SUFFIXES]
    if not kept:  # a name made only of a legal form ("SA") is still a name
        kept = [word for word in words if word]
    return " ".join(kept)


def _normalise_naf(value: str) -> str:
    code = re.sub(r"[\s.]", "", value or "").upper()
    if re.fullmatch(r"\d{4}[A-Z]", code):
        return f"{code[:2]}.{code[2:]}"
    return (value or "").strip().upper()


def _clean_company_data(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(data)
    if "siret" in cleaned:
        cleaned["siret"] = normalise_siret(cleaned["siret"] or "")
    if "naf_code" in cleaned:
        cleaned["naf_code"] = _normalise_naf(cleaned["naf_code"] or "")
    if "country" in cleaned:
        cleaned["country"] = (cleaned["country"] or "").strip().upper()
    if "legal_name" in cleaned:
        cleaned["legal_name"] = " ".join((cleaned["legal_name"] or "").split())
    return cleaned


def _refuse_used_siret(siret: str, *, exclude_pk: int | None = None) -> None:
    """A SIRET identifies one establishment: a second live record of it is refused."""
    if not siret:
        return
    live = Company.objects.filter(siret=siret, merged_into__isnull=True)
    existing = (live.exclude(pk=exclude_pk) if exclude_pk is not None else live).first()
    if existing is not None:
        raise ValidationError(
            {
                "siret": _("The SIRET %(siret)s is already used by “%(company)s” (record no. %(pk)s).")
                % {"siret": format_siret(siret), "company": existing.legal_name, "pk": existing.pk}
            },
            code="siret_used",
        )


def probable_duplicates(*, name_key: str, siret: str = "", exclude_pk: int | None = None) -> list[Company]:
    """Live records that are probably the same company: the same comparable name, or the
    same SIREN (another establishment of the same company)."""
    condition = Q(name_key=name_key)
    if len(siret) == 14:
        condition |= Q(siret__startswith=siret[:9])
    candidates = Company.objects.filter(condition, merged_into__isnull=True)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return list(candidates.order_by("legal_name", "id")[:20])


class ProbableDuplicateError(ValidationError):
    """Raised by company_create when records look like the same company; the caller shows
    them and asks for a confirmation (confirm_duplicate=True)."""

    def __init__(self, duplicates: list[Company]) -> None:
        names = ", ".join(f"“{company.legal_name}”" for company in duplicates)
        super().__init__(
            _("This company may already be recorded: %(names)s. Check, then confirm to create it anyway.")
            % {"names": names},
            code="probable_duplicate",
        )
        self.duplicates = duplicates


@transaction.atomic
def company_create(*, actor: Any, data: dict[str, Any], confirm_duplicate: bool = False) -> Company:
    """A new company. A SIRET already used by a live record is refused; a probable
    duplicate (same comparable name or SIREN) is refused until the actor confirms."""
    require(actor, "partners.manage_companies")
    data = _clean_company_data(data)
    name_key = normalise_company_name(data.get("legal_name", ""))
    _refuse_used_siret(data.get("siret", ""))
    if not confirm_duplicate:
        duplicates = probable_duplicates(name_key=name_key, siret=data.get("siret", ""))
        if duplicates:
            raise ProbableDuplicateError(duplicates)
    return model_create(model=Company, data={**data, "name_key": name_key}, actor=actor, history_fields=list(data))


@transaction.atomic
def company_update(
    *, actor: Any, company: Company, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "partners.manage_companies", company)
    if company.merged_into_id is not None:
        raise ValidationError(_("This record was merged into another one; edit that one instead."))
    data = _clean_company_data(data)
    if "siret" in data:
        _refuse_used_siret(data["siret"], exclude_pk=company.pk)
    if "legal_name" in data:
        company.name_key = normalise_company_name(data["legal_name"])
    return model_update(instance=company, data=data, actor=actor, version=version)


def _moved_summary(counts: dict[str, int], moved_elsewhere: list[str]) -> str:
    """“1 contact, 3 internships”: what moved, in words (history lines are shown short)."""
    words = {
        "sites": lambda n: ngettext("%(count)d site", "%(count)d sites", n),
        "contacts": lambda n: ngettext("%(count)d contact", "%(count)d contacts", n),
        "agreements": lambda n: ngettext("%(count)d agreement", "%(count)d agreements", n),
        "interventions": lambda n: ngettext("%(count)d teaching intervention", "%(count)d teaching interventions", n),
    }
    parts = [words[name](count) % {"count": count} for name, count in counts.items() if count] + moved_elsewhere
    return ", ".join(parts) if parts else _("nothing to move")


@transaction.atomic
def company_merge(*, actor: Any, keep: Company, absorbed: Company, reason: str) -> Company:
    """Merge a duplicate record into the one kept: its sites, contacts, agreements,
    teaching interventions and hosted internships move to `keep`, which takes the details
    it lacked; the absorbed record stays, inactive, pointing at `keep`, so its old links
    still lead somewhere and the history of both tells what happened."""
    require(actor, "partners.manage_companies", keep)
    require(actor, "partners.manage_companies", absorbed)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the merge.")})
    if keep.pk == absorbed.pk:
        raise ValidationError({"absorbed": _("A record cannot be merged into itself.")})
    locked = {
        company.pk: company for company in Company.objects.select_for_update().filter(pk__in=[keep.pk, absorbed.pk])
    }
    kept, gone = locked[keep.pk], locked[absorbed.pk]
    for company in (kept, gone):
        if company.merged_into_id is not None:
            raise ValidationError(
                _("“%(company)s” was already merged into another record.") % {"company": company.legal_name}
            )

    counts = {
        "sites": Site.objects.filter(company=gone).update(company=kept),
        "contacts": Contact.objects.filter(company=gone).update(company=kept),
        "agreements": PartnershipAgreement.objects.filter(company=gone).update(company=kept),
        "interventions": Intervention.objects.filter(company=gone).update(company=kept),
    }
    # The apps built on partners move their own records, each through its service.
    moved_elsewhere = run_merge_hooks(actor=actor, kept=kept, absorbed=gone, reason=reason)
    # Records merged earlier into the absorbed one now lead straight to the kept one.
    Company.objects.filter(merged_into=gone).update(merged_into=kept)

    gone_before = snapshot(gone, ["merged_into", "is_active"])
    gone.merged_into = kept
    gone.is_active = False
    gone.save(update_fields=["merged_into", "is_active"])
    history_record(
        instance=gone,
        action=HistoryAction.UPDATE,
        actor=actor,
        changes=diff(gone_before, snapshot(gone, ["merged_into", "is_active"])),
        reason=reason,
    )

    # Only now, with the absorbed record out of the live ones, may its SIRET move over.
    filled = {
        name: getattr(gone, name) for name in MERGE_FILLED_FIELDS if not getattr(kept, name) and getattr(gone, name)
    }
    kept_before = snapshot(kept, filled)
    for name, value in filled.items():
        setattr(kept, name, value)
    kept.full_clean()
    kept.save()
    changes = diff(kept_before, snapshot(kept, filled))
    changes["description"] = [
        "",
        _("Absorbed “%(company)s” (no. %(pk)s): %(moved)s.")
        % {"company": gone.legal_name, "pk": gone.pk, "moved": _moved_summary(counts, moved_elsewhere)},
    ]
    history_record(instance=kept, action=HistoryAction.UPDATE, actor=actor, changes=changes, reason=reason)
    keep.refresh_from_db()
    absorbed.refresh_from_db()
    return keep


# Sites and contacts ------------------------------------------------------------------


def _live(company: Company) -> None:
    if company.merged_into_id is not None:
        raise ValidationError(_("This record was merged into another one; work on that one instead."))


@transaction.atomic
def site_create(*, actor: Any, company: Company, data: dict[str, Any]) -> Site:
    require(actor, "partners.manage_companies", company)
    _live(company)
    data = {**data, "siret": normalise_siret(data.get("siret", "") or "")}
    return model_create(model=Site, data={**data, "company": company}, actor=actor, history_fields=list(data))


@transaction.atomic
def site_update(*, actor: Any, site: Site, data: dict[str, Any], version: str | None = None) -> dict[str, list[str]]:
    require(actor, "partners.manage_companies", site.company)
    if "siret" in data:
        data = {**data, "siret": normalise_siret(data["siret"] or "")}
    return model_update(instance=site, data=data, actor=actor, version=version)


def _clean_contact_data(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(data)
    if cleaned.get("email"):
        cleaned["email"] = cleaned["email"].strip().lower()
    return cleaned


@transaction.atomic
def contact_create(*, actor: Any, company: Company, data: dict[str, Any]) -> Contact:
    require(actor, "partners.manage_companies", company)
    _live(company)
    data = _clean_contact_data(data)
    return model_create(model=Contact, data={**data, "company": company}, actor=actor, history_fields=list(data))


@transaction.atomic
def contact_update(
    *, actor: Any, contact: Contact, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "partners.manage_companies", contact.company)
    return model_update(instance=contact, data=_clean_contact_data(data), actor=actor, version=version)


# Partnership agreements ----------------------------------------------------------------


def _require_departments(actor: Any, departments: Iterable[Any]) -> None:
    if not can(actor, "partners.assign_departments", list(departments)):
        raise PermissionDenied(_("You may only manage agreements of the departments you head."))


@transaction.atomic
def agreement_create(*, actor: Any, data: dict[str, Any]) -> PartnershipAgreement:
    """A draft agreement. A department head creates agreements of their own department(s)."""
    require(actor, "partners.manage_agreement", None)
    departments = list(data.get("departments") or [])
    if not can(actor, "partners.manage_companies") and not departments:
        raise ValidationError({"departments": _("Choose the department(s) the agreement concerns.")})
    _require_departments(actor, departments)
    company = data.get("company")
    if company is not None:
        _live(company)
    return model_create(model=PartnershipAgreement, data={**data, "status": AgreementStatus.DRAFT}, actor=actor)


@transaction.atomic
def agreement_update(
    *, actor: Any, agreement: PartnershipAgreement, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    """The content of an agreement can change until it is signed. A department head may
    add or remove only the departments they head."""
    require(actor, "partners.manage_agreement", agreement)
    if agreement.status not in EDITABLE_AGREEMENT_STATUSES:
        raise ValidationError(
            _("A %(status)s agreement cannot be edited.") % {"status": agreement.get_status_display()}
        )
    require(actor, "partners.edit_agreement", agreement)  # the rule the agreement's page asks
    if "departments" in data:
        before = set(agreement.departments.all())
        after = set(data["departments"] or [])
        _require_departments(actor, before ^ after)
        if not after and not can(actor, "partners.manage_companies"):
            raise ValidationError({"departments": _("Choose the department(s) the agreement concerns.")})
    if data.get("company") is not None and data["company"].pk != agreement.company_id:
        _live(data["company"])
    if ("ends_on" in data and data["ends_on"] != agreement.ends_on) or (
        "reminder_days" in data and data["reminder_days"] != agreement.reminder_days
    ):
        # A new end date deserves a new reminder.
        agreement.reminder_sent_on = None
    return model_update(instance=agreement, data=data, actor=actor, version=version)


def _transition(
    *,
    actor: Any,
    agreement: PartnershipAgreement,
    transition: str,
    reason: str = "",
    fields: dict[str, Any] | None = None,
    precondition: Callable[[PartnershipAgreement], None] | None = None,
) -> PartnershipAgreement:
    """Move `agreement` along the state machine of choices.py (see core.workflow)."""
    return AGREEMENT_WORKFLOW.apply(
        actor=actor,
        record=agreement,
        transition=transition,
        reason=reason,
        fields=fields,
        precondition=precondition,
    )


def agreement_submit(*, actor: Any, agreement: PartnershipAgreement, reason: str = "") -> PartnershipAgreement:
    return _transition(actor=actor, agreement=agreement, transition=AgreementTransition.SUBMIT, reason=reason)


def agreement_revise(*, actor: Any, agreement: PartnershipAgreement, reason: str) -> PartnershipAgreement:
    """Back to draft: say what must change."""
    return _transition(actor=actor, agreement=agreement, transition=AgreementTransition.REVISE, reason=reason)


@transaction.atomic
def agreement_sign(
    *,
    actor: Any,
    agreement: PartnershipAgreement,
    signed_on: datetime.date,
    document: UploadedFile | None = None,
    reason: str = "",
) -> PartnershipAgreement:
    """Record the signature, with the signed document (checked by its content)."""
    checked = check_upload(document) if document is not None else None  # refuse a bad file before anything
    errors: dict[str, str] = {}
    if signed_on is None:
        errors["signed_on"] = _("Give the date of the signature.")
    elif signed_on > clock.today():
        errors["signed_on"] = _("The date of the signature cannot be in the future.")
    if checked is None and not agreement.files.filter(purpose=FilePurpose.SIGNED_AGREEMENT).exists():
        errors["document"] = _("Attach the signed agreement.")
    if errors:
        raise ValidationError(errors)
    agreement = _transition(
        actor=actor,
        agreement=agreement,
        transition=AgreementTransition.SIGN,
        reason=reason,
        fields={"signed_on": signed_on},
    )
    if checked is not None:
        # In the transition's transaction, once it is accepted: the signature and its copy
        # are kept together or not at all. The store writes the file's history entry.
        store_file(actor=actor, upload=checked, owner=agreement, purpose=FilePurpose.SIGNED_AGREEMENT)
    return agreement


def _has_started(agreement: PartnershipAgreement) -> None:
    if agreement.starts_on > clock.today():
        raise ValidationError(
            _("The agreement starts on %(date)s; it can be started from that day.")
            % {"date": readable_date(agreement.starts_on)}
        )


def agreement_activate(*, actor: Any, agreement: PartnershipAgreement, reason: str = "") -> PartnershipAgreement:
    return _transition(
        actor=actor,
        agreement=agreement,
        transition=AgreementTransition.ACTIVATE,
        reason=reason,
        precondition=_has_started,
    )


def _has_ended(agreement: PartnershipAgreement) -> None:
    if agreement.ends_on >= clock.today():
        raise ValidationError(
            _("The agreement runs until %(date)s; to end it earlier, terminate it.")
            % {"date": readable_date(agreement.ends_on)}
        )


def agreement_expire(*, actor: Any, agreement: PartnershipAgreement, reason: str = "") -> PartnershipAgreement:
    """The agreement has reached its end date (the daily task does this by itself)."""
    return _transition(
        actor=actor,
        agreement=agreement,
        transition=AgreementTransition.EXPIRE,
        reason=reason,
        precondition=_has_ended,
    )


def agreement_terminate(*, actor: Any, agreement: PartnershipAgreement, reason: str) -> PartnershipAgreement:
    """End a signed or running agreement before its term; the reason is required."""
    reason = reason.strip()
    return _transition(
        actor=actor,
        agreement=agreement,
        transition=AgreementTransition.TERMINATE,
        reason=reason,
        fields={"termination_reason": reason, "terminated_on": clock.today()},
    )


def agreements_to_remind(*, today: datetime.date) -> list[PartnershipAgreement]:
    """Running agreements whose reminder is due today and not yet sent."""
    candidates = PartnershipAgreement.objects.filter(
        status__in=RUNNING_AGREEMENT_STATUSES, reminder_sent_on__isnull=True, ends_on__gte=today
    ).select_related("company", "owner")
    return [a for a in candidates if today >= a.ends_on - datetime.timedelta(days=a.reminder_days)]


@transaction.atomic
def agreement_send_reminder(*, agreement: PartnershipAgreement, today: datetime.date) -> bool:
    """Tell the owner the agreement ends soon, once (reminder_sent_on is set on the locked row)."""
    locked = PartnershipAgreement.objects.select_for_update().select_related("company", "owner").get(pk=agreement.pk)
    if locked.reminder_sent_on is not None or locked.status not in RUNNING_AGREEMENT_STATUSES:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            recipients=[locked.owner],
            subject=_("The agreement “%(title)s” with %(company)s ends on %(date)s")
            % {"title": locked.title, "company": locked.company, "date": readable_date(locked.ends_on)},
            body=_("Prepare its renewal or its end with the company and the departments concerned."),
            url=locked.get_absolute_url(),
        )
    locked.reminder_sent_on = today
    locked.save(update_fields=["reminder_sent_on"])
    history_record(
        instance=locked,
        action=HistoryAction.UPDATE,
        actor=None,
        changes={"reminder_sent_on": ["", today.isoformat()]},
    )
    return True


def agreements_past_end(*, today: datetime.date) -> list[PartnershipAgreement]:
    return list(
        PartnershipAgreement.objects.filter(status__in=RUNNING_AGREEMENT_STATUSES, ends_on__lt=today).order_by("id")
    )


# Teaching by professionals -------------------------------------------------------------


def _complete_intervention(data: dict[str, Any]) -> dict[str, Any]:
    """The company is the speaker's and the department the programme's, unless given."""
    completed = dict(data)
    speaker, programme = completed.get("speaker"), completed.get("programme")
    if speaker is not None and not completed.get("company"):
        completed["company"] = speaker.company
    if programme is not None and not completed.get("department"):
        completed["department"] = programme.department
    return completed


@transaction.atomic
def intervention_create(*, actor: Any, data: dict[str, Any]) -> Intervention:
    data = _complete_intervention(data)
    require(actor, "partners.manage_interventions", Intervention(department=data.get("department")))
    company = data.get("company")
    if company is not None:
        _live(company)
    return model_create(model=Intervention, data=data, actor=actor)


@transaction.atomic
def intervention_update(
    *, actor: Any, intervention: Intervention, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "partners.manage_interventions", intervention)
    if "programme" in data and "department" not in data and data["programme"] is not None:
        data = {**data, "department": data["programme"].department}
    if "speaker" in data and "company" not in data and data["speaker"] is not None:
        data = {**data, "company": data["speaker"].company}
    if data.get("department") is not None:
        require(actor, "partners.manage_interventions", Intervention(department=data["department"]))
    return model_update(instance=intervention, data=data, actor=actor, version=version)


@transaction.atomic
def teaching_volume_set(
    *, actor: Any, programme: Any, academic_year: Any, total_hours: Decimal, reason: str = ""
) -> TeachingVolume:
    """Record (or correct) a programme's total teaching hours for a year."""
    require(actor, "partners.manage_teaching_volume", programme)
    existing = (
        TeachingVolume.objects.select_for_update().filter(programme=programme, academic_year=academic_year).first()
    )
    if existing is None:
        return model_create(
            model=TeachingVolume,
            data={"programme": programme, "academic_year": academic_year, "total_hours": total_hours},
            actor=actor,
            reason=reason,
        )
    model_update(instance=existing, data={"total_hours": total_hours}, actor=actor, reason=reason)
    return existing
