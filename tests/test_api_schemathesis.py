"""The API against its own OpenAPI schema, over HTTP: schemathesis generates requests for
every operation the schema describes (valid ones, and invalid ones built to break the
schema's rules) and sends them to a real server (pytest-django's live server) with the
quality manager's read and write token, on a small school. No answer may be a 5xx, and every
refusal is a 4xx whose JSON body says why. The transitions are also run on real records with
each step the workflow declares, so the services themselves are reached.

The figures (operations, requests, statuses) are printed and written to
test-results/schemathesis-<database>.txt. Examples per operation are limited (SCHEMATHESIS_EXAMPLES,
default 10) so the whole run stays within a few minutes; the generation is derandomised, so a
failure comes back on the next run.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.throttling import UserRateThrottle
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from amelio.api.services import api_token_create
from amelio.improvement.workflows import ACTION_WORKFLOW, ITEM_WORKFLOW

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))


def build_school() -> dict[str, Any]:
    from amelio.improvement.tests.factories import ActionFactory, ImprovementItemFactory
    from amelio.indicators.tests.factories import IndicatorFactory, value, year
    from amelio.organisation.tests.factories import school_fixture
    from amelio.partners.tests.factories import CompanyFactory, hosted_internship

    school = school_fixture()
    process = school["process_civil"]
    item = ImprovementItemFactory(raised_by=school["student"], process=process, department=school["civil"])
    action = ActionFactory(item=item, owner=school["teacher"])
    indicator = IndicatorFactory(owner=school["quality_manager"])
    academic_year = year(2025)
    value(indicator, academic_year, "87.5")
    company = CompanyFactory()
    from amelio.organisation.tests.factories import ProgrammeFactory

    programme = ProgrammeFactory(department=school["civil"])
    hosted_internship(company=company, programme=programme, year=academic_year)
    return {**school, "item": item, "action": action, "indicator": indicator}


class Tally:
    def __init__(self) -> None:
        self.requests = 0
        self.statuses: Counter[int] = Counter()
        self.by_operation: Counter[str] = Counter()
        self.failures: list[str] = []

    def record(self, label: str, case: Any, response: Any) -> None:
        self.requests += 1
        self.statuses[response.status_code] += 1
        self.by_operation[label] += 1
        problem = refusal_problem(response)
        if problem:
            self.failures.append(f"{label}: {problem} — {case.method} {case.formatted_path} {case.body!r:.200}")


def refusal_problem(response: requests.Response) -> str:
    """What is wrong with an answer, if anything: a 5xx, or a 4xx without a message."""
    if response.status_code >= 500:
        return f"{response.status_code} {response.text[:300]}"
    if 400 <= response.status_code < 500:
        try:
            body = response.json()
        except ValueError:
            return f"{response.status_code} without a JSON body: {response.text[:200]!r}"
        if not body or not isinstance(body, dict) or not any(body.values()):
            return f"{response.status_code} without a message: {body!r}"
    return ""


def run_operation(
    operation: Any, tally: Tally, base_url: str, headers: dict[str, str], label: str, **fixed: Any
) -> None:
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        strategy = operation.as_strategy(generation_mode=mode, **fixed)
        # Nothing invalid can be built for an operation without inputs (no negative cases).
        with contextlib.suppress(Unsatisfiable):
            send_examples(strategy, tally, base_url, headers, f"{label} [{mode.value}]")


def send_examples(strategy: Any, tally: Tally, base_url: str, headers: dict[str, str], tag: str) -> None:
    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def send(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=120)
        tally.record(tag, case, response)
        # schemathesis's own checks, on top of ours: no 5xx, and a documented answer matches
        # its documented shape. Noted, not raised, so that the run goes on and counts.
        try:
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance], headers=headers)
        except (Exception, BaseExceptionGroup) as failure:  # schemathesis groups its failures
            tally.failures.append(f"{tag}: {failure}"[:1500])

    send()


@pytest.mark.django_db(transaction=True)
def test_every_api_operation_answers_without_a_server_error(live_server: Any, monkeypatch: Any) -> None:
    # The rate limit (tested on its own) would answer 429 once the run passes 600 calls.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1000000/hour"})
    school = build_school()
    _token, key = api_token_create(
        owner=school["quality_manager"], name="schemathesis", scope="read-write", valid_days=1
    )
    headers = {"Authorization": f"Token {key}"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json", headers=headers, timeout=120)
    tally = Tally()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        label = f"{operation.method.upper()} {operation.path}"
        run_operation(operation, tally, live_server.url, headers, label)
        # The same operation on real records, with each step its workflow declares.
        if operation.path.endswith("/transitions/{transition}/"):
            workflow, record = (
                (ITEM_WORKFLOW, school["item"]) if "/items/" in operation.path else (ACTION_WORKFLOW, school["action"])
            )
            for name in workflow.transitions:
                run_operation(
                    operation,
                    tally,
                    live_server.url,
                    headers,
                    f"{label} {name}",
                    path_parameters={"id": record.pk, "transition": name},
                )
        elif operation.path == "/api/indicators/{id}/values/":
            run_operation(
                operation,
                tally,
                live_server.url,
                headers,
                f"{label} real",
                path_parameters={"id": school["indicator"].pk},
            )
    summary = "\n".join(
        [
            f"schemathesis against the live server ({connection.vendor}), {EXAMPLES} examples per operation and mode",
            f"operations: {operations}, requests: {tally.requests}",
            "statuses: " + ", ".join(f"{status}: {count}" for status, count in sorted(tally.statuses.items())),
            *(f"  {label}: {count}" for label, count in sorted(tally.by_operation.items())),
            *tally.failures[:100],
        ]
    )
    results = Path(__file__).resolve().parents[1] / "test-results"
    results.mkdir(exist_ok=True)
    (results / f"schemathesis-{connection.vendor}.txt").write_text(summary + "\n", encoding="utf-8")
    print("\n" + summary)
    assert operations >= 10
    assert tally.failures == []
