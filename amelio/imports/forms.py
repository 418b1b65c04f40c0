from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import StyledFormMixin

from .models import ImportKind


class ImportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(label=_("CSV or XLSX file"), help_text=_("The first row holds the column names."))
