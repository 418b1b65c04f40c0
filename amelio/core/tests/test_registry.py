from __future__ import annotations

import datetime

from amelio.core import registry


def test_review_inputs_are_listed_in_their_order_and_compile_for_a_period() -> None:
    saved = dict(registry._review_inputs)
    try:
        registry._review_inputs.clear()
        registry.register_review_input(
            "second", order=20, clause="9.3.2 b)", title="B", compile=lambda start, end: {"summary": f"{end}"}
        )
        registry.register_review_input(
            "first", order=10, clause="9.3.2 a)", title="A", compile=lambda start, end: {"summary": f"{start}"}
        )
        inputs = registry.review_inputs()
        assert [entry.key for entry in inputs] == ["first", "second"]
        start, end = datetime.date(2025, 9, 1), datetime.date(2026, 8, 31)
        assert inputs[0].compile(start, end) == {"summary": "2025-09-01"}
        assert inputs[1].compile(start, end) == {"summary": "2026-08-31"}
        # Registering a key again replaces it rather than listing it twice.
        registry.register_review_input("first", order=30, clause="9.3.2 a)", title="A2", compile=lambda s, e: {})
        assert [entry.key for entry in registry.review_inputs()] == ["second", "first"]
    finally:
        registry._review_inputs.clear()
        registry._review_inputs.update(saved)
