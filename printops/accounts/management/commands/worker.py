"""printops worker: run background tasks from the database queue until stopped."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from printops.core.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = "Run the background task worker (database-backed queue)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="run queued tasks, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRINTOPS_WORKER == "immediate":
            raise CommandError("PRINTOPS_WORKER=immediate runs tasks inline; no worker is needed.")
        from printops.core.housekeeping import housekeeping_run, housekeeping_start_daily

        # What a killed server left (temp files, imports stuck "running") is cleared before
        # the first task; the rest of the sweeps run in the background, then daily.
        housekeeping_run(startup=True)
        if not options["batch"]:
            housekeeping_start_daily()
        worker_args = ["--no-startup-delay", "--interval", "1"]
        if options["batch"]:
            worker_args.append("--batch")
        call_command("db_worker", *worker_args)
