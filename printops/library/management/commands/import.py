"""printops import DIR --workspace SLUG [--dry-run] [--email E]: file a folder in the library."""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.management.base import CommandError, CommandParser

from printops.accounts.actor import Actor
from printops.accounts.models import Membership, Workspace
from printops.accounts.roles import Perm, Role
from printops.core.commands import DatabaseCommand
from printops.core.errors import DomainError
from printops.library.models import ImportJob
from printops.library.services import import_job_create, import_run

PROGRESS_EVERY_SECONDS = 2.0


class Command(DatabaseCommand):
    help = (
        "Import a folder of sliced files, models and images into a workspace's library. "
        "Files already in the library are skipped, so running it again resumes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", help="the folder to import")
        parser.add_argument("--workspace", required=True, help="workspace slug")
        parser.add_argument(
            "--email", help="the member importing (a manager or owner); default: the first owner"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would be imported; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        root = os.path.abspath(options["dir"])
        if not os.path.isdir(root):
            raise CommandError(f"There is no folder at {options['dir']}.")
        actor = _actor(options["workspace"], options.get("email"))
        last = [time.monotonic()]

        def progress(job: ImportJob) -> None:
            if time.monotonic() - last[0] >= PROGRESS_EVERY_SECONDS:
                last[0] = time.monotonic()
                self.stderr.write(_counts(job, running=True))

        try:
            job = import_job_create(
                actor=actor, name=os.path.basename(root) or root, dry_run=options["dry_run"]
            )
            job = import_run(actor=actor, job=job, root=root, on_progress=progress)
        except DomainError as error:
            raise CommandError(error.message) from None
        for line in job.report:
            self.stdout.write(line)
        self.stdout.write(_counts(job, running=False))
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(job.error or "The import failed.")


def _counts(job: ImportJob, *, running: bool) -> str:
    head = (
        f"importing… {job.processed_files}/{job.total_files} ({job.percent}%)"
        if running
        else f"{'dry run: would import' if job.dry_run else 'imported'} {job.imported_files}"
    )
    return f"{head} · {job.skipped_files} skipped · {job.failed_files} failed" + (
        "" if running else f" · {job.total_files} files in {job.name}"
    )


def _actor(slug: str, email: str | None) -> Actor:
    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        raise CommandError(f"There is no workspace with slug '{slug}'.")
    members = Membership.objects.select_related("user", "workspace").filter(
        workspace=workspace, is_workstation=False
    )
    if email:
        membership = members.filter(user__email=email.strip().lower()).first()
        if membership is None:
            raise CommandError(f"{email} is not a member of the workspace '{slug}'.")
    else:
        membership = members.filter(role=Role.OWNER).order_by("pk").first()
        if membership is None:
            raise CommandError(f"The workspace '{slug}' has no owner; name a member with --email.")
    actor = Actor(user=membership.user, membership=membership, staff=membership.user, via="cli")
    if not actor.can(Perm.EDIT_CATALOGUE):
        raise CommandError(
            f"{membership.user.email} cannot edit the catalogue; name a manager or owner."
        )
    return actor
