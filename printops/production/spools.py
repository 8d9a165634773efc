"""Which spool each filament slot of a job prints from, when it starts.

Per slot of the file, in order: the spool chosen for it; else the printer's spool of that
filament in the same slot; else in any of its slots; else the emptiest spool on the shelf (not
archived, not in another printer) that holds enough, so part-used spools get used up. A spool
the ledger says holds less than the job needs is refused with its name: weighing it in (or
choosing another) before printing is cheaper than finding out at the end.

A read (no writes): the start service uses it, and a start form can show its suggestion.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

from printops.accounts.models import Workspace
from printops.core.errors import Conflict, InvalidInput
from printops.materials.models import Filament, Spool
from printops.production.models import Printer, PrinterSlot, PrintJob
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


def _shelf_spool(
    workspace: Workspace, usage: UsagePlan, need: Decimal, allocated: Mapping[int, Decimal]
) -> Spool:
    spools = (
        Spool.objects.filter(
            workspace=workspace,
            filament_id=usage.filament_id,
            archived=False,
            remaining_grams__gte=need,
            printer_slots__isnull=True,  # a spool in another printer is not at hand
        )
        .select_related("filament__vendor")
        .order_by("remaining_grams", "pk")
    )
    for spool in spools:
        if spool.remaining_grams - allocated.get(spool.pk, _ZERO) >= need:
            return spool
    name = Filament.objects.select_related("vendor").get(pk=usage.filament_id)
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
            spool = fitting[0] if fitting else _shelf_spool(workspace, usage, need, allocated)
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
