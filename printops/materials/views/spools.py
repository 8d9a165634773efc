"""A spool's page and its two-tap actions: weigh in (asking first when far above the ledger),
mark empty, move, record use, archive; and opening a spool from its label's code."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from printops.accounts.actor import Actor
from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.accounts.roles import Perm
from printops.core.errors import DomainError, NeedsConfirmation
from printops.core.forms import add_domain_error
from printops.materials import selectors, services
from printops.materials.forms import (
    ConsumeForm,
    MoveForm,
    SpoolDetailsForm,
    WeighInForm,
)
from printops.materials.models import Spool


def _spool(request: WorkspaceRequest, pk: int) -> Spool:
    return get_object_or_404(
        selectors.spool_list(workspace=request.workspace, archived=None),
        pk=pk,
    )


@workspace_required
def spool_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """A spool: its grams, two-tap actions (weigh in, mark empty, move) and its ledger."""
    spool = _spool(request, pk)
    details = _details_form(spool, request.POST or None)
    if request.method == "POST" and details.is_valid():
        try:
            services.spool_update(actor=request.actor, spool=spool, **details.cleaned_data)
        except DomainError as error:
            add_domain_error(details, error)
        else:
            messages.success(request, "Spool details saved.")
            return redirect("materials:spool", pk=spool.pk)
    return _spool_page(request, spool, details=details, status=400 if details.errors else 200)


def _details_form(spool: Spool, data: Any = None) -> SpoolDetailsForm:
    return SpoolDetailsForm(
        data, initial={f: getattr(spool, f) for f in SpoolDetailsForm.base_fields}
    )


def _spool_page(
    request: WorkspaceRequest,
    spool: Spool,
    *,
    details: SpoolDetailsForm,
    weigh_form: WeighInForm | None = None,
    weigh_in_question: str = "",
    status: int = 200,
) -> HttpResponse:
    """The spool page; after a weigh-in that needs a yes, with the question and its reading."""
    workspace, actor = request.workspace, request.actor
    return render(
        request,
        "materials/spool.html",
        {
            "spool": spool,
            "history": selectors.spool_history(workspace=workspace, spool=spool)[:200],
            "details_form": details,
            "weigh_form": weigh_form or WeighInForm(),
            "weigh_in_question": weigh_in_question,
            "move_form": MoveForm(initial={"location": spool.location}),
            "consume_form": ConsumeForm(),
            "locations": selectors.spool_locations(workspace=workspace),
            "can_stock": actor.can(Perm.MANAGE_STOCK),
        },
        status=status,
    )


@workspace_required
def spool_by_code(request: WorkspaceRequest, code: str) -> HttpResponse:
    """A label's code (as scanned or typed) opens its spool."""
    spool = get_object_or_404(
        selectors.spool_list(workspace=request.workspace, archived=None),
        label_code=code.strip().upper(),
    )
    return redirect("materials:spool", pk=spool.pk)


def _spool_action(request: WorkspaceRequest, pk: int, form_class: Any, act: Any) -> HttpResponse:
    """Run one spool action from a posted form; its outcome is a message on the spool page."""
    spool = _spool(request, pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        messages.error(request, first)
    else:
        try:
            sentence = act(request.actor, spool, form.cleaned_data if form else {})
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, sentence)
    return redirect("materials:spool", pk=spool.pk)


@require_POST
@workspace_required
def spool_weigh_in(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """Weigh in; a reading far above the ledger comes back as a question on the spool page,
    with the reading kept and a "Yes, record it" button, rather than as an error."""
    spool = _spool(request, pk)
    form = WeighInForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(next(iter(form.errors.values()))[0]))
        return redirect("materials:spool", pk=spool.pk)
    try:
        entry = services.spool_weigh_in(
            actor=request.actor,
            spool=spool,
            gross_grams=form.cleaned_data["gross_grams"],
            confirm=form.cleaned_data["confirm"],
        )
    except NeedsConfirmation as question:
        return _spool_page(
            request,
            spool,
            details=_details_form(spool),
            weigh_form=form,
            weigh_in_question=question.message,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Weighed in: {spool.remaining_grams} g left ({entry.grams:+} g against the ledger).",
        )
    return redirect("materials:spool", pk=spool.pk)


@require_POST
@workspace_required
def spool_mark_empty(request: WorkspaceRequest, pk: int) -> HttpResponse:
    def act(actor: Actor, spool: Spool, data: dict[str, Any]) -> str:
        services.spool_mark_empty(actor=actor, spool=spool)
        return f"{spool} is marked empty."

    return _spool_action(request, pk, None, act)


@require_POST
@workspace_required
def spool_move(request: WorkspaceRequest, pk: int) -> HttpResponse:
    def act(actor: Actor, spool: Spool, data: dict[str, Any]) -> str:
        services.spool_move(actor=actor, spool=spool, location=data["location"])
        return f"{spool} is now at {spool.location or 'no particular place'}."

    return _spool_action(request, pk, MoveForm, act)


@require_POST
@workspace_required
def spool_consume(request: WorkspaceRequest, pk: int) -> HttpResponse:
    def act(actor: Actor, spool: Spool, data: dict[str, Any]) -> str:
        services.spool_consume(actor=actor, spool=spool, **data)
        return f"Recorded {data['grams']} g; {spool.remaining_grams} g left."

    return _spool_action(request, pk, ConsumeForm, act)


@require_POST
@workspace_required
def spool_archive(request: WorkspaceRequest, pk: int) -> HttpResponse:
    def act(actor: Actor, spool: Spool, data: dict[str, Any]) -> str:
        archived = not spool.archived
        services.spool_archive(actor=actor, spool=spool, archived=archived)
        return f"{spool} is archived." if archived else f"{spool} is back in stock."

    return _spool_action(request, pk, None, act)
