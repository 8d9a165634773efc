"""The review queue of filaments in uploads that are not linked to stock, and its actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.accounts.roles import Perm
from printops.core.errors import DomainError
from printops.library import filament_matching, selectors, services
from printops.library.models import FilamentUsage
from printops.materials.selectors import filament_list


def _usage(request: WorkspaceRequest, pk: int) -> FilamentUsage:
    return get_object_or_404(
        selectors.filament_usage_list(workspace=request.workspace),
        pk=pk,
    )


def _back(request: HttpRequest) -> HttpResponse:
    """Back where the action was taken: the review queue or a version page."""
    target = request.POST.get("next", "")
    if target.startswith("/library/") and "//" not in target:
        return redirect(target)
    return redirect("library:filament_review")


@workspace_required
def filament_review(request: WorkspaceRequest) -> HttpResponse:
    workspace, actor = request.workspace, request.actor
    return render(
        request,
        "library/filament_review.html",
        {
            "presets": selectors.unmatched_presets(workspace=workspace),
            "filaments": filament_list(workspace=workspace).order_by(
                "material", "vendor__name", "product_line", "colour_name"
            ),
            "can_edit": actor.can(Perm.EDIT_CATALOGUE),
            "limit": filament_matching.MAX_REVIEW_GROUPS,
        },
    )


@require_POST
@workspace_required
def usage_confirm(request: WorkspaceRequest, pk: int) -> HttpResponse:
    usage = _usage(request, pk)
    filament_id = request.POST.get("filament", "")
    filament = (
        filament_list(workspace=request.workspace).filter(pk=filament_id).first()
        if filament_id.isdigit()
        else None
    )
    if filament is None:
        messages.error(request, "Choose one of this workspace's filaments.")
        return _back(request)
    try:
        linked = services.usage_confirm(actor=request.actor, usage=usage, filament=filament)
    except DomainError as error:
        messages.error(request, error.message)
        return _back(request)
    others = f" and {linked - 1} more use{'s' if linked != 2 else ''} of it" if linked > 1 else ""
    messages.success(
        request, f"Linked {usage.name or usage.material} to {filament}{others}; remembered."
    )
    return _back(request)


@require_POST
@workspace_required
def usage_create_filament(request: WorkspaceRequest, pk: int) -> HttpResponse:
    usage = _usage(request, pk)
    try:
        filament = services.usage_create_filament(actor=request.actor, usage=usage)
    except DomainError as error:
        messages.error(request, error.message)
        return _back(request)
    messages.success(
        request, f"Added {filament} to the catalogue and linked the file's filament to it."
    )
    return _back(request)


@require_POST
@workspace_required
def filaments_rematch(request: WorkspaceRequest) -> HttpResponse:
    try:
        linked = services.usages_rematch(actor=request.actor)
    except DomainError as error:
        messages.error(request, error.message)
        return _back(request)
    if linked:
        plural = "s" if linked != 1 else ""
        messages.success(request, f"Matched {linked} more filament use{plural}.")
    else:
        messages.info(request, "Nothing new matched confidently; confirm the rest by hand.")
    return _back(request)


def panel(request: WorkspaceRequest) -> str | None:
    """The dashboard's "unmatched filaments" panel (composed by printops/front)."""
    count = selectors.unmatched_preset_count(workspace=request.workspace)
    if not count:
        return None
    return render_to_string(
        "library/_unmatched_panel.html", {"unmatched_count": count}, request=request
    )
