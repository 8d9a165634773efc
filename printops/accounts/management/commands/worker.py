"""printops worker: run background tasks from the database queue until stopped."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from printops.core.commands import DatabaseCommand


def _db_worker(*, failures_only: bool) -> Any:
    """django-tasks' worker command; with `failures_only`, its per-task lines (started,
    succeeded: a pair per task) are left out and failures still show."""
    from django_tasks_db.management.commands.db_worker import TASKS_LOGGER
    from django_tasks_db.management.commands.db_worker import Command as DbWorker

    class FailuresOnly(DbWorker):
        def configure_logging(self, verbosity: int) -> None:
            super().configure_logging(verbosity)
            logging.getLogger(TASKS_LOGGER).setLevel(logging.WARNING)
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)

    return FailuresOnly() if failures_only else "db_worker"


class Command(DatabaseCommand):
    help = "Run the background task worker (database-backed queue)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="run queued tasks, then exit")
        parser.add_argument(
            "--failures-only",
            action="store_true",
            help="log failed tasks only, not every task (what `printops serve` runs below -v 2)",
        )

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
        worker_args += ["--verbosity", str(options.get("verbosity", 1))]
        call_command(_db_worker(failures_only=options.get("failures_only", False)), *worker_args)
