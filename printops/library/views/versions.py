"""Version pages: a version's page and its actions (move, correct, make default), compare,
download and thumbnails."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.accounts.roles import Perm
from printops.core.blobs import blob_response
from printops.core.errors import DomainError
from printops.library import selectors, services
from printops.library.forms import CorrectionForm, MoveForm
from printops.library.presenters import (
    geometry_rows,
    key_parameters,
    signed_duration,
    version_json,
)


@workspace_required
def version_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    workspace, actor = request.workspace, request.actor
    version = selectors.version_detail(workspace=workspace, version_id=pk)
    if version is None:
        raise Http404
    siblings = selectors.version_list(workspace=workspace).filter(variant=version.variant)
    return render(
        request,
        "library/version.html",
        {
            "version": version,
            "key": key_parameters(version),
            "geometry": geometry_rows(version),
            "siblings": siblings,
            "settings_items": sorted((version.metadata.get("settings") or {}).items()),
            "can_edit": actor.can(Perm.EDIT_CATALOGUE),
            "correction_form": CorrectionForm(),
        },
    )


@require_POST
@workspace_required
def version_correct(request: WorkspaceRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(selectors.version_list(workspace=request.workspace), pk=pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.version_correct(
                actor=request.actor,
                version=version,
                field=form.cleaned_data["field"],
                raw_value=form.cleaned_data["value"],
            )
            messages.success(request, "Correction saved; the file's own value is kept too.")
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("library:version", pk=pk)


@require_POST
@workspace_required
def version_make_default(request: WorkspaceRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(selectors.version_list(workspace=request.workspace), pk=pk)
    try:
        services.version_set_default(actor=request.actor, version=version)
        messages.success(request, f"Version {version.number} is now the default.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("library:version", pk=pk)


@workspace_required
def compare(request: WorkspaceRequest) -> HttpResponse:
    versions = selectors.version_list(workspace=request.workspace)
    try:
        a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        raise Http404 from None
    first, second = get_object_or_404(versions, pk=a), get_object_or_404(versions, pk=b)
    older, newer = sorted((first, second), key=lambda v: (v.created_at, v.pk))
    comparison = selectors.version_compare(older=older, newer=newer)
    return render(
        request,
        "library/compare.html",
        {"c": comparison, "time_delta": signed_duration(comparison.print_seconds_delta)},
    )


@workspace_required
def version_download(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    version = get_object_or_404(selectors.version_list(workspace=request.workspace), pk=pk)
    return blob_response(
        version.blob, version.original_name, attachment=True, media_type="application/octet-stream"
    )


@workspace_required
def version_thumb_fragment(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """The picture, or a placeholder that asks again in 2 s while a task draws it."""
    version = get_object_or_404(selectors.version_list(workspace=request.workspace), pk=pk)
    return render(request, "library/_version_thumb.html", {"version": version})


@require_POST
@workspace_required
def version_move(request: WorkspaceRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(selectors.version_list(workspace=request.workspace), pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"detail": "Give both a model and a variant name."}, status=400)
    try:
        version = services.version_move(
            actor=request.actor,
            version=version,
            design_name=form.cleaned_data["design_name"],
            variant_name=form.cleaned_data["variant_name"],
        )
    except DomainError as error:
        return JsonResponse({"detail": error.message}, status=error.status_code)
    return JsonResponse(version_json(version))


@workspace_required
def version_thumbnail(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    version = get_object_or_404(
        selectors.version_list(workspace=request.workspace).filter(thumbnail__isnull=False),
        pk=pk,
    )
    thumbnail = version.thumbnail
    assert thumbnail is not None  # filtered to versions with a thumbnail above
    return blob_response(thumbnail, f"{pk}.png", attachment=False, media_type="image/png")
