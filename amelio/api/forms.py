from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import StyledFormMixin

from .choices import TokenScope


class ApiTokenCreateForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. the script using it.")
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        help_text=_("A read-only token is refused every change, whatever its owner may do."),
    )
    valid_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, initial=30)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read when the form is made, so that the setting can change without a restart in tests.
        longest = settings.API_TOKEN_LIFETIME_DAYS
        field = self.fields["valid_days"]
        field.validators.append(MaxValueValidator(longest))
        field.widget.attrs["max"] = longest
        field.help_text = _("At most %(days)s days.") % {"days": longest}
