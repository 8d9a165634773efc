"""printops manage housekeeping: run every sweep now (what `printops worker` does daily)."""

from __future__ import annotations

from typing import Any

from printops.core.commands import DatabaseCommand
from printops.core.housekeeping import housekeeping_run


class Command(DatabaseCommand):
    help = (
        "Clear what crashes and abandoned work left: temporary upload files, expired resumable "
        "uploads, imports stuck 'running', blobs without rows."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for name, count in housekeeping_run().items():
            self.stdout.write(f"{name}: {count}")
