"""Production's sections on pages it does not own: the dashboard panel (composed by
printops/front) and the version page's "Print" section, which the library's version page loads
as an htmx fragment from this app's URL (the library cannot import production).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.accounts.roles import Perm
from printops.library import selectors as library_selectors
from printops.production.dashboard import printer_board, todays_output
from printops.production.models import PrintJob
from printops.production.plans import version_plan
from printops.production.selectors import production_summary, version_print_history


def dashboard_panel(request: WorkspaceRequest) -> str | None:
    """Every printer's status with its job and estimated finish, today's output, queued jobs
    and hours, feasibility warnings."""
    workspace = request.workspace
    summary = production_summary(workspace=workspace)
    if not summary.printing and not summary.queued_jobs and not summary.printers_by_status:
        return None
    scheduled = {job.pk: estimate for job, estimate in summary.printing if estimate}
    return render_to_string(
        "production/_dashboard_panel.html",
        {
            "summary": summary,
            "board": printer_board(workspace=workspace, scheduled=scheduled),
            "today": todays_output(workspace=workspace),
            "queued_hours": round(summary.queued_seconds / 3600, 1),
            "can_run": request.actor.can(Perm.RUN_PRODUCTION),
        },
        request=request,
    )


@workspace_required
def version_section(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """The version page's "Print" section: queue it, and how it has printed so far."""
    version = library_selectors.version_detail(workspace=request.workspace, version_id=pk)
    if version is None:
        raise Http404
    history = version_print_history(workspace=version.workspace, version=version, recent=10)
    return render(
        request,
        "production/_version_panel.html",
        {
            "version": version,
            "plan": version_plan(version),
            "history": history,
            "rate_percent": None if history.success_rate is None else history.success_rate * 100,
            "interval": history.interval and tuple(round(x * 100) for x in history.interval),
            "reasons": [
                (PrintJob.FailReason(reason).label if reason else "No reason given", count)
                for reason, count in history.failure_reasons.items()
            ],
            "can_run": request.actor.can(Perm.RUN_PRODUCTION),
        },
    )
