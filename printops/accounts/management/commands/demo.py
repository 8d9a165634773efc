"""printops demo [--workspace SLUG] [--designs N] [--seed S]: deterministic demo data."""

from __future__ import annotations

import random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Create deterministic, realistic demo data in a workspace (created when missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", default="demo", help="workspace slug (default: demo)")
        parser.add_argument("--designs", type=int, default=40, help="designs to create")
        parser.add_argument("--seed", type=int, default=1, help="random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        from printops.accounts.demo import DEMO_PASSWORD, demo_workspace

        workspace = demo_workspace(slug=options["workspace"])
        for dotted in settings.PRINTOPS_DEMO_BUILDERS:
            builder = import_string(dotted)
            rng = random.Random(f"{options['seed']}:{dotted}")  # noqa: S311 - demo data, not secrets
            for line in builder(workspace=workspace, rng=rng, designs=options["designs"]) or []:
                self.stdout.write(line)
        self.stdout.write(f"Demo workspace '{workspace.slug}' ready; password: {DEMO_PASSWORD}")
