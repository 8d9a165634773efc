"""A job's page and its actions: start, switch a spool, complete, fail, cancel, requeue."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.accounts.roles import Perm
from printops.core.errors import DomainError
from printops.materials import selectors as materials_selectors
from printops.production import presenters, selectors, services
from printops.production.forms import FailForm, first_error
from printops.production.models import PrintJob
from printops.production.views.common import back, chosen_printer, id_or_none, job_or_404, report

Status = PrintJob.Status


def _act(request: HttpRequest, job: PrintJob, act: Callable[[], str]) -> HttpResponse:
    report(request, act)
    return back(request, reverse("production:job", args=[job.pk]))


def _run(
    request: WorkspaceRequest, pk: int, service: Callable[..., PrintJob], sentence: str
) -> HttpResponse:
    """Run one service on a job (`service(actor=, job=)`) and come back with `sentence`, its
    `{job}` filled in, or with the refusal."""
    job = job_or_404(request, pk)

    def act() -> str:
        service(actor=request.actor, job=job)
        return sentence.format(job=job)

    return _act(request, job, act)


def _percent(value: Decimal | None) -> str:
    """40.00 → "40", 12.50 → "12.5"."""
    return "?" if value is None else f"{value.normalize():f}"


@workspace_required
def job_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """A job: status, version, printer, spools per slot, the ledger rows it wrote, timings,
    failure, and the actions its status allows."""
    workspace, actor = request.workspace, request.actor
    job = selectors.print_job_detail(workspace=workspace, job_id=pk)
    if job is None:
        raise Http404
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
def job_start(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """Start a queued job on the chosen printer, with the chosen spools (the rest as the
    service picks them)."""
    workspace, actor = request.workspace, request.actor
    job = job_or_404(request, pk)
    printer = chosen_printer(request, request.POST.get("printer"))
    spools = {}
    for key, value in request.POST.items():
        if key.startswith("spool_") and id_or_none(value) is not None:
            slot = id_or_none(key.removeprefix("spool_"))
            if slot is not None:
                spools[slot] = get_object_or_404(
                    materials_selectors.spool_list(workspace=workspace, archived=None),
                    pk=id_or_none(value),
                )

    def act() -> str:
        started = services.print_job_start(actor=actor, job=job, printer=printer, spools=spools)
        return f"{started} is printing on {started.printer}."

    return _act(request, job, act)


@require_POST
@workspace_required
def job_spool_switch(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """Charge one slot of a printing job to another spool (the first ran out or is short)."""
    job = job_or_404(request, pk)
    spool = get_object_or_404(
        materials_selectors.spool_list(workspace=request.workspace, archived=None),
        pk=id_or_none(request.POST.get("spool")),
    )
    slot = id_or_none(request.POST.get("slot"))

    def act() -> str:
        services.print_job_spool_switch(actor=request.actor, job=job, slot=slot, spool=spool)
        return f"Filament {(slot or 0) + 1} of {job} now comes off {spool}."

    return _act(request, job, act)


@require_POST
@workspace_required
def job_complete(request: WorkspaceRequest, pk: int) -> HttpResponse:
    return _run(
        request,
        pk,
        services.print_job_complete,
        "{job} completed; its filament was taken off its spools.",
    )


@require_POST
@workspace_required
def job_fail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    job = job_or_404(request, pk)
    form = FailForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return back(request, reverse("production:job", args=[job.pk]))
    data = form.cleaned_data

    def act() -> str:
        failed = services.print_job_fail(
            actor=request.actor,
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
def job_cancel(request: WorkspaceRequest, pk: int) -> HttpResponse:
    return _run(request, pk, services.print_job_cancel, "{job} cancelled; nothing was consumed.")


@require_POST
@workspace_required
def job_requeue(request: WorkspaceRequest, pk: int) -> HttpResponse:
    job = job_or_404(request, pk)
    try:
        new = services.print_job_requeue(actor=request.actor, job=job)
    except DomainError as error:
        messages.error(request, error.message)
        return back(request, reverse("production:job", args=[job.pk]))
    messages.success(request, f"{job} requeued as {new}, number {new.position} in the queue.")
    return redirect("production:job", pk=new.pk)
