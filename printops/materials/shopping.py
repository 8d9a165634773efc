"""The shopping list: what to buy, how many spools and at what cost, and the orders placed
(placing and receiving them is `services.orders`).

A filament is on the list when its stock (spools not archived), less what the print queue will
take, is below its low-stock threshold, or when it will run out within its lead time at the
recent rate of use. The rate is the higher of the last 30 and the last 90 days of print and
failed-print ledger rows, so a busy month is not hidden by a quiet quarter, nor a quiet month by
a busy quarter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from printops.accounts.models import Workspace
from printops.materials import extensions
from printops.materials.models import Filament, FilamentOrder, SpoolLedgerEntry
from printops.materials.selectors import filament_list

USE_WINDOWS_DAYS = (30, 90)
_ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=12, decimal_places=2))
_CENT = Decimal("0.01")


@dataclass
class ShoppingLine:
    """One filament to buy: its stock, rate of use, the spools recommended and their cost."""

    filament: Filament
    total_grams: Decimal
    queued_grams: Decimal  # what planned work (the print queue) will take first
    daily_use_grams: Decimal
    days_of_stock: int | None
    on_order_spools: int
    spools: int
    cost: Decimal | None

    @property
    def is_low(self) -> bool:
        return self.total_grams < self.filament.low_stock_grams

    @property
    def after_queue_grams(self) -> Decimal:
        return self.total_grams - self.queued_grams


def projected_demand(*, workspace: Workspace) -> dict[int, Decimal]:
    """Grams per filament that planned work will take from stock, summed over the providers of
    `extensions.projected_demand` (production's queue; materials cannot import it)."""
    demand: dict[int, Decimal] = {}
    for provider in extensions.projected_demand.providers():
        for filament_id, grams in provider(workspace=workspace).items():
            demand[filament_id] = demand.get(filament_id, Decimal("0")) + Decimal(grams)
    return demand


def spool_cost(*, filament: Filament, spools: int) -> Decimal | None:
    """price_per_kg × net_spool_grams for that many spools, in the workspace currency; None
    without a price."""
    if filament.price_per_kg is None:
        return None
    grams = filament.net_spool_grams * spools
    return (filament.price_per_kg * grams / 1000).quantize(_CENT, rounding=ROUND_HALF_UP)


def recommended_spools(
    *, filament: Filament, total_grams: Decimal, daily_use_grams: Decimal, on_order_spools: int = 0
) -> int:
    """Whole spools that bring the stock back above the threshold and cover the lead time at
    the rate of use, at least `reorder_spools`, less spools already on order (0 when those do)."""
    lead_use = daily_use_grams * filament.lead_time_days
    missing = filament.low_stock_grams - total_grams + lead_use
    needed = max(
        filament.reorder_spools, math.ceil(max(missing, Decimal("0")) / filament.net_spool_grams)
    )
    return max(needed - on_order_spools, 0)


def shopping_list(*, workspace: Workspace) -> list[ShoppingLine]:
    """Filaments to buy, the soonest to run out first. Three queries."""
    filaments = filament_list(workspace=workspace).annotate(
        total_grams=Coalesce(
            Sum("spools__remaining_grams", filter=Q(spools__archived=False)), _ZERO
        )
    )
    now = timezone.now()
    used = SpoolLedgerEntry.objects.filter(
        workspace=workspace,
        created_at__gte=now - timedelta(days=max(USE_WINDOWS_DAYS)),
        reason__in=(SpoolLedgerEntry.Reason.PRINT, SpoolLedgerEntry.Reason.FAILED_PRINT),
    )
    windows = {
        f"d{days}": Coalesce(
            Sum("grams", filter=Q(created_at__gte=now - timedelta(days=days))), _ZERO
        )
        for days in USE_WINDOWS_DAYS
    }
    rates: dict[int, Decimal] = {}
    for row in used.values("spool__filament_id").annotate(**windows).order_by():
        rates[row["spool__filament_id"]] = max(-row[f"d{days}"] / days for days in USE_WINDOWS_DAYS)
    demand = projected_demand(workspace=workspace)
    on_order = dict(
        filament_order_list(workspace=workspace, open_only=True)
        .values_list("filament_id")
        .annotate(spools=Sum("spools"))
        .order_by()
    )
    lines = []
    for filament in filaments:
        total = filament.total_grams
        queued = demand.get(filament.pk, Decimal("0"))
        after_queue = total - queued
        daily = max(rates.get(filament.pk, Decimal("0")), Decimal("0"))
        runs_out = daily > 0 and after_queue <= daily * filament.lead_time_days
        if not (after_queue < filament.low_stock_grams or runs_out):
            continue
        pending = on_order.get(filament.pk, 0)
        spools = recommended_spools(
            filament=filament,
            total_grams=after_queue,
            daily_use_grams=daily,
            on_order_spools=pending,
        )
        lines.append(
            ShoppingLine(
                filament=filament,
                total_grams=total,
                queued_grams=queued.quantize(_CENT),
                daily_use_grams=daily.quantize(_CENT),
                days_of_stock=max(int(after_queue / daily), 0) if daily > 0 else None,
                on_order_spools=pending,
                spools=spools,
                cost=spool_cost(filament=filament, spools=spools) if spools else None,
            )
        )
    lines.sort(
        key=lambda line: (line.days_of_stock is None, line.days_of_stock or 0, line.total_grams)
    )
    return lines


def filament_order_list(
    *, workspace: Workspace, open_only: bool = False
) -> QuerySet[FilamentOrder]:
    """Orders with their filament and who ordered and received them, newest first;
    `open_only` keeps those not received yet."""
    orders = FilamentOrder.objects.filter(workspace=workspace).select_related(
        "filament__vendor", "ordered_by", "received_by"
    )
    if open_only:
        orders = orders.filter(received_at__isnull=True)
    return orders
