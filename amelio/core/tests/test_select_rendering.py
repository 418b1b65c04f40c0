"""Selects drawn in Python (core.widgets.select_html) give Django's templates' markup exactly."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe

from amelio.core.forms import StyledFormMixin
from amelio.core.widgets import PythonRenderedSelectMixin, render_in_python


class ChoicesForm(forms.Form):
    plain = forms.ChoiceField(
        choices=[
            ("", "—"),
            ("x", "Ex & <y>"),
            ("Group", [("1", "one"), ("2", 'two "2"')]),
            ("3", mark_safe("<b>3</b>")),
        ],
        required=False,
    )
    several = forms.MultipleChoiceField(choices=[(1, 1.5), (2, "b"), ((3, 4), "tuple")])
    maybe = forms.NullBooleanField()
    number = forms.IntegerField(required=False)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("data", [None, {"plain": "1", "several": ["1", "2"], "maybe": "true"}, {"plain": "<"}])
def test_a_select_is_drawn_as_djangos_templates_draw_it(language: str, data: dict[str, object] | None) -> None:
    with translation.override(language):
        form = ChoicesForm(data=data)
        for name in ["plain", "several", "maybe"]:
            widget = form.fields[name].widget
            widget.attrs.update({"class": "form-select", "disabled": False, "autofocus": True, "data-x": 'a"b'})
            drawn_by_templates = str(form[name])
            render_in_python(widget)
            assert isinstance(widget, PythonRenderedSelectMixin)
            assert str(form[name]) == drawn_by_templates


def test_a_styled_form_draws_its_selects_in_python_and_nothing_else() -> None:
    form = type("Styled", (StyledFormMixin, ChoicesForm), {})()
    assert isinstance(form.fields["plain"].widget, PythonRenderedSelectMixin)
    assert isinstance(form.fields["several"].widget, forms.SelectMultiple)
    assert not isinstance(form.fields["number"].widget, PythonRenderedSelectMixin)
    assert 'class="form-select"' in str(form["plain"])


def test_a_select_with_templates_of_its_own_keeps_them() -> None:
    class OwnOption(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = OwnOption(choices=[("a", "A")])
    render_in_python(widget)
    assert not isinstance(widget, PythonRenderedSelectMixin)


@pytest.mark.django_db
def test_a_list_pages_filter_form_is_unchanged() -> None:
    from amelio.improvement.filtersets import ItemFilterSet
    from amelio.organisation.tests.factories import school_fixture

    school_fixture()
    with translation.override("fr"):
        filterset = ItemFilterSet({"status": "new", "origin": "complaint"})
        for field in filterset.form:
            fast = str(field)
            widget = field.field.widget
            if isinstance(widget, PythonRenderedSelectMixin):
                widget.__class__ = type(widget).__mro__[2]  # the widget's own class, templates again
                assert str(field) == fast
