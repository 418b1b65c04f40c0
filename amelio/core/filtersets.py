from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import StyledFormMixin


class StyledFilterSet(django_filters.FilterSet):
    """A filterset whose form has the application's styling."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            filter_.extra.setdefault("required", False)
            if isinstance(filter_, django_filters.BooleanFilter):
                # "Unknown" reads oddly in a filter: an empty choice means "any".
                filter_.extra["widget"] = forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])

    @property
    def form(self) -> Any:
        if not hasattr(self, "_form"):
            form_class = type("StyledFilterForm", (StyledFormMixin, self.get_form_class()), {})
            if self.is_bound:
                self._form = form_class(self.data, prefix=self.form_prefix)
            else:
                self._form = form_class(prefix=self.form_prefix)
        return self._form
