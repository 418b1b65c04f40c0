from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import StyledFormMixin, integer_bounds
from .widgets import RemoteSelect, search_fields_of


class StyledFilterSet(django_filters.FilterSet):
    """A filterset whose form has the application's styling."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, filter_ in self.filters.items():
            filter_.extra.setdefault("required", False)
            if isinstance(filter_, django_filters.BooleanFilter):
                # "Unknown" reads oddly in a filter: an empty choice means "any".
                filter_.extra["widget"] = forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])
            model = getattr(getattr(filter_, "queryset", None), "model", None)
            if isinstance(filter_, django_filters.ModelChoiceFilter) and search_fields_of(model):
                # People and companies are searched as one types, not all listed (core/widgets.py).
                filter_.extra["widget"] = RemoteSelect(filter_name=name)
            if isinstance(filter_, django_filters.NumberFilter) and self._meta.model is not None:
                # A number the column cannot hold makes the filter invalid (an empty list),
                # instead of an OverflowError or DataError in the query.
                bounds = integer_bounds(self._meta.model, filter_.field_name)
                if bounds is not None:
                    filter_.extra.setdefault("min_value", bounds[0])
                    filter_.extra.setdefault("max_value", bounds[1])

    @property
    def form(self) -> Any:
        if not hasattr(self, "_form"):
            form_class = type("StyledFilterForm", (StyledFormMixin, self.get_form_class()), {})
            if self.is_bound:
                self._form = form_class(self.data, prefix=self.form_prefix)
            else:
                self._form = form_class(prefix=self.form_prefix)
        return self._form
