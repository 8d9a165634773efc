"""The shopping list: what to buy, how many spools and at what cost; orders and their receipt.

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
from typing import Any

from django.db import transaction
from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record
from printops.accounts.models import Workspace
from printops.accounts.roles import Perm
from printops.core.bounds import MAX_MONEY
from printops.core.errors import Conflict, InvalidInput
from printops.materials import extensions, services
from printops.materials.models import Filament, FilamentOrder, Spool, SpoolLedgerEntry
from printops.materials.selectors import filament_list

USE_WINDOWS_DAYS = (30, 90)
MAX_ORDER_SPOOLS = 999
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
        total = filament.total_grams  # type: ignore[attr-defined]
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


def filament_order_create(
    *, actor: Actor, filament: Filament, spools: Any, cost: Any = None
) -> FilamentOrder:
    """Record that spools of a filament were ordered, by whom and when; the cost defaults to
    the estimate from the filament's price."""
    actor.require(Perm.MANAGE_STOCK)
    if filament.workspace_id != actor.workspace.pk:
        raise InvalidInput("Choose one of this workspace's filaments.", field="filament")
    try:
        count = int(spools)
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= MAX_ORDER_SPOOLS:
        raise InvalidInput(f"Order between 1 and {MAX_ORDER_SPOOLS} whole spools.", field="spools")
    if cost in (None, ""):
        amount = spool_cost(filament=filament, spools=count)
    else:
        try:
            amount = Decimal(str(cost)).quantize(_CENT)
        except ArithmeticError:
            amount = Decimal("-1")
        if not amount.is_finite() or amount < 0:
            raise InvalidInput("The cost must be a positive amount, or left empty.", field="cost")
        if amount > MAX_MONEY:
            raise InvalidInput(f"The cost must be at most {MAX_MONEY:,}.", field="cost")
    with transaction.atomic():
        order = FilamentOrder.objects.create(
            workspace=actor.workspace,
            filament=filament,
            spools=count,
            cost=amount,
            ordered_by=actor.user,
        )
        audit_record(
            actor=actor,
            verb="filament_order.created",
            obj=order,
            after={"filament": str(filament), "spools": count, "cost": str(amount)},
        )
    return order


def filament_order_receive(*, actor: Actor, order: FilamentOrder) -> list[Spool]:
    """Mark an order received and add its spools to stock, each with its new_spool ledger row,
    all in one transaction. The claim is one conditional UPDATE, so an order received twice
    (two people, a double click) adds its spools once; the second is refused."""
    actor.require(Perm.MANAGE_STOCK)
    now = timezone.now()
    with transaction.atomic():
        claimed = FilamentOrder.objects.filter(
            pk=order.pk, workspace=actor.workspace, received_at__isnull=True
        ).update(received_at=now, received_by=actor.user)
        if claimed != 1:
            raise Conflict("This order was already received; its spools are in stock.")
        order.received_at, order.received_by = now, actor.user
        each = (order.cost / order.spools).quantize(_CENT) if order.cost is not None else None
        spools = [
            services.spool_create(
                actor=actor,
                filament=order.filament,
                cost_paid=each,
                purchase_date=timezone.localdate(order.ordered_at),
            )
            for _ in range(order.spools)
        ]
        audit_record(
            actor=actor,
            verb="filament_order.received",
            obj=order,
            after={"spools": [spool.label_code for spool in spools]},
        )
    return spools
