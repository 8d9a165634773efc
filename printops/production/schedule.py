"""When each queued job would start and finish, across the printers: list scheduling in queue
order.

Each printer is free from now, or, while it prints, from its job's start + the slicer's
estimate (now, when that is already past). Printers in maintenance or offline take nothing.
Each queued job, in queue order, goes to the compatible printer that is free first (its own
printer when it was queued for one) — greedy list scheduling, so an "any printer" job never
waits behind others on one printer while another that can print it is free sooner. Between
printers free at the same moment, the one given fewer jobs so far wins (then the name), so
jobs without an estimate spread instead of piling up on the first printer by name. A job's
estimate is the version's print time × copies; one without takes no time and is flagged; a
job no available printer can print is not scheduled, and says why.

"Next free printer" is the printer that finishes its present work first (now, for an idle
one): when the next job can start, not when the whole queue is done.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from printops.accounts.models import Workspace
from printops.production.models import Printer, PrintJob
from printops.production.plans import (
    ActiveJob,
    Compatibility,
    VersionPlan,
    active_jobs,
    version_plans,
    with_slot_counts,
)

AVAILABLE = (Printer.Status.IDLE, Printer.Status.PRINTING)


@dataclass(frozen=True)
class ScheduledJob:
    """A job's estimated start and finish (None when no available printer can print it)."""

    job_id: int
    printer_id: int | None
    start: datetime | None
    finish: datetime | None
    estimated_seconds: int | None
    problem: str = ""


@dataclass
class Schedule:
    """The queue laid out on the printers."""

    now: datetime
    printing: list[ScheduledJob] = field(default_factory=list)
    queued: list[ScheduledJob] = field(default_factory=list)
    # printer id → when it is free once the whole queue is laid out
    free_at: dict[int, datetime] = field(default_factory=dict)
    # printer id → when it is free of the job it prints now (now when idle)
    free_from_printing: dict[int, datetime] = field(default_factory=dict)
    queued_seconds: int = 0  # the queued jobs' estimates added up (printer-hours of work)

    @property
    def by_job(self) -> dict[int, ScheduledJob]:
        return {entry.job_id: entry for entry in [*self.printing, *self.queued]}

    @property
    def next_free(self) -> tuple[int, datetime] | None:
        """(printer id, when) of the available printer that is free first — now when one is
        idle, else when the first running print ends; None without available printers."""
        free = self.free_from_printing
        if not free:
            return None
        printer_id = min(free, key=lambda pk: (free[pk], pk))
        return printer_id, free[printer_id]

    @property
    def finish(self) -> datetime | None:
        """When the last scheduled job finishes."""
        ends = [entry.finish for entry in self.queued if entry.finish is not None]
        return max(ends) if ends else None


def queue_schedule(
    *,
    workspace: Workspace,
    now: datetime | None = None,
    active: list[ActiveJob] | None = None,
    plans: Mapping[int, VersionPlan] | None = None,
) -> Schedule:
    """The estimated start and finish of every printing and queued job (see the module).
    `active` and `plans` let a caller that already read them (the queue listing) share them."""
    now = now or timezone.now()
    printers = list(
        with_slot_counts(
            Printer.objects.filter(workspace=workspace, status__in=AVAILABLE)
        ).order_by("name", "pk")
    )
    if active is None:
        active = active_jobs(workspace=workspace)
    if plans is None:
        plans = version_plans(workspace=workspace, version_ids={job.version_id for job in active})
    schedule = Schedule(now=now, free_at={printer.pk: now for printer in printers})
    empty = VersionPlan(0, None, None, None, ())
    can = Compatibility()
    for job in active:
        if job.status != PrintJob.Status.PRINTING:
            continue
        seconds = plans.get(job.version_id, empty).seconds(job.copies)
        start = job.started_at or now
        finish = max(start + timedelta(seconds=seconds or 0), now)
        if job.printer_id in schedule.free_at:
            schedule.free_at[job.printer_id] = finish
        schedule.printing.append(ScheduledJob(job.pk, job.printer_id, start, finish, seconds))
    schedule.free_from_printing = dict(schedule.free_at)
    given: dict[int, int] = dict.fromkeys(schedule.free_at, 0)  # queued jobs per printer so far
    for job in active:
        if job.status != PrintJob.Status.QUEUED:
            continue
        plan = plans.get(job.version_id, empty)
        seconds = plan.seconds(job.copies)
        schedule.queued_seconds += seconds or 0
        candidates = [
            p
            for p in printers
            if (job.printer_id is None or p.pk == job.printer_id) and can(p, plan)
        ]
        if not candidates:
            if job.printer_id is None:
                problem = "No available printer can print it."
            elif job.printer_id in schedule.free_at:
                problem = "Its printer can no longer print it (nozzle, size or material)."
            else:
                problem = "Its printer is in maintenance or offline."
            schedule.queued.append(ScheduledJob(job.pk, None, None, None, seconds, problem))
            continue
        chosen = min(candidates, key=lambda p: (schedule.free_at[p.pk], given[p.pk], p.name, p.pk))
        start = schedule.free_at[chosen.pk]
        finish = start + timedelta(seconds=seconds or 0)
        schedule.free_at[chosen.pk] = finish
        given[chosen.pk] += 1
        problem = "" if seconds is not None else "The file gives no print time."
        schedule.queued.append(ScheduledJob(job.pk, chosen.pk, start, finish, seconds, problem))
    return schedule
