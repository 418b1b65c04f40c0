from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import DateInput, StyledFormMixin, set_choices
from amelio.organisation.selectors import staff_choices

from .choices import DecisionKind
from .models import ManagementReview, ReviewSection


class ReviewForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ManagementReview
        fields = ManagementReview.editable_fields
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "meeting_on": DateInput(),
            "participants": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "chair", staff_choices())
        set_choices(self, "participants", staff_choices())


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Note of the meeting"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)


class DecisionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DecisionKind.choices)
    section = forms.ModelChoiceField(label=_("Input"), queryset=ReviewSection.objects.none(), required=False)
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    title = forms.CharField(label=_("Title of the action"), max_length=200, required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=staff_choices())
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())

    def __init__(self, *args: Any, review: ManagementReview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "section", review.sections.order_by("order"))
