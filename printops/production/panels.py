"""Production's sections on pages of the apps below it: the dashboard and the version page.

Registered in settings (PRINTOPS_DASHBOARD_PANELS, PRINTOPS_VERSION_PANELS), because the
accounts and library apps cannot import production.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from printops.accounts.roles import Perm
from printops.library.models import VariantVersion
from printops.production.models import PrintJob
from printops.production.selectors import production_summary, version_print_history


def dashboard_panel(request: HttpRequest) -> str | None:
    """Printing now with estimated finish, queued jobs and hours, feasibility warnings."""
    workspace = request.workspace  # type: ignore[attr-defined]
    summary = production_summary(workspace=workspace)
    if not summary.printing and not summary.queued_jobs and not summary.printers_by_status:
        return None
    return render_to_string(
        "production/_dashboard_panel.html",
        {
            "summary": summary,
            "queued_hours": round(summary.queued_seconds / 3600, 1),
            "can_run": request.actor.can(Perm.RUN_PRODUCTION),  # type: ignore[attr-defined]
        },
        request=request,
    )


def version_panel(request: HttpRequest, version: VariantVersion) -> str:
    """The version page's "Print" section: queue it, and how it has printed so far."""
    history = version_print_history(workspace=version.workspace, version=version, recent=10)
    return render_to_string(
        "production/_version_panel.html",
        {
            "version": version,
            "history": history,
            "rate_percent": None if history.success_rate is None else history.success_rate * 100,
            "interval": history.interval and tuple(round(x * 100) for x in history.interval),
            "reasons": [
                (PrintJob.FailReason(reason).label if reason else "No reason given", count)
                for reason, count in history.failure_reasons.items()
            ],
            "can_run": request.actor.can(Perm.RUN_PRODUCTION),  # type: ignore[attr-defined]
        },
        request=request,
    )
