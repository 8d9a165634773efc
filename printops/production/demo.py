"""Demo rows for production: three printers (one with a four-spool AMS), a history of completed
and failed prints, one printing now and a queue of about ten jobs.

Everything goes through the services, as the owner would do it, so the spools' ledgers hold
real print and failed-print rows linked to their jobs; only the times are then moved into the
past (a demo's history happened before it was built). Runs after the library and materials
demos, whose versions and spools it uses; adds nothing to a workspace that has printers.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from printops.accounts.actor import Actor
from printops.accounts.models import Membership, Workspace
from printops.accounts.roles import Role
from printops.core.errors import DomainError
from printops.library.filament_matching import slicer_filament
from printops.library.models import FilamentUsage, VariantVersion
from printops.library.services import usage_confirm
from printops.materials import services as materials
from printops.materials.models import Spool, SpoolLedgerEntry
from printops.materials.stock_matching import FilamentCatalogue
from printops.production import services
from printops.production.models import Printer, PrintJob
from printops.production.plans import compatible, version_plans

# name, model, build x/y/z mm, slots, watts, hourly cost, allowed materials
PRINTERS: tuple[tuple[str, str, tuple[int, int, int], int, int, str, list[str]], ...] = (
    ("X1C", "Bambu Lab X1 Carbon", (256, 256, 256), 4, 150, "0.95", []),
    ("MK4", "Original Prusa MK4", (250, 210, 220), 1, 90, "0.60", []),
    ("MINI", "Original Prusa MINI+", (180, 180, 180), 1, 60, "0.40", ["PLA", "PETG"]),
)
MAINTENANCE = (
    ("MK4", 40, "Replaced the nozzle (0.4 mm brass)."),
    ("MK4", 12, "Cleaned and re-greased the Z screws."),
    ("X1C", 25, "Cleaned the carbon rods; new AMS PTFE tube for slot 3."),
)
HISTORY = 8  # finished prints
QUEUED = 10
FAIL_REASONS = ("adhesion", "spaghetti", "warping", "filament_runout", "layer_shift")


def _owner(workspace: Workspace) -> Actor | None:
    membership = (
        Membership.objects.select_related("user", "workspace")
        .filter(workspace=workspace, role=Role.OWNER)
        .order_by("pk")
        .first()
    )
    if membership is None:
        return None
    return Actor(user=membership.user, membership=membership, via="cli")


def _candidates(workspace: Workspace) -> list[VariantVersion]:
    """Default versions sliced for a 0.4 mm nozzle that say how many grams they use."""
    defaults = VariantVersion.objects.filter(workspace=workspace).values("variant__default_version")
    versions = list(
        VariantVersion.objects.filter(
            workspace=workspace,
            status=VariantVersion.Status.READY,
            nozzle_diameter_mm__gte=0.39,
            nozzle_diameter_mm__lte=0.41,
            pk__in=defaults,
        )
        .select_related("variant__design")
        .defer("metadata")
        .order_by("pk")
    )
    plans = version_plans(workspace=workspace, version_ids=[v.pk for v in versions])
    return [v for v in versions if plans[v.pk].usages]


def _confirm_matches(actor: Actor, versions: list[VariantVersion]) -> int:
    """Do what staff do in the review queue for the picked versions: confirm each unmatched
    slot's best catalogue filament of the same material (slots with none stay unmatched)."""
    catalogue = FilamentCatalogue(workspace=actor.workspace)
    confirmed = 0
    usages = FilamentUsage.objects.filter(
        workspace=actor.workspace, version__in=versions, filament__isnull=True
    ).order_by("pk")
    for usage in usages:
        usage.refresh_from_db(fields=["filament"])  # a confirmation links the same preset
        if usage.filament_id is not None:
            continue
        best = catalogue.best(slicer_filament(usage))
        if best is not None:
            usage_confirm(actor=actor, usage=usage, filament=best.filament)
            confirmed += 1
    return confirmed


def _load_printers(
    actor: Actor, printers: dict[str, Printer], versions: list[VariantVersion]
) -> int:
    """Load the fullest spool of the filaments the demo versions use most into the printers."""
    plans = version_plans(workspace=actor.workspace, version_ids=[v.pk for v in versions])
    uses: dict[int, int] = {}
    for plan in plans.values():
        for filament_id in plan.filament_ids:
            uses[filament_id] = uses.get(filament_id, 0) + 1
    popular = sorted(uses, key=lambda pk: (-uses[pk], pk))
    places = [(printers["X1C"], index) for index in range(4)]
    places += [(printers["MK4"], 0), (printers["MINI"], 0)]
    loaded = 0
    for (printer, index), filament_id in zip(places, popular, strict=False):
        spool = (
            Spool.objects.filter(workspace=actor.workspace, filament_id=filament_id, archived=False)
            .order_by("-remaining_grams", "pk")
            .first()
        )
        if spool is not None:
            services.printer_slot_load(actor=actor, printer=printer, index=index, spool=spool)
            loaded += 1
    return loaded


def _printer_for(
    rng: random.Random, printers: list[Printer], version: VariantVersion
) -> Printer | None:
    plan = version_plans(workspace=version.workspace, version_ids=[version.pk])[version.pk]
    able = [p for p in printers if compatible(p, plan)]
    return rng.choice(able) if able else None


def _into_the_past(job: PrintJob, *, days_ago: float, rng: random.Random) -> None:
    """Move a finished job (and its ledger rows) back in time, with a believable duration."""
    seconds = (job.version.print_seconds or 3600) * job.copies
    if job.status == PrintJob.Status.FAILED and job.completion_percent is not None:
        seconds = int(seconds * float(job.completion_percent) / 100) + 300
    finished = timezone.now() - timedelta(days=days_ago)
    started = finished - timedelta(seconds=int(seconds * rng.uniform(0.95, 1.2)))
    PrintJob.objects.filter(pk=job.pk).update(
        started_at=started, finished_at=finished, created_at=started - timedelta(hours=2)
    )
    SpoolLedgerEntry.objects.filter(print_job_id=job.pk).update(created_at=finished)


def _weigh_used_spools(actor: Actor, workspace: Workspace, rng: random.Random) -> None:
    """Weigh the spools the finished prints used, each a little lighter than the ledger says
    (purge and brims the slicer does not count), so the weigh-in report has something to show."""
    used: dict[int, Decimal] = {}
    for spool_id, grams in SpoolLedgerEntry.objects.filter(
        workspace=workspace, print_job_id__isnull=False
    ).values_list("spool_id", "grams"):
        used[spool_id] = used.get(spool_id, Decimal("0")) - grams
    spools = Spool.objects.filter(pk__in=used).select_related("filament__vendor").order_by("pk")
    for spool in spools:
        unrecorded = (used[spool.pk] * Decimal(str(rng.uniform(0.03, 0.09)))).quantize(
            Decimal("0.01")
        )
        net = spool.remaining_grams - unrecorded
        if net > 0:
            materials.spool_weigh_in(
                actor=actor,
                spool=spool,
                gross_grams=net + spool.filament.vendor.empty_spool_grams,
            )


@transaction.atomic
def build_demo(*, workspace: Workspace, rng: random.Random, **options: object) -> list[str]:
    """Three printers, their maintenance log, about eight finished prints (two failed, one
    requeued), one print running and about ten queued jobs."""
    if Printer.objects.filter(workspace=workspace).exists():
        return ["Production: already present, left as it was."]
    actor = _owner(workspace)
    if actor is None:
        return ["Production: no owner in the workspace to act as; skipped."]
    printers = {
        name: services.printer_create(
            actor=actor, name=name, model=model, build_x_mm=size[0], build_y_mm=size[1],
            build_z_mm=size[2], slots=slots, power_watts=watts, hourly_cost=Decimal(cost),
            allowed_materials=allowed,
        )
        for name, model, size, slots, watts, cost, allowed in PRINTERS
    }  # fmt: skip
    for name, days_ago, note in MAINTENANCE:
        services.printer_maintenance_add(
            actor=actor,
            printer=printers[name],
            note=note,
            on=timezone.localdate() - timedelta(days=days_ago),
        )
    candidates = _candidates(workspace)
    if not candidates:
        return ["Production: 3 printers (no library versions to print yet)."]
    picks = rng.sample(candidates, k=min(len(candidates), HISTORY + QUEUED + 1))
    _confirm_matches(actor, picks)
    loaded = _load_printers(actor, printers, picks)
    available = list(printers.values())

    finished = failed = 0
    for index, version in enumerate(picks[:HISTORY]):
        printer = _printer_for(rng, available, version)
        if printer is None:
            continue
        try:
            job = services.print_job_queue(actor=actor, version=version, copies=rng.randint(1, 3))
            services.print_job_start(actor=actor, job=job, printer=printer)
            if index % 4 == 3:
                services.print_job_fail(
                    actor=actor,
                    job=job,
                    reason=rng.choice(FAIL_REASONS),
                    completion_percent=rng.choice((8, 15, 35, 60)),
                )
                failed += 1
            else:
                services.print_job_complete(actor=actor, job=job)
        except DomainError:
            continue  # not enough filament for this one in the demo stock
        finished += 1
        _into_the_past(
            PrintJob.objects.select_related("version").get(pk=job.pk),
            days_ago=HISTORY - index + rng.random(),
            rng=rng,
        )
    _weigh_used_spools(actor, workspace, rng)
    last_failed = (
        PrintJob.objects.filter(workspace=workspace, status=PrintJob.Status.FAILED)
        .order_by("-finished_at")
        .first()
    )
    if last_failed is not None:
        services.print_job_requeue(actor=actor, job=last_failed)

    running = 0
    rest = picks[HISTORY:]
    while rest and not running:
        job = services.print_job_queue(actor=actor, version=rest.pop(0))
        try:
            services.print_job_start(actor=actor, job=job, printer=printers["X1C"])
        except DomainError:
            continue  # stays queued
        started = timezone.now() - timedelta(minutes=rng.randint(10, 50))
        PrintJob.objects.filter(pk=job.pk).update(
            started_at=started, created_at=started - timedelta(minutes=rng.randint(5, 90))
        )
        running = 1

    queued = PrintJob.objects.filter(workspace=workspace, status=PrintJob.Status.QUEUED).count()
    for version in rest:
        if queued >= QUEUED:
            break
        pinned = _printer_for(rng, available, version) if rng.random() < 0.3 else None
        services.print_job_queue(
            actor=actor,
            version=version,
            copies=rng.choice((1, 1, 1, 2, 3, 4)),
            printer=pinned,
            priority=5 if rng.random() < 0.1 else 0,
        )
        queued += 1
    return [
        f"Production: {len(printers)} printers ({loaded} spools loaded), {finished} finished "
        f"prints ({failed} failed), {running} printing, {queued} queued."
    ]
