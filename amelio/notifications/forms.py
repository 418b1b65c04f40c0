from __future__ import annotations

from django import forms

from amelio.core.forms import StyledFormMixin

from .models import Preference


class PreferenceForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email_mode"]
        widgets = {"email_mode": forms.RadioSelect}
