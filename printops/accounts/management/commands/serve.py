"""printops serve [--host H] [--port P]: migrate, then serve with granian (WSGI).

Unless PRINTOPS_WORKER=external, a task worker runs beside the web server as a child process
(`printops worker`) and is stopped with it.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Migrate the database, then serve PrintOps (with an in-process task worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "1")),
            help="web worker processes (default 1; WEB_CONCURRENCY)",
        )
        parser.add_argument(
            "--demo-if-empty",
            action="store_true",
            help="on a fresh database, create the demo workspace and print its login",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["demo_if_empty"]:
            self._demo_if_empty()
        if settings.PRINTOPS_WORKER == "inprocess":
            self._start_worker()  # the worker runs the start-up and daily sweeps
        else:
            from printops.core.housekeeping import housekeeping_run

            housekeeping_run(startup=True)
        from granian import Granian
        from granian.constants import Interfaces

        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(f"PrintOps is serving at {url}  (Ctrl+C stops it)")
        Granian(
            target="printops.wsgi:application",
            address=options["host"],
            port=options["port"],
            interface=Interfaces.WSGI,
            workers=options["workers"],
            blocking_threads=8,
            log_access=False,
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

    def _start_worker(self) -> None:
        worker = subprocess.Popen([sys.executable, "-m", "printops", "worker"])
        atexit.register(worker.terminate)
        self.stdout.write(f"Task worker started (pid {worker.pid}).")
