"""The print jobs a ledger row may name, as materials sees them.

Materials sits below production, so it cannot import `PrintJob`: production provides
`materials.extensions.print_job_lookup` in its `AppConfig.ready()`, and the extension points'
system check fails when it has not.
"""

from __future__ import annotations

from printops.accounts.models import Workspace
from printops.materials.extensions import print_job_lookup


def print_job_exists(*, workspace: Workspace, print_job_id: int) -> bool:
    """True when `print_job_id` is one of this workspace's print jobs (another workspace's job
    is as unknown as a made-up id)."""
    lookups = print_job_lookup.providers()
    if not lookups:
        raise RuntimeError("No print job lookup is provided (printops.production provides it).")
    return any(lookup(workspace=workspace, print_job_id=print_job_id) for lookup in lookups)
