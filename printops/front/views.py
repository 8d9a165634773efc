"""The dashboard: the getting-started checklist while setting up; live production and stock
first once working, then recent activity, the team and the workspace's settings."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import render

from printops.accounts import selectors
from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.front.getting_started import getting_started
from printops.library.views.matching import panel as unmatched_filaments_panel
from printops.materials.alerts import panel as low_stock_panel
from printops.production.panels import dashboard_panel as production_panel

# Each returns the HTML of one panel for the request, or None to show nothing. Live production
# first: what the printers do now matters most on a working day.
DASHBOARD_PANELS: tuple[Callable[[WorkspaceRequest], str | None], ...] = (
    production_panel,
    low_stock_panel,
    unmatched_filaments_panel,
)


@workspace_required
def dashboard(request: WorkspaceRequest) -> HttpResponse:
    workspace, actor = request.workspace, request.actor
    live = {"panels": [html for panel in DASHBOARD_PANELS if (html := panel(request))]}
    if request.GET.get("part") == "live":  # the panels refresh themselves every 30 s
        return render(request, "front/_dashboard_live.html", live)
    checklist = getting_started(actor=actor)
    return render(
        request,
        "front/dashboard.html",
        {
            **live,
            "checklist": None if checklist.complete else checklist,
            "members": selectors.member_list(workspace=workspace),
            "events": selectors.audit_event_list(workspace=workspace)[:10],
        },
    )
