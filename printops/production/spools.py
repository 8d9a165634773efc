"""Which spool each filament slot of a job prints from, when it starts.

Per slot of the file, in order: the spool chosen for it; else the printer's spool of that
filament in the same slot; else in any of its slots; else the emptiest spool on the shelf (not
archived, not in another printer, not feeding a job that prints) that holds enough, so part-used
spools get used up. A spool the ledger says holds less than the job needs is refused with its
name: weighing it in (or choosing another) before printing is cheaper than finding out at the
end.

A spool feeds one printer: one loaded in another printer, or charged by a job printing on
another printer, is never assigned (`spool_whereabouts` says where it is). The start service
checks this again with the spools locked, so two starts at once cannot share one.

A read (no writes): the start service uses it, and a start form can show its suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from printops.accounts.models import Workspace
from printops.core.errors import Conflict, InvalidInput
from printops.materials.models import Filament, Spool
from printops.production.models import Printer, PrinterSlot, PrintJob, PrintJobSpool
from printops.production.plans import UsagePlan, VersionPlan

_ZERO = Decimal("0")


class SpoolAssignment(NamedTuple):
    """A slot of the file, the spool it prints from, and the grams planned (grams × copies)."""

    usage: UsagePlan
    spool: Spool
    grams: Decimal


def _loaded_slots(printer: Printer) -> list[PrinterSlot]:
    return list(
        PrinterSlot.objects.filter(printer=printer, spool__isnull=False)
        .select_related("spool__filament__vendor")
        .order_by("index")
    )


def _printing_spools(workspace: Workspace) -> Any:
    """Spool ids charged by jobs that are printing now."""
    return PrintJobSpool.objects.filter(
        workspace=workspace, job__status=PrintJob.Status.PRINTING
    ).values("spool_id")


class Elsewhere(NamedTuple):
    """Where a spool feeding another printer is: `printing` a job there, or only loaded."""

    printing: bool
    place: str  # "printing Job #12 on X1C", "loaded in MK4 slot 1"

    def __str__(self) -> str:
        return self.place


def spool_whereabouts(
    *, workspace: Workspace, spool_ids: Iterable[int] | None, printer: Printer | None = None
) -> dict[int, Elsewhere]:
    """For each of the spools (None: every spool of the workspace) that feeds a printer other
    than `printer`, where it is: "loaded in MK4 slot 1" or "printing Job #12 on X1C". Spools at
    hand (on the shelf, or in `printer`) are absent. Two queries."""
    where: dict[int, Elsewhere] = {}
    loaded = PrinterSlot.objects.filter(workspace=workspace, spool__isnull=False)
    running = PrintJobSpool.objects.filter(
        workspace=workspace, job__status=PrintJob.Status.PRINTING
    )
    if spool_ids is not None:
        ids = set(spool_ids)
        if not ids:
            return {}
        loaded, running = loaded.filter(spool_id__in=ids), running.filter(spool_id__in=ids)
    loaded = loaded.select_related("printer")
    running = running.select_related("job__printer")
    if printer is not None:
        loaded = loaded.exclude(printer=printer)
        running = running.exclude(job__printer=printer)
    for row in running:
        on = f" on {row.job.printer.name}" if row.job.printer else ""
        where.setdefault(row.spool_id, Elsewhere(True, f"printing {row.job}{on}"))
    for slot in loaded:
        assert slot.spool_id is not None
        where.setdefault(slot.spool_id, Elsewhere(False, f"loaded in {slot}"))
    return where


def _shelf_spool(
    workspace: Workspace,
    printer: Printer,
    usage: UsagePlan,
    need: Decimal,
    allocated: Mapping[int, Decimal],
) -> Spool:
    filament_id = usage.filament_id
    assert filament_id is not None  # an unmatched usage was refused before the shelf is searched
    of_filament = Spool.objects.filter(workspace=workspace, filament_id=filament_id, archived=False)
    spools = (
        of_filament.filter(remaining_grams__gte=need, printer_slots__isnull=True)
        .exclude(pk__in=_printing_spools(workspace))  # it feeds another printer
        .select_related("filament__vendor")
        .order_by("remaining_grams", "pk")
    )
    for spool in spools:
        if spool.remaining_grams - allocated.get(spool.pk, _ZERO) >= need:
            return spool
    name = Filament.objects.select_related("vendor").get(pk=filament_id)
    # Say where the spools that would do are: "none holds 5 g" is wrong when one holding
    # 989 g sits in another printer.
    elsewhere = list(
        of_filament.filter(remaining_grams__gte=need).order_by("remaining_grams", "pk")[:20]
    )
    where = spool_whereabouts(
        workspace=workspace, spool_ids=[s.pk for s in elsewhere], printer=printer
    )
    for spool in elsewhere:
        if spool.pk in where:
            raise Conflict(
                f"No spool of {name} at hand holds the {need} g the file's {usage.label} "
                f"needs: {spool} ({spool.remaining_grams} g) is {where[spool.pk]}. Load it "
                f"into {printer.name} when it is free there, or add a spool.",
                field="spools",
            )
    raise Conflict(
        f"No spool of {name} holds the {need} g the file's {usage.label} needs: load or add "
        f"one, or weigh in a spool the ledger thinks is emptier than it is.",
        field="spools",
    )


def spool_assignment(
    *,
    workspace: Workspace,
    job: PrintJob,
    printer: Printer,
    plan: VersionPlan,
    chosen: Mapping[int, Spool] | None = None,
) -> list[SpoolAssignment]:
    """The spool for each slot of the job's file on `printer` (`chosen`: slot → spool, for the
    slots someone picked). Raises InvalidInput or Conflict with a sentence for a slot that has
    none (not matched to the catalogue, or no spool holding enough)."""
    chosen = chosen or {}
    slots = {usage.slot: usage for usage in plan.usages}
    unknown = sorted(set(chosen) - set(slots))
    if unknown:
        raise InvalidInput(
            f"The file has no filament {unknown[0] + 1} (slot {unknown[0]}); it uses slots "
            f"{', '.join(str(s) for s in sorted(slots))}.",
            field="spools",
        )
    loaded = _loaded_slots(printer)
    away = spool_whereabouts(
        workspace=workspace,
        spool_ids=[s.pk for s in chosen.values()] + [s.spool_id for s in loaded if s.spool_id],
        printer=printer,
    )
    loaded = [s for s in loaded if s.spool_id not in away]
    allocated: dict[int, Decimal] = {}
    assigned = []
    for usage in plan.usages:
        need = usage.grams * job.copies
        spool = chosen.get(usage.slot)
        if spool is not None:
            if spool.workspace_id != workspace.pk:
                raise InvalidInput("Choose one of this workspace's spools.", field="spools")
            if spool.archived:
                raise Conflict(
                    f"{spool} is archived; restore it or choose another.", field="spools"
                )
            if spool.pk in away:
                raise Conflict(
                    spool_elsewhere_sentence(spool, away[spool.pk], printer), field="spools"
                )
        elif usage.filament_id is None:
            raise Conflict(
                f"The file's {usage.label} is not matched to a filament of the catalogue: "
                f"match it on the version's page, or choose a spool for it.",
                field="spools",
            )
        else:
            candidates = sorted(
                (s for s in loaded if s.spool and s.spool.filament_id == usage.filament_id),
                key=lambda s: (s.index != usage.slot, s.index),
            )
            fitting = [
                s.spool
                for s in candidates
                if s.spool and s.spool.remaining_grams - allocated.get(s.spool.pk, _ZERO) >= need
            ]
            if candidates and not fitting:
                slot = candidates[0]
                assert slot.spool is not None
                raise Conflict(
                    f"{slot.spool} in {slot} holds {slot.spool.remaining_grams} g by the ledger; "
                    f"this job needs {need} g of it: weigh it in, or load a fuller spool.",
                    field="spools",
                )
            spool = (
                fitting[0] if fitting else _shelf_spool(workspace, printer, usage, need, allocated)
            )
        left = spool.remaining_grams - allocated.get(spool.pk, _ZERO)
        if left < need:
            raise Conflict(
                f"{spool} holds {left} g by the ledger; the file's {usage.label} needs "
                f"{need} g: weigh it in, or choose a fuller spool.",
                field="spools",
            )
        allocated[spool.pk] = allocated.get(spool.pk, _ZERO) + need
        assigned.append(SpoolAssignment(usage, spool, need))
    return assigned


def spool_elsewhere_sentence(spool: Spool, where: Elsewhere, printer: Printer) -> str:
    """Why a spool cannot feed `printer`: it feeds another one."""
    then = "wait until that job is finished" if where.printing else "unload it there"
    return (
        f"{spool} is {where}: a spool feeds one printer. Choose another spool for "
        f"{printer.name}, or {then} first."
    )
