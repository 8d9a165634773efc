"""printops manage search_reindex [--workspace SLUG]: rebuild the library's search rows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from printops.accounts.models import Workspace
from printops.library.services.search_index import search_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the library search rows (words, colour names, facets) of one workspace or all. "
        "Searching keeps working meanwhile; each workspace is rebuilt in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", help="workspace slug; default: every workspace")

    def handle(self, *args: Any, **options: Any) -> None:
        workspaces = Workspace.objects.order_by("pk")
        if options["workspace"]:
            workspaces = workspaces.filter(slug=options["workspace"])
            if not workspaces.exists():
                raise CommandError(f"There is no workspace {options['workspace']}.")
        for workspace in workspaces:
            indexed = search_rebuild(workspace=workspace)
            self.stdout.write(f"{workspace.slug}: {indexed} designs indexed")
