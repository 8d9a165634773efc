"""Printer pages: the list, add and edit, a printer's slots, status and maintenance log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.accounts.roles import Perm
from printops.core.errors import DomainError
from printops.core.forms import add_domain_error
from printops.materials import selectors as materials_selectors
from printops.production import presenters, selectors, services
from printops.production.forms import MaintenanceForm, PrinterForm, first_error
from printops.production.models import Printer, PrintJob
from printops.production.views.common import printer_or_404, report


@workspace_required
def printer_list(request: WorkspaceRequest) -> HttpResponse:
    """Every printer with its status, slots and the job it prints."""
    workspace, actor = request.workspace, request.actor
    printers = list(selectors.printer_list(workspace=workspace))
    printing = {
        job.printer_id: job
        for job in selectors.print_job_list(workspace=workspace, status=PrintJob.Status.PRINTING)
    }
    return render(
        request,
        "production/printers.html",
        {
            "printers": [(p, printing.get(p.pk)) for p in printers],
            "can_edit": actor.can(Perm.EDIT_SETTINGS),
        },
    )


def _form_page(request: WorkspaceRequest, printer: Printer | None) -> HttpResponse:
    actor = request.actor
    initial: dict[str, Any] = {}
    if printer is not None:
        initial = {field: getattr(printer, field) for field in services.PRINTER_FIELDS}
        initial["slots"] = printer.slots.count()
    form = PrinterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            if printer is None:
                printer = services.printer_create(actor=actor, **values)
            else:
                services.printer_update(actor=actor, printer=printer, **values)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{printer.name} saved.")
            return redirect("production:printer", pk=printer.pk)
    return render(
        request,
        "production/printer_form.html",
        {"printer": printer, "form": form, "can_edit": actor.can(Perm.EDIT_SETTINGS)},
        status=400 if form.errors else 200,
    )


@workspace_required
def printer_new(request: WorkspaceRequest) -> HttpResponse:
    return _form_page(request, None)


@workspace_required
def printer_edit(request: WorkspaceRequest, pk: int) -> HttpResponse:
    return _form_page(request, printer_or_404(request, pk))


@workspace_required
def printer_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """A printer: its slots with the spool in each (and a form to change it), its status,
    the job it prints, recent jobs and its maintenance log."""
    workspace, actor = request.workspace, request.actor
    printer = printer_or_404(request, pk)
    jobs = selectors.print_job_list(workspace=workspace, printer_id=printer.pk)
    return render(
        request,
        "production/printer.html",
        {
            "printer": printer,
            "slots": list(printer.slots.all()),
            "spools": presenters.loadable_spools(workspace=workspace, printer=printer),
            "jobs": list(jobs[:20]),
            "log": list(
                selectors.printer_maintenance_list(workspace=workspace, printer=printer)[:100]
            ),
            "maintenance_form": MaintenanceForm(),
            "statuses": [
                (value, label)
                for value, label in Printer.Status.choices
                if value in services.MANUAL_PRINTER_STATUSES and value != printer.status
            ],
            "can_run": actor.can(Perm.RUN_PRODUCTION),
            "can_edit": actor.can(Perm.EDIT_SETTINGS),
        },
    )


def _after(request: HttpRequest, printer: Printer, act: Callable[[], str]) -> HttpResponse:
    report(request, act)
    return redirect("production:printer", pk=printer.pk)


@require_POST
@workspace_required
def printer_slot(request: WorkspaceRequest, pk: int, index: int) -> HttpResponse:
    """Load a spool into a slot, or empty it (no spool chosen)."""
    workspace, actor = request.workspace, request.actor
    printer = printer_or_404(request, pk)
    raw = request.POST.get("spool", "")
    spool = (
        get_object_or_404(materials_selectors.spool_list(workspace=workspace), pk=int(raw))
        if raw.isdigit()
        else None
    )

    def act() -> str:
        services.printer_slot_load(actor=actor, printer=printer, index=index, spool=spool)
        if spool is None:
            return f"Slot {index + 1} of {printer.name} is empty."
        return f"{spool} ({spool.filament}) is in slot {index + 1} of {printer.name}."

    return _after(request, printer, act)


@require_POST
@workspace_required
def printer_status(request: WorkspaceRequest, pk: int) -> HttpResponse:
    printer = printer_or_404(request, pk)
    status = request.POST.get("status", "")

    def act() -> str:
        services.printer_set_status(actor=request.actor, printer=printer, status=status)
        return f"{printer.name} is {printer.get_status_display().lower()}."

    return _after(request, printer, act)


@require_POST
@workspace_required
def printer_maintenance(request: WorkspaceRequest, pk: int) -> HttpResponse:
    printer = printer_or_404(request, pk)
    form = MaintenanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("production:printer", pk=printer.pk)

    def act() -> str:
        entry = services.printer_maintenance_add(
            actor=request.actor,
            printer=printer,
            note=form.cleaned_data["note"],
            on=form.cleaned_data["date"],
        )
        return f"Logged for {entry.date:%Y-%m-%d}: {entry.note}"

    return _after(request, printer, act)
