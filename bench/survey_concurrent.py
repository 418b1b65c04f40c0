"""Times answers posted by concurrent respondents, against PostgreSQL.

    DATABASE_URL=postgres://.../<db> .venv/bin/python bench/survey_concurrent.py \
        [--clients 20] [--recipients 5000] [--answers 3000] [--repeat 5]

Migrates the database named by DATABASE_URL (PostgreSQL: SQLite writes one at a time, so
it cannot show concurrency), makes N students of a new department (names suffixed by the
run, so the bench can run again on the same database), a published questionnaire of seven
questions (one of each type) and a campaign to them, opens it (emails held back), then
posts the answers through the public answering page from `--clients` threads at once, each
with its own test client and its own database connection. It prints the answers' median
and 95th percentile, the throughput, checks that every link was spent once and that as
many responses were stored, then times the results page and the indicator recomputation.

The threads share one Python process: the figures include waiting for the interpreter's
lock, so they are an upper bound of what separate server processes would show.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--answers", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (SQLite writes one at a time).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    warnings.simplefilter("ignore")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    # Each client posts from its own address: the per-address rate limit is not measured here.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"}}
    from amelio.core.emails import emails_not_sent
    from amelio.indicators.computed import IndicatorScope, computed_indicator
    from amelio.indicators.periods import whole_year
    from amelio.organisation.choices import PersonKind, Role
    from amelio.organisation.models import Department, Person, Programme
    from amelio.organisation.tests.factories import grant
    from amelio.surveys import services
    from amelio.surveys.models import Question, Response
    from amelio.surveys.tests.factories import campaign_of, published_version, year_of

    run = secrets.token_hex(3)
    department = Department.objects.create(code=f"B{run}"[:10], name=f"Bench {run}")
    programme = Programme.objects.create(code=f"P{run}"[:20], name=f"Bench {run}", department=department)
    quality = Person.objects.create_user(f"qm-{run}@bench.test", first_name="Qualité", last_name="Bench")
    grant(quality, Role.QUALITY_MANAGER)
    Person.objects.bulk_create(
        Person(
            email=f"student{n}-{run}@bench.test",
            first_name="É",
            last_name=f"Tudiant{n}",
            kind=PersonKind.STUDENT,
            department=department,
            programme=programme,
        )
        for n in range(options.recipients)
    )
    campaign = campaign_of({"civil": department}, published_version())
    with emails_not_sent():
        made = services.campaign_open_with_tokens(actor=quality, campaign=campaign)
    tokens = [token for _invitation, token in made[: options.answers]]
    names = {q.code: f"q{q.pk}" for q in Question.objects.filter(section__version=campaign.version)}
    print(f"campaign of {len(made)} links; {len(tokens)} answers from {options.clients} concurrent clients")

    def answer(index: int) -> float:
        post: dict[str, Any] = {
            names["overall"]: str(1 + index % 5),
            names["recommend"]: str(index % 11),
            names["colour"]: str(index % 3),
            names["tools"]: ["0", "2"],
            names["hours"]: "12",
            names["comment"]: "Un commentaire" if index % 7 == 0 else "",
        }
        client = Client()
        begin = time.perf_counter()
        response = client.post(
            f"/surveys/answer/{tokens[index]}/",
            post,
            REMOTE_ADDR=f"10.{index // 62500}.{index // 250 % 250}.{index % 250}",
        )
        elapsed = (time.perf_counter() - begin) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed

    def worker(indexes: range) -> list[float]:
        try:
            return [answer(index) for index in indexes]
        finally:
            connection.close()  # each thread's own connection

    chunks = [range(start, len(tokens), options.clients) for start in range(options.clients)]
    begin = time.perf_counter()
    with ThreadPoolExecutor(max_workers=options.clients) as pool:
        timings = [elapsed for found in pool.map(worker, chunks) for elapsed in found]
    wall = time.perf_counter() - begin
    stored = Response.objects.filter(campaign=campaign).count()
    spent = campaign.invitations.filter(has_answered=True).count()
    assert stored == spent == len(tokens), (stored, spent, len(tokens))
    print(
        f"answer posted ({len(timings)}, {options.clients} clients): median {statistics.median(timings):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms, {len(timings) / wall:.1f} answers/s over {wall:.1f} s; "
        f"{stored} responses stored, {spent} links spent"
    )

    client = Client()
    client.force_login(quality)
    url = f"/surveys/{campaign.pk}/results/"
    client.get(url)
    times = []
    for _ in range(options.repeat):
        begin = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append((time.perf_counter() - begin) * 1000)
    print(f"results page: median {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms")
    year = year_of(campaign.opens_on)
    for figure in ("satisfaction", "nps", "response_rate"):
        entry = computed_indicator(f"surveys.course_evaluation.{figure}")
        assert entry is not None
        begin = time.perf_counter()
        entry.compute(IndicatorScope.school(), whole_year(year))
        print(f"indicator {figure}: {(time.perf_counter() - begin) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
