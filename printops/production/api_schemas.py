"""The production API's request and response shapes, and the functions that fill the responses
from rows (plain dicts into plain pydantic models: see `Out`)."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import BaseModel

from printops.core.bounds import Id, decimal, one_of, whole
from printops.materials.api_schemas import FilamentRef, filament_ref
from printops.materials.models import Filament, Spool
from printops.production import services
from printops.production.batching import Batch
from printops.production.models import Printer, PrinterMaintenance, PrinterSlot, PrintJob
from printops.production.selectors import PrintHistory, QueueListing, QueueRow


class Out(BaseModel):
    """Responses are plain pydantic models built from dicts: ninja's Schema reads each field
    through a Django-aware getter, which for the 500-job queue (3 000 nested objects) cost
    more than the queries and the feasibility walk together."""


JOB_FIELDS = (
    "id", "status", "position", "priority", "copies", "note", "created_at", "started_at",
    "finished_at", "completion_percent", "layer_reached", "fail_reason", "fail_note",
)  # fmt: skip


class SpoolRef(Out):
    id: int
    label_code: str
    remaining_grams: float
    filament: FilamentRef


class SlotOut(Out):
    index: int
    spool: SpoolRef | None


# The ranges the services check, stated in the schema (issue 10: unbounded numbers were 500s).
NozzleMm = decimal(Decimal("0.1"), 2, "mm")
BuildMm = whole(1, 5000, "mm")
Watts = whole(0, 100000, "W")
HourlyCost = decimal(0, 100000)
Slots = whole(1, services.MAX_SLOTS)
SlotIndex = whole(0, services.MAX_SLOTS - 1)
Copies = whole(1, services.MAX_COPIES)
Priority = whole(services.PRIORITY_LOW, services.PRIORITY_HIGH)
Position = whole(1, 10**6)
Layer = whole(0, 10**6)
Percent = decimal(0, 100, "%")
PrinterStatus = one_of(*map(str, services.MANUAL_PRINTER_STATUSES))  # the ones set by hand


class PrinterIn(Schema):
    name: str
    model: str = ""
    nozzle_diameter_mm: NozzleMm = Decimal("0.4")  # type: ignore[valid-type]
    build_x_mm: BuildMm = 220  # type: ignore[valid-type]
    build_y_mm: BuildMm = 220  # type: ignore[valid-type]
    build_z_mm: BuildMm = 250  # type: ignore[valid-type]
    power_watts: Watts = 0  # type: ignore[valid-type]
    hourly_cost: HourlyCost = Decimal("0")  # type: ignore[valid-type]
    allowed_materials: list[str] = []
    slots: Slots = 1  # type: ignore[valid-type]


class PrinterPatch(Schema):
    name: str | None = None
    model: str | None = None
    nozzle_diameter_mm: NozzleMm | None = None  # type: ignore[valid-type]
    build_x_mm: BuildMm | None = None  # type: ignore[valid-type]
    build_y_mm: BuildMm | None = None  # type: ignore[valid-type]
    build_z_mm: BuildMm | None = None  # type: ignore[valid-type]
    power_watts: Watts | None = None  # type: ignore[valid-type]
    hourly_cost: HourlyCost | None = None  # type: ignore[valid-type]
    allowed_materials: list[str] | None = None
    slots: Slots | None = None  # type: ignore[valid-type]
    status: PrinterStatus | None = None  # type: ignore[valid-type]


class PrinterOut(Out):
    id: int
    name: str
    model: str
    nozzle_diameter_mm: float
    build_x_mm: int
    build_y_mm: int
    build_z_mm: int
    power_watts: int
    hourly_cost: float
    currency: str
    status: str
    allowed_materials: list[str]
    slots: list[SlotOut]


class SlotIn(Schema):
    slot: SlotIndex  # type: ignore[valid-type]
    spool: Id | None = None


class MaintenanceIn(Schema):
    note: str
    date: dt.date | None = None


class MaintenanceOut(Out):
    id: int
    date: dt.date
    note: str
    actor: str | None
    staff: str | None
    created_at: datetime


class PrinterRef(Out):
    id: int
    name: str


class VersionRef(Out):
    id: int
    number: int
    name: str
    design: str
    variant: str
    print_seconds: int | None


class ShortOut(Out):
    filament: FilamentRef | None
    filament_id: int
    grams: float


class UnmatchedSlotOut(Out):
    slot: int
    material: str
    color_hex: str
    grams: float


class FeasibilityOut(Out):
    state: str
    short: list[ShortOut]
    unmatched: list[UnmatchedSlotOut]


class JobSpoolOut(Out):
    slot: int
    grams: float
    spool: SpoolRef


class JobOut(Out):
    id: int
    status: str
    position: int
    priority: int
    copies: int
    note: str
    version: VersionRef
    printer: PrinterRef | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    completion_percent: float | None
    layer_reached: int | None
    fail_reason: str
    fail_note: str
    requeued_from: int | None
    grams: float
    grams_source: str  # "file", "derived" (from the length the file states) or "corrected"
    estimated_seconds: int | None
    estimated_start: datetime | None
    estimated_finish: datetime | None
    schedule_problem: str
    feasibility: FeasibilityOut | None
    spools: list[JobSpoolOut]


class QueueOut(Out):
    items: list[JobOut]
    total: int
    queued_seconds: int
    feasibility_warnings: int
    shortfall: list[ShortOut]


class JobIn(Schema):
    version: Id
    copies: Copies = 1  # type: ignore[valid-type]
    printer: Id | None = None
    priority: Priority = 0  # type: ignore[valid-type]
    note: str = ""


class StartIn(Schema):
    printer: Id | None = None
    spools: dict[SlotIndex, Id] = {}  # type: ignore[valid-type]


class FailIn(Schema):
    reason: one_of(*PrintJob.FailReason.values)  # type: ignore[valid-type]
    note: str = ""
    completion_percent: Percent | None = None  # type: ignore[valid-type]
    layer: Layer | None = None  # type: ignore[valid-type]


class SpoolSwitchIn(Schema):
    slot: SlotIndex  # type: ignore[valid-type]
    spool: Id


class ReorderIn(Schema):
    job_ids: list[Id] | None = None
    job: Id | None = None
    position: Position | None = None  # type: ignore[valid-type]


class GatherIn(Schema):
    job_ids: list[Id]


class QueueOrderOut(Out):
    job_ids: list[int]


class ScheduledOut(Out):
    job: int
    printer: PrinterRef | None
    start: datetime | None
    finish: datetime | None
    estimated_seconds: int | None
    problem: str


class PrinterFreeOut(Out):
    printer: PrinterRef
    free_at: datetime


class ScheduleOut(Out):
    printing: list[ScheduledOut]
    queued: list[ScheduledOut]
    printers: list[PrinterFreeOut]
    queued_seconds: int
    finish: datetime | None
    next_free: PrinterFreeOut | None


class BatchOut(Out):
    label: str
    job_ids: list[int]
    filaments: list[FilamentRef]
    printers: list[int]
    together: bool


class HistoryOut(Out):
    completed: int
    failed: int
    cancelled: int
    success_rate: float | None
    interval: list[float] | None
    failure_reasons: dict[str, int]
    average_seconds: int | None
    estimated_seconds: int | None
    time_ratio: float | None
    implausible_durations: int  # completed jobs left out of the averages (implausible times)
    jobs: list[JobOut]


def spool_ref(spool: Spool | None) -> dict[str, Any] | None:
    if spool is None:
        return None
    return {
        "id": spool.pk,
        "label_code": spool.label_code,
        "remaining_grams": spool.remaining_grams,
        "filament": filament_ref(spool.filament),
    }


def slot_out(slot: PrinterSlot) -> dict[str, Any]:
    return {"index": slot.index, "spool": spool_ref(slot.spool)}


def printer_out(printer: Printer, currency: str) -> dict[str, Any]:
    return {
        **{f: getattr(printer, f) for f in (*services.PRINTER_FIELDS, "id", "status")},
        "currency": currency,
        "slots": [slot_out(s) for s in printer.slots.all()],
    }


def job_out(row: QueueRow, filaments: dict[int, Filament]) -> dict[str, Any]:
    job, version = row.job, row.job.version
    feasibility = None
    if row.feasibility is not None:
        feasibility = {
            "state": row.feasibility.state,
            "short": [
                {
                    "filament_id": s.filament_id,
                    "filament": filament_ref(filaments[s.filament_id])
                    if s.filament_id in filaments
                    else None,
                    "grams": s.grams,
                }
                for s in row.feasibility.short
            ],
            "unmatched": [
                {"slot": u.slot, "material": u.material, "color_hex": u.color_hex, "grams": u.grams}
                for u in row.feasibility.unmatched
            ],
        }
    scheduled = row.scheduled
    return {
        **{f: getattr(job, f) for f in JOB_FIELDS},
        "requeued_from": job.requeued_from_id,
        "version": {
            "id": version.pk,
            "number": version.number,
            "name": str(version),
            "design": version.variant.design.name,
            "variant": version.variant.name,
            "print_seconds": version.print_seconds,
        },
        "printer": {"id": job.printer.pk, "name": job.printer.name} if job.printer else None,
        "grams": row.grams,
        "grams_source": row.plan.grams_source,
        "estimated_seconds": row.estimated_seconds,
        "estimated_start": scheduled.start if scheduled else None,
        "estimated_finish": scheduled.finish if scheduled else None,
        "schedule_problem": scheduled.problem if scheduled else "",
        "feasibility": feasibility,
        "spools": [
            {"slot": s.slot, "grams": s.grams, "spool": spool_ref(s.spool)} for s in row.spools
        ],
    }


def shortfall_out(listing: QueueListing) -> list[dict[str, Any]]:
    return [
        {
            "filament_id": pk,
            "filament": filament_ref(listing.filaments[pk]) if pk in listing.filaments else None,
            "grams": grams,
        }
        for pk, grams in sorted(listing.feasibility.shortfall.items())
    ]


def maintenance_out(entry: PrinterMaintenance) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "date": entry.date,
        "note": entry.note,
        "actor": entry.actor.display_name if entry.actor else None,
        "staff": entry.staff.display_name if entry.staff else None,
        "created_at": entry.created_at,
    }


def batch_out(batch: Batch) -> dict[str, Any]:
    return {
        "label": batch.label,
        "job_ids": batch.job_ids,
        "filaments": [filament_ref(f) for f in batch.filaments],
        "printers": sorted(batch.printer_ids),
        "together": batch.together,
    }


def history_out(history: PrintHistory, listing: QueueListing) -> dict[str, Any]:
    return {
        "completed": history.completed,
        "failed": history.failed,
        "cancelled": history.cancelled,
        "success_rate": history.success_rate,
        "interval": list(history.interval) if history.interval else None,
        "failure_reasons": history.failure_reasons,
        "average_seconds": history.average_seconds,
        "estimated_seconds": history.estimated_seconds,
        "time_ratio": history.time_ratio,
        "implausible_durations": history.implausible_durations,
        "jobs": [job_out(row, listing.filaments) for row in listing.rows],
    }
