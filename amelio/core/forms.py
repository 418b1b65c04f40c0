from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections, models
from django.utils.translation import gettext_lazy as _

from .widgets import render_in_python


def parse_id(value: Any) -> int | None:
    """A record id read from a query string or a post: None when it is not a positive whole
    number a key column can hold ("²" passes `str.isdigit` but not `int`)."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


def integer_bounds(model: type[models.Model], path: str | None = None, *, using: str = "default") -> Any:
    """The (lowest, highest) value the database column at `path` (a field name or a
    `a__b` lookup path; the primary key when None) can hold when it is a whole number,
    a relation being followed to its target's key; None for any other column. A number
    outside them raises OverflowError (SQLite) or DataError (PostgreSQL) in a query."""
    field: Any = model._meta.pk
    try:
        for name in path.split("__") if path else []:
            field = model._meta.get_field(name)
            if field.is_relation and field.related_model is not None:
                model = field.related_model
    except FieldDoesNotExist:
        return None
    while field is not None and field.is_relation:
        field = getattr(field, "target_field", None)
    if not isinstance(field, models.IntegerField):
        return None
    return connections[using].ops.integer_field_range(field.get_internal_type())


def out_of_bounds(value: Any, bounds: Any) -> bool:
    """Whether `value` reads as a whole number the column cannot hold."""
    if bounds is None or value is None or isinstance(value, models.Model):
        return False
    try:
        number = int(str(value).strip())
    except ValueError:
        return False  # not a number at all: the field refuses it in its own words
    lowest, highest = bounds
    return (lowest is not None and number < lowest) or (highest is not None and number > highest)


class IdRangeCheckMixin:
    """Refuses, as an unknown choice, an id the key's column cannot hold, before it reaches
    the database: Django checks the range of an exact lookup, not of the `pk__in` of a
    multiple choice (OverflowError on SQLite, DataError on PostgreSQL)."""

    def clean(self, value: Any) -> Any:
        queryset = self.queryset  # type: ignore[attr-defined]
        bounds = integer_bounds(queryset.model, self.to_field_name, using=queryset.db)  # type: ignore[attr-defined]
        for item in value if isinstance(value, list | tuple) else [value]:
            if out_of_bounds(item, bounds):
                raise ValidationError(
                    self.error_messages["invalid_choice"],  # type: ignore[attr-defined]
                    code="invalid_choice",
                    params={"value": item},
                )
        return super().clean(value)  # type: ignore[misc]


_CHECKED_CLASSES: dict[type, type] = {}


def _with_id_range_check(field_class: type) -> type:
    if field_class not in _CHECKED_CLASSES:
        _CHECKED_CLASSES[field_class] = type(field_class.__name__, (IdRangeCheckMixin, field_class), {})
    return _CHECKED_CLASSES[field_class]


class StyledFormMixin:
    """Gives every widget its Bootstrap class, and marks the fields in error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = ""
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            render_in_python(widget)

    def full_clean(self) -> None:
        # Every model choice field, whoever declared it (a ModelForm, a filterset, a form
        # adding it in its __init__), gets the id range check: here, just before cleaning.
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.ModelChoiceField) and not isinstance(field, IdRangeCheckMixin):
                field.__class__ = _with_id_range_check(type(field))
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by content in the service."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def set_choices(form: forms.BaseForm, name: str, queryset: Any) -> None:
    """Narrow the choices of a model choice field (single or multiple)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset


class EmailAuthenticationForm(StyledFormMixin, AuthenticationForm):
    username = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True}))

    def clean_username(self) -> str:
        # Accounts are stored in lower case; people type their address as they like.
        return str(self.cleaned_data["username"]).strip().lower()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
