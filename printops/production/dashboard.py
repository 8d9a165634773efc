"""Reads for the dashboard: every printer's state with what it prints, and today's output."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from printops.accounts.models import Workspace
from printops.materials.models import SpoolLedgerEntry
from printops.production.models import Printer, PrintJob
from printops.production.schedule import ScheduledJob

Status = PrintJob.Status


@dataclass(frozen=True)
class PrinterNow:
    """A printer as the dashboard shows it: its status and the job on it, if any."""

    printer: Printer
    job: PrintJob | None
    finish: datetime | None  # the schedule's estimate for that job


@dataclass(frozen=True)
class TodaysOutput:
    """What left the printers since midnight in the workspace's time zone."""

    completed_jobs: int
    completed_copies: int
    failed_jobs: int
    filament_grams: Decimal  # taken from spools by completed and failed prints

    @property
    def anything(self) -> bool:
        return bool(self.completed_jobs or self.failed_jobs or self.filament_grams)


def printer_board(
    *, workspace: Workspace, scheduled: dict[int, ScheduledJob] | None = None
) -> list[PrinterNow]:
    """Every printer by name, each with the job printing on it and its estimated finish."""
    printing = {
        job.printer_id: job
        for job in PrintJob.objects.filter(workspace=workspace, status=Status.PRINTING)
        .select_related("version__variant__design")
        .defer("version__metadata", "version__corrections")
    }
    board = []
    for printer in Printer.objects.filter(workspace=workspace).order_by("name", "pk"):
        job = printing.get(printer.pk)
        estimate = scheduled.get(job.pk) if job is not None and scheduled else None
        board.append(
            PrinterNow(printer=printer, job=job, finish=estimate.finish if estimate else None)
        )
    return board


def todays_output(*, workspace: Workspace) -> TodaysOutput:
    """Jobs finished since local midnight (the active time zone is the workspace's) and the
    grams the ledger charged to them. Two queries."""
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    finished = PrintJob.objects.filter(workspace=workspace, finished_at__gte=midnight)
    jobs = finished.aggregate(
        completed=Count("pk", filter=Q(status=Status.COMPLETED)),
        copies=Sum("copies", filter=Q(status=Status.COMPLETED)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
    )
    # By the job, not the row's time, so the grams are those of the jobs counted beside them
    # (the demo's history backdates jobs, while their ledger rows carry today's time).
    used = SpoolLedgerEntry.objects.filter(
        workspace=workspace,
        print_job_id__in=finished.values("pk"),
        reason__in=(SpoolLedgerEntry.Reason.PRINT, SpoolLedgerEntry.Reason.FAILED_PRINT),
    ).aggregate(grams=Sum("grams"))["grams"]
    return TodaysOutput(
        completed_jobs=jobs["completed"],
        completed_copies=jobs["copies"] or 0,
        failed_jobs=jobs["failed"],
        filament_grams=-(used or Decimal("0")),
    )
