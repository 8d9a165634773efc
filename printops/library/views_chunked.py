"""JSON endpoints the upload page uses for large files: start, send pieces, finish, status."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods, require_POST

from printops.accounts.decorators import workspace_required
from printops.core.errors import DomainError
from printops.library import chunked_uploads
from printops.library.models import ChunkedUpload
from printops.library.presenters import version_json


def _status(upload: ChunkedUpload) -> dict[str, object]:
    return {
        "id": upload.pk,
        "received_bytes": upload.received_bytes,
        "size_bytes": upload.size_bytes,
        "chunk_bytes": upload.chunk_bytes,
    }


def _own(request: HttpRequest, pk: int) -> ChunkedUpload:
    """Only the person who started an upload can continue it, in its workspace."""
    return get_object_or_404(
        ChunkedUpload.objects.filter(workspace=request.workspace, uploaded_by=request.user),  # type: ignore[attr-defined]
        pk=pk,
    )


@require_POST
@workspace_required
def start(request: HttpRequest) -> JsonResponse:
    try:
        size_bytes = int(request.POST.get("size", ""))
    except ValueError:
        return JsonResponse({"detail": "Say how many bytes the file has."}, status=400)
    try:
        upload = chunked_uploads.chunked_upload_start(
            actor=request.actor,
            original_name=request.POST.get("name", ""),  # type: ignore[attr-defined]
            size_bytes=size_bytes,
        )
    except DomainError as error:
        return JsonResponse({"detail": error.message}, status=error.status_code)
    return JsonResponse(_status(upload), status=201)


@require_http_methods(["GET", "PUT"])
@workspace_required
def piece(request: HttpRequest, pk: int) -> JsonResponse:
    upload = _own(request, pk)
    if request.method == "GET":
        return JsonResponse(_status(upload))
    try:
        offset = int(request.GET.get("offset", ""))
        upload = chunked_uploads.chunked_upload_append(
            actor=request.actor,
            upload=upload,
            offset=offset,
            data=request.body,  # type: ignore[attr-defined]
        )
    except ValueError:
        return JsonResponse({"detail": "Give the piece's offset in bytes."}, status=400)
    except DomainError as error:
        return JsonResponse({"detail": error.message, **_status(upload)}, status=error.status_code)
    return JsonResponse(_status(upload))


@require_POST
@workspace_required
def finish(request: HttpRequest, pk: int) -> JsonResponse:
    upload = _own(request, pk)
    try:
        version = chunked_uploads.chunked_upload_finish(
            actor=request.actor,
            upload=upload,  # type: ignore[attr-defined]
            relative_path=request.POST.get("relative_path", "")[:1000],
            design_name=request.POST.get("design_name", "")[:200],
            variant_name=request.POST.get("variant_name", "")[:200],
            change_note=request.POST.get("change_note", "")[:500],
        )
    except DomainError as error:
        return JsonResponse({"detail": error.message}, status=error.status_code)
    return JsonResponse(version_json(version), status=201)
