"""Orders of filament: placing one from the shopping list, and receiving its spools."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record
from printops.accounts.roles import Perm
from printops.core.bounds import MAX_MONEY
from printops.core.errors import Conflict, InvalidInput
from printops.materials.models import Filament, FilamentOrder, Spool
from printops.materials.services.inputs import _CENT, Amount
from printops.materials.services.spools import spool_create
from printops.materials.shopping import spool_cost

MAX_ORDER_SPOOLS = 999


def filament_order_create(
    *, actor: Actor, filament: Filament, spools: Amount | None, cost: Amount | None = None
) -> FilamentOrder:
    """Record that spools of a filament were ordered, by whom and when; the cost defaults to
    the estimate from the filament's price."""
    actor.require(Perm.MANAGE_STOCK)
    if filament.workspace_id != actor.workspace.pk:
        raise InvalidInput("Choose one of this workspace's filaments.", field="filament")
    try:
        count = int(spools) if spools is not None else 0
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
            spool_create(
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
