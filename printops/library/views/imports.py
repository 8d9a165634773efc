"""Import pages: upload a zipped folder, then watch its import's progress and report."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.accounts.roles import Perm
from printops.core.errors import DomainError
from printops.library import selectors, services
from printops.library.import_archives import import_limits
from printops.library.models import ImportJob

RECENT_JOBS = 20
LIVE_REPORT_LINES = 12


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


@workspace_required
def import_index(request: WorkspaceRequest) -> HttpResponse:
    """The upload form and the workspace's recent imports; POST takes the zip (XHR or form)."""
    workspace, actor = request.workspace, request.actor
    error = ""
    if request.method == "POST":
        archive = request.FILES.get("archive")
        try:
            if archive is None:
                actor.require(Perm.EDIT_CATALOGUE)
                raise _NoFile()
            job = services.archive_import_submit(
                actor=actor,
                content=archive,
                size_bytes=archive.size or 0,
                original_name=archive.name or "",
            )
        except _NoFile:
            error, status = "Choose a .zip file of the folder to import.", 400
        except DomainError as failure:
            error, status = failure.message, failure.status_code
        else:
            url = reverse("library:import_job", args=[job.pk])
            if _wants_json(request):
                return JsonResponse({"id": job.pk, "url": url}, status=201)
            return redirect(url)
        if _wants_json(request):
            return JsonResponse({"detail": error}, status=status)
    response = render(
        request,
        "library/import.html",
        {
            "jobs": selectors.import_job_list(workspace=workspace)[:RECENT_JOBS],
            "can_import": actor.can(Perm.EDIT_CATALOGUE),
            "max_bytes": import_limits()["max_total_bytes"],
            "max_file_bytes": settings.PRINTOPS_MAX_UPLOAD_BYTES,
            "error": error,
        },
    )
    if error:
        response.status_code = 422
    return response


class _NoFile(Exception):
    pass


@workspace_required
def import_job(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """One import: status, progress bar and report; htmx polls the fragment while it runs."""
    job = get_object_or_404(selectors.import_job_list(workspace=request.workspace), pk=pk)
    running = job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    context = {
        "job": job,
        "running": running,
        "report_tail": job.report[-LIVE_REPORT_LINES:] if running else [],
        "failures": [line for line in job.report if line.startswith("failed ")],
        "can_import": request.actor.can(Perm.EDIT_CATALOGUE),
    }
    if request.htmx:
        return render(request, "library/_import_progress.html", context)
    return render(request, "library/import_job.html", context)


@workspace_required
@require_POST
def import_job_resume(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """Queue an interrupted import again; files it filed before are skipped."""
    job = get_object_or_404(selectors.import_job_list(workspace=request.workspace), pk=pk)
    try:
        services.import_job_resume(actor=request.actor, job=job)
    except DomainError as failure:
        messages.error(request, failure.message)
    return redirect("library:import_job", pk=job.pk)
