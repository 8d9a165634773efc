"""Background work for the library: importing an uploaded zip of a folder tree."""

from __future__ import annotations

import logging

from django.conf import settings
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def import_archive(*, job_id: int) -> None:
    """Unpack and import an uploaded zip; claims the job so two workers never run it twice."""
    from printops.accounts.actor import Actor
    from printops.accounts.models import Membership
    from printops.accounts.roles import Perm
    from printops.library.importer import archive_import_run
    from printops.library.models import ImportJob

    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING
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
