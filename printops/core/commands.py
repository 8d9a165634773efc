"""The base of every `printops` command that needs the database.

Two promises of ARCHITECTURE §6 live here, once for every such command:

- a fresh data dir works: pending migrations are applied before the command runs, so
  `printops createuser` straight after installing does not die on "no such table";
- a user's mistake (a missing argument, a bad e-mail address, an unknown workspace) is one line
  `error: <sentence>` on stderr and exit status 2, never a traceback or a page of usage.
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, handle_default_options
from django.db import DEFAULT_DB_ALIAS, connections

from printops.core.errors import DomainError

USER_MISTAKE_EXIT_STATUS = 2


def pending_migrations_apply(*, database: str = DEFAULT_DB_ALIAS) -> int:
    """Apply every migration the database lacks; return how many were applied (0: up to date)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[database])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", database=database, interactive=False, verbosity=0)
    return len(plan)


class DatabaseCommand(BaseCommand):
    """A management command that reads or writes the database (migrated first when run from
    the command line) and reports its users' mistakes in one line."""

    def run_from_argv(self, argv: list[str]) -> None:
        # Parsed as if called from code, Django's parser raises CommandError("Error: ...")
        # instead of printing its usage block, so argument mistakes get the same one line.
        self._called_from_command_line = False
        parser = self.create_parser(argv[0], argv[1])
        self._called_from_command_line = True
        show_traceback = "--traceback" in argv
        try:
            options = parser.parse_args(argv[2:])
            cmd_options = vars(options)
            args = cmd_options.pop("args", ())
            handle_default_options(options)
            self.execute(*args, **cmd_options)
        except CommandError as error:
            if show_traceback:
                raise
            self._fail(str(error).removeprefix("Error: "), prog=parser.prog)
        except DomainError as error:
            if show_traceback:
                raise
            self._fail(error.message, prog=parser.prog)
        finally:
            connections.close_all()

    def execute(self, *args: Any, **options: Any) -> str | None:
        if getattr(self, "_called_from_command_line", False):
            applied = pending_migrations_apply(database=options.get("database") or DEFAULT_DB_ALIAS)
            if applied:
                sys.stderr.write(f"Prepared the database ({applied} migrations applied).\n")
        return super().execute(*args, **options)

    @staticmethod
    def _fail(sentence: str, *, prog: str) -> NoReturn:
        sentence = " ".join(sentence.split())  # one line, whatever the message held
        if sentence.startswith(("the following arguments", "argument ", "unrecognized")):
            sentence = f"{sentence} (see '{prog} --help')"
        sys.stderr.write(f"error: {sentence}\n")
        sys.exit(USER_MISTAKE_EXIT_STATUS)
