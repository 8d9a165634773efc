"""What a version needs to be printed — nozzle, size, materials, grams per filament — and which
printers can print it.

`version_plans` reads everything for many versions in two narrow queries (never the wide
metadata column: only its geometry size), so the queue, its feasibility, batches and the schedule
judge 500 jobs without a query per job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import Count, QuerySet

from printops.accounts.models import Workspace
from printops.library.models import FilamentUsage, VariantVersion
from printops.materials.stock_matching import material_family
from printops.production.models import Printer, PrintJob
from printops.production.usage_grams import (
    CORRECTED,
    DERIVED,
    FILE,
    MAX_SLOT_GRAMS,
    share_corrected_total,
    slot_grams,
)

_CENT = Decimal("0.01")
# Slicers write 0.4 as 0.4000000059604645 (a float32) and printers are entered as 0.40.
NOZZLE_TOLERANCE_MM = 0.01


def grams(value: float | Decimal | None) -> Decimal:
    """A slicer's grams as Decimal to 0.01 g (0 when the file does not say)."""
    if value is None:
        return Decimal("0")
    return Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class UsagePlan:
    """One filament slot of a version's file."""

    usage_id: int | None  # None: a slot only a person's corrected total speaks of
    slot: int
    filament_id: int | None
    material: str
    color_hex: str
    grams: Decimal  # for one copy
    source: str = FILE  # FILE, DERIVED (from the length) or CORRECTED (a person's total)
    derivation: str = ""  # how derived grams were found, for a tooltip

    @property
    def label(self) -> str:
        """How people name the slot: "filament 2 (PETG #1E88E5)"."""
        details = " ".join(part for part in (self.material, self.color_hex) if part)
        return f"filament {self.slot + 1}" + (f" ({details})" if details else "")


@dataclass(frozen=True)
class VersionPlan:
    """What printing one copy of a version takes."""

    version_id: int
    nozzle_mm: float | None
    size_mm: tuple[float, float, float] | None
    print_seconds: int | None
    usages: tuple[UsagePlan, ...]  # the slots with grams, in slot order
    grams_problem: str = ""  # why no grams could be found, when `usages` is empty for a reason

    @property
    def grams_source(self) -> str:
        """CORRECTED when a person's total decides, DERIVED when some slot's grams come from
        its length, else FILE."""
        sources = {u.source for u in self.usages}
        return CORRECTED if CORRECTED in sources else DERIVED if DERIVED in sources else FILE

    @property
    def materials(self) -> frozenset[str]:
        return frozenset(u.material for u in self.usages if u.material)

    @property
    def unmatched(self) -> tuple[UsagePlan, ...]:
        """Slots not linked to a catalogue filament: stock cannot be judged or used for them."""
        return tuple(u for u in self.usages if u.filament_id is None)

    @property
    def filament_ids(self) -> frozenset[int]:
        return frozenset(u.filament_id for u in self.usages if u.filament_id is not None)

    def grams_by_filament(self, copies: int) -> dict[int, Decimal]:
        """Grams per matched filament for `copies` runs."""
        needed: dict[int, Decimal] = {}
        for usage in self.usages:
            if usage.filament_id is not None:
                needed[usage.filament_id] = (
                    needed.get(usage.filament_id, Decimal("0")) + usage.grams * copies
                )
        return needed

    def seconds(self, copies: int) -> int | None:
        return self.print_seconds * copies if self.print_seconds is not None else None


def _size(value: object) -> tuple[float, float, float] | None:
    if isinstance(value, list | tuple) and len(value) == 3:
        try:
            x, y, z = (float(v) for v in value)
        except (TypeError, ValueError):
            return None
        return (x, y, z)
    return None


def version_plans(*, workspace: Workspace, version_ids: Iterable[int]) -> dict[int, VersionPlan]:
    """The plan of each version (of this workspace) by id. Two queries, a third when some
    file states only lengths (its filament diameters and densities are read then)."""
    ids = set(version_ids)
    if not ids:
        return {}
    rows: dict[int, list[_UsageRow]] = {}
    for row in (
        FilamentUsage.objects.filter(workspace=workspace, version_id__in=ids)
        .order_by("version_id", "slot", "pk")
        .values_list(
            "pk", "version_id", "slot", "filament_id", "filament__material", "material",
            "color_hex", "grams", "length_mm", "filament__diameter_mm", "filament__density_g_cm3",
        )
    ):  # fmt: skip
        rows.setdefault(row[1], []).append(_UsageRow(*row))
    versions = list(
        VariantVersion.objects.filter(workspace=workspace, pk__in=ids).values_list(
            "pk", "nozzle_diameter_mm", "print_seconds", "metadata__geometry__size_mm",
            "corrections",
        )
    )  # fmt: skip
    # The file's own diameter and density per slot, only for files that need them: a narrow
    # JSON path, never the whole metadata.
    need_file = [
        pk
        for pk, usages in rows.items()
        if any(not _stated(u.grams) and u.length_mm for u in usages)
    ]
    file_filaments: dict[int, dict[int, dict[str, object]]] = {}
    if need_file:
        for pk, filaments in VariantVersion.objects.filter(pk__in=need_file).values_list(
            "pk", "metadata__filaments"
        ):
            file_filaments[pk] = {
                int(f.get("slot", i)): f
                for i, f in enumerate(filaments if isinstance(filaments, list) else [])
                if isinstance(f, dict)
            }
    plans = {}
    for pk, nozzle, seconds, size, corrections in versions:
        usages, problem = _usage_plans(
            rows.get(pk, []), file_filaments.get(pk, {}), _corrected_total(corrections)
        )
        plans[pk] = VersionPlan(
            version_id=pk,
            nozzle_mm=nozzle,
            size_mm=_size(size),
            print_seconds=seconds,
            usages=usages,
            grams_problem=problem,
        )
    return plans


class _UsageRow(NamedTuple):
    pk: int
    version_id: int
    slot: int
    filament_id: int | None
    filament_material: str | None
    material: str
    color_hex: str
    grams: float | None
    length_mm: float | None
    filament_diameter_mm: Decimal | None
    filament_density_g_cm3: Decimal | None


def _stated(value: float | None) -> bool:
    return value is not None and value > 0


def _corrected_total(corrections: object) -> Decimal | None:
    """The version's total grams as a person corrected them (None: not corrected)."""
    entry = corrections.get("total_filament_g") if isinstance(corrections, dict) else None
    value = entry.get("value") if isinstance(entry, dict) else None
    if value is None:
        return None
    try:
        total = grams(value)
    except (ArithmeticError, ValueError, TypeError):
        return None
    return total if 0 <= total <= Decimal(MAX_SLOT_GRAMS) else None


def _usage_plans(
    rows: list[_UsageRow], file_filaments: dict[int, dict[str, object]], total: Decimal | None
) -> tuple[tuple[UsagePlan, ...], str]:
    """The slots with grams (stated, derived from length, or shares of a corrected total), and
    why there are none when a person must act."""
    found = []
    for row in rows:
        in_file = file_filaments.get(row.slot, {})
        found.append(
            slot_grams(
                stated_g=row.grams,
                length_mm=row.length_mm,
                material=row.filament_material or material_family(row.material),
                file_diameter_mm=in_file.get("diameter_mm"),
                file_density_g_cm3=in_file.get("density_g_cm3"),
                filament_diameter_mm=row.filament_diameter_mm,
                filament_density_g_cm3=row.filament_density_g_cm3,
            )
        )
    if total is not None:
        if not rows:  # the file names no filament at all: one slot, matched by hand at start
            return (
                (UsagePlan(None, 0, None, "", "", total, CORRECTED, "the corrected total"),)
                if total > 0
                else ()
            ), ""
        shared = share_corrected_total(total, found)
        if shared is None:
            return (), (
                f"its corrected total ({total} g) cannot be shared among the file's {len(rows)} "
                f"filaments, as the file states no use for any of them"
            )
        found = shared
    usages = tuple(
        UsagePlan(
            usage_id=row.pk,
            slot=row.slot,
            filament_id=row.filament_id,
            material=row.filament_material or material_family(row.material),
            color_hex=row.color_hex,
            grams=amount.grams,
            source=amount.source,
            derivation=amount.explanation,
        )
        for row, amount in zip(rows, found, strict=True)
        if amount is not None  # a slot the file gives no use for takes nothing from stock
    )
    return usages, ""


def version_plan(version: VariantVersion) -> VersionPlan:
    """The plan of one version."""
    return version_plans(workspace=version.workspace, version_ids=[version.pk])[version.pk]


def _fits(size: tuple[float, float, float], printer: Printer) -> bool:
    x, y, z = size
    width, depth, height = printer.build_x_mm, printer.build_y_mm, printer.build_z_mm
    # Turning the model a quarter on the bed is free; laying it on its side is not.
    return z <= height and ((x <= width and y <= depth) or (y <= width and x <= depth))


def with_slot_counts(printers: QuerySet[Printer]) -> QuerySet[Printer]:
    """Printers annotated with how many filament slots each has (`slot_count`), so judging
    compatibility for a list of them costs no query per printer."""
    return printers.annotate(slot_count=Count("slots", distinct=True))


def printer_slot_count(printer: Printer) -> int:
    """How many filament slots (toolheads, AMS positions) a printer has: the `slot_count`
    annotation when the printer was read with `with_slot_counts`, its prefetched slots, else
    one query (remembered on the instance)."""
    count = getattr(printer, "slot_count", None)
    if count is None:
        prefetched = getattr(printer, "_prefetched_objects_cache", {}).get("slots")
        count = len(prefetched) if prefetched is not None else printer.slots.count()
        printer.slot_count = count  # type: ignore[attr-defined]
    return int(count)


def incompatibilities(printer: Printer, plan: VersionPlan) -> list[str]:
    """Why `printer` cannot print the plan, as sentences (none: it can)."""
    problems = []
    # Each filament of the file feeds from a slot of its own: a four-colour file on a single
    # toolhead would stop for a hand change at every colour switch, which nobody plans for.
    needed, slots = len(plan.usages), printer_slot_count(printer)
    if needed > slots:
        problems.append(
            f"{printer.name} has {slots} filament slot{'s' if slots != 1 else ''}; the file "
            f"uses {needed} filaments."
        )
    if (
        plan.nozzle_mm is not None
        and abs(float(printer.nozzle_diameter_mm) - plan.nozzle_mm) > NOZZLE_TOLERANCE_MM
    ):
        problems.append(
            f"{printer.name} has a {float(printer.nozzle_diameter_mm):g} mm nozzle; the file "
            f"was sliced for {plan.nozzle_mm:g} mm."
        )
    if plan.size_mm is not None and not _fits(plan.size_mm, printer):
        x, y, z = plan.size_mm
        problems.append(
            f"The model ({x:g} × {y:g} × {z:g} mm) does not fit {printer.name}'s build volume "
            f"({printer.build_x_mm} × {printer.build_y_mm} × {printer.build_z_mm} mm)."
        )
    allowed = set(printer.allowed_materials or ())
    refused = sorted(m for m in plan.materials if allowed and m not in allowed)
    if refused:
        problems.append(
            f"{printer.name} is not set up for {', '.join(refused)} "
            f"(it prints {', '.join(sorted(allowed))})."
        )
    return problems


def compatible(printer: Printer, plan: VersionPlan) -> bool:
    return not incompatibilities(printer, plan)


class ActiveJob(NamedTuple):
    """The few columns of a printing or queued job that planning reads."""

    pk: int
    status: str
    version_id: int
    printer_id: int | None
    copies: int
    started_at: datetime | None


def active_jobs(*, workspace: Workspace) -> list[ActiveJob]:
    """Printing and queued jobs in queue order (printing ones keep their old position), as
    plain tuples: building 500 model instances with their relations costs ten times more."""
    return [
        ActiveJob(*row)
        for row in PrintJob.objects.filter(
            workspace=workspace, status__in=(PrintJob.Status.QUEUED, PrintJob.Status.PRINTING)
        )
        .order_by("position", "pk")
        .values_list("pk", "status", "version_id", "printer_id", "copies", "started_at")
    ]


class Compatibility:
    """`compatible(printer, plan)` remembered per (printer, version): a queue repeats versions."""

    def __init__(self) -> None:
        self._known: dict[tuple[int, int], bool] = {}

    def __call__(self, printer: Printer, plan: VersionPlan) -> bool:
        key = (printer.pk, plan.version_id)
        if key not in self._known:
            self._known[key] = compatible(printer, plan)
        return self._known[key]
