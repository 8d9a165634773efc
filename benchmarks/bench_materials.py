"""Materials pages and API at scale. Printed figures and ratios, never pass/fail.

    .venv/bin/python benchmarks/bench_materials.py         BENCH_SPOOLS=1000 for a quick run

For SQLite (always) and PostgreSQL (BENCH_DATABASE_URL, else a server answering at
127.0.0.1:5432 as postgres): a fresh database in a temporary folder / a throw-away database,
the materials demo with N spools (N = BENCH_SPOOLS, default 5 000, ~3 ledger rows each), then
server-side timings through Django's test client (middleware, view, template or JSON) of the
inventory pages and `GET /api/v1/materials/spools`, p50 / p95 / max, against 150 ms.

Each database runs in a child process (Django's settings are fixed per process).
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, on_each_database
from harness import percentile as _p

TARGET_MS = 150.0
REPEATS = 30


def main() -> int:
    spools = int(os.environ.get("BENCH_SPOOLS", "5000"))
    print(f"materials: {spools} demo spools per database; target p95 < {TARGET_MS} ms")
    on_each_database(__file__)
    return 0


def run() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from printops.accounts.demo import demo_workspace
    from printops.accounts.models import Membership, User
    from printops.materials.demo import build_demo
    from printops.materials.models import Filament, Spool, SpoolLedgerEntry

    label = os.environ["BENCH_LABEL"]
    spools = int(os.environ.get("BENCH_SPOOLS", "5000"))
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as `printops serve` does
    workspace = demo_workspace(slug="bench")
    started = time.perf_counter()
    build_demo(workspace=workspace, rng=random.Random("bench"), spools=spools)
    build_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user = User.objects.create_user(email="bench@example.com", password="x" * 12, name="Bench")
    Membership.objects.create(workspace=workspace, user=user, role="owner")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(user)
    rng = random.Random(2)
    spool_ids = list(Spool.objects.filter(workspace=workspace).values_list("pk", flat=True))
    filament_ids = list(Filament.objects.filter(workspace=workspace).values_list("pk", flat=True))
    api = "/api/v1/materials"
    requests = {
        "inventory by filament": lambda: "/materials/",
        "inventory, PLA, low": lambda: "/materials/?material=PLA&low=1&sort=grams",
        "inventory by spool": lambda: "/materials/?view=spools",
        "by spool, sorted p.20": lambda: "/materials/?view=spools&sort=-grams&page=20",
        "filament page": lambda: f"/materials/filaments/{rng.choice(filament_ids)}/",
        "spool page": lambda: f"/materials/spools/{rng.choice(spool_ids)}/",
        "API spools": lambda: f"{api}/spools",
        "API spools limit=1000": lambda: f"{api}/spools?limit=1000",
        "API spools PLA by grams": lambda: f"{api}/spools?material=PLA&sort=grams",
        "API filaments": lambda: f"{api}/filaments",
    }
    ledger_rows = SpoolLedgerEntry.objects.filter(workspace=workspace).count()
    print(f"\n== {label} ({connection.vendor}): {spools} spools, {len(filament_ids)} filaments, "
          f"{ledger_rows} ledger rows; built in {build_s:.1f} s")  # fmt: skip
    print(f"{'request':<26}{'n':>4}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'p95/target':>12}")
    for name, url in requests.items():
        client.get(url())  # warm
        values = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            response = client.get(url())
            values.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                print(f"{name}: HTTP {response.status_code}")
                break
        p95 = _p(values, 95)
        print(f"{name:<26}{len(values):>4}{_p(values, 50):>9.1f}{p95:>9.1f}{max(values):>9.1f}"
              f"{p95 / TARGET_MS:>12.2f}")  # fmt: skip


if __name__ == "__main__":
    if "--run" in sys.argv:
        run()
    else:
        sys.exit(main())
