"""The print jobs a ledger row may name, as materials sees them.

Materials sits below production, so it cannot import `PrintJob`: production registers a lookup
in its `AppConfig.ready()`, and a system check fails when none is registered (STYLE §11).
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core import checks

from printops.accounts.models import Workspace


class PrintJobLookup(Protocol):
    def __call__(self, *, workspace: Workspace, print_job_id: int) -> bool: ...


_lookup: PrintJobLookup | None = None


def register_print_job_lookup(lookup: PrintJobLookup) -> None:
    """Production says how to tell whether a job id is one of a workspace's jobs."""
    global _lookup
    _lookup = lookup


def print_job_exists(*, workspace: Workspace, print_job_id: int) -> bool:
    """True when `print_job_id` is one of this workspace's print jobs (another workspace's job
    is as unknown as a made-up id)."""
    if _lookup is None:
        raise RuntimeError("No print job lookup is registered (printops.production registers it).")
    return _lookup(workspace=workspace, print_job_id=print_job_id)


@checks.register()
def check_print_job_lookup(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if _lookup is not None:
        return []
    return [
        checks.Error(
            "No print job lookup is registered for materials' ledger.",
            hint="Add printops.production to INSTALLED_APPS: its ready() registers it.",
            id="printops.materials.E001",
        )
    ]
