"""`{% load school %}{{ school|logo_data_uri }}`: the school's logo for a PDF template."""

from __future__ import annotations

from typing import Any

from django import template

from amelio.organisation.selectors import school_logo_data_uri

register = template.Library()


@register.filter
def logo_data_uri(school: Any) -> str:
    return school_logo_data_uri(school=school) if school else ""
