"""Forms of the standards app. They check the shape of what is typed; the services check the
rules (permissions, frameworks that may be edited, mappings across frameworks)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import StyledFormMixin, set_choices

from .models import AuditorAccess, Clause, Framework


def _framework_and_number(clause: Clause) -> str:
    return f"{clause.framework.name} — {clause}"


class FrameworkForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Framework
        fields = ("code", "name", "description")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RequirementForm(StyledFormMixin, forms.Form):
    number = forms.CharField(
        label=_("Number"), max_length=20, help_text=_("Letters and digits separated by dots; C.4.1 goes under C.4.")
    )
    title_fr = forms.CharField(label=_("Title (French)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class RequirementEditForm(StyledFormMixin, forms.ModelForm):
    """The titles and text of a requirement of the school's own framework (its editable fields)."""

    class Meta:
        model = Clause
        fields = Clause.editable_fields
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left empty, the English title takes the French one (as when entered).
        self.fields["title_en"].required = False


class RequirementImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 CSV with the columns number, title_fr and optionally title_en and text; "
            "a parent before its children. Any wrong row and nothing is imported."
        ),
    )


class MappingForm(StyledFormMixin, forms.Form):
    other = forms.ModelChoiceField(label=_("Requirement of another framework"), queryset=Clause.objects.none())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, requirement: Clause, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "other",
            Clause.objects.exclude(framework_id=requirement.framework_id)
            .select_related("framework")
            .order_by("framework__name", "sort_key"),
        )
        self.fields["other"].label_from_instance = _framework_and_number  # type: ignore[attr-defined]


class EvidenceLinkForm(StyledFormMixin, forms.Form):
    requirement = forms.ModelChoiceField(label=_("Requirement"), queryset=Clause.objects.none())
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, help_text=_("How this record evidences the requirement.")
    )

    def __init__(self, *args: Any, requirements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "requirement", requirements)
        self.fields["requirement"].label_from_instance = _framework_and_number  # type: ignore[attr-defined]


class AuditorAccessForm(StyledFormMixin, forms.ModelForm):
    """An account, or the name and email of a person without one (who receives a link)."""

    class Meta:
        model = AuditorAccess
        fields = ("auditor", "auditor_name", "auditor_email", "frameworks", "processes", "starts_on", "ends_on", "note")
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "frameworks": forms.SelectMultiple(attrs={"size": 3}),
            "processes": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "auditor": _("Leave empty to send a personal link to someone without an account."),
            "ends_on": _("Included: the access ends by itself the day after."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        set_choices(
            self,
            "auditor",
            get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "id"),
        )
        set_choices(self, "frameworks", Framework.objects.order_by("name", "id"))
        field = self.fields["processes"]
        set_choices(self, "processes", field.queryset.order_by("code", "id"))  # type: ignore[attr-defined]
