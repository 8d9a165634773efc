"""Can the queue be printed from the filament in stock? A walk down the queue in order.

Stock is the grams on spools not archived, per filament. Printing jobs come first: their grams
are still on the spools (taken off when they finish), so what they planned is set aside. Then
each queued job, in queue order, reserves its grams × copies per filament from what is left:

- ready: every filament it uses is matched to the catalogue and in stock after the jobs ahead;
- short: some filament runs out before this job (`short` says which and how many grams);
- unmatched: some of its file's filaments are not linked to a catalogue filament, so stock
  cannot be judged for them (its matched ones are still reserved).

A short job still reserves its grams: it stays ahead of the jobs behind it, so their shortfalls
add up to the queue's total shortfall, what must be bought to print everything.

At most five queries, then plain Python (500 queued jobs, 50 filaments: see
benchmarks/bench_production.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from printops.accounts.models import Workspace
from printops.materials.models import Spool
from printops.production.models import PrintJob, PrintJobSpool
from printops.production.plans import ActiveJob, UsagePlan, VersionPlan, active_jobs, version_plans

READY, SHORT, UNMATCHED = "ready", "short", "unmatched"
_ZERO = Decimal("0")


@dataclass(frozen=True)
class Shortfall:
    """Grams of a filament missing for a job, after the jobs ahead of it."""

    filament_id: int
    grams: Decimal


@dataclass(frozen=True)
class JobFeasibility:
    """Whether one queued job can be printed from stock after the jobs ahead of it."""

    job_id: int
    state: str  # READY, SHORT or UNMATCHED
    short: tuple[Shortfall, ...] = ()
    unmatched: tuple[UsagePlan, ...] = ()

    @property
    def ready(self) -> bool:
        return self.state == READY


@dataclass
class QueueFeasibility:
    """The walk's result: each queued job's state, and per filament (by id) the stock, the
    demand of printing and queued jobs, and the shortfall (demand beyond stock)."""

    jobs: dict[int, JobFeasibility] = field(default_factory=dict)
    stock: dict[int, Decimal] = field(default_factory=dict)
    demand: dict[int, Decimal] = field(default_factory=dict)
    shortfall: dict[int, Decimal] = field(default_factory=dict)

    @property
    def warnings(self) -> int:
        """Queued jobs that are short or unmatched."""
        return sum(1 for j in self.jobs.values() if not j.ready)


def walk(
    *,
    stock: Mapping[int, Decimal],
    printing: Mapping[int, Decimal],
    queued: list[tuple[int, int, VersionPlan]],
) -> QueueFeasibility:
    """The reservation walk over (job id, copies, plan) in queue order; no queries."""
    result = QueueFeasibility(stock=dict(stock))
    reserved: dict[int, Decimal] = dict(printing)
    for job_id, copies, plan in queued:
        short = []
        for filament_id, need in plan.grams_by_filament(copies).items():
            available = stock.get(filament_id, _ZERO)
            before = reserved.get(filament_id, _ZERO)
            after = before + need
            reserved[filament_id] = after
            missing = max(after - available, _ZERO) - max(before - available, _ZERO)
            if missing > 0:
                short.append(Shortfall(filament_id, missing))
        unmatched = plan.unmatched
        state = UNMATCHED if unmatched else SHORT if short else READY
        result.jobs[job_id] = JobFeasibility(job_id, state, tuple(short), unmatched)
    result.demand = reserved
    result.shortfall = {
        filament_id: need - stock.get(filament_id, _ZERO)
        for filament_id, need in reserved.items()
        if need > stock.get(filament_id, _ZERO)
    }
    return result


def filament_stock(*, workspace: Workspace) -> dict[int, Decimal]:
    """Grams on spools not archived, per filament id."""
    return dict(
        Spool.objects.filter(workspace=workspace, archived=False)
        .values_list("filament_id")
        .annotate(grams=Sum("remaining_grams"))
        .order_by()
    )


def queue_feasibility(
    *,
    workspace: Workspace,
    active: list[ActiveJob] | None = None,
    plans: Mapping[int, VersionPlan] | None = None,
) -> QueueFeasibility:
    """Each queued job ready / short / unmatched, walking the queue in order (see the module).
    `active` and `plans` let a caller that already read them (the queue listing) share them."""
    if active is None:
        active = active_jobs(workspace=workspace)
    queued = [job for job in active if job.status == PrintJob.Status.QUEUED]
    printing: dict[int, Decimal] = {}
    if len(queued) < len(active):
        for filament_id, grams in (
            PrintJobSpool.objects.filter(workspace=workspace, job__status=PrintJob.Status.PRINTING)
            .values_list("spool__filament_id")
            .annotate(grams=Sum("grams"))
            .order_by()
        ):
            printing[filament_id] = grams
    if plans is None:
        plans = version_plans(workspace=workspace, version_ids={j.version_id for j in queued})
    empty = VersionPlan(0, None, None, None, ())
    return walk(
        stock=filament_stock(workspace=workspace),
        printing=printing,
        queued=[(j.pk, j.copies, plans.get(j.version_id, empty)) for j in queued],
    )


def queue_demand(*, workspace: Workspace) -> dict[int, Decimal]:
    """Filament id → grams that printing and queued jobs will take from stock: the total
    demand, not net of stock (subtract it from the stock to see what will be left; see
    `queue_shortfall` for the grams beyond stock). Provided to materials.extensions.projected_demand
    for the shopping list. Only filaments matched to the catalogue count."""
    return queue_feasibility(workspace=workspace).demand


def queue_shortfall(*, workspace: Workspace) -> dict[int, Decimal]:
    """Filament id → grams the printing and queued jobs need beyond what is in stock."""
    return queue_feasibility(workspace=workspace).shortfall
