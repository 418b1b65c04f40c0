"""Times a survey campaign at scale: 5,000 recipients and 3,000 answers.

    .venv/bin/python bench/survey_pages.py [--recipients N] [--answers N] [--repeat N]

Builds a temporary SQLite database, migrates it, makes N students of one department, a
published questionnaire of seven questions (one of each type) and a campaign to them, then
times: opening the campaign (N links, emails held back), each answer posted through the
public answering page one after the other (median and 95th percentile), the results page
as the quality manager (`--repeat` requests), its CSV export, and the computation of the
three indicators. Answers under concurrent clients are not measured here (SQLite writes one
at a time); run it against PostgreSQL for that in a later slice.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--answers", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=10)
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="amelio-bench-surveys-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    warnings.simplefilter("ignore")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    from amelio.core.emails import emails_not_sent
    from amelio.indicators.computed import IndicatorScope, computed_indicator
    from amelio.indicators.periods import whole_year
    from amelio.organisation.choices import PersonKind, Role
    from amelio.organisation.models import Department, Person, Programme
    from amelio.organisation.tests.factories import grant
    from amelio.surveys import services
    from amelio.surveys.models import Question
    from amelio.surveys.tests.factories import campaign_of, published_version, year_of

    civil = Department.objects.create(code="GC", name="Génie Civil")
    programme = Programme.objects.create(code="GC-1", name="Génie civil", department=civil)
    quality = Person.objects.create_user("qm@bench.test", first_name="Qualité", last_name="Bench")
    grant(quality, Role.QUALITY_MANAGER)
    Person.objects.bulk_create(
        Person(
            email=f"student{n}@bench.test",
            first_name="É",
            last_name=f"Tudiant{n}",
            kind=PersonKind.STUDENT,
            department=civil,
            programme=programme,
        )
        for n in range(options.recipients)
    )
    campaign = campaign_of({"civil": civil}, published_version())
    started = time.perf_counter()
    with emails_not_sent():
        made = services.campaign_open_with_tokens(actor=quality, campaign=campaign)
    print(f"open the campaign ({len(made)} links): {time.perf_counter() - started:.2f} s")

    names = {q.code: f"q{q.pk}" for q in Question.objects.filter(section__version=campaign.version)}
    client = Client()
    timings = []
    for index, (_invitation, token) in enumerate(made[: options.answers]):
        post = {
            names["overall"]: str(1 + index % 5),
            names["recommend"]: str(index % 11),
            names["colour"]: str(index % 3),
            names["tools"]: ["0", "2"],
            names["hours"]: "12",
            names["comment"]: "Un commentaire" if index % 7 == 0 else "",
        }
        begin = time.perf_counter()
        response = client.post(f"/surveys/answer/{token}/", post, REMOTE_ADDR=f"10.0.{index // 250}.{index % 250}")
        timings.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200, response.status_code
    print(
        f"answer posted ({len(timings)}): median {statistics.median(timings):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms"
    )

    client.force_login(quality)
    for label, url in (
        ("results page", f"/surveys/{campaign.pk}/results/"),
        ("results CSV", f"/surveys/{campaign.pk}/results/?export=csv"),
        ("campaign list", "/surveys/"),
    ):
        client.get(url)
        times = []
        for _ in range(options.repeat):
            begin = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append((time.perf_counter() - begin) * 1000)
        print(f"{label}: median {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms")

    year = year_of(campaign.opens_on)
    for figure in ("satisfaction", "nps", "response_rate"):
        entry = computed_indicator(f"surveys.course_evaluation.{figure}")
        assert entry is not None
        begin = time.perf_counter()
        result = entry.compute(IndicatorScope.school(), whole_year(year))
        print(f"indicator {figure}: {result.value} in {(time.perf_counter() - begin) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
