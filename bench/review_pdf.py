"""Times the management review on a demo school: compiling every input for the period and
drawing the whole review as a PDF.

    .venv/bin/python bench/review_pdf.py [--scale N] [--repeat N]
    .venv/bin/python bench/review_pdf.py --database-url sqlite:////tmp/demo.sqlite3   # a demo already built

Without --database-url, builds the demo school at `--scale` (10 by default) in a temporary
SQLite file first (that takes minutes). Then, for each review of the demo: the compile of
every registered input for its period (rolled back) and the PDF (`--repeat` times), median
and 95th percentile, with the PDF's size and pages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
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
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="amelio-bench-reviews-")
    os.environ["DATABASE_URL"] = options.database_url or f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    warnings.simplefilter("ignore")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    if not options.database_url:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("load_demo", scale=options.scale, verbosity=0)
        print(f"demo at scale {options.scale}: {time.perf_counter() - started:.0f} s")

    from amelio.reviews.models import ManagementReview
    from amelio.reviews.services import compile_inputs
    from amelio.reviews.views import review_pdf

    for review in ManagementReview.objects.order_by("starts_on"):
        times = []
        for _ in range(options.repeat):
            with transaction.atomic():
                begin = time.perf_counter()
                compiled = compile_inputs(review.starts_on, review.ends_on)
                times.append(time.perf_counter() - begin)
                transaction.set_rollback(True)
        print(
            f"{review.reference} compile ({len(compiled)} inputs): median {statistics.median(times) * 1000:.0f} ms, "
            f"p95 {percentile(times, 0.95) * 1000:.0f} ms"
        )
        times = []
        pdf = b""
        for _ in range(options.repeat):
            loaded = ManagementReview.objects.prefetch_related("participants", "sections", "decisions__action__owner")
            begin = time.perf_counter()
            pdf = review_pdf(loaded.select_related("chair", "approved_by").get(pk=review.pk))
            times.append(time.perf_counter() - begin)
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=False).stdout.decode()
        pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")
        print(
            f"{review.reference} PDF ({len(pdf) // 1024} KiB, {pages} pages): "
            f"median {statistics.median(times):.2f} s, p95 {percentile(times, 0.95):.2f} s"
        )


if __name__ == "__main__":
    main()
