"""Background work for the library: importing an uploaded zip of a folder tree, and matching
filament usages again after the materials catalogue changed. Each task calls one service."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task


@task()
def import_archive(*, job_id: int) -> None:
    """Unpack and import an uploaded zip; claims the job so two workers never run it twice."""
    from printops.library.services.imports import archive_import_claim_and_run

    archive_import_claim_and_run(job_id=job_id, tmp_dir=settings.PRINTOPS_IMPORT_TMP_DIR or None)


@task()
def rematch_filament_usages(*, workspace_id: int) -> int:
    """Match a workspace's open filament usages again after its catalogue changed
    (enqueued by materials' catalogue_changed, see LibraryConfig.ready)."""
    from printops.library.services.filament_usages import usages_rematch_after_catalogue_change

    return usages_rematch_after_catalogue_change(workspace_id=workspace_id)
