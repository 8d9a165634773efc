"""printops demo [--workspace SLUG] [--designs N] [--seed S]: deterministic demo data."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.text import slugify

from printops.accounts import demo as accounts_demo
from printops.core.commands import DatabaseCommand
from printops.library import demo as library_demo
from printops.materials import demo as materials_demo
from printops.production import demo as production_demo

# (workspace=, rng=, designs=) -> lines to print.
DemoBuilder = Callable[..., list[str] | None]

# Called in order, each with the same workspace; later apps append theirs. Materials come
# before the library, so the library's demo files match the demo filaments as uploads would.
# Each builder's key seeds its own random generator: the keys are the builders' former dotted
# paths and must not change, or the same --seed would give different demo data.
DEMO_BUILDERS: tuple[tuple[str, DemoBuilder], ...] = (
    ("printops.accounts.demo.build_demo", accounts_demo.build_demo),
    ("printops.materials.demo.build_demo", materials_demo.build_demo),
    ("printops.library.demo.build_demo", library_demo.build_demo),
    ("printops.production.demo.build_demo", production_demo.build_demo),
)


class Command(DatabaseCommand):
    help = "Create deterministic, realistic demo data in a workspace (created when missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", default="demo", help="workspace slug (default: demo)")
        parser.add_argument("--designs", type=int, default=40, help="designs to create")
        parser.add_argument("--seed", type=int, default=1, help="random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        if slugify(options["workspace"]) != options["workspace"]:
            raise CommandError(
                f"'{options['workspace']}' is not a workspace slug: use lower-case letters, "
                "digits and hyphens, e.g. demo."
            )
        if not 0 <= options["designs"] <= 10_000:
            raise CommandError("--designs takes a number from 0 to 10000.")
        workspace = accounts_demo.demo_workspace(slug=options["workspace"])
        for key, builder in DEMO_BUILDERS:
            rng = random.Random(f"{options['seed']}:{key}")  # noqa: S311 - demo data, not secrets
            for line in builder(workspace=workspace, rng=rng, designs=options["designs"]) or []:
                self.stdout.write(line)
        self.stdout.write(
            f"Demo workspace '{workspace.slug}' ready; password: {accounts_demo.DEMO_PASSWORD}"
        )
