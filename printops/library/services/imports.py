"""Folder imports: queue a job, run it (one transaction per file, progress and a one-line-per-
file report on the `ImportJob`), and import an uploaded zip of a folder.

A file whose bytes are already in the workspace is skipped, so running the same import again
resumes where it stopped. What is imported is planned by import_plan.py; each file is filed by
services/import_files.py; zips are checked and unpacked by import_archives.py.
"""

from __future__ import annotations

import logging
import os
import queue
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record
from printops.accounts.models import Membership
from printops.accounts.roles import Perm
from printops.core.blobs import blob_discard_if_unused, blob_open_verified, blob_put
from printops.core.errors import DomainError, InvalidInput
from printops.core.models import Blob
from printops.library.grouping import suggest_grouping
from printops.library.import_archives import (
    archive_check,
    archive_extract,
    archive_open,
    import_limits,
)
from printops.library.import_plan import IMAGE, MESH, SLICED, PlannedFile, import_plan
from printops.library.import_tracking import FolderDesigns, KnownFiles
from printops.library.models import ImportJob
from printops.library.sandbox import reusing_workers
from printops.library.services.import_files import (
    import_file_image,
    import_file_mesh,
    import_file_one,
    import_file_sliced,
)
from printops.library.services.import_recovery import this_runner

logger = logging.getLogger(__name__)

FLUSH_EVERY_FILES = 25
FLUSH_EVERY_SECONDS = 0.5
REPORT_MAX_LINES = 20_000


def import_job_create(
    *, actor: Actor, name: str, dry_run: bool = False, archive: Blob | None = None
) -> ImportJob:
    """A queued import job for this workspace, audited."""
    actor.require(Perm.EDIT_CATALOGUE)
    with transaction.atomic():
        job = ImportJob.objects.create(
            workspace=actor.workspace,
            name=(name or "import")[:255],
            dry_run=dry_run,
            archive=archive,
            created_by=actor.user,
        )
        audit_record(
            actor=actor, verb="import.queued", obj=job, after={"name": job.name, "dry_run": dry_run}
        )
    return job


class _Progress:
    """Counters and report of a running job, written with cheap UPDATEs now and then."""

    def __init__(self, job: ImportJob, on_progress: Callable[[ImportJob], None] | None) -> None:
        self.job = job
        self.on_progress = on_progress
        self.last_flush = time.monotonic()
        self.since_flush = 0

    def line(self, text: str) -> None:
        report = self.job.report
        if len(report) < REPORT_MAX_LINES:
            report.append(text)
        elif len(report) == REPORT_MAX_LINES:
            report.append("… the report stops here; the counts above are complete.")

    def done(self, outcome: str, text: str) -> None:
        job = self.job
        job.processed_files += 1
        if outcome == "imported":
            job.imported_files += 1
        elif outcome == "skipped":
            job.skipped_files += 1
        else:
            job.failed_files += 1
        self.line(text)
        self.since_flush += 1
        if (
            self.since_flush >= FLUSH_EVERY_FILES
            or time.monotonic() - self.last_flush >= FLUSH_EVERY_SECONDS
        ):
            self.flush()

    def flush(self, **extra: Any) -> None:
        job = self.job
        for name, value in extra.items():
            setattr(job, name, value)
        counts = {
            "total_files": job.total_files,
            "processed_files": job.processed_files,
            "imported_files": job.imported_files,
            "skipped_files": job.skipped_files,
            "failed_files": job.failed_files,
            "report": job.report,
        }
        # The heartbeat tells a live import from one whose process died (import_recovery.py).
        ImportJob.objects.filter(pk=job.pk).update(
            **{**counts, **extra}, heartbeat_at=timezone.now()
        )
        self.last_flush, self.since_flush = time.monotonic(), 0
        if self.on_progress is not None:
            self.on_progress(job)


Task = Callable[[], tuple[str, str]]


def _workers(dry_run: bool) -> int:
    """Threads filing files at once. Parsing runs in a child process per file (sandbox.py), so
    threads overlap those waits: 1 000 files took 170 s with one thread, see docs. Inside an
    open transaction (tests, callers' atomic blocks) other threads could not see its rows."""
    connection = transaction.get_connection()
    if dry_run or connection.in_atomic_block:
        return 1
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return 1  # shared-cache memory databases answer "table is locked" instead of waiting
    return max(1, settings.PRINTOPS_IMPORT_WORKERS)


def _run_groups(groups: list[list[Task]], workers: int, progress: _Progress) -> None:
    """Run each group's tasks in order (a design's files in one thread, so version numbers
    follow the plan and no two threads create the same design); groups run side by side."""
    with reusing_workers():  # one long-lived sandbox child per thread, not one per file
        _run_groups_now(groups, workers, progress)


def _run_groups_now(groups: list[list[Task]], workers: int, progress: _Progress) -> None:
    if workers <= 1 or len(groups) <= 1:
        for group in groups:
            for task in group:
                progress.done(*task())
        return
    results: queue.Queue[tuple[str, str]] = queue.Queue()

    def run(group: list[Task]) -> None:
        try:
            for task in group:
                results.put(task())
        finally:
            connections.close_all()  # this thread's connections only

    groups = sorted(groups, key=len, reverse=True)
    remaining = sum(len(group) for group in groups)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="import") as pool:
        futures = [pool.submit(run, group) for group in groups]
        while remaining:
            try:
                outcome = results.get(timeout=1)
            except queue.Empty:
                if all(f.done() for f in futures) and results.empty():
                    break
                continue
            progress.done(*outcome)
            remaining -= 1
        for future in futures:
            future.result()  # re-raise what stopped a thread, if anything did


def import_run(
    *,
    actor: Actor,
    job: ImportJob,
    root: str | os.PathLike[str],
    on_progress: Callable[[ImportJob], None] | None = None,
    notes: list[str] | None = None,
) -> ImportJob:
    """Import the folder at `root` into the actor's workspace, recording it all on `job`.

    Each file is filed in its own transaction; a file that fails is reported and the run goes
    on. A dry run reads and plans but writes no library rows and stores no bytes.
    """
    actor.require(Perm.EDIT_CATALOGUE)
    if job.workspace_id != actor.workspace.pk:
        raise InvalidInput("That import belongs to another workspace.")
    started = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    ).update(status=ImportJob.Status.RUNNING, runner=this_runner(), heartbeat_at=timezone.now())
    if not started:
        return job
    job.status = ImportJob.Status.RUNNING
    job.report = list(notes or [])
    progress = _Progress(job, on_progress)
    try:
        plan = import_plan(root=root)
        job.report.extend(plan.ignored)
        progress.flush(total_files=len(plan.files))
        known = KnownFiles(actor.workspace)
        designs = FolderDesigns(actor.workspace)
        workers = _workers(job.dry_run)
        dry_run = job.dry_run

        def task(item: PlannedFile, file_it: Callable[[], str | None]) -> Task:
            return lambda: import_file_one(
                item=item, known=known, designs=designs, file_it=file_it, dry_run=dry_run
            )

        # Sliced files first, one group per suggested design; then meshes and pictures, whose
        # design depends on where the sliced files went.
        sliced: dict[str, list[Task]] = {}
        for item in plan.files:
            if item.kind == SLICED:
                key = suggest_grouping(item.relative_path).design.lower()
                sliced.setdefault(key, []).append(
                    task(item, partial(import_file_sliced, actor, item, designs, dry_run))
                )
        _run_groups(list(sliced.values()), workers, progress)
        others: dict[str, list[Task]] = {}
        for item in plan.files:
            if item.kind == MESH:
                name = designs.for_mesh(item)
                designs.note(item.folder, name)
                others.setdefault(name.lower(), []).append(
                    task(item, partial(import_file_mesh, actor, item, designs, name, dry_run))
                )
        for item in plan.files:
            if item.kind == IMAGE:
                target = designs.for_image(item)
                others.setdefault((target or "").lower(), []).append(
                    task(item, partial(import_file_image, actor, item, designs, target, dry_run))
                )
        _run_groups(list(others.values()), workers, progress)
    except DomainError as error:
        return _finish(actor, progress, ImportJob.Status.FAILED, error.message)
    except Exception:
        logger.exception("import %s stopped", job.pk)
        _finish(
            actor,
            progress,
            ImportJob.Status.FAILED,
            "The import stopped on an unexpected "
            "error; what was imported so far stays. Run it again to resume.",
        )
        raise
    return _finish(actor, progress, ImportJob.Status.DONE, "")


def import_fail(*, job: ImportJob, error: str) -> None:
    """Mark a job that could not start (a refused archive, a lost permission) as failed."""
    ImportJob.objects.filter(pk=job.pk).exclude(status=ImportJob.Status.DONE).update(
        status=ImportJob.Status.FAILED, error=error[:500], finished_at=timezone.now()
    )


def _finish(actor: Actor, progress: _Progress, status: ImportJob.Status, error: str) -> ImportJob:
    job = progress.job
    with transaction.atomic():
        progress.flush(status=status, error=error[:500], finished_at=timezone.now())
        audit_record(
            actor=actor,
            verb="import.finished",
            obj=job,
            after={
                "status": status,
                "dry_run": job.dry_run,
                "total": job.total_files,
                "imported": job.imported_files,
                "skipped": job.skipped_files,
                "failed": job.failed_files,
            },
        )
    return job


def archive_import_submit(
    *, actor: Actor, content: IO[bytes], size_bytes: int, original_name: str
) -> ImportJob:
    """Check an uploaded zip, store it and queue its import; a refused zip leaves no rows."""
    actor.require(Perm.EDIT_CATALOGUE)
    original_name = (original_name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not original_name.lower().endswith(".zip"):
        raise InvalidInput("Choose a .zip file of the folder to import.", field="archive")
    if size_bytes == 0:
        raise InvalidInput("The file is empty.", field="archive")
    limit = import_limits()["max_total_bytes"]
    if size_bytes > limit:
        raise InvalidInput(
            f"The file is {size_bytes / 1e9:.1f} GB; the largest import is {limit / 1e9:.1f} GB.",
            field="archive",
        )
    with archive_open(content) as archive:
        archive_check(archive)
    content.seek(0)
    blob = blob_put(content=content, media_type="application/zip")
    try:
        job = import_job_create(actor=actor, name=original_name, archive=blob)
    except BaseException:
        blob_discard_if_unused(blob)
        raise
    from printops.library.tasks import import_archive

    transaction.on_commit(lambda: import_archive.enqueue(job_id=job.pk))
    return job


def archive_import_run(*, job: ImportJob, actor: Actor | None, tmp_dir: str | None = None) -> None:
    """Unpack the job's archive into a temporary folder and import it; the archive is discarded
    afterwards whatever happens (the library keeps the files, not the zip)."""
    archive_blob = job.archive
    try:
        if actor is None:
            raise InvalidInput(
                "The person who uploaded this archive can no longer edit the catalogue."
            )
        if archive_blob is None:
            raise InvalidInput("The uploaded archive is gone; upload it again.")
        with tempfile.TemporaryDirectory(prefix="printops-import-", dir=tmp_dir) as folder:
            with blob_open_verified(archive_blob) as local:
                notes = archive_extract(content=local, target=folder)
            import_run(actor=actor, job=job, root=folder, notes=notes)
    except DomainError as error:
        import_fail(job=job, error=error.message)
    except Exception:  # a worker task must end its job, never leave it "running"
        logger.exception("import %s of an archive stopped", job.pk)
        import_fail(
            job=job,
            error="The import stopped on an unexpected error; what was imported so far stays. "
            "Upload the zip again to finish it.",
        )
    finally:
        if archive_blob is not None:
            ImportJob.objects.filter(pk=job.pk).update(archive=None)
            blob_discard_if_unused(archive_blob)


def archive_import_claim_and_run(*, job_id: int, tmp_dir: str | None = None) -> None:
    """Claim a queued archive import and run it (a background task): two workers never run one
    job twice, and it runs as the person who uploaded the zip only while they may still edit
    the catalogue (else the job fails with a sentence saying so)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, runner=this_runner(), heartbeat_at=timezone.now()
    )
    if claimed != 1:
        return
    job = ImportJob.objects.select_related("archive", "workspace", "created_by").get(pk=job_id)
    archive_import_run(job=job, actor=_uploader_actor(job), tmp_dir=tmp_dir)


def _uploader_actor(job: ImportJob) -> Actor | None:
    """The person who uploaded the job's zip, acting from a task, if they may still import."""
    membership = (
        Membership.objects.select_related("user", "workspace")
        .filter(workspace=job.workspace, user=job.created_by)
        .first()
    )
    if membership is None:
        return None
    actor = Actor(user=membership.user, membership=membership, staff=membership.user, via="task")
    return actor if actor.can(Perm.EDIT_CATALOGUE) else None
