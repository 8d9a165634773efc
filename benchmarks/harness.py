"""What every database benchmark shares: run the measuring part in a child process once on a
fresh SQLite database and once on a throw-away PostgreSQL database, and percentiles.

Django's settings are fixed per process, hence a child per database. The child is the same
script with `--run`; it reads BENCH_LABEL to say which database it measures.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def on_each_database(script: str) -> None:
    """Run `script --run` on SQLite, then on PostgreSQL when one is reachable."""
    _child(script, {}, "SQLite")
    url = os.environ.get("BENCH_DATABASE_URL") or _local_postgres()
    if not url:
        print("PostgreSQL: skipped (no BENCH_DATABASE_URL and nothing at 127.0.0.1:5432)")
        return
    import psycopg

    name = f"printops_bench_{uuid.uuid4().hex[:8]}"
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        _child(script, {"DATABASE_URL": f"{base}/{name}"}, "PostgreSQL")
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _local_postgres() -> str:
    url = "postgres://postgres@127.0.0.1:5432/postgres"
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=2).close()
    except Exception:
        return ""
    return url


def _child(script: str, extra_env: dict[str, str], label: str) -> None:
    with tempfile.TemporaryDirectory(prefix="printops-bench-") as data_dir:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "printops.settings",
            "PRINTOPS_DATA_DIR": data_dir,
            "PRINTOPS_WORKER": "immediate",
            "BENCH_LABEL": label,
            **extra_env,
        }
        if "DATABASE_URL" not in extra_env:
            env.pop("DATABASE_URL", None)
        subprocess.run([sys.executable, script, "--run"], env=env, check=True, cwd=ROOT)


def percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]
