"""An email is written in its recipient's language — the school's default language for
everyone until people have their own — never in the language of whoever caused it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _

from amelio.core.emails import readable_date, recipient_language, send_email_after_commit
from amelio.organisation.models import School

pytestmark = pytest.mark.django_db


def _compose() -> tuple[str, str]:
    return _("Reminder: %(title)s") % {"title": "X"}, readable_date(datetime.date(2026, 12, 1))


@pytest.mark.parametrize(
    ("school_language", "subject", "date"), [("fr", "Relance", "1 décembre 2026"), ("en", "Reminder", "Dec. 1, 2026")]
)
def test_the_email_follows_the_schools_language_not_the_senders(
    school_language: str, subject: str, date: str, django_capture_on_commit_callbacks: Any
) -> None:
    School.objects.create(name="École", default_language=school_language)
    sender_language = "en" if school_language == "fr" else "fr"
    with translation.override(sender_language), django_capture_on_commit_callbacks(execute=True):
        send_email_after_commit(to=["someone@example.org"], compose=_compose)
    assert recipient_language("someone@example.org") == school_language
    [message] = mail.outbox
    assert message.subject.startswith(subject)
    assert message.body == date


def test_without_a_school_yet_the_settings_language_is_used(settings: Any) -> None:
    settings.LANGUAGE_CODE = "fr"
    assert recipient_language("someone@example.org") == "fr"
