"""Production pages: the queue (live, reorderable), a job's page and its actions, the schedule.

Every action is a POST that calls one service and comes back with its sentence as a message;
a refusal (DomainError) is a message too, never a 500.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from printops.accounts.decorators import workspace_required
from printops.accounts.roles import Perm
from printops.core.errors import DomainError
from printops.core.forms import add_domain_error
from printops.library import selectors as library_selectors
from printops.materials import selectors as materials_selectors
from printops.materials.models import Material
from printops.production import presenters, selectors, services
from printops.production.forms import FailForm, JobForm, first_error
from printops.production.models import Printer, PrintJob
from printops.production.schedule import queue_schedule

Status = PrintJob.Status


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _job(request: HttpRequest, pk: int) -> PrintJob:
    return get_object_or_404(selectors.print_job_list(workspace=request.workspace), pk=pk)  # type: ignore[attr-defined]


def _printer(request: HttpRequest, pk: Any) -> Printer | None:
    if _int(pk) is None:
        return None
    return get_object_or_404(selectors.printer_list(workspace=request.workspace), pk=_int(pk))  # type: ignore[attr-defined]


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the form was on (the queue, a filtered queue, a job page)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _act(request: HttpRequest, job: PrintJob, act: Callable[[], str]) -> HttpResponse:
    try:
        sentence = act()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, sentence)
    return _back(request, reverse("production:job", args=[job.pk]))


def _with(query: Any, **changes: str) -> str:
    params = query.copy()
    for key, value in changes.items():
        params[key] = value
    return str(params.urlencode())


def _percent(value: Decimal | None) -> str:
    """40.00 → "40", 12.50 → "12.5"."""
    return "?" if value is None else f"{value.normalize():f}"


# --- the queue -------------------------------------------------------------------------------


@workspace_required
def index(request: HttpRequest) -> HttpResponse:
    """The queue: printing jobs, then queued ones in order, each with its feasibility; totals,
    batches and filters. An htmx request (the 5-second poll, a filter) gets the list only."""
    workspace, actor = request.workspace, request.actor  # type: ignore[attr-defined]
    get = request.GET
    printer_id = _int(get.get("printer"))
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
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "production/_queue.html", context)
    return render(request, "production/queue.html", context)


@require_POST
@workspace_required
def queue_reorder(request: HttpRequest) -> HttpResponse:
    """JSON `{"job_ids": [...], "seen": [...]}` from a drag and drop: these queued jobs in this
    order. Refused (409) when the queue the person saw (`seen`) changed meanwhile."""
    workspace, actor = request.workspace, request.actor  # type: ignore[attr-defined]
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
def job_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    """Move a queued job one place up or down (the keyboard's way to reorder)."""
    job = _job(request, pk)
    actor = request.actor  # type: ignore[attr-defined]

    def act() -> str:
        if direction == "up":
            moved = services.print_job_move_up(actor=actor, job=job)
        else:
            moved = services.print_job_move_down(actor=actor, job=job)
        return f"{job} is now number {moved.position} in the queue."

    return _act_back_to_queue(request, act)


def _act_back_to_queue(request: HttpRequest, act: Callable[[], str]) -> HttpResponse:
    try:
        sentence = act()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, sentence)
    return _back(request, reverse("production:index"))


@require_POST
@workspace_required
def queue_gather(request: HttpRequest) -> HttpResponse:
    """Bring a suggested batch together in the queue."""
    actor = request.actor  # type: ignore[attr-defined]
    ids = [pk for pk in (_int(v) for v in request.POST.getlist("job")) if pk is not None]

    def act() -> str:
        services.queue_gather(actor=actor, job_ids=ids)
        return f"{len(ids)} jobs now follow one another in the queue."

    return _act_back_to_queue(request, act)


# --- queueing a version ----------------------------------------------------------------------


@workspace_required
def job_new(request: HttpRequest) -> HttpResponse:
    """Queue a version (`?version=<id>`): copies, a printer or any compatible one, priority."""
    workspace, actor = request.workspace, request.actor  # type: ignore[attr-defined]
    data = request.POST or None
    version_id = _int((data or request.GET).get("version"))
    versions = library_selectors.version_list(workspace=workspace)
    version = get_object_or_404(versions, pk=version_id) if version_id else None
    printers = list(selectors.printer_list(workspace=workspace))
    # The version page's "Queue…" sends the copies it was asked for.
    copies = _int(request.GET.get("copies")) or 1
    form = JobForm(data, initial={"version": version_id, "copies": copies}, printers=printers)
    if data is not None and form.is_valid() and version is not None:
        try:
            job = services.print_job_queue(
                actor=actor,
                version=version,
                copies=form.cleaned_data["copies"],
                printer=_printer(request, form.cleaned_data["printer"]),
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


# --- a job -----------------------------------------------------------------------------------


@workspace_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A job: status, version, printer, spools per slot, the ledger rows it wrote, timings,
    failure, and the actions its status allows."""
    workspace, actor = request.workspace, request.actor  # type: ignore[attr-defined]
    job = selectors.print_job_detail(workspace=workspace, job_id=pk)
    if job is None:
        return get_object_or_404(PrintJob.objects.none(), pk=pk)
    listing = selectors.queue_listing(workspace=workspace, status=None, job_id=job.pk)
    row = listing.rows[0] if listing.rows else None
    can_run = actor.can(Perm.RUN_PRODUCTION)
    actual = (
        int((job.finished_at - job.started_at).total_seconds())
        if job.started_at and job.finished_at
        else None
    )
    return render(
        request,
        "production/job.html",
        {
            "job": job,
            "row": row,
            "short": [
                (listing.filaments.get(s.filament_id), s.grams)
                for s in (row.feasibility.short if row and row.feasibility else ())
            ],
            "ledger": presenters.job_ledger_rows(workspace=workspace, job=job),
            "choices": (
                presenters.start_choices(actor=actor, job=job)
                if can_run and job.status == Status.QUEUED
                else None
            ),
            "switch_spools": (
                presenters.switch_choices(workspace=workspace, job=job)
                if can_run and job.status == Status.PRINTING
                else {}
            ),
            "actual_seconds": actual,
            "actual_plausible": actual is None
            or job.status != Status.COMPLETED
            or selectors.plausible_duration(actual, row.estimated_seconds if row else None),
            "can_run": can_run,
            "fail_form": FailForm(),
            "requeued_as": list(job.requeues.all()),
            "here": request.get_full_path(),
        },
    )


@require_POST
@workspace_required
def job_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a queued job on the chosen printer, with the chosen spools (the rest as the
    service picks them)."""
    workspace, actor = request.workspace, request.actor  # type: ignore[attr-defined]
    job = _job(request, pk)
    printer = _printer(request, request.POST.get("printer"))
    spools = {}
    for key, value in request.POST.items():
        if key.startswith("spool_") and _int(value) is not None:
            slot = _int(key.removeprefix("spool_"))
            if slot is not None:
                spools[slot] = get_object_or_404(
                    materials_selectors.spool_list(workspace=workspace, archived=None),
                    pk=_int(value),
                )

    def act() -> str:
        started = services.print_job_start(actor=actor, job=job, printer=printer, spools=spools)
        return f"{started} is printing on {started.printer}."

    return _act(request, job, act)


@require_POST
@workspace_required
def job_spool_switch(request: HttpRequest, pk: int) -> HttpResponse:
    """Charge one slot of a printing job to another spool (the first ran out or is short)."""
    job = _job(request, pk)
    spool = get_object_or_404(
        materials_selectors.spool_list(workspace=request.workspace, archived=None),  # type: ignore[attr-defined]
        pk=_int(request.POST.get("spool")),
    )
    slot = _int(request.POST.get("slot"))

    def act() -> str:
        services.print_job_spool_switch(actor=request.actor, job=job, slot=slot, spool=spool)  # type: ignore[attr-defined]
        return f"Filament {(slot or 0) + 1} of {job} now comes off {spool}."

    return _act(request, job, act)


@require_POST
@workspace_required
def job_complete(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)

    def act() -> str:
        services.print_job_complete(actor=request.actor, job=job)  # type: ignore[attr-defined]
        return f"{job} completed; its filament was taken off its spools."

    return _act(request, job, act)


@require_POST
@workspace_required
def job_fail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    form = FailForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _back(request, reverse("production:job", args=[job.pk]))
    data = form.cleaned_data

    def act() -> str:
        failed = services.print_job_fail(
            actor=request.actor,  # type: ignore[attr-defined]
            job=job,
            reason=data["reason"],
            note=data["note"],
            completion_percent=data["completion_percent"],
            layer=data["layer"],
        )
        return (
            f"{failed} recorded as failed at {_percent(failed.completion_percent)} %; "
            f"the filament it used was taken off its spools."
        )

    return _act(request, job, act)


@require_POST
@workspace_required
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)

    def act() -> str:
        services.print_job_cancel(actor=request.actor, job=job)  # type: ignore[attr-defined]
        return f"{job} cancelled; nothing was consumed."

    return _act(request, job, act)


@require_POST
@workspace_required
def job_requeue(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        new = services.print_job_requeue(actor=request.actor, job=job)  # type: ignore[attr-defined]
    except DomainError as error:
        messages.error(request, error.message)
        return _back(request, reverse("production:job", args=[job.pk]))
    messages.success(request, f"{job} requeued as {new}, number {new.position} in the queue.")
    return redirect("production:job", pk=new.pk)


# --- the schedule ----------------------------------------------------------------------------


@workspace_required
def schedule(request: HttpRequest) -> HttpResponse:
    """Each printer's timeline: printing and queued jobs with their estimated start and end."""
    workspace = request.workspace  # type: ignore[attr-defined]
    plan = queue_schedule(workspace=workspace)
    entries = [*plan.printing, *plan.queued]
    jobs = {
        job.pk: job
        for job in selectors.print_job_list(
            workspace=workspace, status=(Status.PRINTING, Status.QUEUED)
        )
    }
    printers = list(selectors.printer_list(workspace=workspace))
    lanes = presenters.schedule_lanes(schedule=plan, printers=printers, jobs=jobs)
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
