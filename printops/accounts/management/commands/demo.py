"""printops demo [--workspace SLUG] [--designs N] [--seed S]: deterministic demo data."""

from __future__ import annotations

import random
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.module_loading import import_string
from django.utils.text import slugify

from printops.core.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = "Create deterministic, realistic demo data in a workspace (created when missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", default="demo", help="workspace slug (default: demo)")
        parser.add_argument("--designs", type=int, default=40, help="designs to create")
        parser.add_argument("--seed", type=int, default=1, help="random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        from printops.accounts.demo import DEMO_PASSWORD, demo_workspace

        if slugify(options["workspace"]) != options["workspace"]:
            raise CommandError(
                f"'{options['workspace']}' is not a workspace slug: use lower-case letters, "
                "digits and hyphens, e.g. demo."
            )
        if not 0 <= options["designs"] <= 10_000:
            raise CommandError("--designs takes a number from 0 to 10000.")
        workspace = demo_workspace(slug=options["workspace"])
        for dotted in settings.PRINTOPS_DEMO_BUILDERS:
            builder = import_string(dotted)
            rng = random.Random(f"{options['seed']}:{dotted}")  # noqa: S311 - demo data, not secrets
            for line in builder(workspace=workspace, rng=rng, designs=options["designs"]) or []:
                self.stdout.write(line)
        self.stdout.write(f"Demo workspace '{workspace.slug}' ready; password: {DEMO_PASSWORD}")
