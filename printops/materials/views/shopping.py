"""The shopping list page: what to buy, marking orders placed and received."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.accounts.roles import Perm
from printops.core.errors import DomainError
from printops.materials import alerts, selectors, services, shopping

RECEIVED_SHOWN = 20


@workspace_required
def shopping_list(request: WorkspaceRequest) -> HttpResponse:
    workspace, actor = request.workspace, request.actor
    orders = shopping.filament_order_list(workspace=workspace)
    return render(
        request,
        "materials/shopping.html",
        {
            "lines": shopping.shopping_list(workspace=workspace),
            "open_orders": orders.filter(received_at__isnull=True),
            "received_orders": orders.filter(received_at__isnull=False)[:RECEIVED_SHOWN],
            "can_order": actor.can(Perm.MANAGE_STOCK),
            "digest": alerts.low_stock_digest_subscribed(workspace=workspace, user=request.user),
        },
    )


@require_POST
@workspace_required
def order_create(request: WorkspaceRequest) -> HttpResponse:
    workspace, actor = request.workspace, request.actor
    raw = request.POST.get("filament") or ""
    filament = get_object_or_404(
        selectors.filament_list(workspace=workspace), pk=int(raw) if raw.isdigit() else 0
    )
    try:
        order = services.filament_order_create(
            actor=actor,
            filament=filament,
            spools=request.POST.get("spools"),
            cost=request.POST.get("cost"),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Ordered {order}.")
    return redirect("materials:shopping")


@require_POST
@workspace_required
def order_receive(request: WorkspaceRequest, pk: int) -> HttpResponse:
    workspace, actor = request.workspace, request.actor
    order = get_object_or_404(shopping.filament_order_list(workspace=workspace), pk=pk)
    try:
        spools = services.filament_order_receive(actor=actor, order=order)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        codes = ", ".join(spool.label_code for spool in spools)
        messages.success(request, f"Received {order}: spools {codes} are in stock.")
    return redirect("materials:shopping")


@require_POST
@workspace_required
def digest_toggle(request: WorkspaceRequest) -> HttpResponse:
    subscribed = services.low_stock_digest_subscribe(
        actor=request.actor,
        subscribed=request.POST.get("subscribed") == "1",
    )
    messages.success(
        request,
        "You will get an e-mail when filaments run low."
        if subscribed
        else "You will no longer get low-stock e-mails.",
    )
    return redirect("materials:shopping")
