"""printops serve [--host H] [--port P] [--workers N] [--threads T]: migrate, then serve with
granian (WSGI).

Unless PRINTOPS_WORKER=external, a task worker runs beside the web server as a child process
(`printops worker`) and is stopped with it.

Defaults come from the machine: one web process per core (at most 4) with 4 threads each
(3 on a single core).
Several processes are what make reads scale (the GIL), and on SQLite they are safe: writers
queue on a lock shared through the data dir (printops/core/sqlite_backend). 4 threads keep a
process busy while another request waits on the database, and stay under granian's "2 × cores +
1 threads" warning on small machines.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

MAX_DEFAULT_WORKERS = 4
MAX_DEFAULT_THREADS = 4


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))


def default_threads() -> int:
    # Granian warns above 2 × cores + 1 threads per worker (a 1-core machine gets 3).
    return max(1, min(MAX_DEFAULT_THREADS, 2 * (os.cpu_count() or 1) + 1))


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise CommandError(f"{name} must be a whole number, not {raw!r}.") from None


def granian_options(*, host: str, port: int, workers: int, threads: int, verbosity: int) -> dict:
    """Granian's settings: WSGI, no websockets (WSGI has none: saying so is one log line less),
    granian's own start-up lines only from -v 2 up (our one line says where it serves)."""
    from granian.constants import Interfaces
    from granian.log import LogLevels

    return {
        "target": "printops.wsgi:application",
        "address": host,
        "port": port,
        "interface": Interfaces.WSGI,
        "workers": workers,
        "blocking_threads": threads,
        "websockets": False,
        "log_access": verbosity >= 3,
        "log_level": LogLevels.info if verbosity >= 2 else LogLevels.warning,
    }


class Command(BaseCommand):
    help = "Migrate the database, then serve PrintOps (with an in-process task worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=None, help="default 8000 (PORT)")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=f"web worker processes (default: one per core, at most {MAX_DEFAULT_WORKERS}; "
            "WEB_CONCURRENCY)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help=f"threads per worker process (default {MAX_DEFAULT_THREADS}, fewer on one "
            "core; PRINTOPS_THREADS)",
        )
        parser.add_argument(
            "--demo-if-empty",
            action="store_true",
            help="on a fresh database, create the demo workspace and print its login",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"] or _env_int("PORT", 8000)
        workers = options["workers"] or _env_int("WEB_CONCURRENCY", default_workers())
        threads = options["threads"] or _env_int("PRINTOPS_THREADS", default_threads())
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["demo_if_empty"]:
            self._demo_if_empty()
        worker = ""
        if settings.PRINTOPS_WORKER == "inprocess":
            worker = self._start_worker(verbosity)  # the worker runs the start-up and daily sweeps
        else:
            from printops.core.housekeeping import housekeeping_run

            housekeeping_run(startup=True)
        # Granian forks the workers: none may inherit this process's database connection.
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:  # (a test's transaction stays open)
                connection.close()
        from granian import Granian

        url = f"http://{options['host']}:{port}"
        self.stdout.write(
            f"PrintOps is serving at {url} with {workers} worker process"
            f"{'es' if workers != 1 else ''} × {threads} threads{worker}  (Ctrl+C stops it)"
        )
        self.stdout.flush()
        Granian(
            **granian_options(
                host=options["host"],
                port=port,
                workers=workers,
                threads=threads,
                verbosity=verbosity,
            )
        ).serve()

    def _demo_if_empty(self) -> None:
        from printops.accounts.demo import DEMO_PASSWORD, DEMO_PEOPLE
        from printops.accounts.models import User

        if User.objects.exists():
            return
        call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo workspace created. Sign in as {DEMO_PEOPLE[0][0]} / {DEMO_PASSWORD}"
            )
        )

    def _start_worker(self, verbosity: int) -> str:
        # The worker logs each task from -v 2 up; below, only failures (a line per task start
        # and end was 36 lines at start-up).
        command = [sys.executable, "-m", "printops", "worker"]
        command += ["--verbosity", str(verbosity - 1)] if verbosity >= 2 else ["--failures-only"]
        worker = subprocess.Popen(command)
        atexit.register(worker.terminate)
        return f", task worker pid {worker.pid}"
