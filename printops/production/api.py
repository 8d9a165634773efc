"""JSON API for production: printers and their slots, the queue, jobs, schedule, batches."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from printops.accounts.request import WorkspaceRequest
from printops.core.api_errors import ACTION_ONE, READ, READ_ONE, WRITE, WRITE_ONE, errors
from printops.core.bounds import Id, Offset, whole
from printops.core.errors import InvalidInput
from printops.library import selectors as library_selectors
from printops.library.models import VariantVersion
from printops.materials import selectors as materials_selectors
from printops.materials.models import Spool
from printops.production import batching, selectors, services
from printops.production.api_schemas import (
    BatchOut,
    FailIn,
    GatherIn,
    HistoryOut,
    JobIn,
    JobOut,
    MaintenanceIn,
    MaintenanceOut,
    PrinterIn,
    PrinterOut,
    PrinterPatch,
    QueueOrderOut,
    QueueOut,
    ReorderIn,
    ScheduleOut,
    SlotIn,
    SlotOut,
    SpoolSwitchIn,
    StartIn,
    batch_out,
    history_out,
    job_out,
    maintenance_out,
    printer_out,
    shortfall_out,
    slot_out,
)
from printops.production.models import Printer, PrintJob
from printops.production.schedule import queue_schedule

MAX_LIMIT = 1000

router = Router(tags=["production"])


def _job_response(request: WorkspaceRequest, job_id: int) -> dict[str, Any]:
    listing = selectors.queue_listing(workspace=request.workspace, status=None, job_id=job_id)
    return job_out(listing.rows[0], listing.filaments)


# --- lookups (another workspace's object is a 404) -------------------------------------------


def _printer(request: WorkspaceRequest, printer_id: int) -> Printer:
    return get_object_or_404(selectors.printer_list(workspace=request.workspace), pk=printer_id)


def _job(request: WorkspaceRequest, job_id: int) -> PrintJob:
    return get_object_or_404(selectors.print_job_list(workspace=request.workspace), pk=job_id)


def _version(request: WorkspaceRequest, version_id: int) -> VariantVersion:
    return get_object_or_404(
        library_selectors.version_list(workspace=request.workspace),
        pk=version_id,
    )


def _spool(request: WorkspaceRequest, spool_id: int) -> Spool:
    return get_object_or_404(
        materials_selectors.spool_list(workspace=request.workspace, archived=None),
        pk=spool_id,
    )


# --- printers --------------------------------------------------------------------------------


@router.get("/printers", response={200: list[PrinterOut], **READ})
def printer_list(request: WorkspaceRequest) -> list[dict[str, Any]]:
    """Printers with their slots and the spool loaded in each."""
    workspace = request.workspace
    return [printer_out(p, workspace.currency) for p in selectors.printer_list(workspace=workspace)]


@router.post("/printers", response={201: PrinterOut, **WRITE, **errors(409)})
def printer_create(request: WorkspaceRequest, payload: PrinterIn) -> Status:
    """Add a printer (managers and owners); `slots`: 1 for one toolhead, 4 for an AMS."""
    printer = services.printer_create(actor=request.actor, **payload.dict())
    return Status(201, printer_out(_printer(request, printer.pk), request.workspace.currency))


@router.get("/printers/{printer_id}", response={200: PrinterOut, **READ_ONE})
def printer_get(request: WorkspaceRequest, printer_id: Id) -> dict[str, Any]:
    return printer_out(_printer(request, printer_id), request.workspace.currency)


@router.patch("/printers/{printer_id}", response={200: PrinterOut, **WRITE_ONE, **errors(409)})
def printer_update(
    request: WorkspaceRequest, printer_id: Id, payload: PrinterPatch
) -> dict[str, Any]:
    """Change the fields given (managers and owners); `status` (idle, maintenance, offline)
    is for operators too."""
    printer = _printer(request, printer_id)
    fields = payload.dict(exclude_unset=True)
    status = fields.pop("status", None)
    actor = request.actor
    if fields:
        services.printer_update(actor=actor, printer=printer, **fields)
    if status is not None:
        services.printer_set_status(actor=actor, printer=printer, status=status)
    return printer_out(_printer(request, printer_id), request.workspace.currency)


@router.post("/printers/{printer_id}/slots", response={200: SlotOut, **WRITE_ONE, **errors(409)})
def printer_slot_load(request: WorkspaceRequest, printer_id: Id, payload: SlotIn) -> dict[str, Any]:
    """Load a spool into a slot (0-based), or empty it with `"spool": null`."""
    printer = _printer(request, printer_id)
    spool = _spool(request, payload.spool) if payload.spool is not None else None
    slot = services.printer_slot_load(
        actor=request.actor,
        printer=printer,
        index=payload.slot,
        spool=spool,
    )
    return slot_out(slot)


@router.get("/printers/{printer_id}/maintenance", response={200: list[MaintenanceOut], **READ_ONE})
def printer_maintenance_list(request: WorkspaceRequest, printer_id: Id) -> list[dict[str, Any]]:
    """The printer's maintenance log, newest first."""
    printer = _printer(request, printer_id)
    log = selectors.printer_maintenance_list(workspace=request.workspace, printer=printer)
    return [maintenance_out(e) for e in log]


@router.post("/printers/{printer_id}/maintenance", response={201: MaintenanceOut, **WRITE_ONE})
def printer_maintenance_add(
    request: WorkspaceRequest, printer_id: Id, payload: MaintenanceIn
) -> Status:
    printer = _printer(request, printer_id)
    entry = services.printer_maintenance_add(
        actor=request.actor,
        printer=printer,
        note=payload.note,
        on=payload.date,
    )
    return Status(201, maintenance_out(entry))


# --- jobs and the queue ----------------------------------------------------------------------


@router.get("/jobs", response={200: QueueOut, **errors(422)})
def job_list(
    request: WorkspaceRequest,
    status: str = "queued,printing",
    printer: Id | None = None,
    material: str = "",
    limit: whole(1, MAX_LIMIT) = 500,  # type: ignore[valid-type]
    offset: Offset = 0,
) -> dict[str, Any]:
    """Printing jobs, then the queue in order, each with its feasibility (ready / short /
    unmatched) and estimated start and finish. `status`: comma-separated, or `all`."""
    statuses = (
        None
        if status.strip().lower() == "all"
        else [s.strip().lower() for s in status.split(",") if s.strip()]
    )
    listing = selectors.queue_listing(
        workspace=request.workspace,
        status=statuses,
        printer_id=printer,
        material=material,
        limit=limit,
        offset=offset,
    )
    return {
        "items": [job_out(row, listing.filaments) for row in listing.rows],
        "total": listing.total,
        "queued_seconds": listing.schedule.queued_seconds,
        "feasibility_warnings": listing.feasibility.warnings,
        "shortfall": shortfall_out(listing),
    }


@router.post("/jobs", response={201: JobOut, **WRITE, **errors(404)})
def job_queue(request: WorkspaceRequest, payload: JobIn) -> Status:
    """Queue `copies` prints of a version on a printer, or on any compatible one (`null`)."""
    version = _version(request, payload.version)
    printer = _printer(request, payload.printer) if payload.printer is not None else None
    job = services.print_job_queue(
        actor=request.actor,
        version=version,
        copies=payload.copies,
        printer=printer,
        priority=payload.priority,
        note=payload.note,
    )
    return Status(201, _job_response(request, job.pk))


@router.get("/jobs/{job_id}", response={200: JobOut, **READ_ONE})
def job_get(request: WorkspaceRequest, job_id: Id) -> dict[str, Any]:
    return _job_response(request, _job(request, job_id).pk)


@router.post("/jobs/{job_id}/start", response={200: JobOut, **WRITE_ONE, **errors(409)})
def job_start(
    request: WorkspaceRequest, job_id: Id, payload: StartIn | None = None
) -> dict[str, Any]:
    """Start a queued job; optional `printer` and `spools` ({file slot: spool id})."""
    job = _job(request, job_id)
    if request.body.strip() and not request.body.lstrip().startswith(b"{"):
        # Django Ninja reads a body that is not an object (a string, a list) as an empty
        # one; starting a job with defaults on a malformed request would be a surprise.
        raise InvalidInput(
            'Send a JSON object, e.g. {"printer": 3, "spools": {"0": 17}}, or no body at all.'
        )
    payload = payload or StartIn()
    printer = _printer(request, payload.printer) if payload.printer is not None else None
    spools = {slot: _spool(request, spool_id) for slot, spool_id in payload.spools.items()}
    services.print_job_start(actor=request.actor, job=job, printer=printer, spools=spools)
    return _job_response(request, job_id)


@router.post("/jobs/{job_id}/complete", response={200: JobOut, **ACTION_ONE, **errors(409)})
def job_complete(request: WorkspaceRequest, job_id: Id) -> dict[str, Any]:
    """Record it completed: grams × copies come off its spools once (409 the second time)."""
    services.print_job_complete(actor=request.actor, job=_job(request, job_id))
    return _job_response(request, job_id)


@router.post("/jobs/{job_id}/fail", response={200: JobOut, **WRITE_ONE, **errors(409)})
def job_fail(request: WorkspaceRequest, job_id: Id, payload: FailIn) -> dict[str, Any]:
    """Record it failed with a reason and `completion_percent` or `layer`; what was printed
    comes off its spools once."""
    services.print_job_fail(actor=request.actor, job=_job(request, job_id), **payload.dict())
    return _job_response(request, job_id)


@router.post("/jobs/{job_id}/cancel", response={200: JobOut, **ACTION_ONE, **errors(409)})
def job_cancel(request: WorkspaceRequest, job_id: Id) -> dict[str, Any]:
    """Take a queued job out of the queue; nothing is consumed."""
    services.print_job_cancel(actor=request.actor, job=_job(request, job_id))
    return _job_response(request, job_id)


@router.post("/jobs/{job_id}/requeue", response={201: JobOut, **ACTION_ONE, **errors(409)})
def job_requeue(request: WorkspaceRequest, job_id: Id) -> Status:
    """Queue a failed job again, in the place it held; returns the new job."""
    new = services.print_job_requeue(actor=request.actor, job=_job(request, job_id))
    return Status(201, _job_response(request, new.pk))


@router.post("/jobs/{job_id}/spools", response={200: JobOut, **WRITE_ONE, **errors(409)})
def job_spool_switch(
    request: WorkspaceRequest, job_id: Id, payload: SpoolSwitchIn
) -> dict[str, Any]:
    """Charge one of a printing job's filament slots to another spool."""
    services.print_job_spool_switch(
        actor=request.actor,
        job=_job(request, job_id),
        slot=payload.slot,
        spool=_spool(request, payload.spool),
    )
    return _job_response(request, job_id)


@router.post("/queue/reorder", response={200: QueueOrderOut, **WRITE, **errors(404, 409)})
def queue_reorder(request: WorkspaceRequest, payload: ReorderIn) -> dict[str, Any]:
    """`{"job_ids": [...]}`: these queued jobs in this order, in the places they hold; or
    `{"job": id, "position": n}`: move one job to place n (1 = next)."""
    actor = request.actor
    if payload.job_ids is not None:
        order = services.queue_reorder(actor=actor, job_ids=payload.job_ids)
    elif payload.job is not None and payload.position is not None:
        services.print_job_move(
            actor=actor, job=_job(request, payload.job), position=payload.position
        )
        order = _queue_ids(request)
    else:
        from printops.core.errors import InvalidInput

        raise InvalidInput('Send {"job_ids": [...]} or {"job": id, "position": n}.')
    return {"job_ids": order}


def _queue_ids(request: WorkspaceRequest) -> list[int]:
    return list(
        selectors.print_job_list(
            workspace=request.workspace, status=PrintJob.Status.QUEUED
        ).values_list("pk", flat=True)
    )


@router.post("/queue/gather", response={200: QueueOrderOut, **WRITE, **errors(409)})
def queue_gather(request: WorkspaceRequest, payload: GatherIn) -> dict[str, Any]:
    """Bring a batch together: the jobs follow one another from the first one's place."""
    order = services.queue_gather(actor=request.actor, job_ids=payload.job_ids)
    return {"job_ids": order}


@router.get("/schedule", response={200: ScheduleOut, **READ})
def schedule(request: WorkspaceRequest) -> dict[str, Any]:
    """Estimated start and finish of each printing and queued job, and when printers free up."""
    workspace = request.workspace
    laid_out = queue_schedule(workspace=workspace)
    printers = {p.pk: p for p in selectors.printer_list(workspace=workspace)}

    def ref(pk: int | None) -> dict[str, Any] | None:
        return {"id": pk, "name": printers[pk].name} if pk in printers else None

    def entry(e: Any) -> dict[str, Any]:
        return {
            "job": e.job_id,
            "printer": ref(e.printer_id),
            "start": e.start,
            "finish": e.finish,
            "estimated_seconds": e.estimated_seconds,
            "problem": e.problem,
        }

    nxt = laid_out.next_free
    return {
        "printing": [entry(e) for e in laid_out.printing],
        "queued": [entry(e) for e in laid_out.queued],
        "printers": [
            {"printer": ref(pk), "free_at": at} for pk, at in sorted(laid_out.free_at.items())
        ],
        "queued_seconds": laid_out.queued_seconds,
        "finish": laid_out.finish,
        "next_free": {"printer": ref(nxt[0]), "free_at": nxt[1]} if nxt else None,
    }


@router.get("/batches", response={200: list[BatchOut], **READ})
def batches(request: WorkspaceRequest) -> list[dict[str, Any]]:
    """Queued jobs that use the same filaments and share a printer: run them together."""
    return [batch_out(b) for b in batching.batch_suggestions(workspace=request.workspace)]


@router.get("/versions/{version_id}/history", response={200: HistoryOut, **READ_ONE})
def version_history(request: WorkspaceRequest, version_id: Id) -> dict[str, Any]:
    """Completed / failed / cancelled prints of a version, the success rate with its 95 %
    Wilson interval, failure reasons, and actual against estimated time."""
    workspace = request.workspace
    version = _version(request, version_id)
    history = selectors.version_print_history(workspace=workspace, version=version)
    listing = selectors.queue_listing(
        workspace=workspace, status=None, job_ids=[j.pk for j in history.jobs]
    )
    return history_out(history, listing)
