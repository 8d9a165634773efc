"""Batches: queued jobs that use the same filaments and can run on the same printer, so they
can print one after another without changing spools ("3 jobs use Bambu Lab PLA Red — run them
together"). `services.queue_gather` brings a batch together in the queue.

Jobs are grouped by the set of catalogue filaments they use; within a set, each job joins the
first batch (in queue order) with which it still shares a compatible printer. Jobs with a
filament not matched to the catalogue are left out: what they print with is not known yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from printops.accounts.models import Workspace
from printops.materials.models import Filament
from printops.production.models import Printer, PrintJob
from printops.production.plans import Compatibility, version_plans, with_slot_counts


@dataclass
class Batch:
    """Queued jobs (ids in queue order) with the same filaments and a printer in common."""

    filament_ids: frozenset[int]
    printer_ids: set[int]
    job_ids: list[int] = field(default_factory=list)
    together: bool = False  # already one after another in the queue
    filaments: list[Filament] = field(default_factory=list)

    @property
    def label(self) -> str:
        names = " + ".join(str(f) for f in self.filaments) or "the same filaments"
        return f"{len(self.job_ids)} jobs use {names} — run them together"


def batch_suggestions(*, workspace: Workspace) -> list[Batch]:
    """Batches of two or more queued jobs, the one holding the earliest job first. Five
    queries."""
    jobs = list(
        PrintJob.objects.filter(workspace=workspace, status=PrintJob.Status.QUEUED)
        .order_by("position", "pk")
        .values_list("pk", "version_id", "printer_id")
    )
    printers = list(with_slot_counts(Printer.objects.filter(workspace=workspace)))
    plans = version_plans(workspace=workspace, version_ids={v for _, v, _ in jobs})
    place = {pk: index for index, (pk, _, _) in enumerate(jobs)}
    batches: dict[frozenset[int], list[Batch]] = {}
    can = Compatibility()
    for pk, version_id, printer_id in jobs:
        plan = plans.get(version_id)
        if plan is None or not plan.usages or plan.unmatched:
            continue
        able = {
            p.pk for p in printers if (printer_id is None or p.pk == printer_id) and can(p, plan)
        }
        if not able:
            continue
        for batch in batches.setdefault(plan.filament_ids, []):
            if batch.printer_ids & able:
                batch.printer_ids &= able
                batch.job_ids.append(pk)
                break
        else:
            batches[plan.filament_ids].append(Batch(plan.filament_ids, able, [pk]))
    found = [b for group in batches.values() for b in group if len(b.job_ids) >= 2]
    names = {
        f.pk: f
        for f in Filament.objects.filter(
            workspace=workspace, pk__in={pk for b in found for pk in b.filament_ids}
        ).select_related("vendor")
    }
    for batch in found:
        places = [place[pk] for pk in batch.job_ids]
        batch.together = places == list(range(places[0], places[0] + len(places)))
        batch.filaments = sorted(
            (names[pk] for pk in batch.filament_ids if pk in names), key=lambda f: str(f)
        )
    found.sort(key=lambda b: place[b.job_ids[0]])
    return found
