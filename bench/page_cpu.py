"""CPU time of each page, per request, as each demo role: what the machine's load does not blur.

    .venv/bin/python bench/page_cpu.py [--database PATH] [--repeat 30] [--warmup 3]
                                       [--role EMAIL ...] [--page URL ...] [--profile URL]

Builds the demo school into a temporary SQLite file (or uses a copy of `--database`, a
demo database built before, so the original is not touched), then, signed in as each demo
role in turn, requests each page through Django's test client in this process: `--warmup`
unmeasured requests, `--repeat` measured ones, each timed with `time.process_time()` (the
CPU this process spent: Python, templates and SQLite, not the time other programs took),
and one more under query capture. Prints, per page and role: the answer's status, CPU
milliseconds median and 95th percentile, and SQL queries.

`--profile URL` runs cProfile over `--repeat` requests of that page (as the first role given)
and prints the 40 functions with the most cumulative time, then the 30 with the most own time.

The health view (`/health/`: all the middleware, one `SELECT 1`, no template) is measured
first as the floor every page stands on.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROLES = [
    "qualite@amelio-demo.fr",
    "direction@amelio-demo.fr",
    "chef.gc@amelio-demo.fr",
    "enseignant@amelio-demo.fr",
    "etudiant@amelio-demo.fr",
    "stages@amelio-demo.fr",
    "auditeur@amelio-demo.fr",
]
PAGES = [
    "/health/",
    "/",
    "/improvement/",
    "/improvement/board/",
    "/improvement/my-work/",
    "/internships/",
    "/partners/companies/",
    "/processes/map/",
    "/history/",
    "/indicators/",
    "/risks/",
    "/documents/",
]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="", help="a demo SQLite file to copy (default: build one)")
    parser.add_argument("--repeat", type=int, default=30, help="measured requests per page and role (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured requests first (default 3)")
    parser.add_argument("--role", action="append", default=[], help="a demo login (repeatable; default all)")
    parser.add_argument("--page", action="append", default=[], help="a page (repeatable; default the list pages)")
    parser.add_argument("--profile", default="", help="profile this page instead of measuring")
    parser.add_argument("--profile-file", default="", help="also save the profile there (pstats format)")
    return parser.parse_args()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def prepare(workdir: Path, source: str) -> None:
    """Points Django at a copy of `source`, or at a new demo database, then starts it."""
    target = workdir / "cpu.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{target}"
    os.environ["HUEY_FILE"] = str(workdir / "huey.sqlite3")
    os.environ["DEBUG"] = "off"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(ROOT))
    if source:
        shutil.copyfile(source, target)
    import django

    django.setup()
    if not source:
        from django.core.management import call_command

        print("Building the demo school (about a minute)...", flush=True)
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)


def signed_in_client(email: str):
    from django.test import Client

    from amelio.organisation.models import Person

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(Person.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend")
    return client


def measure(client, page: str, *, repeat: int, warmup: int) -> tuple[int, list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    status = 0
    for _index in range(warmup):
        status = client.get(page).status_code
    timings = []
    for _index in range(repeat):
        started = time.process_time()
        client.get(page)
        timings.append((time.process_time() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(page)
    return status, timings, len(captured)


def profile(client, page: str, *, repeat: int, warmup: int, save_to: str = "") -> None:
    for _index in range(warmup):
        client.get(page)
    profiler = cProfile.Profile()
    profiler.enable()
    for _index in range(repeat):
        client.get(page)
    profiler.disable()
    if save_to:
        profiler.dump_stats(save_to)
    statistics_ = pstats.Stats(profiler).strip_dirs()
    statistics_.sort_stats("cumulative").print_stats(40)
    statistics_.sort_stats("tottime").print_stats(30)


def main() -> None:
    arguments = parse_arguments()
    workdir = Path(tempfile.mkdtemp(prefix="amelio-cpu-"))
    try:
        prepare(workdir, arguments.database)
        roles = arguments.role or ROLES
        if arguments.profile:
            client = signed_in_client(roles[0])
            profile(
                client,
                arguments.profile,
                repeat=arguments.repeat,
                warmup=arguments.warmup,
                save_to=arguments.profile_file,
            )
            return
        pages = arguments.page or PAGES
        print(f"{arguments.warmup} warm-up requests, then {arguments.repeat} measured, per page and role\n")
        print(f"{'page':24} {'as':28} {'status':>6} {'CPU ms':>7} {'min':>7} {'p95':>7} {'queries':>7}")
        for email in roles:
            client = signed_in_client(email)
            for page in pages:
                status, timings, queries = measure(client, page, repeat=arguments.repeat, warmup=arguments.warmup)
                print(
                    f"{page:24} {email:28} {status:6} {statistics.median(timings):7.1f} {min(timings):7.1f} "
                    f"{percentile(timings, 0.95):7.1f} {queries:7}",
                    flush=True,
                )
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
