"""Every read in materials, scoped by workspace first."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from printops.accounts.models import Workspace
from printops.core.fixed_sql import Columns, fetch
from printops.materials.colour import nearest
from printops.materials.models import Filament, Spool, SpoolLedgerEntry, Vendor

RECENT_USE_DAYS = 30
FILAMENT_SORTS = {
    "brand": ("vendor__name", "material", "colour_name", "pk"),
    "material": ("material", "vendor__name", "colour_name", "pk"),
    "colour": ("colour_name", "vendor__name", "pk"),
    "grams": ("total_grams", "vendor__name", "pk"),
    "-grams": ("-total_grams", "vendor__name", "pk"),
}
SPOOL_SORTS = {
    "newest": ("-created_at", "-pk"),
    "grams": ("remaining_grams", "pk"),
    "-grams": ("-remaining_grams", "pk"),
    "location": ("location", "filament__vendor__name", "pk"),
    "brand": ("filament__vendor__name", "filament__material", "filament__colour_name", "pk"),
}
_ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=12, decimal_places=2))


def vendor_list(*, workspace: Workspace) -> QuerySet[Vendor]:
    return Vendor.objects.filter(workspace=workspace)


def filament_list(*, workspace: Workspace) -> QuerySet[Filament]:
    return Filament.objects.filter(workspace=workspace).select_related("vendor")


def filaments_near_colour(
    *, workspace: Workspace, color_hex: str, limit: int = 3
) -> list[tuple[Filament, float]]:
    """The workspace's `limit` filaments closest to a colour, with their ΔE2000, closest first."""
    filaments = list(filament_list(workspace=workspace))
    return nearest(color_hex, [(f, f.color_hex) for f in filaments])[:limit]


def filament_inventory(
    *,
    workspace: Workspace,
    material: str = "",
    vendor_id: int | None = None,
    filament_id: int | None = None,
    low_only: bool = False,
    sort: str = "brand",
) -> list[Filament]:
    """Filaments with their stock: `total_grams` and `spool_count` over spools not archived,
    `is_low` (total below the threshold), `recent_use_grams` over the last 30 days and
    `days_of_stock` at that rate (None when nothing was used). Two queries."""
    active = Q(spools__archived=False)
    filaments = filament_list(workspace=workspace).annotate(
        total_grams=Coalesce(Sum("spools__remaining_grams", filter=active), _ZERO),
        spool_count=Count("spools", filter=active),
    )
    if material:
        filaments = filaments.filter(material=material)
    if vendor_id:
        filaments = filaments.filter(vendor_id=vendor_id)
    if filament_id:
        filaments = filaments.filter(pk=filament_id)
    if low_only:
        filaments = filaments.filter(total_grams__lt=F("low_stock_grams"))
    rows: list[Filament] = list(
        filaments.order_by(*FILAMENT_SORTS.get(sort, FILAMENT_SORTS["brand"]))
    )
    usage = SpoolLedgerEntry.objects.filter(
        workspace=workspace,
        created_at__gte=timezone.now() - timedelta(days=RECENT_USE_DAYS),
        reason__in=(SpoolLedgerEntry.Reason.PRINT, SpoolLedgerEntry.Reason.FAILED_PRINT),
    )
    if material:
        usage = usage.filter(spool__filament__material=material)
    if vendor_id:
        usage = usage.filter(spool__filament__vendor_id=vendor_id)
    if filament_id:
        usage = usage.filter(spool__filament_id=filament_id)
    used = dict(usage.values_list("spool__filament_id").annotate(grams=Sum("grams")))
    for filament in rows:
        filament.is_low = filament.total_grams < filament.low_stock_grams  # type: ignore[attr-defined]
        recent = -(used.get(filament.pk) or Decimal("0"))
        filament.recent_use_grams = recent  # type: ignore[attr-defined]
        filament.days_of_stock = (  # type: ignore[attr-defined]
            int(filament.total_grams / (recent / RECENT_USE_DAYS)) if recent > 0 else None  # type: ignore[attr-defined]
        )
    return rows


def spool_list(
    *,
    workspace: Workspace,
    material: str = "",
    location: str = "",
    archived: bool | None = False,
    filament_id: int | None = None,
    vendor_id: int | None = None,
    sort: str = "newest",
) -> QuerySet[Spool]:
    """Spools with their filament and vendor; `archived=None` means archived or not."""
    spools = Spool.objects.filter(workspace=workspace).select_related("filament__vendor")
    if archived is not None:
        spools = spools.filter(archived=archived)
    if material:
        spools = spools.filter(filament__material=material)
    if location:
        spools = spools.filter(location=location)
    if filament_id:
        spools = spools.filter(filament_id=filament_id)
    if vendor_id:
        spools = spools.filter(filament__vendor_id=vendor_id)
    return spools.order_by(*SPOOL_SORTS.get(sort, SPOOL_SORTS["newest"]))


def spool_locations(*, workspace: Workspace) -> list[str]:
    """The places spools are kept, for filters and suggestions."""
    return list(
        Spool.objects.filter(workspace=workspace)
        .exclude(location="")
        .values_list("location", flat=True)
        .distinct()
        .order_by("location")
    )


def spool_history(*, workspace: Workspace, spool: Spool) -> QuerySet[SpoolLedgerEntry]:
    """A spool's ledger rows, newest first, with who made them."""
    return (
        SpoolLedgerEntry.objects.filter(workspace=workspace, spool=spool)
        .select_related("actor", "staff")
        .order_by("-created_at", "-pk")
    )


_SPOOL = Columns("s", Spool)
_FILAMENT = Columns("f", Filament)
_VENDOR = Columns("v", Vendor)
# The API's one-spool read, written out once (printops.core.fixed_sql): it runs on every GET,
# PATCH, consume and weigh-in of a spool, and compiling its queryset cost more than answering it.
_SPOOL_SQL = f"""
    SELECT {_SPOOL.sql}, {_FILAMENT.sql}, {_VENDOR.sql}
    FROM "{Spool._meta.db_table}" "s"
    INNER JOIN "{Filament._meta.db_table}" "f" ON "f"."id" = "s"."filament_id"
    INNER JOIN "{Vendor._meta.db_table}" "v" ON "v"."id" = "f"."vendor_id"
    WHERE "s"."workspace_id" = %s AND "s"."id" = %s
"""  # noqa: S608 - names from the models, values as parameters


def spool_with_filament(*, workspace: Workspace, spool_id: int) -> Spool | None:
    """One spool of the workspace, archived or not, with its filament and vendor loaded."""
    rows = fetch(_SPOOL_SQL, [workspace.pk, spool_id])
    if not rows:
        return None
    s, f = len(_SPOOL), len(_SPOOL) + len(_FILAMENT)
    spool = _SPOOL.instance(rows[0][:s])
    spool.filament = _FILAMENT.instance(rows[0][s:f])
    spool.filament.vendor = _VENDOR.instance(rows[0][f:])
    return spool
