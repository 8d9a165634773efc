"""Every write in production: printers and their slots, the queue, and each job's life.

A job's consumption is written through `materials.services.spool_consume` (never ledger rows
by hand), in the same transaction as the conditional UPDATE that claims the job's change to
completed or failed: the claim succeeds once, so the grams are taken once, however many
people press the button at the same moment.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record, snapshot
from printops.accounts.models import Workspace
from printops.accounts.roles import Perm
from printops.core.errors import Conflict, InvalidInput
from printops.core.validation import clean_number, clean_text, clean_whole
from printops.library.models import VariantVersion
from printops.materials import services as materials
from printops.materials.models import Material, Spool, SpoolLedgerEntry
from printops.production.models import (
    Printer,
    PrinterMaintenance,
    PrinterSlot,
    PrintJob,
    PrintJobSpool,
    PrintQueue,
    VersionLayers,
)
from printops.production.plans import VersionPlan, incompatibilities, version_plan
from printops.production.spools import (
    spool_assignment,
    spool_elsewhere_sentence,
    spool_whereabouts,
)

logger = logging.getLogger(__name__)

PRINTER_FIELDS = (
    "name",
    "model",
    "nozzle_diameter_mm",
    "build_x_mm",
    "build_y_mm",
    "build_z_mm",
    "power_watts",
    "hourly_cost",
    "allowed_materials",
)
MAX_SLOTS = 16  # an AMS chain of four holds 16 spools
MAX_COPIES = 999
PRIORITY_LOW, PRIORITY_HIGH = -10, 10
MANUAL_PRINTER_STATUSES = (
    Printer.Status.IDLE,
    Printer.Status.MAINTENANCE,
    Printer.Status.OFFLINE,
)
_CENT = Decimal("0.01")
Status = PrintJob.Status


# --- input checks ----------------------------------------------------------------------------


def _materials(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [part for part in value.replace(";", ",").split(",")]
    chosen = []
    for raw in value or ():
        material = str(raw).strip().upper()
        if not material:
            continue
        if material not in Material.values:
            raise InvalidInput(
                f"“{raw}” is not one of the materials: {', '.join(Material.values)}.",
                field="allowed_materials",
            )
        if material not in chosen:
            chosen.append(material)
    return chosen


def _same_workspace(actor: Actor, obj: Any, what: str, field: str) -> None:
    if obj is not None and obj.workspace_id != actor.workspace.pk:
        raise InvalidInput(f"Choose one of this workspace's {what}.", field=field)


# --- printers --------------------------------------------------------------------------------


def _printer_values(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Checked values for the printer fields present in `raw`."""
    checks = {
        "name": lambda v: clean_text(v, "printer's name", "name", 120, required=True),
        "model": lambda v: clean_text(v, "printer model", "model", 120),
        "nozzle_diameter_mm": lambda v: clean_number(
            v, "nozzle diameter", "nozzle_diameter_mm", low=Decimal("0.1"), high=Decimal("2")
        ).quantize(_CENT),
        "build_x_mm": lambda v: clean_whole(v, "build width", "build_x_mm", low=1, high=5000),
        "build_y_mm": lambda v: clean_whole(v, "build depth", "build_y_mm", low=1, high=5000),
        "build_z_mm": lambda v: clean_whole(v, "build height", "build_z_mm", low=1, high=5000),
        "power_watts": lambda v: clean_whole(v, "power", "power_watts", low=0, high=100000),
        "hourly_cost": lambda v: clean_number(
            v, "hourly cost", "hourly_cost", low=Decimal("0"), high=Decimal("100000")
        ).quantize(_CENT),
        "allowed_materials": _materials,
    }
    return {key: checks[key](value) for key, value in raw.items() if key in checks}


def _name_taken(actor: Actor, name: str, exclude: int | None = None) -> None:
    taken = Printer.objects.filter(workspace=actor.workspace, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise Conflict(f"There is already a printer called {name}.", field="name")


def _resize_slots(printer: Printer, count: int) -> None:
    existing = set(printer.slots.values_list("index", flat=True))
    PrinterSlot.objects.bulk_create(
        PrinterSlot(workspace_id=printer.workspace_id, printer=printer, index=index)
        for index in range(count)
        if index not in existing
    )
    # Slots beyond the new count go, with whatever they held back on the shelf.
    PrinterSlot.objects.filter(printer=printer, index__gte=count).delete()
    printer.slot_count = count  # type: ignore[attr-defined]


def printer_create(*, actor: Actor, slots: Any = 1, **fields: Any) -> Printer:
    """Add a printer with `slots` filament positions (1 for a single toolhead, 4 for an AMS).
    Fields are those of `Printer` (PRINTER_FIELDS); each is checked with a sentence."""
    actor.require(Perm.EDIT_SETTINGS)
    values = _printer_values({"name": fields.get("name", ""), **fields})
    count = clean_whole(slots, "number of filament slots", "slots", low=1, high=MAX_SLOTS)
    _name_taken(actor, values["name"])
    with transaction.atomic():
        printer = Printer.objects.create(workspace=actor.workspace, **values)
        _resize_slots(printer, count)
        audit_record(
            actor=actor,
            verb="printer.created",
            obj=printer,
            after={**snapshot(printer, PRINTER_FIELDS), "slots": count},
        )
    return printer


def printer_update(*, actor: Actor, printer: Printer, slots: Any = None, **fields: Any) -> Printer:
    """Change the given fields of a printer (the others stay); `slots` changes how many filament
    positions it has (spools in removed ones are unloaded)."""
    actor.require(Perm.EDIT_SETTINGS)
    values = _printer_values(fields)
    count = (
        clean_whole(slots, "number of filament slots", "slots", low=1, high=MAX_SLOTS)
        if slots not in (None, "")
        else None
    )
    if "name" in values:
        _name_taken(actor, values["name"], exclude=printer.pk)
    with transaction.atomic():
        before = snapshot(printer, PRINTER_FIELDS)
        if values:
            Printer.objects.filter(pk=printer.pk).update(**values)
            for key, value in values.items():
                setattr(printer, key, value)
        if count is not None:
            _resize_slots(printer, count)
        audit_record(
            actor=actor,
            verb="printer.updated",
            obj=printer,
            before=before,
            after={**snapshot(printer, PRINTER_FIELDS), **({"slots": count} if count else {})},
        )
    return printer


def printer_set_status(*, actor: Actor, printer: Printer, status: str) -> Printer:
    """Take a printer into maintenance or offline, or back to idle. A printer prints only when a
    job starts on it, and is not taken away from a job that is printing."""
    actor.require(Perm.RUN_PRODUCTION)
    if status not in MANUAL_PRINTER_STATUSES:
        raise InvalidInput(
            "Set a printer to idle, maintenance or offline; it is printing while a job runs on it.",
            field="status",
        )
    with transaction.atomic():
        locked = Printer.objects.select_for_update().get(pk=printer.pk)
        running = PrintJob.objects.filter(printer=locked, status=Status.PRINTING).first()
        if running is not None:
            raise Conflict(
                f"{locked.name} is printing {running}: complete or fail it first.",
                field="status",
            )
        before = locked.status
        Printer.objects.filter(pk=printer.pk).update(status=status)
        printer.status = status
        audit_record(
            actor=actor,
            verb="printer.status_changed",
            obj=printer,
            before={"status": before},
            after={"status": status},
        )
    return printer


def printer_slot_load(
    *, actor: Actor, printer: Printer, index: Any, spool: Spool | None
) -> PrinterSlot:
    """Put a spool in a printer's slot (None: empty it). A spool is in one place: loading it
    here takes it out of any other slot."""
    actor.require(Perm.RUN_PRODUCTION)
    _same_workspace(actor, printer, "printers", "printer")
    _same_workspace(actor, spool, "spools", "spool")
    number = clean_whole(index, "slot", "slot", low=0, high=MAX_SLOTS - 1)
    if spool is not None and spool.archived:
        raise Conflict(f"{spool} is archived; restore it before loading it.", field="spool")
    slot = PrinterSlot.objects.filter(printer=printer, index=number).first()
    if slot is None:
        count = printer.slots.count()
        raise InvalidInput(
            f"{printer.name} has {count} slot{'s' if count != 1 else ''}, numbered 0 to "
            f"{count - 1}.",
            field="slot",
        )
    try:
        with transaction.atomic():
            slot = PrinterSlot.objects.select_for_update().get(pk=slot.pk)
            before = slot.spool_id
            moved_from = None
            if spool is not None:
                _refuse_spool_printing_elsewhere(actor.workspace, spool, printer)
                elsewhere = (
                    PrinterSlot.objects.select_related("printer")
                    .filter(spool=spool)
                    .exclude(pk=slot.pk)
                    .first()
                )
                if elsewhere is not None:
                    moved_from = str(elsewhere)
                    PrinterSlot.objects.filter(pk=elsewhere.pk).update(spool=None)
            PrinterSlot.objects.filter(pk=slot.pk).update(spool=spool)
            slot.spool = spool
            audit_record(
                actor=actor,
                verb="printer.slot_loaded" if spool else "printer.slot_emptied",
                obj=printer,
                before={"slot": number, "spool_id": before},
                after={
                    "slot": number,
                    "spool": spool.label_code if spool else None,
                    **({"taken_from": moved_from} if moved_from else {}),
                },
            )
    except IntegrityError:  # the same spool loaded into another slot at the same moment
        raise Conflict(
            "That spool was just loaded somewhere else; reload the page and try again.",
            field="spool",
        ) from None
    return slot


def _refuse_spool_printing_elsewhere(workspace: Workspace, spool: Spool, printer: Printer) -> None:
    """A spool a job prints from on another printer stays where it is until that job ends."""
    Spool.objects.select_for_update().filter(pk=spool.pk).values_list("pk").first()
    where = spool_whereabouts(workspace=workspace, spool_ids=[spool.pk], printer=printer)
    if spool.pk in where and where[spool.pk].printing:
        raise Conflict(
            f"{spool} is {where[spool.pk]}: complete or fail that job, or switch it to another "
            f"spool, before loading this one into {printer.name}.",
            field="spool",
        )


def printer_maintenance_add(
    *, actor: Actor, printer: Printer, note: str, on: date | None = None
) -> PrinterMaintenance:
    """Write an entry in a printer's maintenance log (today unless `on` says otherwise)."""
    actor.require(Perm.RUN_PRODUCTION)
    note = clean_text(note, "note", "note", 500, required=True)
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise InvalidInput("Log maintenance once it is done, not ahead.", field="date")
    with transaction.atomic():
        entry = PrinterMaintenance.objects.create(
            workspace=actor.workspace,
            printer=printer,
            date=on,
            note=note,
            actor=actor.user,
            staff=actor.staff,
        )
        audit_record(
            actor=actor,
            verb="printer.maintenance_logged",
            obj=printer,
            after={"date": on.isoformat(), "note": note},
        )
    return entry


# --- the queue -------------------------------------------------------------------------------


def _lock_queue(workspace: Workspace) -> PrintQueue:
    """Lock the workspace's queue row: queue-order changes run one at a time."""
    queue, _ = PrintQueue.objects.get_or_create(workspace=workspace)
    return PrintQueue.objects.select_for_update().get(pk=queue.pk)


def _bump(queue: PrintQueue) -> None:
    PrintQueue.objects.filter(pk=queue.pk).update(revision=F("revision") + 1)


def _queued(workspace: Workspace) -> Any:
    return PrintJob.objects.filter(workspace=workspace, status=Status.QUEUED)


def _make_room_at(workspace: Workspace, position: int) -> None:
    """Shift queued jobs at `position` and after one place back.

    In two steps through negative numbers: PostgreSQL checks the unique position of queued
    jobs row by row, so `position + 1` in one statement collides with the next row.
    """
    _queued(workspace).filter(position__gte=position).update(position=-F("position") - 1)
    _queued(workspace).filter(position__lt=0).update(position=-F("position"))


def _renumber(workspace: Workspace, ordered_ids: Sequence[int]) -> None:
    """Give the queued jobs `ordered_ids` positions 1, 2, 3… (only rows that change are
    written; negated first, for the same reason as `_make_room_at`)."""
    current = dict(_queued(workspace).values_list("pk", "position"))
    changed = [pk for place, pk in enumerate(ordered_ids, start=1) if current.get(pk) != place]
    if not changed:
        return
    target = {pk: place for place, pk in enumerate(ordered_ids, start=1)}
    _queued(workspace).filter(pk__in=changed).update(position=-F("position"))
    PrintJob.objects.bulk_update(
        [PrintJob(pk=pk, position=target[pk]) for pk in changed], ["position"], batch_size=500
    )


def _queue_order(workspace: Workspace) -> list[int]:
    return list(_queued(workspace).order_by("position", "pk").values_list("pk", flat=True))


def _check_printable(version: VariantVersion, plan: VersionPlan) -> None:
    if version.needs_slicing:
        raise InvalidInput(
            f"{version} needs slicing: the file holds the model's shape, not print "
            "instructions. Slice it and upload the result as a new version.",
            field="version",
        )
    if version.status != VariantVersion.Status.READY:
        raise InvalidInput(
            f"{version} could not be read ({version.unreadable_reason or 'unknown format'}); "
            f"upload a file PrintOps can read before queueing it.",
            field="version",
        )
    if not plan.usages:
        if plan.grams_problem:
            reason = f"{plan.grams_problem}, so it cannot be planned or charged"
        else:
            reason = (
                "states neither the grams nor the length of filament it uses, so it cannot be "
                "planned or charged"
            )
        raise InvalidInput(
            f"{version}: {reason}. Enter the grams one copy takes (weighed, or as the slicer "
            f"shows them) on the version's page: Correct a value → Filament.",
            field="version",
        )


def print_job_queue(
    *,
    actor: Actor,
    version: VariantVersion,
    copies: Any = 1,
    printer: Printer | None = None,
    priority: Any = 0,
    note: str = "",
) -> PrintJob:
    """Queue `copies` prints of a version, on `printer` or (None) any compatible printer.

    A new job goes in ahead of every queued job of lower priority, behind the others; after
    that, the order is what people make it. Refused with a sentence when the version cannot be
    read, gives no grams, or does not suit the chosen printer.
    """
    actor.require(Perm.RUN_PRODUCTION)
    _same_workspace(actor, version, "versions", "version")
    _same_workspace(actor, printer, "printers", "printer")
    copies = clean_whole(copies, "number of copies", "copies", low=1, high=MAX_COPIES)
    priority = clean_whole(priority, "priority", "priority", low=PRIORITY_LOW, high=PRIORITY_HIGH)
    note = clean_text(note, "note", "note", 500)
    plan = version_plan(version)
    _check_printable(version, plan)
    if printer is not None:
        problems = incompatibilities(printer, plan)
        if problems:
            raise InvalidInput(" ".join(problems), field="printer")
    with transaction.atomic():
        queue = _lock_queue(actor.workspace)
        lower = (
            _queued(actor.workspace)
            .filter(priority__lt=priority)
            .order_by("position")
            .values_list("position", flat=True)
            .first()
        )
        if lower is not None:
            position = lower
            _make_room_at(actor.workspace, position)
        else:
            last = _queued(actor.workspace).order_by("-position").values_list("position", flat=True)
            position = (last.first() or 0) + 1
        job = PrintJob.objects.create(
            workspace=actor.workspace,
            version=version,
            printer=printer,
            copies=copies,
            priority=priority,
            position=position,
            note=note,
            created_by=actor.user,
        )
        _bump(queue)
        audit_record(
            actor=actor,
            verb="print_job.queued",
            obj=job,
            after={
                "version": str(version),
                "copies": copies,
                "printer": printer.name if printer else None,
                "priority": priority,
            },
        )
        _layers_later(version)
    return job


def print_job_move(*, actor: Actor, job: PrintJob, position: Any) -> PrintJob:
    """Move a queued job to `position` (1 = next to print; beyond the end = last)."""
    actor.require(Perm.RUN_PRODUCTION)
    place = clean_whole(position, "position", "position", low=1, high=10**6)
    with transaction.atomic():
        queue = _lock_queue(actor.workspace)
        order = _queue_order(actor.workspace)
        if job.pk not in order:
            raise Conflict(_not_queued_sentence(job), field="job")
        before = order.index(job.pk) + 1
        order.remove(job.pk)
        order.insert(min(place, len(order) + 1) - 1, job.pk)
        _renumber(actor.workspace, order)
        _bump(queue)
        job.position = order.index(job.pk) + 1
        audit_record(
            actor=actor,
            verb="print_job.moved",
            obj=job,
            before={"position": before},
            after={"position": job.position},
        )
    return job


def print_job_move_up(*, actor: Actor, job: PrintJob) -> PrintJob:
    """Move a queued job one place earlier (the first stays first)."""
    place = _queue_order(actor.workspace).index(job.pk) + 1 if _is_queued(job) else 1
    return print_job_move(actor=actor, job=job, position=max(place - 1, 1))


def print_job_move_down(*, actor: Actor, job: PrintJob) -> PrintJob:
    """Move a queued job one place later (the last stays last)."""
    place = _queue_order(actor.workspace).index(job.pk) + 1 if _is_queued(job) else 1
    return print_job_move(actor=actor, job=job, position=place + 1)


def _is_queued(job: PrintJob) -> bool:
    return _queued(job.workspace_id).filter(pk=job.pk).exists()


def queue_reorder(*, actor: Actor, job_ids: Sequence[int]) -> list[int]:
    """Put the listed queued jobs in this order, in the places they hold between them (the
    whole queue, or the jobs a filtered view shows); others keep their places. Returns the
    whole queue's job ids in order. A job that left the queue meanwhile is refused."""
    actor.require(Perm.RUN_PRODUCTION)
    ids = [int(pk) for pk in job_ids]
    if len(set(ids)) != len(ids):
        raise InvalidInput("List each job once.", field="job_ids")
    with transaction.atomic():
        queue = _lock_queue(actor.workspace)
        order = _queue_order(actor.workspace)
        places = {pk: index for index, pk in enumerate(order)}
        gone = [pk for pk in ids if pk not in places]
        if gone:
            raise Conflict(
                f"Job #{gone[0]} is no longer in the queue: reload it and try again.",
                field="job_ids",
            )
        slots = sorted(places[pk] for pk in ids)
        for index, pk in zip(slots, ids, strict=True):
            order[index] = pk
        _renumber(actor.workspace, order)
        _bump(queue)
        audit_record(actor=actor, verb="print_queue.reordered", after={"job_ids": ids})
    return order


def queue_gather(*, actor: Actor, job_ids: Sequence[int]) -> list[int]:
    """Bring queued jobs together (a batch): they follow one another from the place of the
    first of them, in their present order. Returns the queue's job ids in order."""
    actor.require(Perm.RUN_PRODUCTION)
    wanted = {int(pk) for pk in job_ids}
    with transaction.atomic():
        queue = _lock_queue(actor.workspace)
        order = _queue_order(actor.workspace)
        missing = wanted - set(order)
        if missing:
            raise Conflict(
                f"Job #{min(missing)} is no longer in the queue: reload it and try again.",
                field="job_ids",
            )
        if len(wanted) < 2:
            raise InvalidInput("Choose at least two queued jobs to run together.", field="job_ids")
        group = [pk for pk in order if pk in wanted]
        first = order.index(group[0])
        rest = [pk for pk in order if pk not in wanted]
        order = rest[:first] + group + rest[first:]
        _renumber(actor.workspace, order)
        _bump(queue)
        audit_record(actor=actor, verb="print_queue.gathered", after={"job_ids": group})
    return order


# --- a job's life ----------------------------------------------------------------------------


def _not_queued_sentence(job: PrintJob) -> str:
    current = PrintJob.objects.select_related("printer").get(pk=job.pk)
    return {
        Status.PRINTING: f"{current} is already printing"
        + (f" on {current.printer.name}." if current.printer else "."),
        Status.COMPLETED: f"{current} was already completed.",
        Status.FAILED: f"{current} already failed; requeue it to print it again.",
        Status.CANCELLED: f"{current} was cancelled; queue the version again to print it.",
    }.get(current.status, f"{current} is not in the queue.")


def _not_printing_sentence(job: PrintJob, action: str) -> str:
    current = PrintJob.objects.get(pk=job.pk)
    when = (
        date_format(timezone.localtime(current.finished_at), "DATETIME_FORMAT")
        if current.finished_at
        else ""
    )
    return {
        Status.QUEUED: f"{current} has not started yet: start it before you {action} it.",
        Status.COMPLETED: f"This job was already completed ({when}); its filament was "
        f"recorded then, and nothing more was taken.",
        Status.FAILED: f"This job was already recorded as failed ({when}); its filament was "
        f"recorded then, and nothing more was taken.",
        Status.CANCELLED: f"{current} was cancelled before it started.",
    }.get(current.status, f"{current} is not printing.")


def print_job_start(
    *,
    actor: Actor,
    job: PrintJob,
    printer: Printer | None = None,
    spools: Mapping[int, Spool] | None = None,
) -> PrintJob:
    """Start a queued job on `printer` (else the one it was queued for) with a spool for each
    of the file's filament slots (`spools` maps slot → spool; the rest are chosen as
    `spools.spool_assignment` says).

    The job is claimed with one conditional UPDATE (queued → printing) and the printer with
    another (idle → printing), so a job starts once and a printer runs one job.
    """
    actor.require(Perm.RUN_PRODUCTION)
    _same_workspace(actor, printer, "printers", "printer")
    printer = printer or job.printer
    if printer is None:
        raise InvalidInput("Choose the printer this job runs on.", field="printer")
    if job.status != Status.QUEUED:
        raise Conflict(_not_queued_sentence(job))
    if Printer.objects.get(pk=printer.pk).status != Printer.Status.IDLE:
        raise Conflict(_printer_busy_sentence(printer), field="printer")
    plan = version_plan(job.version)
    problems = incompatibilities(printer, plan)
    if problems:
        raise InvalidInput(" ".join(problems), field="printer")
    if not plan.usages:
        raise Conflict(f"{job.version} no longer says how many grams it uses; it cannot start.")
    assigned = spool_assignment(
        workspace=actor.workspace, job=job, printer=printer, plan=plan, chosen=spools or {}
    )
    now = timezone.now()
    with transaction.atomic():
        claimed = PrintJob.objects.filter(
            pk=job.pk, workspace=actor.workspace, status=Status.QUEUED
        ).update(status=Status.PRINTING, printer=printer, started_at=now)
        if claimed != 1:
            raise Conflict(_not_queued_sentence(job))
        took = Printer.objects.filter(pk=printer.pk, status=Printer.Status.IDLE).update(
            status=Printer.Status.PRINTING
        )
        if took != 1:
            raise Conflict(_printer_busy_sentence(printer), field="printer")
        _claim_spools(actor.workspace, [spool for _, spool, _ in assigned], printer)
        PrintJobSpool.objects.bulk_create(
            PrintJobSpool(
                workspace=actor.workspace,
                job=job,
                slot=usage.slot,
                filament_usage_id=usage.usage_id,
                spool=spool,
                grams=grams,
            )
            for usage, spool, grams in assigned
        )
        job.status, job.printer, job.started_at = Status.PRINTING, printer, now
        printer.status = Printer.Status.PRINTING
        audit_record(
            actor=actor,
            verb="print_job.started",
            obj=job,
            after={
                "printer": printer.name,
                "spools": {str(u.slot): f"{s.label_code} ({g} g)" for u, s, g in assigned},
            },
        )
    return job


def _claim_spools(workspace: Workspace, spools: Sequence[Spool], printer: Printer) -> None:
    """Lock the spools a start or a switch takes (in id order, so two starts cannot deadlock)
    and refuse any that feeds another printer: the check runs after the lock, so of two starts
    at once that chose the same spool, the second sees the first's job and is refused."""
    ids = sorted({spool.pk for spool in spools})
    list(Spool.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    away = spool_whereabouts(workspace=workspace, spool_ids=ids, printer=printer)
    for spool in spools:
        if spool.pk in away:
            raise Conflict(spool_elsewhere_sentence(spool, away[spool.pk], printer), field="spools")


def _printer_busy_sentence(printer: Printer) -> str:
    current = Printer.objects.get(pk=printer.pk)
    if current.status == Printer.Status.PRINTING:
        running = PrintJob.objects.filter(printer=current, status=Status.PRINTING).first()
        what = f" {running}" if running else " another job"
        return f"{current.name} is printing{what}: complete or fail it first."
    if current.status == Printer.Status.MAINTENANCE:
        return f"{current.name} is in maintenance: set it back to idle when it is ready."
    if current.status == Printer.Status.OFFLINE:
        return f"{current.name} is offline: set it back to idle when it is ready."
    return f"{current.name} is busy."


def print_job_spool_switch(
    *, actor: Actor, job: PrintJob, slot: Any, spool: Spool
) -> PrintJobSpool:
    """Charge one filament slot of a printing job to another spool (the first ran out, or the
    ledger says it holds too little)."""
    actor.require(Perm.RUN_PRODUCTION)
    _same_workspace(actor, spool, "spools", "spool")
    number = clean_whole(slot, "slot", "slot", low=0, high=MAX_SLOTS - 1)
    if spool.archived:
        raise Conflict(f"{spool} is archived; restore it or choose another.", field="spool")
    with transaction.atomic():
        current = (
            PrintJob.objects.select_for_update(of=("self",))
            .select_related("printer")
            .get(pk=job.pk)
        )
        if current.status != Status.PRINTING:
            raise Conflict("Spools can be switched while a job is printing.", field="job")
        row = PrintJobSpool.objects.filter(job=current, slot=number).first()
        if row is None:
            raise InvalidInput(f"{current} has no filament slot {number}.", field="slot")
        if current.printer is not None:
            _claim_spools(actor.workspace, [spool], current.printer)
        before = row.spool_id
        PrintJobSpool.objects.filter(pk=row.pk).update(spool=spool)
        row.spool = spool
        audit_record(
            actor=actor,
            verb="print_job.spool_switched",
            obj=current,
            before={"slot": number, "spool_id": before},
            after={"slot": number, "spool": spool.label_code},
        )
    return row


def _release_printer(job: PrintJob) -> None:
    if job.printer_id is not None:
        Printer.objects.filter(pk=job.printer_id, status=Printer.Status.PRINTING).update(
            status=Printer.Status.IDLE
        )


def _consume(
    *,
    actor: Actor,
    job: PrintJob,
    shares: Mapping[int, Decimal],
    reason: str,
    note: str,
) -> list[SpoolLedgerEntry]:
    """Take each slot's grams × its share off the job's spools through the materials ledger.
    A spool the ledger says holds too little refuses the whole change with its name."""
    rows = list(PrintJobSpool.objects.filter(job=job).select_related("spool").order_by("slot"))
    amounts = [
        (row, (row.grams * shares.get(row.slot, Decimal("0"))).quantize(_CENT, ROUND_HALF_UP))
        for row in rows
    ]
    for row, grams in amounts:
        spool = row.spool
        if grams > 0 and spool.archived:
            raise Conflict(
                f"{spool} (filament {row.slot + 1}) is archived: restore it, or switch this "
                f"job to another spool, then try again.",
                field="spools",
            )
        if grams > spool.remaining_grams:
            raise Conflict(
                f"{spool} (filament {row.slot + 1}) holds {spool.remaining_grams} g by the "
                f"ledger, but this job used {grams} g of it: weigh the spool in, or switch this "
                f"job to another spool, then try again.",
                field="spools",
            )
    return [
        materials.spool_consume(
            actor=actor,
            spool=row.spool,
            grams=grams,
            reason=reason,
            note=note,
            print_job_id=job.pk,
        )
        for row, grams in amounts
        if grams > 0
    ]


def print_job_complete(*, actor: Actor, job: PrintJob) -> PrintJob:
    """Record a printing job as completed and take the version's grams × copies off its spools,
    once: the status claim and the ledger rows share one transaction."""
    actor.require(Perm.RUN_PRODUCTION)
    now = timezone.now()
    with transaction.atomic():
        claimed = PrintJob.objects.filter(
            pk=job.pk, workspace=actor.workspace, status=Status.PRINTING
        ).update(status=Status.COMPLETED, finished_at=now, completion_percent=Decimal("100"))
        if claimed != 1:
            raise Conflict(_not_printing_sentence(job, "complete"))
        current = PrintJob.objects.select_related("version__variant__design").get(pk=job.pk)
        entries = _consume(
            actor=actor,
            job=current,
            shares=_everything(current),
            reason=SpoolLedgerEntry.Reason.PRINT,
            note=f"{current}: {current.version} × {current.copies}",
        )
        _release_printer(current)
        audit_record(
            actor=actor,
            verb="print_job.completed",
            obj=current,
            after={"grams": [str(-e.grams) for e in entries]},
        )
    job.status, job.finished_at, job.completion_percent = (
        Status.COMPLETED,
        now,
        Decimal("100"),
    )
    return job


def _everything(job: PrintJob) -> dict[int, Decimal]:
    return dict.fromkeys(job.spools.values_list("slot", flat=True), Decimal("1"))


def _layer_shares(job: PrintJob, layer: int) -> tuple[dict[int, Decimal], Decimal]:
    """Each slot's share of its grams used by the end of `layer` (1-based, as printers show
    it), and the job's completion percentage by weight."""
    if job.copies != 1:
        raise InvalidInput(
            f"{job} prints {job.copies} copies one after another: give how far the whole job got "
            f"as a percentage instead of a layer.",
            field="layer",
        )
    layers = VersionLayers.objects.filter(version_id=job.version_id).first()
    if layers is None or layers.error or not layers.grams_by_layer:
        raise InvalidInput(
            "The filament used per layer is not known for this file (it is read from G-code "
            "in the background after queueing): give how far it got as a percentage instead.",
            field="layer",
        )
    if layer > layers.layer_count:
        raise InvalidInput(
            f"The file has {layers.layer_count} layers; give a layer from 1 to "
            f"{layers.layer_count}.",
            field="layer",
        )
    at = layers.grams_by_layer[layer] if layer < layers.layer_count else layers.total_grams
    shares: dict[int, Decimal] = {}
    for slot in job.spools.values_list("slot", flat=True):
        total = layers.total_grams[slot] if slot < len(layers.total_grams) else 0
        used = at[slot] if slot < len(at) else 0
        shares[slot] = (
            min(Decimal(str(used)) / Decimal(str(total)), Decimal("1"))
            if total > 0
            else Decimal("0")
        )
    whole = sum(Decimal(str(g)) for g in layers.total_grams)
    done = sum(Decimal(str(g)) for g in at)
    percent = (done / whole * 100).quantize(_CENT) if whole > 0 else Decimal("0")
    return shares, min(percent, Decimal("100"))


def print_job_fail(
    *,
    actor: Actor,
    job: PrintJob,
    reason: str,
    note: str = "",
    completion_percent: Any = None,
    layer: Any = None,
) -> PrintJob:
    """Record a printing job as failed, with why and how far it got, and take off its spools
    what was printed, once (same transaction as the status claim): by the grams per layer of
    its G-code when `layer` is given, else grams × copies × completion_percent / 100."""
    actor.require(Perm.RUN_PRODUCTION)
    if reason not in PrintJob.FailReason.values:
        raise InvalidInput(
            f"Choose why it failed: {', '.join(PrintJob.FailReason.values)}.", field="reason"
        )
    note = clean_text(note, "note", "note", 500)
    if not PrintJob.objects.filter(pk=job.pk, status=Status.PRINTING).exists():
        raise Conflict(_not_printing_sentence(job, "fail"))
    if reason == PrintJob.FailReason.OTHER and not note:
        raise InvalidInput("Say what happened in a note.", field="note")
    given_percent = completion_percent not in (None, "")
    given_layer = layer not in (None, "")
    if given_percent == given_layer:
        raise InvalidInput(
            "Say how far it got: a completion percentage or the layer it reached (one of them).",
            field="completion_percent",
        )
    layer_reached = None
    if given_layer:
        layer_reached = clean_whole(layer, "layer", "layer", low=0, high=10**6)
        shares, percent = _layer_shares(job, layer_reached)
    else:
        percent = clean_number(
            completion_percent,
            "completion percentage",
            "completion_percent",
            low=Decimal("0"),
            high=Decimal("100"),
        ).quantize(_CENT)
        shares = dict.fromkeys(job.spools.values_list("slot", flat=True), percent / 100)
    now = timezone.now()
    with transaction.atomic():
        claimed = PrintJob.objects.filter(
            pk=job.pk, workspace=actor.workspace, status=Status.PRINTING
        ).update(
            status=Status.FAILED,
            finished_at=now,
            completion_percent=percent,
            layer_reached=layer_reached,
            fail_reason=reason,
            fail_note=note,
        )
        if claimed != 1:
            raise Conflict(_not_printing_sentence(job, "fail"))
        current = PrintJob.objects.select_related("version__variant__design").get(pk=job.pk)
        entries = _consume(
            actor=actor,
            job=current,
            shares=shares,
            reason=SpoolLedgerEntry.Reason.FAILED_PRINT,
            note=f"{current} failed at {percent}% ({current.get_fail_reason_display()})",
        )
        _release_printer(current)
        audit_record(
            actor=actor,
            verb="print_job.failed",
            obj=current,
            after={
                "reason": reason,
                "note": note,
                "completion_percent": str(percent),
                "layer": layer_reached,
                "grams": [str(-e.grams) for e in entries],
            },
        )
    job.status, job.finished_at, job.completion_percent = Status.FAILED, now, percent
    job.layer_reached, job.fail_reason, job.fail_note = layer_reached, reason, note
    return job


def print_job_cancel(*, actor: Actor, job: PrintJob) -> PrintJob:
    """Take a queued job out of the queue; nothing is consumed. A printing job is failed
    instead, with how far it got."""
    actor.require(Perm.RUN_PRODUCTION)
    now = timezone.now()
    with transaction.atomic():
        claimed = PrintJob.objects.filter(
            pk=job.pk, workspace=actor.workspace, status=Status.QUEUED
        ).update(status=Status.CANCELLED, finished_at=now)
        if claimed != 1:
            current = PrintJob.objects.get(pk=job.pk)
            if current.status == Status.PRINTING:
                raise Conflict(
                    f"{current} is printing: record it as failed, with how far it got, "
                    f"instead of cancelling it."
                )
            raise Conflict(_not_queued_sentence(job))
        audit_record(actor=actor, verb="print_job.cancelled", obj=job)
    job.status, job.finished_at = Status.CANCELLED, now
    return job


def print_job_requeue(*, actor: Actor, job: PrintJob) -> PrintJob:
    """Queue a failed job again (the shop's fault: the print is still owed): a new job with the
    same version, copies, printer and priority, back in the place the failed one held, linked
    to it by `requeued_from`. Once per failed job."""
    actor.require(Perm.RUN_PRODUCTION)
    current = PrintJob.objects.select_related("version", "printer").get(pk=job.pk)
    if current.status != Status.FAILED:
        raise Conflict(
            "Only a failed job can be requeued; queue the version again to print it once more."
        )
    again = PrintJob.objects.filter(requeued_from=current).first()
    if again is not None:
        raise Conflict(f"{current} was already requeued as {again}.")
    try:
        with transaction.atomic():
            queue = _lock_queue(actor.workspace)
            position = max(current.position, 1)
            _make_room_at(actor.workspace, position)
            new = PrintJob.objects.create(
                workspace=actor.workspace,
                version=current.version,
                printer=current.printer,
                copies=current.copies,
                priority=current.priority,
                position=position,
                note=current.note,
                requeued_from=current,
                created_by=actor.user,
            )
            _bump(queue)
            audit_record(
                actor=actor, verb="print_job.requeued", obj=new, after={"from": str(current)}
            )
    except IntegrityError:  # requeued by someone else at the same moment
        raise Conflict(f"{current} was just requeued by someone else.") from None
    return new


# --- per-layer grams (background) ------------------------------------------------------------


def _layers_later(version: VariantVersion) -> None:
    """After commit, read the version's per-layer grams in a task (G-code only, once)."""
    if version.file_format != "gcode":
        return
    if VersionLayers.objects.filter(version=version).exists():
        return
    from printops.production.tasks import read_version_layers

    transaction.on_commit(lambda: read_version_layers.enqueue(version_id=version.pk))


def version_layers_read(*, version: VariantVersion) -> VersionLayers:
    """Read the cumulative grams per filament at each layer change of a version's G-code and
    keep them (a pass over the whole file: run it in a task, never in a request)."""
    from printops.core.blobs import blob_open_verified
    from printops.slicefile import SliceFileError, filament_by_layer

    grams_by_layer: list[list[float]] = []
    total: list[float] = []
    error = ""
    try:
        with blob_open_verified(version.blob) as local:
            usage = filament_by_layer(local.name)
        grams_by_layer = [[round(g, 6) for g in layer.grams] for layer in usage.layers]
        total = [round(g, 6) for g in usage.total_grams]
    except (SliceFileError, Conflict, OSError) as exc:
        error = str(exc)[:500] or "The file could not be read."
        logger.info("layers of version %s not read: %s", version.pk, error)
    layers, _ = VersionLayers.objects.update_or_create(
        version=version,
        defaults={
            "workspace_id": version.workspace_id,
            "grams_by_layer": grams_by_layer,
            "total_grams": total,
            "error": error,
        },
    )
    return layers
