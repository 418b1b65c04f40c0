"""A select whose options are searched on the server as the person types.

A filter over people or companies listed every one of them in the page (a school has
thousands): the page grew with the school and its rendering took a fifth of a list's time.
`RemoteSelect` puts in the page only the empty choice and what is chosen; the browser asks
the list page itself for the options matching what is typed (`?_options=<filter>&q=...`,
answered by `FilteredListView` from the filter's own queryset, so exactly what the filter
accepts), through Tom Select (assets/js/remote-select.js). Without JavaScript the select
still submits its chosen value.

A model opts in by naming the fields it is searched by: `search_fields = ("last_name", ...)`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

OPTIONS_PARAMETER = "_options"
SEARCH_PARAMETER = "q"
MAX_OPTIONS = 20


def search_fields_of(model: Any) -> tuple[str, ...]:
    return tuple(getattr(model, "search_fields", ()) or ())


class RemoteSelect(forms.Select):
    def __init__(self, *, filter_name: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.filter_name = filter_name

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-remote-options"] = f"?{OPTIONS_PARAMETER}={self.filter_name}"
        context["widget"]["attrs"]["data-no-results"] = _("Nothing matches.")
        context["widget"]["attrs"]["data-placeholder"] = _("Any")
        return context

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        field = getattr(self.choices, "field", None)
        options: list[tuple[Any, str]] = []
        if field is not None and field.empty_label is not None:
            options.append(("", field.empty_label))
        for chosen in value:
            if chosen in ("", None) or field is None:
                continue
            try:
                record = field.to_python(chosen)
            except ValidationError:
                continue  # not one the filter accepts: the form says so beside the field
            if record is not None:
                options.append((field.prepare_value(record), field.label_from_instance(record)))
        selected = {str(chosen) for chosen in value}
        return [
            (
                None,
                [self.create_option(name, key, label, str(key) in selected, index, attrs=attrs)],
                index,
            )
            for index, (key, label) in enumerate(options)
        ]


def matching_options(field: Any, text: str) -> list[dict[str, str]]:
    """The first MAX_OPTIONS records of `field`'s queryset whose search fields contain
    every word of `text`, as Tom Select reads them."""
    queryset: QuerySet[Any] = field.queryset
    names = search_fields_of(queryset.model)
    for word in text.split()[:5]:
        condition = Q()
        for name in names:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    return [
        {"value": str(field.prepare_value(record)), "text": field.label_from_instance(record)}
        for record in queryset[:MAX_OPTIONS]
    ]
