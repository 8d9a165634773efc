"""Folder import: walk a tree of sliced files, meshes and images and file them in the library.

`import_plan` walks a folder (iteratively, never following links) and classifies what it finds;
`import_run` files each entry through the library's services, one transaction per file, and
records progress and a one-line-per-file report on an `ImportJob`. A file whose bytes are already
in the workspace is skipped, so running the same import again resumes where it stopped.

Where each kind of file goes:

- sliced files (.gcode .bgcode .gcode.3mf .3mf .ufp .gx) become versions through
  `version_upload`, grouped from their folder and file names;
- source meshes (.stl .obj .step .stp) become `DesignFile`s of the design with the suggested
  name, or of the design the sliced files in the same folder went to, or of a new design;
- images (.png .jpg .jpeg .webp) become `DesignImage`s of their folder's design (the first image
  of a design without one is primary); an image with no design to go to is skipped.

Uploaded zips are checked (`archive_check`) and unpacked with limits (`archive_extract`) before
the same import runs on the unpacked folder (see tasks.py).
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import stat
import threading
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record
from printops.accounts.models import Workspace
from printops.accounts.roles import Perm
from printops.core.blobs import blob_discard_if_unused, blob_open_verified, blob_put
from printops.core.errors import DomainError, InvalidInput
from printops.library import services
from printops.library.grouping import suggest_grouping
from printops.library.import_recovery import this_runner
from printops.library.models import Design, DesignFile, DesignImage, ImportJob, VariantVersion
from printops.library.sandbox import reusing_workers
from printops.library.search import search_index_design

logger = logging.getLogger(__name__)

SLICED = "sliced"
MESH = "mesh"
IMAGE = "image"
# Longest suffix first: ".gcode.3mf" must win over ".3mf".
SUFFIX_KINDS = (
    (".gcode.3mf", SLICED),
    (".bgcode", SLICED),
    (".gcode", SLICED),
    (".3mf", SLICED),
    (".ufp", SLICED),
    (".gx", SLICED),
    (".stl", MESH),
    (".obj", MESH),
    (".step", MESH),
    (".stp", MESH),
    (".png", IMAGE),
    (".jpg", IMAGE),
    (".jpeg", IMAGE),
    (".webp", IMAGE),
)
KIND_ORDER = {SLICED: 0, MESH: 1, IMAGE: 2}
SYSTEM_NAMES = {"__macosx", "thumbs.db", "desktop.ini", "$recycle.bin", "system volume information"}
CHUNK_BYTES = 1024 * 1024
FLUSH_EVERY_FILES = 25
FLUSH_EVERY_SECONDS = 0.5
REPORT_MAX_LINES = 20_000


def import_limits() -> dict[str, int]:
    """Limits on uploaded archives (settings; see .env.example)."""
    return {
        "max_members": settings.PRINTOPS_IMPORT_MAX_MEMBERS,
        "max_total_bytes": settings.PRINTOPS_IMPORT_MAX_BYTES,
        "max_member_bytes": settings.PRINTOPS_MAX_UPLOAD_BYTES,
        "max_ratio": settings.PRINTOPS_IMPORT_MAX_RATIO,
    }


# --- Reads ----------------------------------------------------------------------------------


def import_job_list(*, workspace: Workspace) -> QuerySet[ImportJob]:
    """The workspace's import jobs, newest first."""
    return ImportJob.objects.filter(workspace=workspace).select_related("created_by")


# --- Planning -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedFile:
    path: str  # absolute path on disk
    relative_path: str  # "/"-separated, relative to the imported folder
    kind: str
    size_bytes: int

    @property
    def folder(self) -> str:
        return self.relative_path.rpartition("/")[0]

    @property
    def name(self) -> str:
        return self.relative_path.rpartition("/")[2]


@dataclass
class ImportPlan:
    files: list[PlannedFile] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # report lines for what is not imported


def file_kind(name: str) -> str | None:
    """ "sliced", "mesh", "image", or None for a file the import does not take."""
    lower = name.lower()
    for suffix, kind in SUFFIX_KINDS:
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return kind
    return None


def _is_system(name: str) -> bool:
    return name.startswith(".") or name.startswith("~$") or name.lower() in SYSTEM_NAMES


def import_plan(*, root: str | os.PathLike[str]) -> ImportPlan:
    """Every importable file under `root`: sliced files first, then meshes, then images.

    Hidden and system files are left out silently; links (to files or folders) are never
    followed, so nothing outside `root` is read; other files are listed as ignored.
    """
    root_path = os.fspath(root)
    if not os.path.isdir(root_path):
        raise InvalidInput(f"There is no folder at {root_path}.")
    plan = ImportPlan()
    stack = [(root_path, "")]
    while stack:
        folder, relative = stack.pop()
        try:
            with os.scandir(folder) as entries:
                children = sorted(entries, key=lambda e: e.name.lower())
        except OSError as error:
            plan.ignored.append(f"ignored {relative or '.'}/: could not read: {error.strerror}")
            continue
        subfolders = []
        for entry in children:
            if _is_system(entry.name):
                continue
            # Zips made on Windows may carry "Dragons\Large\x.gcode" as one name.
            child = f"{relative}/{entry.name}" if relative else entry.name
            child = child.replace("\\", "/")
            if entry.is_symlink():
                plan.ignored.append(f"ignored {child}: a link, not followed")
            elif entry.is_dir(follow_symlinks=False):
                subfolders.append((entry.path, child))
            elif entry.is_file(follow_symlinks=False):
                kind = file_kind(entry.name)
                if kind is None:
                    plan.ignored.append(f"ignored {child}: not a sliced file, model or image")
                    continue
                size = entry.stat(follow_symlinks=False).st_size
                plan.files.append(PlannedFile(entry.path, child, kind, size))
        stack.extend(reversed(subfolders))
    plan.files.sort(key=lambda f: (KIND_ORDER[f.kind], f.relative_path.lower()))
    return plan


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


# --- Running --------------------------------------------------------------------------------


def import_job_create(
    *, actor: Actor, name: str, dry_run: bool = False, archive: Any = None
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


class _Designs:
    """Which design each folder's files went to, so meshes and images can follow them."""

    def __init__(self, actor: Actor, dry_run: bool) -> None:
        self.actor = actor
        self.dry_run = dry_run
        self.by_folder: dict[str, list[str]] = {}
        self.planned: set[str] = set()  # designs a dry run would create
        self.lock = threading.Lock()

    def note(self, folder: str, design_name: str) -> None:
        with self.lock:
            names = self.by_folder.setdefault(folder, [])
            if design_name.lower() not in {n.lower() for n in names}:
                names.append(design_name)

    def exists(self, name: str) -> bool:
        if name.lower() in self.planned:
            return True
        return Design.objects.filter(workspace=self.actor.workspace, name__iexact=name).exists()

    def for_mesh(self, item: PlannedFile) -> str:
        guess = suggest_grouping(item.relative_path).design
        if self.exists(guess):
            return guess
        return self._near(item.folder) or guess

    def for_image(self, item: PlannedFile) -> str | None:
        guess = suggest_grouping(item.relative_path).design
        here = self.by_folder.get(item.folder, [])
        for name in here:
            if name.lower() == guess.lower():
                return name
        if item.folder:
            return self._near(item.folder) or guess
        return here[0] if here else None

    def _near(self, folder: str) -> str | None:
        """The design of this folder, else the one design below it, else the nearest above."""
        if self.by_folder.get(folder):
            return self.by_folder[folder][0]
        prefix = f"{folder}/" if folder else ""
        below = {
            name.lower(): name
            for key, names in self.by_folder.items()
            if key.startswith(prefix)
            for name in names
        }
        if len(below) == 1:
            return next(iter(below.values()))
        while folder:
            folder = folder.rpartition("/")[0]
            if folder and self.by_folder.get(folder):
                return self.by_folder[folder][0]
        return None

    def with_design(self, name: str, attach: Callable[[Design], str]) -> str:
        """Run `attach` with the design of that name, created when missing; a design created
        here is removed again when attaching fails, so a failure leaves no empty design."""
        name = " ".join(name.split())[:200] or "Untitled"
        design = Design.objects.filter(workspace=self.actor.workspace, name__iexact=name).first()
        if design is not None:
            return attach(design)
        with transaction.atomic():
            design = Design.objects.create(
                workspace=self.actor.workspace, name=name, created_by=self.actor.user
            )
            audit_record(actor=self.actor, verb="design.created", obj=design, after={"name": name})
        try:
            label = attach(design)
        except BaseException:
            Design.objects.filter(
                pk=design.pk, variants__isnull=True, files__isnull=True, images__isnull=True
            ).delete()
            raise
        search_index_design(design_id=design.pk)
        return label


class _Known:
    """The sha256 of every file already in the workspace's library, with what it is; files of
    this run claim their hash first, so two copies of one file are never filed twice."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.hashes: set[str] = set()
        for model in (VariantVersion, DesignFile, DesignImage):
            self.hashes.update(
                model.objects.filter(workspace=workspace).values_list("blob__sha256", flat=True)
            )
        self.labels: dict[str, str] = {}
        self.pending: dict[str, str] = {}
        self.lock = threading.Lock()

    def claim(self, sha256: str, relative_path: str) -> str | None:
        """None when this file is new (and now claimed), else what it already is."""
        with self.lock:
            if sha256 in self.labels:
                return self.labels[sha256]
            if sha256 in self.pending:
                return f"a copy of {self.pending[sha256]} in this import"
            if sha256 not in self.hashes:
                self.pending[sha256] = relative_path
                return None
        self.labels[sha256] = self._label(sha256)
        return self.labels[sha256]

    def settle(self, sha256: str, label: str | None) -> None:
        """Record what a claimed file became (None: it failed and may be tried again)."""
        with self.lock:
            self.pending.pop(sha256, None)
            if label is not None:
                self.hashes.add(sha256)
                self.labels[sha256] = label

    def _label(self, sha256: str) -> str:
        version = (
            VariantVersion.objects.select_related("variant__design")
            .filter(workspace=self.workspace, blob__sha256=sha256)
            .first()
        )
        if version is not None:
            return str(version)
        source = (
            DesignFile.objects.select_related("design")
            .filter(workspace=self.workspace, blob__sha256=sha256)
            .first()
        )
        if source is not None:
            return f"a source file of {source.design.name}"
        image = (
            DesignImage.objects.select_related("design")
            .filter(workspace=self.workspace, blob__sha256=sha256)
            .first()
        )
        return f"an image of {image.design.name}" if image is not None else "a library file"


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
        known = _Known(actor.workspace)
        designs = _Designs(actor, job.dry_run)
        workers = _workers(job.dry_run)
        dry_run = job.dry_run

        def task(item: PlannedFile, file_it: Callable[[], str | None]) -> Task:
            return lambda: _import_one(
                item=item, known=known, designs=designs, file_it=file_it, dry_run=dry_run
            )

        # Sliced files first, one group per suggested design; then meshes and pictures, whose
        # design depends on where the sliced files went.
        sliced: dict[str, list[Task]] = {}
        for item in plan.files:
            if item.kind == SLICED:
                key = suggest_grouping(item.relative_path).design.lower()
                sliced.setdefault(key, []).append(
                    task(item, partial(_import_sliced, actor, item, designs, dry_run))
                )
        _run_groups(list(sliced.values()), workers, progress)
        others: dict[str, list[Task]] = {}
        for item in plan.files:
            if item.kind == MESH:
                name = designs.for_mesh(item)
                designs.note(item.folder, name)
                others.setdefault(name.lower(), []).append(
                    task(item, partial(_import_mesh, actor, item, designs, name, dry_run))
                )
        for item in plan.files:
            if item.kind == IMAGE:
                target = designs.for_image(item)
                others.setdefault((target or "").lower(), []).append(
                    task(item, partial(_import_image, actor, item, designs, target, dry_run))
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


def _import_one(
    *,
    item: PlannedFile,
    known: _Known,
    designs: _Designs,
    file_it: Callable[[], str | None],
    dry_run: bool,
) -> tuple[str, str]:
    """("imported" | "skipped" | "failed", report line) for one file; never raises on bad input."""
    path = item.relative_path
    sha256 = None
    label = None
    try:
        limit = settings.PRINTOPS_MAX_UPLOAD_BYTES
        if item.size_bytes > limit:
            raise InvalidInput(
                f"the file is {item.size_bytes / 1e6:.0f} MB; the largest allowed is "
                f"{limit / 1e6:.0f} MB."
            )
        if item.size_bytes == 0:
            raise InvalidInput("the file is empty.")
        digest = _sha256(item.path)
        already = known.claim(digest, path)
        if already is not None:
            if item.kind == SLICED and " · " in already:  # a version: "Dragon · Large v1"
                designs.note(item.folder, already.split(" · ")[0])
            return "skipped", f"skipped {path}: already imported as {already}"
        sha256 = digest
        label = file_it()
        if label is None:
            return (
                "skipped",
                f"skipped {path}: no model to attach it to (put it in a model's folder)",
            )
        return "imported", f"{'would import' if dry_run else 'imported'} {path} → {label}"
    except DomainError as error:
        return "failed", f"failed {path}: {_sentence(error.message)}"
    except OSError as error:
        return "failed", f"failed {path}: could not read: {error.strerror or error}"
    except Exception:
        logger.exception("import of %s failed", item.path)
        return "failed", f"failed {path}: an unexpected error; the server log has the details"
    finally:
        if sha256 is not None:
            known.settle(sha256, label.split(" (")[0] if label else None)


def _sentence(message: str) -> str:
    return message[:1].lower() + message[1:] if message[:2] != message[:2].upper() else message


def _import_sliced(actor: Actor, item: PlannedFile, designs: _Designs, dry_run: bool) -> str:
    if dry_run:
        guess = suggest_grouping(item.relative_path)
        designs.note(item.folder, guess.design)
        designs.planned.add(guess.design.lower())
        return f"{guess.design} · {guess.variant} (new version)"
    with open(item.path, "rb") as content:
        version = services.version_upload(
            actor=actor,
            content=content,
            size_bytes=item.size_bytes,
            original_name=item.name,
            relative_path=item.relative_path,
        )
    designs.note(item.folder, version.variant.design.name)
    if version.status == VariantVersion.Status.UNREADABLE:
        return f"{version} (unreadable: {version.unreadable_reason})"
    return str(version)


def _import_mesh(
    actor: Actor, item: PlannedFile, designs: _Designs, name: str, dry_run: bool
) -> str:
    if dry_run:
        designs.planned.add(name.lower())
        return f"a source file of {name}"

    def add(design: Design) -> str:
        with open(item.path, "rb") as content:
            services.design_file_add(
                actor=actor,
                design=design,
                content=content,
                size_bytes=item.size_bytes,
                original_name=item.name,
            )
        return f"a source file of {design.name}"

    return designs.with_design(name, add)


def _import_image(
    actor: Actor, item: PlannedFile, designs: _Designs, name: str | None, dry_run: bool
) -> str | None:
    if name is None:
        return None
    with open(item.path, "rb") as content:
        _check_image(content.read(16), "." + item.name.rsplit(".", 1)[-1].lower())
    if dry_run:
        return f"an image of {name}"

    def add(design: Design) -> str:
        with open(item.path, "rb") as content:
            image = services.design_image_add(
                actor=actor,
                design=design,
                content=content,
                size_bytes=item.size_bytes,
                original_name=item.name,
            )
        return f"an image of {design.name}" + (" (primary)" if image.is_primary else "")

    return designs.with_design(name, add)


def _check_image(head: bytes, suffix: str) -> None:
    """Refuse an "image" whose bytes are not what its name says (pages show images inline)."""
    if suffix == ".png":
        ok = head.startswith(b"\x89PNG\r\n\x1a\n")
    elif suffix in (".jpg", ".jpeg"):
        ok = head.startswith(b"\xff\xd8\xff")
    else:
        ok = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if not ok:
        kind = {".png": "PNG", ".webp": "WebP"}.get(suffix, "JPEG")
        raise InvalidInput(f"this is not a {kind} image, whatever its name says.")


# --- Archives -------------------------------------------------------------------------------


def _member_path(name: str) -> str:
    """The member's "/"-separated relative path, or InvalidInput when it would escape."""
    path = name.replace("\\", "/")
    if "\x00" in path or path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        raise InvalidInput(
            f"The archive holds a file with an unsafe path ({name[:80]}); it was not imported."
        )
    parts = [p for p in PurePosixPath(path).parts if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise InvalidInput(
            f"The archive holds a file with an unsafe path ({name[:80]}); it was not imported."
        )
    return "/".join(parts)


def archive_check(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's file members after checking every limit; InvalidInput with a sentence on
    anything hostile (unsafe paths, links, encryption, too many members, zip bombs)."""
    limits = import_limits()
    members = archive.infolist()
    if len(members) > limits["max_members"]:
        raise InvalidInput(
            f"The archive holds {len(members):,} entries; the most an import takes is "
            f"{limits['max_members']:,}. Split it into several zips."
        )
    total = 0
    files = []
    for info in members:
        path = _member_path(info.filename)
        mode = (info.external_attr >> 16) & 0o170000
        if mode == stat.S_IFLNK:
            raise InvalidInput(
                f"The archive holds a link ({info.filename[:80]}); zip the files themselves."
            )
        if info.flag_bits & 0x1:
            raise InvalidInput("The archive is password-protected; zip it without a password.")
        if info.is_dir() or not path:
            continue
        if info.file_size > 1024 * 1024 and info.file_size > limits["max_ratio"] * max(
            info.compress_size, 1
        ):
            raise InvalidInput(
                f"The archive looks like a zip bomb ({info.filename[:80]} would grow "
                f"{info.file_size // max(info.compress_size, 1):,} times); it was not imported."
            )
        total += info.file_size
        files.append(info)
    if total > limits["max_total_bytes"]:
        raise InvalidInput(
            f"The archive unpacks to {total / 1e9:.1f} GB; the most an import takes is "
            f"{limits['max_total_bytes'] / 1e9:.1f} GB."
        )
    return files


def archive_open(content: IO[bytes]) -> zipfile.ZipFile:
    """The zip in `content`, or InvalidInput when it is not one."""
    try:
        return zipfile.ZipFile(content)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise InvalidInput("The upload is not a readable zip archive.") from None


def archive_extract(*, content: IO[bytes], target: str | os.PathLike[str]) -> list[str]:
    """Unpack a checked zip into `target`, enforcing every size while streaming; returns report
    lines for members left out (a member too large for the library, a name the disk refuses)."""
    limits = import_limits()
    notes: list[str] = []
    target_path = Path(target).resolve()
    total = 0
    with archive_open(content) as archive:
        for info in archive_check(archive):
            relative = _member_path(info.filename)
            if _is_system_path(relative):
                continue
            if info.file_size > limits["max_member_bytes"]:
                notes.append(
                    f"failed {relative}: the file is {info.file_size / 1e6:.0f} MB; the largest "
                    f"allowed is {limits['max_member_bytes'] / 1e6:.0f} MB."
                )
                continue
            destination = (target_path / relative).resolve()
            if not destination.is_relative_to(target_path) or destination.exists():
                notes.append(f"ignored {relative}: a second file with the same name")
                continue
            try:
                destination.parent.mkdir(parents=True, exist_ok=True)
                total += _extract_member(archive, info, destination, limits, total)
            except OSError as error:
                notes.append(f"failed {relative}: could not unpack: {error.strerror or error}")
            except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as error:
                notes.append(f"failed {relative}: the archive is damaged here ({error})")
    return notes


def _is_system_path(relative: str) -> bool:
    return any(_is_system(part) for part in relative.split("/"))


def _extract_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    destination: Path,
    limits: dict[str, int],
    total_so_far: int,
) -> int:
    """Stream one member to disk, stopping at its declared size (headers can lie)."""
    written = 0
    try:
        with archive.open(info) as source, open(destination, "xb") as sink:
            while chunk := source.read(CHUNK_BYTES):
                written += len(chunk)
                if written > info.file_size or total_so_far + written > limits["max_total_bytes"]:
                    raise InvalidInput(
                        "The archive is damaged or hostile: a file in it is larger than it "
                        "says; it was not imported."
                    )
                sink.write(chunk)
    except BaseException:
        destination.unlink(missing_ok=True)
        raise
    return written


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
    import tempfile

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
