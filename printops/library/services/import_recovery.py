"""Imports a crash left "running": found (by their process or their silence), marked
interrupted, and resumed on request — the rerun skips every file already in the library, since
the importer files each file once by its hash."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record
from printops.accounts.roles import Perm
from printops.core.errors import Conflict
from printops.library.models import ImportJob

# A running import records progress at least every few seconds while it reads files; half an
# hour of silence (longer than unpacking the largest allowed zip) means its process is gone.
IMPORT_SILENCE = timedelta(minutes=30)


def this_runner() -> str:
    """host:pid of this process, recorded on the imports it runs."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    except OSError:
        return False
    return True


def import_jobs_mark_interrupted() -> int:
    """Mark "running" imports whose process is gone as interrupted (the import page then offers
    to resume). Gone means: run by a process of this host that no longer exists (so a restart
    after kill -9 finds it at once), or silent for IMPORT_SILENCE (a process on another host,
    or a reused pid). Returns how many were marked."""
    now = timezone.now()
    running = ImportJob.objects.filter(status=ImportJob.Status.RUNNING)
    stale = set(
        running.filter(heartbeat_at__lt=now - IMPORT_SILENCE).values_list("pk", flat=True)
    ) | set(
        running.filter(heartbeat_at__isnull=True, created_at__lt=now - IMPORT_SILENCE).values_list(
            "pk", flat=True
        )
    )
    host = socket.gethostname()
    for pk, runner in running.values_list("pk", "runner"):
        runner_host, _, pid = runner.rpartition(":")
        if runner_host == host and pid.isdigit() and not _process_alive(int(pid)):
            stale.add(pk)
    # Conditional on "running": an import that finished meanwhile keeps its outcome.
    return ImportJob.objects.filter(pk__in=stale, status=ImportJob.Status.RUNNING).update(
        status=ImportJob.Status.INTERRUPTED,
        error="The import was interrupted (the server stopped); what was imported so far stays.",
        finished_at=now,
    )


def import_job_resume(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Queue an interrupted import of an uploaded zip again; the rerun reports the files the
    first run filed as already in the library and imports the rest."""
    actor.require(Perm.EDIT_CATALOGUE)
    if job.status != ImportJob.Status.INTERRUPTED:
        raise Conflict("Only an interrupted import can be resumed.")
    if job.archive_id is None:
        raise Conflict(
            "This import has no uploaded zip to resume from: import the folder again "
            "(files already in the library are skipped)."
        )
    with transaction.atomic():
        claimed = ImportJob.objects.filter(
            pk=job.pk, status=ImportJob.Status.INTERRUPTED, archive__isnull=False
        ).update(
            status=ImportJob.Status.QUEUED,
            error="",
            finished_at=None,
            runner="",
            heartbeat_at=None,
            total_files=0,
            processed_files=0,
            imported_files=0,
            skipped_files=0,
            failed_files=0,
            report=[],
        )
        if claimed != 1:
            raise Conflict("This import has been resumed already.")
        audit_record(actor=actor, verb="import.resumed", obj=job, after={"name": job.name})
        from printops.library.tasks import import_archive

        transaction.on_commit(lambda: import_archive.enqueue(job_id=job.pk))
    job.refresh_from_db()
    return job


# An interrupted import keeps its uploaded zip so it can be resumed; after a week nobody will.
INTERRUPTED_ARCHIVE_KEPT = timedelta(days=7)


def interrupted_import_archives_release() -> int:
    """Let go of the zips of imports interrupted more than a week ago (the blob goes when
    nothing else holds it); resuming then asks for the zip again."""
    from printops.core.blobs import blob_discard_if_unused

    released = 0
    cutoff = timezone.now() - INTERRUPTED_ARCHIVE_KEPT
    jobs = ImportJob.objects.filter(
        status=ImportJob.Status.INTERRUPTED, archive__isnull=False, finished_at__lt=cutoff
    ).select_related("archive")
    for job in jobs:
        archive = job.archive
        if ImportJob.objects.filter(pk=job.pk, archive=archive).update(archive=None):
            blob_discard_if_unused(archive)  # type: ignore[arg-type]
            released += 1
    return released
