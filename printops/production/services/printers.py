"""Printers, their filament slots, loading spools into them, and their maintenance log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.db import IntegrityError, transaction
from django.utils import timezone

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record, snapshot
from printops.accounts.models import Workspace
from printops.accounts.roles import Perm
from printops.core.errors import Conflict, InvalidInput
from printops.core.validation import clean_number, clean_text, clean_whole
from printops.materials.models import Material, Spool
from printops.production.models import (
    Printer,
    PrinterMaintenance,
    PrinterSlot,
    PrintJob,
)
from printops.production.services.common import _CENT, Status, _same_workspace
from printops.production.spools import spool_whereabouts

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
MANUAL_PRINTER_STATUSES = (
    Printer.Status.IDLE,
    Printer.Status.MAINTENANCE,
    Printer.Status.OFFLINE,
)


class PrinterFields(TypedDict, total=False):
    """A printer's fields as typed in (a form sends text, the API numbers); each is checked
    with a sentence. One left out keeps its value (on create: the model's default)."""

    model: str
    nozzle_diameter_mm: Decimal | str
    build_x_mm: int | str
    build_y_mm: int | str
    build_z_mm: int | str
    power_watts: int | str
    hourly_cost: Decimal | str
    allowed_materials: Sequence[str] | str


class PrinterChanges(PrinterFields, total=False):
    """The fields an update may change: a printer's fields and its name."""

    name: str


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


def printer_create(
    *, actor: Actor, name: str, slots: int | str = 1, **fields: Unpack[PrinterFields]
) -> Printer:
    """Add a printer with `slots` filament positions (1 for a single toolhead, 4 for an AMS).
    Fields are those of `Printer` (PRINTER_FIELDS); each is checked with a sentence."""
    actor.require(Perm.EDIT_SETTINGS)
    values = _printer_values({"name": name, **fields})
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


def printer_update(
    *,
    actor: Actor,
    printer: Printer,
    slots: int | str | None = None,
    **fields: Unpack[PrinterChanges],
) -> Printer:
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
