"""Background work for production: reading a version's filament use per layer."""

from __future__ import annotations

from django_tasks import task


@task()
def read_version_layers(*, version_id: int) -> None:
    """Read and keep the grams per layer of a queued version's G-code (a whole-file pass), so a
    failed print can be charged by the layer it reached."""
    from printops.production.services import version_layers_read_once

    version_layers_read_once(version_id=version_id)
