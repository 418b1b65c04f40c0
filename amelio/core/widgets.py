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
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext as _

OPTIONS_PARAMETER = "_options"
SEARCH_PARAMETER = "q"
MAX_OPTIONS = 20


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    """`{{ value }}` in a template."""
    return str(conditional_escape(value if isinstance(value, str) else localize(value)))


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` in a template."""
    text = "%s" % (value,)  # noqa: UP031 - the filter's own formatting, tuples included
    return text if isinstance(value, SafeData) else str(escape(text))


def _attributes(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict[str, Any]) -> str | None:
    """What django/forms/widgets/select.html and select_option.html make of a select's
        context, character for character (each option followed by the newline that ends its
    template), written in Python: a filter's select of 25 processes
        rendered 25 option templates, a fifth of a list page's CPU time (bench/page_cpu.py).
        None when an option asks for another template (then the templates draw it)."""
    parts = [f'<select name="{_text(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attributes(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # the form renderer strips what the template ends with
    return "".join(parts)


class PythonRenderedSelectMixin:
    """A select (or multiple select) drawn by `select_html` rather than by Django's templates,
    for the same markup; any other template the widget renders goes to Django as usual."""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> SafeString:
        if template_name == SELECT_TEMPLATE:
            html = select_html(context["widget"])
            if html is not None:
                return mark_safe(html)
        return super()._render(template_name, context, renderer)  # type: ignore[misc]


_python_rendered: dict[type, type] = {}


def render_in_python(widget: forms.Widget) -> None:
    """Makes a select widget draw itself with `select_html` (its class becomes a subclass of
    its own with PythonRenderedSelectMixin first); any other widget is left as it is."""
    widget_class = type(widget)
    if not isinstance(widget, forms.Select) or isinstance(widget, PythonRenderedSelectMixin):
        return
    if widget.template_name != SELECT_TEMPLATE or widget.option_template_name != OPTION_TEMPLATE:
        return
    if widget_class not in _python_rendered:
        _python_rendered[widget_class] = type(
            widget_class.__name__, (PythonRenderedSelectMixin, widget_class), {"__module__": widget_class.__module__}
        )
    widget.__class__ = _python_rendered[widget_class]


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
