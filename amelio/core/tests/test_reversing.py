"""core.reversing.reverse gives what Django's reverse gives, and forgets when URLs change."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, path, set_script_prefix
from django.urls import reverse as django_reverse

from amelio.core import reversing
from amelio.core.reversing import reverse


def _view() -> None:  # pragma: no cover - never called: only reversed
    return None


class _YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


from django.urls import register_converter  # noqa: E402

register_converter(_YearConverter, "test_year")

urlpatterns = [
    path("records/<int:pk>/", _view, name="record"),
    path("records/<int:pk>/lines/<int:line>/", _view, name="line"),
    path("years/<test_year:year>/", _view, name="year"),
    path("slugs/<slug:slug>/", _view, name="slug"),
    path("plain/", _view, name="plain"),
]


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("improvement:item_detail", [7]),
        ("improvement:item_detail", [123456]),
        ("organisation:person_list", None),
        ("core:file_download", [0]),
        ("processes:statement_list", ["issue"]),  # a string: Django's reverse each time
    ],
)
def test_the_same_address_as_djangos(name: str, args: list[object] | None) -> None:
    assert reverse(name, args=args) == django_reverse(name, args=args)
    assert reverse(name, args=args) == django_reverse(name, args=args)  # remembered, still the same


def test_what_is_not_patterned_goes_to_django() -> None:
    with pytest.raises(NoReverseMatch):
        reverse("improvement:item_detail", args=[-1])  # Django refuses it; a pattern would not
    with pytest.raises(NoReverseMatch):
        reverse("no-such-name")
    assert reverse("improvement:item_detail", kwargs={"pk": 3}) == django_reverse("improvement:item_detail", args=[3])
    assert reverse("improvement:item_detail", args=[3], query={"a": "b"}).endswith("?a=b")


@override_settings(ROOT_URLCONF=__name__)
def test_several_numbers_and_converters_that_count_digits() -> None:
    assert reverse("line", args=[12, 3]) == "/records/12/lines/3/"
    assert reverse("record", args=[5]) == "/records/5/"
    # A converter that pads to four digits: 1 would be "0001", never patterned.
    assert reverse("year", args=[1]) == "/years/0001/"
    assert reverse("year", args=[2026]) == "/years/2026/"
    assert reverse("slug", args=[42]) == "/slugs/42/"
    assert reverse("plain") == "/plain/"


def test_the_addresses_follow_the_urlconf_and_the_script_prefix() -> None:
    main = reverse("improvement:item_detail", args=[4])
    with override_settings(ROOT_URLCONF=__name__):
        assert reverse("record", args=[4]) == "/records/4/"
        with pytest.raises(NoReverseMatch):
            reverse("improvement:item_detail", args=[4])
    assert reverse("improvement:item_detail", args=[4]) == main
    set_script_prefix("/amelio/")
    try:
        assert reverse("improvement:item_detail", args=[4]) == "/amelio" + main
        assert reverse("organisation:person_list") == django_reverse("organisation:person_list")
    finally:
        set_script_prefix("/")
    assert reverse("improvement:item_detail", args=[4]) == main


def test_a_changed_urlconf_setting_forgets_the_patterns() -> None:
    reverse("improvement:item_detail", args=[4])
    assert reversing._patterns
    with override_settings(ROOT_URLCONF=__name__):
        assert not reversing._patterns
