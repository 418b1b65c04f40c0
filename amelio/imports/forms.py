from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import StyledFormMixin

from .models import ImportKind


class ImportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("CSV, XLSX or XLS file"),
        help_text=_(
            "The first row holds the column names. Esup-Stage's exports are read as they come: the "
            "managers' export (.xls or CSV) as internship agreements, the structure CSV as host companies."
        ),
    )
