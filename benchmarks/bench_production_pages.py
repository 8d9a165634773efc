"""Production pages at scale: the queue page (and its 5-second poll) with N queued jobs, a job's
page, the schedule and the printers. Printed figures and ratios, never pass/fail.

    .venv/bin/python benchmarks/bench_production_pages.py      BENCH_JOBS=100 for a quick run

The data is bench_production's `seed_queue` (50 filaments, 300 versions, 6 printers, 3 printing
and N queued jobs, N = BENCH_JOBS, default 500); timings are server-side through Django's test
client (middleware, view, template), p50 / p95 / max against 300 ms, on SQLite and (when one
answers) PostgreSQL, each in a child process.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_production import measure, seed_queue
from harness import ROOT, on_each_database

PAGE_TARGET_MS = 300.0


def main() -> int:
    jobs = int(os.environ.get("BENCH_JOBS", "500"))
    print(f"production pages: {jobs} queued jobs per database; target p95 < {PAGE_TARGET_MS} ms")
    on_each_database(__file__)
    return 0


def run() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from printops.production.models import PrintJob
    from printops.production.presenters import queue_page

    label = os.environ["BENCH_LABEL"]
    jobs = int(os.environ.get("BENCH_JOBS", "500"))
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as `printops serve` does
    started = time.perf_counter()
    workspace, client = seed_queue(jobs=jobs)
    build_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    job = PrintJob.objects.filter(workspace=workspace, status="queued").order_by("position").last()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/production/")
    print(f"\n== {label} ({connection.vendor}): {jobs} queued jobs; the queue page is "
          f"{len(response.content) // 1024} KiB in {len(queries)} queries; "
          f"built in {build_s:.1f} s")  # fmt: skip
    measure(
        {
            "queue_page (data, 100 rows)": lambda: queue_page(workspace=workspace),
            "queue page": lambda: client.get("/production/"),
            "queue poll (htmx fragment)": lambda: client.get(
                "/production/", headers={"HX-Request": "true"}
            ),
            "queue page, material=PETG": lambda: client.get("/production/?material=PETG"),
            "queue page, all 500 rows": lambda: client.get("/production/?show=all"),
            "job page (last queued)": lambda: client.get(f"/production/jobs/{job.pk}/"),
            "schedule page": lambda: client.get("/production/schedule/"),
            "printers page": lambda: client.get("/production/printers/"),
        },
        target_ms=PAGE_TARGET_MS,
    )


if __name__ == "__main__":
    if "--run" in sys.argv:
        run()
    else:
        sys.exit(main())
