"""A job's life once it leaves the queue: starting, switching a spool, completing, failing.

A job's consumption is written through `materials.services.spool_consume` (never ledger rows
by hand), in the same transaction as the conditional UPDATE that claims the job's change to
completed or failed: the claim succeeds once, so the grams are taken once, however many
people press the button at the same moment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record
from printops.accounts.models import Workspace
from printops.accounts.roles import Perm
from printops.core.errors import Conflict, InvalidInput
from printops.core.validation import clean_number, clean_text, clean_whole
from printops.materials import services as materials
from printops.materials.models import Spool, SpoolLedgerEntry
from printops.production.models import (
    Printer,
    PrintJob,
    PrintJobSpool,
    VersionLayers,
)
from printops.production.plans import incompatibilities, version_plan
from printops.production.services.common import _CENT, Status, _same_workspace
from printops.production.services.printers import MAX_SLOTS
from printops.production.services.queue import _not_queued_sentence
from printops.production.spools import (
    spool_assignment,
    spool_elsewhere_sentence,
    spool_whereabouts,
)


def _not_printing_sentence(job: PrintJob, action: str) -> str:
    current = PrintJob.objects.get(pk=job.pk)
    when = (
        date_format(timezone.localtime(current.finished_at), "DATETIME_FORMAT")
        if current.finished_at
        else ""
    )
    sentences: dict[str, str] = {
        Status.QUEUED: f"{current} has not started yet: start it before you {action} it.",
        Status.COMPLETED: f"This job was already completed ({when}); its filament was "
        f"recorded then, and nothing more was taken.",
        Status.FAILED: f"This job was already recorded as failed ({when}); its filament was "
        f"recorded then, and nothing more was taken.",
        Status.CANCELLED: f"{current} was cancelled before it started.",
    }
    return sentences.get(current.status, f"{current} is not printing.")


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
    whole = sum((Decimal(str(g)) for g in layers.total_grams), Decimal(0))
    done = sum((Decimal(str(g)) for g in at), Decimal(0))
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
