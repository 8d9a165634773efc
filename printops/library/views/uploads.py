"""Uploads: the upload page, one file from it (XHR), and the JSON endpoints it uses for
large files sent in pieces (start, send pieces, finish, status)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.accounts.roles import Perm
from printops.core.errors import DomainError
from printops.library import selectors, services
from printops.library.forms import UploadForm
from printops.library.models import ChunkedUpload
from printops.library.presenters import version_json

ACCEPTED_EXTENSIONS = (".gcode", ".bgcode", ".3mf", ".ufp", ".gx", ".stl")


@workspace_required
def upload(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "library/upload.html",
        {
            "accepted": ",".join(ACCEPTED_EXTENSIONS),
            "max_bytes": settings.PRINTOPS_MAX_UPLOAD_BYTES,
            "chunk_bytes": settings.PRINTOPS_UPLOAD_CHUNK_BYTES,
            "can_upload": request.actor.can(Perm.EDIT_CATALOGUE),
        },
    )


@require_POST
@workspace_required
def upload_file(request: WorkspaceRequest) -> JsonResponse:
    """One file from the upload page (XHR); answers JSON for the page's progress list."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"detail": "Choose a file to upload."}, status=400)
    data, upload_file = form.cleaned_data, form.cleaned_data["file"]
    workspace = request.workspace
    variant = None
    if data["variant"]:
        variant = get_object_or_404(selectors.variant_list(workspace=workspace), pk=data["variant"])
    try:
        version = services.version_upload(
            actor=request.actor,
            content=upload_file,
            size_bytes=upload_file.size,
            original_name=upload_file.name,
            relative_path=data["relative_path"],
            design_name=data["design_name"],
            variant=variant,
            variant_name=data["variant_name"],
            change_note=data["change_note"],
        )
    except DomainError as error:
        return JsonResponse({"detail": error.message}, status=error.status_code)
    return JsonResponse(version_json(version), status=201)


def _status(upload: ChunkedUpload) -> dict[str, object]:
    return {
        "id": upload.pk,
        "received_bytes": upload.received_bytes,
        "size_bytes": upload.size_bytes,
        "chunk_bytes": upload.chunk_bytes,
    }


def _own(request: WorkspaceRequest, pk: int) -> ChunkedUpload:
    """Only the person who started an upload can continue it, in its workspace."""
    return get_object_or_404(
        ChunkedUpload.objects.filter(workspace=request.workspace, uploaded_by=request.user),
        pk=pk,
    )


@require_POST
@workspace_required
def chunked_start(request: WorkspaceRequest) -> JsonResponse:
    try:
        size_bytes = int(request.POST.get("size", ""))
    except ValueError:
        return JsonResponse({"detail": "Say how many bytes the file has."}, status=400)
    try:
        upload = services.chunked_upload_start(
            actor=request.actor,
            original_name=request.POST.get("name", ""),
            size_bytes=size_bytes,
        )
    except DomainError as error:
        return JsonResponse({"detail": error.message}, status=error.status_code)
    return JsonResponse(_status(upload), status=201)


@require_http_methods(["GET", "PUT"])
@workspace_required
def chunked_piece(request: WorkspaceRequest, pk: int) -> JsonResponse:
    upload = _own(request, pk)
    if request.method == "GET":
        return JsonResponse(_status(upload))
    try:
        offset = int(request.GET.get("offset", ""))
        upload = services.chunked_upload_append(
            actor=request.actor,
            upload=upload,
            offset=offset,
            data=request.body,
        )
    except ValueError:
        return JsonResponse({"detail": "Give the piece's offset in bytes."}, status=400)
    except DomainError as error:
        return JsonResponse({"detail": error.message, **_status(upload)}, status=error.status_code)
    return JsonResponse(_status(upload))


@require_POST
@workspace_required
def chunked_finish(request: WorkspaceRequest, pk: int) -> JsonResponse:
    upload = _own(request, pk)
    try:
        version = services.chunked_upload_finish(
            actor=request.actor,
            upload=upload,
            relative_path=request.POST.get("relative_path", "")[:1000],
            design_name=request.POST.get("design_name", "")[:200],
            variant_name=request.POST.get("variant_name", "")[:200],
            change_note=request.POST.get("change_note", "")[:500],
        )
    except DomainError as error:
        return JsonResponse({"detail": error.message}, status=error.status_code)
    return JsonResponse(version_json(version), status=201)
