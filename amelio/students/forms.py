"""Forms of the students' pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import StyledFormMixin
from amelio.organisation.models import AcademicYear, Programme


class CohortForm(StyledFormMixin, forms.Form):
    """Which cohort to follow: a programme and the academic year its students entered it."""

    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.filter(is_active=True).order_by("code")
    )
    entry_year = forms.ModelChoiceField(
        label=_("Entered in"), queryset=AcademicYear.objects.order_by("-starts_on"), to_field_name="label"
    )
