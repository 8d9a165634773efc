"""Low-stock alerts: which filaments hold less than their threshold, the dashboard panel, and
who gets the e-mail digest (opting in and sending it is `services.alerts`)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string

from printops.accounts.models import User, Workspace
from printops.accounts.request import WorkspaceRequest
from printops.materials.models import Filament, LowStockDigestSubscription
from printops.materials.selectors import filament_list

_ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=12, decimal_places=2))


def low_stock_list(*, workspace: Workspace) -> list[Filament]:
    """Filaments whose spools not archived hold fewer grams in total than `low_stock_grams`,
    emptiest first, with `total_grams` annotated. One query."""
    return list(
        filament_list(workspace=workspace)
        .annotate(
            total_grams=Coalesce(
                Sum("spools__remaining_grams", filter=Q(spools__archived=False)), _ZERO
            )
        )
        .filter(total_grams__lt=F("low_stock_grams"))
        .order_by("total_grams", "vendor__name", "pk")
    )


def panel(request: WorkspaceRequest) -> str | None:
    """The dashboard's "Low stock" panel (composed by printops/front); None when all
    filaments are above their thresholds."""
    filaments = low_stock_list(workspace=request.workspace)
    if not filaments:
        return None
    return render_to_string(
        "materials/_low_stock_panel.html", {"filaments": filaments}, request=request
    )


def low_stock_digest_subscribed(*, workspace: Workspace, user: User) -> bool:
    """Whether this member gets the low-stock e-mail digest."""
    return LowStockDigestSubscription.objects.filter(workspace=workspace, user=user).exists()
