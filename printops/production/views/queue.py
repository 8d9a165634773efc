"""The queue page (live, reorderable), moving and gathering queued jobs, queueing a version,
and the schedule (the queue laid out in time)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.accounts.roles import Perm
from printops.core.errors import DomainError
from printops.core.forms import add_domain_error
from printops.library import selectors as library_selectors
from printops.materials.models import Material
from printops.production import presenters, selectors, services
from printops.production.forms import FailForm, JobForm
from printops.production.models import PrintJob
from printops.production.schedule import queue_schedule
from printops.production.timeline import schedule_lanes
from printops.production.views.common import back, chosen_printer, id_or_none, job_or_404, report

Status = PrintJob.Status


def _with(query: Any, **changes: str) -> str:
    params = query.copy()
    for key, value in changes.items():
        params[key] = value
    return str(params.urlencode())


@workspace_required
def index(request: WorkspaceRequest) -> HttpResponse:
    """The queue: printing jobs, then queued ones in order, each with its feasibility; totals,
    batches and filters. An htmx request (the 5-second poll, a filter) gets the list only."""
    workspace, actor = request.workspace, request.actor
    get = request.GET
    printer_id = id_or_none(get.get("printer"))
    material = get.get("material", "") if get.get("material") in Material.values else ""
    status = get.get("status", "") if get.get("status") in Status.values else ""
    show_all = get.get("show") == "all"
    page = presenters.queue_page(
        workspace=workspace,
        printer_id=printer_id,
        material=material,
        status=status,
        show_all=show_all,
    )
    context = {
        "page": page,
        "printer_id": printer_id,
        "material": material,
        "status": status,
        "materials": Material.choices,
        "statuses": Status.choices,
        "can_run": actor.can(Perm.RUN_PRODUCTION),
        "can_edit_printers": actor.can(Perm.EDIT_SETTINGS),
        "fail_form": FailForm(),
        "here": request.get_full_path(),
        "show_all_url": "?" + _with(get, show="all"),
        "u": presenters.row_urls(),
        "reorderable": status in ("", Status.QUEUED),
    }
    if request.htmx:
        return render(request, "production/_queue.html", context)
    return render(request, "production/queue.html", context)


@require_POST
@workspace_required
def queue_reorder(request: WorkspaceRequest) -> HttpResponse:
    """JSON `{"job_ids": [...], "seen": [...]}` from a drag and drop: these queued jobs in this
    order. Refused (409) when the queue the person saw (`seen`) changed meanwhile."""
    workspace, actor = request.workspace, request.actor
    try:
        body = json.loads(request.body or b"{}")
        ids = [int(pk) for pk in body.get("job_ids", [])]
        seen = [int(pk) for pk in body.get("seen", [])]
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"detail": "Send the job ids in their new order."}, status=400)
    if seen and presenters.queue_order_changed(workspace=workspace, seen=seen):
        return JsonResponse(
            {
                "detail": "The queue changed meanwhile (someone else moved, started or "
                "cancelled a job): it is shown as it is now, move the job again."
            },
            status=409,
        )
    try:
        order = services.queue_reorder(actor=actor, job_ids=ids)
    except DomainError as error:
        return JsonResponse({"detail": error.message}, status=error.status_code)
    return JsonResponse({"job_ids": order})


@require_POST
@workspace_required
def job_move(request: WorkspaceRequest, pk: int, direction: str) -> HttpResponse:
    """Move a queued job one place up or down (the keyboard's way to reorder)."""
    job = job_or_404(request, pk)
    actor = request.actor

    def act() -> str:
        if direction == "up":
            moved = services.print_job_move_up(actor=actor, job=job)
        else:
            moved = services.print_job_move_down(actor=actor, job=job)
        return f"{job} is now number {moved.position} in the queue."

    report(request, act)
    return back(request, reverse("production:index"))


@require_POST
@workspace_required
def queue_gather(request: WorkspaceRequest) -> HttpResponse:
    """Bring a suggested batch together in the queue."""
    actor = request.actor
    ids = [pk for pk in (id_or_none(v) for v in request.POST.getlist("job")) if pk is not None]

    def act() -> str:
        services.queue_gather(actor=actor, job_ids=ids)
        return f"{len(ids)} jobs now follow one another in the queue."

    report(request, act)
    return back(request, reverse("production:index"))


@workspace_required
def job_new(request: WorkspaceRequest) -> HttpResponse:
    """Queue a version (`?version=<id>`): copies, a printer or any compatible one, priority."""
    workspace, actor = request.workspace, request.actor
    data = request.POST or None
    version_id = id_or_none((data or request.GET).get("version"))
    versions = library_selectors.version_list(workspace=workspace)
    version = get_object_or_404(versions, pk=version_id) if version_id else None
    printers = list(selectors.printer_list(workspace=workspace))
    # The version page's "Queue…" sends the copies it was asked for.
    copies = id_or_none(request.GET.get("copies")) or 1
    form = JobForm(data, initial={"version": version_id, "copies": copies}, printers=printers)
    if data is not None and form.is_valid() and version is not None:
        try:
            job = services.print_job_queue(
                actor=actor,
                version=version,
                copies=form.cleaned_data["copies"],
                printer=chosen_printer(request, form.cleaned_data["printer"]),
                priority=form.cleaned_data["priority"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            if error.field == "version":  # a hidden field: say it above the form
                form.add_error(None, error.message)
            else:
                add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"{job} queued: {version} × {job.copies}, number {job.position} in the queue.",
            )
            return redirect("production:index")
    elif data is not None and version is None:
        form.is_valid()
        form.add_error(None, "Choose the version to print from the library.")
    return render(
        request,
        "production/job_new.html",
        {
            "form": form,
            "version": version,
            "can_run": actor.can(Perm.RUN_PRODUCTION),
            "plan": presenters.version_plan(version) if version else None,
        },
        status=400 if form.errors else 200,
    )


@workspace_required
def schedule(request: WorkspaceRequest) -> HttpResponse:
    """Each printer's timeline: printing and queued jobs with their estimated start and end."""
    workspace = request.workspace
    plan = queue_schedule(workspace=workspace)
    entries = [*plan.printing, *plan.queued]
    jobs = {
        job.pk: job
        for job in selectors.print_job_list(
            workspace=workspace, status=(Status.PRINTING, Status.QUEUED)
        )
    }
    printers = list(selectors.printer_list(workspace=workspace))
    lanes = schedule_lanes(schedule=plan, printers=printers, jobs=jobs)
    return render(
        request,
        "production/schedule.html",
        {
            "schedule": plan,
            "lanes": lanes,
            "unscheduled": [(jobs.get(e.job_id), e) for e in entries if e.start is None],
            "u": presenters.row_urls(),
            "printers": printers,
        },
    )
