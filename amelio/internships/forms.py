from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import DateInput, StyledFormMixin, parse_id, set_choices
from amelio.organisation.models import Person
from amelio.partners.models import Company, Contact, Site

from .models import Internship


def company_choices(search: str = "") -> QuerySet[Company]:
    """The live companies an agreement may name, those matching `search` when given."""
    companies = Company.objects.filter(merged_into__isnull=True, is_active=True).only("id", "legal_name", "trade_name")
    search = search.strip()
    if search:
        companies = companies.filter(
            Q(legal_name__icontains=search)
            | Q(trade_name__icontains=search)
            | Q(siret__startswith=search.replace(" ", ""))
        )
    return companies.order_by("legal_name", "id")


def site_choices(company_id: int | None) -> QuerySet[Site]:
    """The sites of the chosen company; none before a company is chosen."""
    if company_id is None:
        return Site.objects.none()
    return Site.objects.filter(company_id=company_id).select_related("company").order_by("name", "id")


def tutor_choices(company_id: int | None) -> QuerySet[Contact]:
    """The active contacts of the chosen company (never the whole school's address book)."""
    if company_id is None:
        return Contact.objects.none()
    return (
        Contact.objects.filter(company_id=company_id, is_active=True, company__merged_into__isnull=True)
        .only("id", "first_name", "last_name", "job_title")
        .order_by("last_name", "first_name", "id")
    )


def _follow_company(field: str) -> dict[str, Any]:
    return {
        "hx-get": reverse_lazy("internships:party_options", args=[field]),
        "hx-trigger": "change from:#id_company, htmx:afterSwap from:#id_company",
        "hx-include": "#id_company",
    }


# The sites and contacts offered for a company: the form and the htmx endpoint share them.
COMPANY_PARTIES: dict[str, Callable[[int | None], QuerySet[Any]]] = {
    "site": site_choices,
    "company_tutor": tutor_choices,
}


class InternshipForm(StyledFormMixin, forms.ModelForm):
    """The agreement's parties and terms. The site and tutor lists hold only the chosen
    company's, and follow it as it changes (htmx asks `internships:party_options`)."""

    company_search = forms.CharField(
        label=_("Find the host company"),
        required=False,
        max_length=100,
        help_text=_("Type part of its name or its SIRET: the list below keeps the companies that match."),
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "hx-get": reverse_lazy("internships:party_options", args=["company"]),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#id_company",
            }
        ),
    )
    field_order = ["student", "company_search", "company", "site", "company_tutor"]

    class Meta:
        model = Internship
        fields = ("student", *Internship.editable_fields)
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            # Reloaded when the company changes, or when a search replaces the companies offered.
            "site": forms.Select(attrs=_follow_company("site")),
            "company_tutor": forms.Select(attrs=_follow_company("company_tutor")),
        }

    def __init__(self, *args: Any, for_student: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_student:
            del self.fields["student"]
        else:
            set_choices(
                self,
                "student",
                Person.objects.filter(kind="student", is_active=True).only("id", "first_name", "last_name", "email"),
            )
        company_id = self.chosen_company_id()
        set_choices(self, "company", company_choices())
        set_choices(self, "site", site_choices(company_id))
        set_choices(self, "company_tutor", tutor_choices(company_id))
        if company_id is None:
            self.fields["company_tutor"].help_text = _("Choose the company first: its contacts are offered here.")
        set_choices(
            self,
            "academic_tutor",
            Person.objects.filter(kind="teacher", is_active=True).only("id", "first_name", "last_name", "email"),
        )

    def chosen_company_id(self) -> int | None:
        """The company posted, else the agreement's, else the one asked for in advance."""
        if self.is_bound:
            return parse_id(self.data.get(self.add_prefix("company")))
        if self.instance.pk is not None:
            return self.instance.company_id
        return parse_id(self.initial.get("company"))


class SignForm(StyledFormMixin, forms.Form):
    student_signed_on = forms.DateField(label=_("Signed by the student on"), required=False, widget=DateInput())
    company_signed_on = forms.DateField(label=_("Signed by the host on"), required=False, widget=DateInput())
    school_signed_on = forms.DateField(label=_("Signed by the school on"), required=False, widget=DateInput())


class ReportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Report"), help_text=_("PDF, image, office document or text."))


class AmendForm(StyledFormMixin, forms.Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    weekly_hours = forms.DecimalField(label=_("Hours per week"), max_digits=4, decimal_places=1)
    hourly_gratification = forms.DecimalField(
        label=_("Gratification per hour (€)"), max_digits=6, decimal_places=2, required=False
    )
    reason = forms.CharField(label=_("What the amendment changes, and why"), widget=forms.Textarea(attrs={"rows": 2}))


SCORE_CHOICES = [(str(n), str(n)) for n in range(0, 6)]


class EvaluationForm(StyledFormMixin, forms.Form):
    """The same short questionnaire for both sides, each answer from 0 to 5."""

    technical = forms.TypedChoiceField(
        label=_("Technical skills / interest of the missions"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    autonomy = forms.TypedChoiceField(
        label=_("Autonomy and initiative / supervision received"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    teamwork = forms.TypedChoiceField(
        label=_("Team work and communication"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    project = forms.TypedChoiceField(
        label=_("Ability to lead a project"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000
    )

    def answers(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in ("technical", "autonomy", "teamwork", "project")}
