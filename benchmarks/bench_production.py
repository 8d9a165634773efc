"""Production at scale: the queue's feasibility walk and the queue API. Printed figures and
ratios, never pass/fail.

    .venv/bin/python benchmarks/bench_production.py        BENCH_JOBS=100 for a quick run

For SQLite (always) and PostgreSQL (BENCH_DATABASE_URL, else a server answering at
127.0.0.1:5432 as postgres): a fresh database, 50 filaments with 3 spools each, 300 sliced
versions using one or two of them, 6 printers and N queued jobs (N = BENCH_JOBS, default 500)
plus 3 printing; then p50 / p95 / max of `queue_feasibility` (target 100 ms) and, through
Django's test client, of the queue API and its neighbours (target 150 ms).

`seed_queue` and `measure` are for other benches (the queue page's) to reuse:

    from bench_production import measure, seed_queue
    workspace, client = seed_queue(jobs=500, filaments=50)
    measure({"queue page": lambda: client.get("/production/")}, target_ms=150)
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, on_each_database
from harness import percentile as _p

FEASIBILITY_TARGET_MS = 100.0
REQUEST_TARGET_MS = 150.0
REPEATS = 30


def main() -> int:
    jobs = int(os.environ.get("BENCH_JOBS", "500"))
    print(
        f"production: {jobs} queued jobs, 50 filaments per database; targets: feasibility p95 < "
        f"{FEASIBILITY_TARGET_MS:.0f} ms, requests p95 < {REQUEST_TARGET_MS:.0f} ms"
    )
    on_each_database(__file__)
    return 0


def seed_queue(*, jobs: int = 500, filaments: int = 50, seed: str = "bench") -> tuple[Any, Any]:
    """A workspace with `filaments` filaments (3 spools each, some short), 300 versions, 6
    printers, 3 printing jobs and `jobs` queued jobs; returns (workspace, a signed-in owner's
    test client). Rows are bulk-written: this measures reads, not the services."""
    from django.conf import settings
    from django.test import Client

    from printops.accounts.demo import demo_workspace
    from printops.accounts.models import Membership, User
    from printops.core.models import Blob
    from printops.library.models import Design, FilamentUsage, Variant, VariantVersion
    from printops.materials.models import Filament, Spool, SpoolLedgerEntry, Vendor
    from printops.production.models import Printer, PrinterSlot, PrintJob, PrintJobSpool

    rng = random.Random(seed)
    workspace = demo_workspace(slug="bench-production")
    user = User.objects.create_user(email="bench@example.com", password="x" * 12, name="Bench")
    Membership.objects.create(workspace=workspace, user=user, role="owner")
    vendor = Vendor.objects.create(workspace=workspace, name="Bench Filaments")
    materials = ("PLA", "PLA", "PLA", "PETG", "PETG", "ABS", "ASA", "TPU")
    rows = Filament.objects.bulk_create(
        Filament(
            workspace=workspace,
            vendor=vendor,
            material=materials[i % len(materials)],
            colour_name=f"Colour {i}",
            color_hex=f"#{rng.randrange(0x1000000):06X}",
        )
        for i in range(filaments)
    )
    spools = Spool.objects.bulk_create(
        Spool(
            workspace=workspace,
            filament=filament,
            initial_grams=Decimal("1000"),
            remaining_grams=Decimal(rng.choice((150, 400, 800, 1000))),
            label_code=f"B{filament.pk:04d}{n}",
        )
        for filament in rows
        for n in range(3)
    )
    SpoolLedgerEntry.objects.bulk_create(
        SpoolLedgerEntry(workspace=workspace, spool=s, grams=s.remaining_grams, reason="new_spool")
        for s in spools
    )
    blobs = Blob.objects.bulk_create(
        Blob(sha256=digest, size_bytes=1, storage_key=f"blobs/{digest}")
        for digest in (hashlib.sha256(f"{seed}-{i}".encode()).hexdigest() for i in range(300))
    )
    designs = Design.objects.bulk_create(
        Design(workspace=workspace, name=f"Bench design {i}") for i in range(300)
    )
    variants = Variant.objects.bulk_create(
        Variant(workspace=workspace, design=d, name="Standard") for d in designs
    )
    versions = VariantVersion.objects.bulk_create(
        VariantVersion(
            workspace=workspace,
            variant=v,
            number=1,
            blob=b,
            original_name=f"bench_{v.pk}.gcode",
            metadata={"format": "gcode", "geometry": None, "settings": {"k": "v" * 2000}},
            file_format="gcode",
            nozzle_diameter_mm=0.4,
            print_seconds=rng.randint(1200, 6 * 3600),
            filament_grams=20.0,
        )
        for v, b in zip(variants, blobs, strict=True)
    )
    FilamentUsage.objects.bulk_create(
        FilamentUsage(
            workspace=workspace,
            version=version,
            slot=slot,
            material=filament.material,
            color_hex=filament.color_hex,
            grams=round(rng.uniform(3, 120), 2),
            filament=filament if rng.random() > 0.03 else None,
        )
        for version in versions
        for slot, filament in enumerate(rng.sample(rows, k=rng.choice((1, 1, 1, 2))))
    )
    printers = [
        Printer.objects.create(workspace=workspace, name=f"Printer {i}", build_z_mm=250)
        for i in range(6)
    ]
    PrinterSlot.objects.bulk_create(
        PrinterSlot(workspace=workspace, printer=p, index=0) for p in printers
    )
    PrintJob.objects.bulk_create(
        PrintJob(
            workspace=workspace,
            version=rng.choice(versions),
            printer=rng.choice([None, None, None, *printers]),
            copies=rng.choice((1, 1, 2, 3)),
            position=position,
        )
        for position in range(1, jobs + 1)
    )
    for printer, spool in zip(printers[:3], spools, strict=False):
        job = PrintJob.objects.create(
            workspace=workspace,
            version=rng.choice(versions),
            printer=printer,
            position=0,
            status="printing",
            started_at=time_now(),
        )
        PrintJobSpool.objects.create(
            workspace=workspace, job=job, slot=0, spool=spool, grams=Decimal("40")
        )
        Printer.objects.filter(pk=printer.pk).update(status="printing")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(user)
    return workspace, client


def time_now() -> Any:
    from django.utils import timezone

    return timezone.now()


def measure(
    calls: dict[str, Callable[[], Any]], *, target_ms: float, repeats: int = REPEATS
) -> None:
    """Print n, p50, p95, max and p95/target for each call (a response must be 200)."""
    print(f"{'measured':<30}{'n':>4}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'p95/target':>12}")
    for name, call in calls.items():
        call()  # warm
        values = []
        for _ in range(repeats):
            started = time.perf_counter()
            result = call()
            values.append((time.perf_counter() - started) * 1000)
            status = getattr(result, "status_code", 200)
            if status != 200:
                print(f"{name}: HTTP {status}")
                break
        p95 = _p(values, 95)
        print(f"{name:<30}{len(values):>4}{_p(values, 50):>9.1f}{p95:>9.1f}{max(values):>9.1f}"
              f"{p95 / target_ms:>12.2f}")  # fmt: skip


def run() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from printops.production.batching import batch_suggestions
    from printops.production.feasibility import queue_feasibility
    from printops.production.schedule import queue_schedule

    label = os.environ["BENCH_LABEL"]
    jobs = int(os.environ.get("BENCH_JOBS", "500"))
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    workspace, client = seed_queue(jobs=jobs)
    build_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as queries:
        walk = queue_feasibility(workspace=workspace)
    print(f"\n== {label} ({connection.vendor}): {len(walk.jobs)} queued jobs, "
          f"{len(walk.stock)} filaments in stock, {walk.warnings} warnings; "
          f"feasibility in {len(queries)} queries; built in {build_s:.1f} s")  # fmt: skip
    measure(
        {
            "queue_feasibility": lambda: queue_feasibility(workspace=workspace),
            "queue_schedule": lambda: queue_schedule(workspace=workspace),
            "batch_suggestions": lambda: batch_suggestions(workspace=workspace),
        },
        target_ms=FEASIBILITY_TARGET_MS,
    )
    api = "/api/v1/production"
    measure(
        {
            "API jobs (queue, 500)": lambda: client.get(f"{api}/jobs"),
            "API jobs status=queued limit=50": lambda: client.get(
                f"{api}/jobs?status=queued&limit=50"
            ),
            "API jobs material=PETG": lambda: client.get(f"{api}/jobs?material=PETG"),
            "API schedule": lambda: client.get(f"{api}/schedule"),
            "API batches": lambda: client.get(f"{api}/batches"),
            "API printers": lambda: client.get(f"{api}/printers"),
        },
        target_ms=REQUEST_TARGET_MS,
    )


if __name__ == "__main__":
    if "--run" in sys.argv:
        run()
    else:
        sys.exit(main())
