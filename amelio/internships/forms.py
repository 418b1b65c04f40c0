from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import DateInput, StyledFormMixin, set_choices
from amelio.organisation.models import Person
from amelio.partners.models import Company, Contact, Site

from .models import Internship


class InternshipForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Internship
        fields = ("student", *Internship.editable_fields)
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

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
        set_choices(
            self,
            "company",
            Company.objects.filter(merged_into__isnull=True, is_active=True).only("id", "legal_name", "trade_name"),
        )
        set_choices(self, "site", Site.objects.select_related("company"))
        set_choices(
            self,
            "company_tutor",
            Contact.objects.filter(is_active=True, company__merged_into__isnull=True).only(
                "id", "first_name", "last_name"
            ),
        )
        set_choices(
            self,
            "academic_tutor",
            Person.objects.filter(kind="teacher", is_active=True).only("id", "first_name", "last_name", "email"),
        )


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
