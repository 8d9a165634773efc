"""Reads shaped for the production pages: what a page shows beyond one selector's answer.

Each function reads through the production and materials selectors or in a few bulk queries
scoped by workspace, so a page costs the same number of queries whatever the queue's length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.urls import reverse

from printops.accounts.actor import Actor
from printops.accounts.models import Workspace
from printops.core.errors import DomainError
from printops.materials import selectors as materials_selectors
from printops.materials.models import Filament, Material, Spool, SpoolLedgerEntry
from printops.production import batching, selectors
from printops.production.models import Printer, PrintJob
from printops.production.plans import (
    UsagePlan,
    compatible,
    incompatibilities,
    version_plan,
    with_slot_counts,
)
from printops.production.selectors import QueueListing, QueueRow
from printops.production.spools import spool_assignment, spool_whereabouts

Status = PrintJob.Status
HISTORY_ROWS = 200  # finished jobs shown when the queue page is filtered by one of their statuses
# Rows the queue page shows unless asked for all: 500 rows took 600 ms to render (1.3 MB of
# HTML) on SQLite, 100 take about a fifth; totals, badges and the schedule still cover the
# whole queue, and drag and drop reorders the rows shown among themselves.
QUEUE_ROWS = 100


@dataclass
class JobLine:
    """One row of the queue page: the selector's row, the idle printers that could start it
    now, and its shortfalls with their filaments."""

    row: QueueRow
    able: list[Printer] = field(default_factory=list)
    short: list[tuple[Filament | None, Decimal]] = field(default_factory=list)
    place: int | None = None  # 1-based place among the queued jobs shown
    last: bool = False  # the last queued job of the whole queue (nothing to move below)

    @property
    def job(self) -> PrintJob:
        return self.row.job


@dataclass
class QueuePage:
    """The queue page: printing and queued rows, who can print each, totals and batches."""

    listing: QueueListing
    printers: list[Printer]
    printing: list[JobLine]
    queued: list[JobLine]
    others: list[JobLine]
    batches: list[batching.Batch]
    next_free: tuple[Printer, datetime] | None
    queued_total: int
    filtered: bool
    order_ids: list[int] = field(default_factory=list)
    hidden: int = 0  # rows beyond the ones shown


def queue_page(
    *,
    workspace: Workspace,
    printer_id: int | None = None,
    material: str = "",
    status: str = "",
    show_all: bool = False,
) -> QueuePage:
    """Everything the queue page shows (the first QUEUE_ROWS rows unless `show_all`), in about
    twenty-five queries whatever the queue's length."""
    statuses: Sequence[str] = (
        (status,) if status in Status.values else (Status.PRINTING, Status.QUEUED)
    )
    finished = bool(status) and status not in (Status.QUEUED, Status.PRINTING)
    listing = selectors.queue_listing(
        workspace=workspace,
        status=statuses,
        printer_id=printer_id,
        material=material,
        limit=HISTORY_ROWS if finished else None if show_all else QUEUE_ROWS,
    )
    printers = list(
        with_slot_counts(Printer.objects.filter(workspace=workspace)).order_by("name", "pk")
    )
    by_pk = {p.pk: p for p in printers}
    idle = [p for p in printers if p.status == Printer.Status.IDLE]
    printing, queued, others = [], [], []
    for row in listing.rows:
        line = JobLine(row=row)
        if row.job.status == Status.QUEUED:
            line.able = [
                p
                for p in idle
                if (row.job.printer_id is None or p.pk == row.job.printer_id)
                and compatible(p, row.plan)
            ]
            if row.feasibility is not None:
                line.short = [
                    (listing.filaments.get(s.filament_id), s.grams) for s in row.feasibility.short
                ]
            queued.append(line)
            line.place = len(queued)
        elif row.job.status == Status.PRINTING:
            printing.append(line)
        else:
            others.append(line)
    nxt = listing.schedule.next_free
    if queued and not (printer_id or material or status) and listing.total <= len(listing.rows):
        queued[-1].last = True
    return QueuePage(
        listing=listing,
        printers=printers,
        printing=printing,
        queued=queued,
        others=others,
        batches=batching.batch_suggestions(workspace=workspace) if not status else [],
        next_free=(by_pk[nxt[0]], nxt[1]) if nxt and nxt[0] in by_pk else None,
        queued_total=len(listing.schedule.queued),
        filtered=bool(printer_id or material or status),
        order_ids=[line.job.pk for line in queued],
        hidden=max(listing.total - len(listing.rows), 0),
    )


def queue_order(*, workspace: Workspace) -> list[int]:
    """The queued jobs' ids in queue order."""
    return list(
        selectors.print_job_list(workspace=workspace, status=Status.QUEUED).values_list(
            "pk", flat=True
        )
    )


def queue_order_changed(*, workspace: Workspace, seen: Sequence[int]) -> bool:
    """Whether the jobs a person saw (in the order seen) are no longer in that order in the
    queue: someone moved, started or cancelled one of them meanwhile."""
    wanted = set(seen)
    now = [pk for pk in queue_order(workspace=workspace) if pk in wanted]
    return now != list(seen)


def material_choices() -> list[tuple[str, str]]:
    return list(Material.choices)


# --- a job's page ----------------------------------------------------------------------------


@dataclass
class SlotChoice:
    """One filament slot of a job's file, the spools that could print it, and the one the
    service would take on its own."""

    usage: UsagePlan
    grams: Decimal
    spools: list[Spool]
    suggested: Spool | None


@dataclass
class StartChoices:
    printers: list[Printer]  # compatible, idle first
    refused: list[tuple[Printer, str]]  # incompatible printers and why
    default_printer: Printer | None
    slots: list[SlotChoice]
    suggestion_problem: str = ""


def start_choices(*, actor: Actor, job: PrintJob) -> StartChoices:
    """What the start form offers: the printers that can print the job (its own when it was
    queued for one) and, per filament slot of its file, the spools in stock, with the spool
    the service would choose on the default printer."""
    workspace = actor.workspace
    plan = version_plan(job.version)
    printers = list(
        with_slot_counts(Printer.objects.filter(workspace=workspace)).order_by("name", "pk")
    )
    if job.printer_id is not None:
        printers = [p for p in printers if p.pk == job.printer_id]
    fitting, refused = [], []
    for printer in printers:
        problems = incompatibilities(printer, plan)
        if problems:
            refused.append((printer, " ".join(problems)))
        else:
            fitting.append(printer)
    fitting.sort(key=lambda p: (p.status != Printer.Status.IDLE, p.name))
    default = fitting[0] if fitting else None
    suggested: dict[int, Spool] = {}
    problem = ""
    if default is not None and plan.usages:
        try:
            assigned = spool_assignment(workspace=workspace, job=job, printer=default, plan=plan)
        except DomainError as error:
            problem = error.message
        else:
            suggested = {usage.slot: spool for usage, spool, _ in assigned}
    filament_ids = {u.filament_id for u in plan.usages if u.filament_id}
    # A spool in another printer, or feeding a job printing elsewhere, cannot feed this one:
    # offering it only led to a start the service refuses (or, before, to one spool on two
    # printers).
    away = spool_whereabouts(workspace=workspace, spool_ids=None, printer=default)
    stock = [
        spool
        for spool in materials_selectors.spool_list(
            workspace=workspace, archived=False, sort="grams"
        ).filter(remaining_grams__gt=0)
        if spool.pk not in away
    ]
    slots = []
    for usage in plan.usages:
        same = [s for s in stock if s.filament_id == usage.filament_id]
        rest = [s for s in stock if s.filament_id != usage.filament_id]
        spools = same + ([] if filament_ids and same else rest)
        if usage.filament_id is None:
            spools = [s for s in stock if s.filament.material == usage.material] or stock
        slots.append(
            SlotChoice(
                usage=usage,
                grams=usage.grams * job.copies,
                spools=spools[:200],
                suggested=suggested.get(usage.slot),
            )
        )
    return StartChoices(
        printers=fitting,
        refused=refused,
        default_printer=default,
        slots=slots,
        suggestion_problem=problem,
    )


def job_ledger_rows(*, workspace: Workspace, job: PrintJob) -> list[SpoolLedgerEntry]:
    """The materials ledger rows a job wrote (its consumption), oldest first."""
    return list(
        SpoolLedgerEntry.objects.filter(workspace=workspace, print_job_id=job.pk)
        .select_related("spool__filament__vendor", "actor", "staff")
        .order_by("created_at", "pk")
    )


def loadable_spools(*, workspace: Workspace, printer: Printer | None = None) -> list[Spool]:
    """Spools in stock (not archived, not empty) for a slot's select, by filament; not those a
    job printing on another printer takes from (loading moves a spool, and that one is busy)."""
    away = spool_whereabouts(workspace=workspace, spool_ids=None, printer=printer)
    busy = {pk for pk, where in away.items() if where.printing}
    return [
        spool
        for spool in materials_selectors.spool_list(
            workspace=workspace, archived=False, sort="brand"
        ).filter(remaining_grams__gt=0)
        if spool.pk not in busy
    ]


def filaments_by_id(*, workspace: Workspace, ids: set[int]) -> dict[int, Filament]:
    return {
        f.pk: f for f in materials_selectors.filament_list(workspace=workspace).filter(pk__in=ids)
    }


# --- URLs for long lists ---------------------------------------------------------------------

_MARK = 987654321


def url_parts(name: str, *extra: str) -> tuple[str, str]:
    """A URL pattern with one id as (before, after) the id, reversed once per request: 100
    queue rows reversing ten URLs each spent about 40 ms in `{% url %}`."""
    before, after = reverse(name, args=[_MARK, *extra]).split(str(_MARK))
    return before, after


def row_urls() -> dict[str, tuple[str, str]]:
    """The URLs each queue row or schedule bar links or posts to."""
    return {
        "job": url_parts("production:job"),
        "thumbnail": url_parts("library:thumbnail"),
        "start": url_parts("production:job_start"),
        "complete": url_parts("production:job_complete"),
        "fail": url_parts("production:job_fail"),
        "cancel": url_parts("production:job_cancel"),
        "requeue": url_parts("production:job_requeue"),
        "up": url_parts("production:job_move", "up"),
        "down": url_parts("production:job_move", "down"),
    }


def switch_choices(*, workspace: Workspace, job: PrintJob) -> dict[int, list[Spool]]:
    """For each slot of a printing job, the other spools in stock of the same filament (the
    ones a slot can be switched to), fullest first. One query."""
    rows = list(job.spools.all())
    filament_ids = {r.spool.filament_id for r in rows}
    away = spool_whereabouts(workspace=workspace, spool_ids=None, printer=job.printer)
    stock = [
        spool
        for spool in materials_selectors.spool_list(
            workspace=workspace, archived=False, sort="-grams"
        ).filter(filament_id__in=filament_ids, remaining_grams__gt=0)
        if spool.pk not in away
    ]
    return {
        r.slot: [s for s in stock if s.filament_id == r.spool.filament_id and s.pk != r.spool_id]
        for r in rows
    }
