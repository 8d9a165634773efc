"""The `printops` console script.

`printops inspect` reads sliced files without starting Django, so that it answers in tens of
milliseconds; every other command is a Django management command run with our settings.
"""

from __future__ import annotations

import os
import sys

USAGE = """usage: printops COMMAND [ARGS...]

commands:
  serve [--host H] [--port P]      migrate, then serve (with an in-process task worker)
  worker                           run a task worker
  inspect FILE... [--json]         read sliced files and print their metadata
  createuser --email E --password P [--workspace NAME] [--role owner]
  token create --email E --workspace SLUG
  demo [--workspace SLUG] [--designs N] [--seed S]
  import DIR --workspace SLUG [--dry-run]   bring a folder tree into the library
  manage ARGS...                   any Django management command
"""

DJANGO_COMMANDS = {"serve", "worker", "createuser", "token", "demo", "import"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stdout.write(USAGE)
        return 0
    command, rest = args[0], args[1:]
    if command == "inspect":
        from printops.slicefile.cli import main as inspect_main

        return inspect_main(rest)
    if command == "manage":
        return _django(rest)
    if command in DJANGO_COMMANDS:
        return _django([command, *rest])
    sys.stderr.write(f"error: unknown command {command!r}; run 'printops --help' for the list.\n")
    return 2


def _django(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "printops.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["printops", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
