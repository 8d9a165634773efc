"""Background work for the library: importing an uploaded zip of a folder tree."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def import_archive(*, job_id: int) -> None:
    """Unpack and import an uploaded zip; claims the job so two workers never run it twice."""
    from printops.accounts.actor import Actor
    from printops.accounts.models import Membership
    from printops.accounts.roles import Perm
    from printops.library.import_recovery import this_runner
    from printops.library.importer import archive_import_run
    from printops.library.models import ImportJob

    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, runner=this_runner(), heartbeat_at=timezone.now()
    )
    if claimed != 1:
        return
    job = ImportJob.objects.select_related("archive", "workspace", "created_by").get(pk=job_id)
    membership = (
        Membership.objects.select_related("user", "workspace")
        .filter(workspace=job.workspace, user=job.created_by)
        .first()
    )
    actor = None
    if membership is not None:
        candidate = Actor(
            user=membership.user, membership=membership, staff=membership.user, via="task"
        )
        if candidate.can(Perm.EDIT_CATALOGUE):
            actor = candidate
    archive_import_run(job=job, actor=actor, tmp_dir=settings.PRINTOPS_IMPORT_TMP_DIR or None)


@task()
def rematch_filament_usages(*, workspace_id: int) -> int:
    """Match a workspace's open filament usages again after its catalogue changed
    (enqueued by materials' catalogue_changed, see LibraryConfig.ready)."""
    from django.db import transaction

    from printops.accounts.audit import audit_record
    from printops.accounts.models import Workspace
    from printops.library.matching import usages_rematch_open

    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:  # deleted since
        return 0
    with transaction.atomic():
        linked = usages_rematch_open(workspace=workspace)
        if linked:
            audit_record(
                actor=None,
                workspace=workspace,
                verb="filament_usage.rematched",
                after={"linked": linked, "reason": "the catalogue changed"},
            )
    return linked
