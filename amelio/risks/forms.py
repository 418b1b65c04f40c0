from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import DateInput, StyledFormMixin, set_choices
from amelio.improvement.choices import OPEN_ACTION_STATUSES
from amelio.improvement.forms import ItemActionForm
from amelio.improvement.models import Action
from amelio.organisation.selectors import staff_choices
from amelio.processes.models import Process

from .models import Risk, RiskScale
from .selectors import scale_maximum
from .validators import SCALED_FIELDS, check_risk_values


class RiskForm(StyledFormMixin, forms.ModelForm):
    """The fields the risk declares editable; the values are checked against the school's
    scale by the service, which names the field."""

    class Meta:
        model = Risk
        fields = Risk.editable_fields
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "causes": forms.Textarea(attrs={"rows": 2}),
            "consequences": forms.Textarea(attrs={"rows": 2}),
            "treatment_plan": forms.Textarea(attrs={"rows": 2}),
            "actions": forms.SelectMultiple(attrs={"size": 6}),
            "review_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.maximum = maximum = scale_maximum()
        for name in SCALED_FIELDS:
            field = self.fields[name]
            field.widget = forms.NumberInput(attrs={"min": 1, "max": maximum, "class": "form-control"})
            field.help_text = _("From 1 to %(maximum)s.") % {"maximum": maximum}
        set_choices(self, "process", Process.objects.filter(is_active=True).only("id", "code", "name"))
        set_choices(self, "owner", staff_choices())
        # The open actions, and those the risk already points to whatever their state.
        linked = list(self.instance.actions.values_list("pk", flat=True)) if self.instance.pk else []
        set_choices(
            self,
            "actions",
            Action.objects.filter(Q(status__in=OPEN_ACTION_STATUSES) | Q(pk__in=linked)).order_by("due_on", "id"),
        )

    def clean(self) -> dict[str, Any]:
        # The service's own check, before the model's: a value above the scale is named on
        # its field (the database constraint only knows the largest scale).
        cleaned = super().clean() or {}
        stored = {name: getattr(self.instance, name) for name in (*SCALED_FIELDS, "kind", "treatment")}
        try:
            check_risk_values({**stored, **cleaned}, maximum=self.maximum)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, messages)
        return cleaned


class RiskItemForm(StyledFormMixin, forms.Form):
    """An improvement item raised to carry out a risk's treatment."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)


class ReviewForm(StyledFormMixin, forms.Form):
    next_review_on = forms.DateField(label=_("Next review"), widget=DateInput())
    note = forms.CharField(
        label=_("What the review found"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ScaleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = RiskScale
        fields = RiskScale.editable_fields


class RiskActionForm(ItemActionForm):
    """A new improvement action carrying out a risk's treatment (on the risk's process)."""
