"""Every read in production, scoped by workspace first."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When

from printops.accounts.models import Workspace
from printops.library.models import FilamentUsage, VariantVersion
from printops.materials.models import Filament
from printops.production.feasibility import JobFeasibility, QueueFeasibility, queue_feasibility
from printops.production.models import (
    Printer,
    PrinterMaintenance,
    PrinterSlot,
    PrintJob,
    PrintJobSpool,
)
from printops.production.plans import VersionPlan, active_jobs, version_plans
from printops.production.schedule import Schedule, ScheduledJob, queue_schedule

Status = PrintJob.Status
ACTIVE = (Status.QUEUED, Status.PRINTING)
WILSON_Z = 1.959964  # 95 %
# A completed job's duration counts towards actual-vs-estimated only when it is plausible:
# "Complete" pressed a minute after "Start" (a test, a mistake, a print recorded afterwards)
# or a job left printing over a weekend says nothing about the slicer's estimate. Slicer
# estimates are seldom off by more than ×2 either way, so a quarter to four times the estimate
# keeps every real print; nothing prints in under two minutes, heating included.
PLAUSIBLE_MIN_SECONDS = 120
PLAUSIBLE_MIN_SHARE, PLAUSIBLE_MAX_FACTOR = 0.25, 4.0
LISTING_FIELDS = (
    *(f.name for f in PrintJob._meta.concrete_fields if f.name != "workspace"),
    "version__number", "version__status", "version__print_seconds", "version__filament_grams",
    "version__file_format", "version__thumbnail", "version__variant",
    "version__variant__name", "version__variant__design",
    "version__variant__design__name", "version__variant__design__category",
    "printer__name", "printer__status",
)  # fmt: skip


# --- printers --------------------------------------------------------------------------------


def printer_list(*, workspace: Workspace) -> QuerySet[Printer]:
    """Printers by name, with their slots and the spool (filament, vendor) in each."""
    slots = PrinterSlot.objects.select_related("spool__filament__vendor").order_by("index")
    return Printer.objects.filter(workspace=workspace).prefetch_related(
        Prefetch("slots", queryset=slots)
    )


def printer_maintenance_list(
    *, workspace: Workspace, printer: Printer
) -> QuerySet[PrinterMaintenance]:
    """A printer's maintenance log, newest first, with who wrote each entry."""
    return PrinterMaintenance.objects.filter(workspace=workspace, printer=printer).select_related(
        "actor", "staff"
    )


def printer_slot_list(*, workspace: Workspace) -> QuerySet[PrinterSlot]:
    """Every printer slot with its spool; `spool__isnull=False` gives the loaded ones."""
    return PrinterSlot.objects.filter(workspace=workspace).select_related(
        "printer", "spool__filament__vendor"
    )


# --- jobs ------------------------------------------------------------------------------------


def print_job_list(
    *,
    workspace: Workspace,
    status: str | Sequence[str] | None = None,
    printer_id: int | None = None,
    material: str = "",
    version_id: int | None = None,
) -> QuerySet[PrintJob]:
    """Jobs: printing first (earliest start first), then queued in queue order, then the
    finished ones, newest first. Filters: status (one or several), printer, a material the
    version uses (by its matched filament, else as the file names it), version. The version's
    wide metadata column is not loaded."""
    jobs = (
        PrintJob.objects.filter(workspace=workspace)
        .select_related("version__variant__design", "printer")
        .defer("version__metadata", "version__corrections")
    )
    if status:
        jobs = jobs.filter(status__in=[status] if isinstance(status, str) else list(status))
    if printer_id:
        jobs = jobs.filter(printer_id=printer_id)
    if version_id:
        jobs = jobs.filter(version_id=version_id)
    if material:
        material = material.upper()
        usages = FilamentUsage.objects.filter(workspace=workspace).filter(
            Q(filament__material=material)
            | Q(filament__isnull=True, material__istartswith=material)
        )
        jobs = jobs.filter(version_id__in=usages.values("version_id"))
    rank = Case(
        When(status=Status.PRINTING, then=Value(0)),
        When(status=Status.QUEUED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    queue_place = Case(When(status=Status.QUEUED, then=F("position")), default=Value(None))
    printing_since = Case(When(status=Status.PRINTING, then=F("started_at")), default=Value(None))
    return jobs.annotate(
        rank=rank, queue_place=queue_place, printing_since=printing_since
    ).order_by(
        "rank",
        "queue_place",
        "printing_since",
        F("finished_at").desc(nulls_last=True),
        "-pk",
    )


def print_job_detail(*, workspace: Workspace, job_id: int) -> PrintJob | None:
    """One job with its spools (and their filaments) and the job it was requeued from."""
    spools = PrintJobSpool.objects.select_related("spool__filament__vendor").order_by("slot")
    return (
        print_job_list(workspace=workspace)
        .select_related("requeued_from")
        .prefetch_related(Prefetch("spools", queryset=spools), "requeues")
        .filter(pk=job_id)
        .first()
    )


@dataclass
class QueueRow:
    """A printing or queued job with what it takes, whether stock allows it, and when."""

    job: PrintJob
    plan: VersionPlan
    feasibility: JobFeasibility | None  # None for printing jobs
    scheduled: ScheduledJob | None
    spools: list[PrintJobSpool] = field(default_factory=list)  # per slot, once started

    @property
    def estimated_seconds(self) -> int | None:
        return self.plan.seconds(self.job.copies)

    @property
    def grams(self) -> Decimal:
        return sum((u.grams * self.job.copies for u in self.plan.usages), Decimal("0"))


@dataclass
class QueueListing:
    """The queue page's data: rows, the walk (stock, shortfall) and the schedule, plus every
    filament named by a shortfall (by id) for labels."""

    rows: list[QueueRow]
    feasibility: QueueFeasibility
    schedule: Schedule
    filaments: dict[int, Filament] = field(default_factory=dict)
    total: int = 0  # jobs matching the filters, before limit and offset


def queue_listing(
    *,
    workspace: Workspace,
    status: str | Sequence[str] | None = ACTIVE,
    printer_id: int | None = None,
    material: str = "",
    job_id: int | None = None,
    job_ids: Iterable[int] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> QueueListing:
    """Printing and queued jobs (or those of `status`, `None` for all) in `print_job_list`
    order, each with its plan, feasibility, schedule and spools. The feasibility walk and the
    schedule always cover the whole queue, whatever the filters show. About a dozen queries,
    whatever the queue's length.

    Each job loads only LISTING_FIELDS (with its version, variant, design and printer): the
    other columns of 500 rows cost more than the rest of the listing. Add a field there before
    showing it in a list, or every row fetches it with a query of its own. A row's spools are
    `row.spools` (`row.job.spools` is not prefetched)."""
    found = print_job_list(
        workspace=workspace, status=status, printer_id=printer_id, material=material
    )
    if job_id is not None:
        found = found.filter(pk=job_id)
    if job_ids is not None:
        found = found.filter(pk__in=list(job_ids))
    total = None
    if limit is not None:
        total = found.count()
        found = found[offset : offset + limit]
    jobs = list(found.only(*LISTING_FIELDS))
    # One query for the spools of the started jobs listed; a prefetch would build a queryset
    # per job, 500 of them for a queue where none has spools yet.
    spools: dict[int, list[PrintJobSpool]] = {}
    started = [job.pk for job in jobs if job.status != Status.QUEUED]
    if started:
        for row in (
            PrintJobSpool.objects.filter(job_id__in=started)
            .select_related("spool__filament__vendor")
            .order_by("job_id", "slot")
        ):
            spools.setdefault(row.job_id, []).append(row)
    active = active_jobs(workspace=workspace)
    plans = version_plans(
        workspace=workspace,
        version_ids={job.version_id for job in jobs} | {job.version_id for job in active},
    )
    feasibility = queue_feasibility(workspace=workspace, active=active, plans=plans)
    schedule = queue_schedule(workspace=workspace, active=active, plans=plans)
    empty = VersionPlan(0, None, None, None, ())
    scheduled = schedule.by_job
    rows = [
        QueueRow(
            job=job,
            plan=plans.get(job.version_id, empty),
            feasibility=feasibility.jobs.get(job.pk),
            scheduled=scheduled.get(job.pk),
            spools=spools.get(job.pk, []),
        )
        for job in jobs
    ]
    named = {s.filament_id for row in rows if row.feasibility for s in row.feasibility.short}
    named |= set(feasibility.shortfall)
    filaments = {
        f.pk: f
        for f in Filament.objects.filter(workspace=workspace, pk__in=named).select_related("vendor")
    }
    return QueueListing(
        rows=rows,
        feasibility=feasibility,
        schedule=schedule,
        filaments=filaments,
        total=len(rows) if total is None else total,
    )


# --- history and success rates ---------------------------------------------------------------


def wilson_interval(successes: int, total: int, z: float = WILSON_Z) -> tuple[float, float] | None:
    """The Wilson score interval (95 % by default) of a success rate; None without trials.
    Unlike ± of the plain rate, it stays within 0–1 and is honest for 3 prints out of 3."""
    if total <= 0:
        return None
    rate = successes / total
    denominator = 1 + z * z / total
    centre = (rate + z * z / (2 * total)) / denominator
    half = z * math.sqrt(rate * (1 - rate) / total + z * z / (4 * total * total)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class PrintHistory:
    """How a version has printed: outcomes, why it failed, and time against the estimate."""

    completed: int
    failed: int
    cancelled: int
    failure_reasons: dict[str, int]  # fail reason → count, most frequent first
    interval: tuple[float, float] | None  # 95 % Wilson interval of the success rate
    average_seconds: int | None  # actual duration of completed jobs, on average
    estimated_seconds: int | None  # print_seconds × copies of those same jobs, on average
    jobs: list[PrintJob]  # finished jobs, newest first
    implausible_durations: int = 0  # completed jobs left out of the averages (see plausible)

    @property
    def success_rate(self) -> float | None:
        """completed / (completed + failed); cancelled jobs never printed and do not count."""
        total = self.completed + self.failed
        return self.completed / total if total else None

    @property
    def time_ratio(self) -> float | None:
        """Actual ÷ estimated time (1.1: prints take 10 % longer than the slicer says)."""
        if not self.average_seconds or not self.estimated_seconds:
            return None
        return self.average_seconds / self.estimated_seconds


def version_print_history(
    *, workspace: Workspace, version: VariantVersion, recent: int = 50
) -> PrintHistory:
    """Outcomes of a version's finished jobs (all of them; the `recent` newest are listed)."""
    finished = print_job_list(
        workspace=workspace,
        version_id=version.pk,
        status=(Status.COMPLETED, Status.FAILED, Status.CANCELLED),
    )
    rows = list(
        finished.values_list("status", "fail_reason", "copies", "started_at", "finished_at")
    )
    counts = Counter(status for status, *_ in rows)
    reasons = Counter(reason for status, reason, *_ in rows if status == Status.FAILED)
    durations, estimates, implausible = [], [], 0
    for status, _reason, copies, started, finished_at in rows:
        if status == Status.COMPLETED and started and finished_at:
            actual = (finished_at - started).total_seconds()
            estimate = version.print_seconds * copies if version.print_seconds else None
            if not plausible_duration(actual, estimate):
                implausible += 1
                continue
            durations.append(actual)
            if estimate:
                estimates.append(estimate)
    completed, failed = counts[Status.COMPLETED], counts[Status.FAILED]
    return PrintHistory(
        completed=completed,
        failed=failed,
        cancelled=counts[Status.CANCELLED],
        failure_reasons=dict(reasons.most_common()),
        interval=wilson_interval(completed, completed + failed),
        average_seconds=round(sum(durations) / len(durations)) if durations else None,
        estimated_seconds=round(sum(estimates) / len(estimates)) if estimates else None,
        jobs=list(finished[:recent]),
        implausible_durations=implausible,
    )


def print_job_exists(*, workspace: Workspace, print_job_id: int) -> bool:
    """Whether the id is one of this workspace's print jobs (for a ledger row that names one)."""
    return PrintJob.objects.filter(workspace=workspace, pk=print_job_id).exists()


def plausible_duration(actual_seconds: float, estimated_seconds: int | None) -> bool:
    """Whether a completed job's recorded duration can be a real print of its estimate: at
    least two minutes, and (with an estimate) from a quarter to four times it."""
    if actual_seconds < PLAUSIBLE_MIN_SECONDS:
        return False
    if estimated_seconds:
        share = actual_seconds / estimated_seconds
        return PLAUSIBLE_MIN_SHARE <= share <= PLAUSIBLE_MAX_FACTOR
    return True


def printer_for_ledger_rows(
    *, workspace: Workspace, print_job_ids: Iterable[int | None]
) -> dict[int, str]:
    """Job id → the name of the printer it ran on, for ledger rows' `print_job_id` (so a report
    can group weigh-in variance by printer). Jobs of other workspaces are not found."""
    ids = {pk for pk in print_job_ids if pk is not None}
    if not ids:
        return {}
    return dict(
        PrintJob.objects.filter(workspace=workspace, pk__in=ids, printer__isnull=False)
        .values_list("pk", "printer__name")
        .order_by()
    )


# --- dashboard -------------------------------------------------------------------------------


@dataclass
class ProductionSummary:
    """What the dashboard shows of production."""

    printing: list[tuple[PrintJob, ScheduledJob | None]]  # with the estimated finish
    queued_jobs: int
    queued_seconds: int
    feasibility_warnings: int
    printers_by_status: dict[str, int]
    next_free: tuple[Printer, datetime] | None


def production_summary(*, workspace: Workspace) -> ProductionSummary:
    """Printing now (with estimated finish), queued jobs and their hours, how many queued jobs
    lack filament or a match, printers per status, and the printer free soonest."""
    schedule = queue_schedule(workspace=workspace)
    feasibility = queue_feasibility(workspace=workspace)
    printers = {p.pk: p for p in Printer.objects.filter(workspace=workspace)}
    printing = list(print_job_list(workspace=workspace, status=Status.PRINTING))
    by_job = schedule.by_job
    nxt = schedule.next_free
    return ProductionSummary(
        printing=[(job, by_job.get(job.pk)) for job in printing],
        queued_jobs=len(schedule.queued),
        queued_seconds=schedule.queued_seconds,
        feasibility_warnings=feasibility.warnings,
        printers_by_status=dict(Counter(p.status for p in printers.values())),
        next_free=(printers[nxt[0]], nxt[1]) if nxt else None,
    )
