"""Production's sections on pages of the apps below it: the dashboard and the version page.

Registered in settings (PRINTOPS_DASHBOARD_PANELS, PRINTOPS_VERSION_PANELS), because the
accounts and library apps cannot import production.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from printops.accounts.dashboard import GettingStartedStep
from printops.accounts.roles import Perm
from printops.library.models import VariantVersion
from printops.production.dashboard import printer_board, todays_output
from printops.production.models import Printer, PrintJob
from printops.production.plans import version_plan
from printops.production.selectors import production_summary, version_print_history


def dashboard_panel(request: HttpRequest) -> str | None:
    """Every printer's status with its job and estimated finish, today's output, queued jobs
    and hours, feasibility warnings."""
    workspace = request.workspace  # type: ignore[attr-defined]
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
            "can_run": request.actor.can(Perm.RUN_PRODUCTION),  # type: ignore[attr-defined]
        },
        request=request,
    )


def step_add_printer(request: HttpRequest) -> GettingStartedStep:
    """Getting started: a printer to print on (settings.PRINTOPS_GETTING_STARTED_STEPS)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    return GettingStartedStep(
        label="Add a printer",
        done=Printer.objects.filter(workspace=workspace).exists(),
        url=reverse("production:printer_new"),
        perm=Perm.EDIT_SETTINGS,
        help="Its name, build volume and filament slots.",
    )


def step_queue_a_print(request: HttpRequest) -> GettingStartedStep:
    """Getting started: the first job in the queue, queued from the newest uploaded version."""
    workspace = request.workspace  # type: ignore[attr-defined]
    newest = VariantVersion.objects.filter(workspace=workspace).order_by("-pk").values("pk").first()
    url = (
        reverse("production:job_new") + f"?version={newest['pk']}"
        if newest
        else reverse("library:index")
    )
    return GettingStartedStep(
        label="Queue it",
        done=PrintJob.objects.filter(workspace=workspace).exists(),
        url=url,
        perm=Perm.RUN_PRODUCTION,
        help="Choose copies and a printer; the queue checks the filament on hand.",
    )


def version_panel(request: HttpRequest, version: VariantVersion) -> str:
    """The version page's "Print" section: queue it, and how it has printed so far."""
    history = version_print_history(workspace=version.workspace, version=version, recent=10)
    return render_to_string(
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
            "can_run": request.actor.can(Perm.RUN_PRODUCTION),  # type: ignore[attr-defined]
        },
        request=request,
    )
