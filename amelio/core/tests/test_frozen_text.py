"""core.frozen_text: a text written in one language, stored as its message id with its
parameters, read back in another."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from django.utils import translation

from amelio.core.frozen_text import FrozenText, choice_text, freeze, gettext_frozen, message_id, thaw
from amelio.improvement.choices import ActionStatus


def test_a_frozen_text_is_the_translated_string_and_keeps_its_message_id() -> None:
    with translation.override("fr"):
        text = gettext_frozen("Nonconformities")
        assert text == "Non-conformités" and isinstance(text, str)
    assert freeze({"label": text}) == {"label": {"$t": "Nonconformities", "params": {}}}
    with translation.override("en"):
        assert thaw(freeze({"label": text})) == {"label": "Nonconformities"}


def test_parameters_are_frozen_too_even_a_frozen_text_and_a_decimal() -> None:
    with translation.override("fr"):
        text = gettext_frozen("%(count)s received") % {"count": Decimal("12.50")}
        late = gettext_frozen("%(status)s (late)") % {"status": choice_text(ActionStatus.PLANNED.label)}
        assert text == "12.50 reçues"
    stored = json.loads(json.dumps(freeze([text, late])))
    assert stored[0] == {"$t": "%(count)s received", "params": {"count": "12.50"}}
    assert stored[1] == {"$t": "%(status)s (late)", "params": {"status": {"$t": "planned", "params": {}}}}
    with translation.override("en"):
        assert thaw(stored) == ["12.50 received", "planned (late)"]


def test_data_and_old_snapshots_pass_unchanged() -> None:
    old = {"summary": "Résumé", "figures": [{"label": "Nombre", "value": 3, "unit": "", "note": ""}]}
    assert freeze(old) == old and thaw(old) == old
    assert freeze({"day": datetime.date(2026, 1, 5)}) == {"day": "2026-01-05"}
    assert choice_text("already a string") == "already a string"
    assert not isinstance(choice_text("already a string"), FrozenText)


def test_a_text_without_translation_reads_in_its_source_language() -> None:
    stored = {"$t": "An unknown %(thing)s", "params": {"thing": "text"}}
    with translation.override("fr"):
        assert thaw(stored) == "An unknown text"


def test_the_message_id_of_a_lazy_title() -> None:
    assert message_id(ActionStatus.DONE.label) == "done"
    assert message_id("plain") == "plain"
