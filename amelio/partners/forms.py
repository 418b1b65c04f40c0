"""Forms of company partnerships. They check the shape of what is typed; the services
check the rules (duplicates, permissions, the state machine)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import DateInput, StyledFormMixin, set_choices
from amelio.organisation.models import AcademicYear, Department, Programme
from amelio.organisation.selectors import staff_choices

from .models import Company, Contact, Intervention, PartnershipAgreement, Site
from .validators import normalise_siret, validate_siret


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        details = [part for part in (obj.siret, obj.city) if part]
        return f"{obj.legal_name} ({', '.join(details)})" if details else obj.legal_name


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.first_name} {obj.last_name} — {obj.company}"


class SiretFieldMixin:
    """A SIRET may be typed with spaces or dots ("732 829 320 00074")."""

    def clean_siret(self) -> str:
        value = normalise_siret(self.cleaned_data.get("siret", ""))  # type: ignore[attr-defined]
        if value:
            validate_siret(value)
        return value


class CompanyForm(SiretFieldMixin, StyledFormMixin, forms.ModelForm):
    siret = forms.CharField(label=_("SIRET"), max_length=20, required=False, help_text=_("14 digits, spaces allowed."))

    class Meta:
        model = Company
        fields = Company.editable_fields
        help_texts = {"naf_code": _("The activity code of INSEE, e.g. 62.01Z.")}


class CompanyCreateForm(CompanyForm):
    confirm_duplicate = forms.BooleanField(
        label=_("I have checked: this is another company, create it anyway."), required=False
    )

    class Meta(CompanyForm.Meta):
        fields = tuple(name for name in CompanyForm.Meta.fields if name != "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Asked only once probable duplicates have been shown.
        self.fields["confirm_duplicate"].widget = forms.HiddenInput()

    def ask_confirmation(self) -> None:
        self.fields["confirm_duplicate"].widget = forms.CheckboxInput(attrs={"class": "form-check-input"})


class CompanyMergeForm(StyledFormMixin, forms.Form):
    absorbed = CompanyChoiceField(
        label=_("Duplicate record to absorb"),
        queryset=Company.objects.none(),
        help_text=_(
            "Its sites, contacts, agreements, teaching interventions and internships move to the record kept, "
            "which takes the details it lacks; the duplicate is deactivated and leads to the record kept."
        ),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, companies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "absorbed", companies)


class SiteForm(SiretFieldMixin, StyledFormMixin, forms.ModelForm):
    siret = forms.CharField(label=_("SIRET"), max_length=20, required=False)

    class Meta:
        model = Site
        fields = Site.editable_fields


class ContactForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = Contact.editable_fields


class AgreementForm(StyledFormMixin, forms.ModelForm):
    company = CompanyChoiceField(label=_("Company"), queryset=Company.objects.none())
    signatory = ContactChoiceField(
        label=_("Signed for the company by"), queryset=Contact.objects.none(), required=False
    )

    class Meta:
        model = PartnershipAgreement
        fields = PartnershipAgreement.editable_fields
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "departments": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args: Any, companies: Any, contacts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "company", companies)
        set_choices(self, "signatory", contacts)
        set_choices(self, "owner", staff_choices())
        set_choices(self, "departments", Department.objects.filter(is_active=True).order_by("name"))


class SignForm(StyledFormMixin, forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    document = forms.FileField(
        label=_("Signed agreement"), required=False, help_text=_("PDF, image or office document.")
    )


class InterventionForm(StyledFormMixin, forms.ModelForm):
    speaker = ContactChoiceField(label=_("Speaker"), queryset=Contact.objects.none())

    class Meta:
        model = Intervention
        fields = [name for name in Intervention.editable_fields if name not in ("company", "department")]
        help_texts = {"speaker": _("The company is the speaker's.")}

    def __init__(self, *args: Any, speakers: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "speaker", speakers)
        set_choices(self, "programme", programmes)
        set_choices(self, "academic_year", AcademicYear.objects.order_by("-starts_on"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The company and the department follow from the speaker and the programme.
        speaker, programme = cleaned.get("speaker"), cleaned.get("programme")
        if speaker is not None:
            self.instance.company = speaker.company
        if programme is not None:
            self.instance.department_id = programme.department_id
        return cleaned


class TeachingVolumeForm(StyledFormMixin, forms.Form):
    """Not a model form: entering a programme's year again corrects its figure (the service
    updates the existing row) instead of being refused as a duplicate."""

    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    academic_year = forms.ModelChoiceField(label=_("Academic year"), queryset=AcademicYear.objects.none())
    total_hours = forms.DecimalField(
        label=_("Total teaching hours"), max_digits=8, decimal_places=2, min_value=Decimal("0.01")
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "programme", programmes)
        set_choices(self, "academic_year", AcademicYear.objects.order_by("-starts_on"))
