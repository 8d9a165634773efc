"""JSON API for the library: upload files, versions, downloads, designs, search. The request
and response shapes are in api_schemas.py; a version's JSON in presenters.py."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from printops.accounts.request import WorkspaceRequest
from printops.core.api_errors import (
    ACTION_ONE,
    READ,
    READ_ONE,
    WRITE,
    WRITE_ONE,
    errors,
    file_answer,
)
from printops.core.blobs import blob_response
from printops.core.bounds import MAX_ID, Id, Offset, whole
from printops.library import selectors, services
from printops.library.api_schemas import (
    CorrectionIn,
    DesignIn,
    DesignOut,
    ImageOut,
    NameIn,
    SearchOut,
    VariantOut,
    VersionOut,
    design_out,
    image_out,
    variant_out,
)
from printops.library.models import Design, VariantVersion
from printops.library.presenters import version_api_json

router = Router(tags=["library"])


def _design(request: WorkspaceRequest, design_id: int) -> Design:
    return get_object_or_404(selectors.design_list(workspace=request.workspace), pk=design_id)


def _version(request: WorkspaceRequest, version_id: int) -> VariantVersion:
    return get_object_or_404(selectors.version_list(workspace=request.workspace), pk=version_id)


def _is_id(value: str) -> bool:
    """An id rather than a name: ASCII digits within the database's integers (a longer number
    overflowed SQLite, and "²" passed `isdigit` but not `int`)."""
    value = value.strip()
    return value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID


@router.post("/files", response={201: VersionOut, **errors(400, 403, 404, 409, 413, 422)})
def file_upload(
    request: WorkspaceRequest,
    file: File[UploadedFile],
    design: Form[str] = "",
    variant: Form[str] = "",
    change_note: Form[str] = "",
    relative_path: Form[str] = "",
) -> Status:
    """Upload a sliced file; `design` and `variant` are ids or names (suggested when empty)."""
    workspace, actor = request.workspace, request.actor
    design_obj = variant_obj = None
    design_name = variant_name = ""
    if _is_id(design):
        design_obj = get_object_or_404(selectors.design_list(workspace=workspace), pk=int(design))
    else:
        design_name = design
    if _is_id(variant):
        variant_obj = get_object_or_404(
            selectors.variant_list(workspace=workspace), pk=int(variant)
        )
    else:
        variant_name = variant
    version = services.version_upload(
        actor=actor,
        content=file,
        size_bytes=file.size or 0,
        original_name=file.name or "",
        relative_path=relative_path,
        design=design_obj,
        design_name=design_name,
        variant=variant_obj,
        variant_name=variant_name,
        change_note=change_note,
    )
    return Status(201, version_api_json(version))


@router.get("/versions/{version_id}", response={200: VersionOut, **READ_ONE})
def version_get(request: WorkspaceRequest, version_id: Id) -> dict[str, Any]:
    version = _version(request, version_id)
    return version_api_json(version)


@router.get(
    "/versions/{version_id}/download",
    response={302: None, **READ_ONE},
    openapi_extra=file_answer("application/octet-stream", "The file as uploaded."),
)
def version_download(request: WorkspaceRequest, version_id: Id) -> HttpResponseBase:
    """The exact bytes uploaded (a short-lived signed redirect when storage is S3)."""
    version = _version(request, version_id)
    return blob_response(
        version.blob, version.original_name, attachment=True, media_type="application/octet-stream"
    )


@router.get("/designs", response={200: list[DesignOut], **errors(422)})
def design_list(
    request: WorkspaceRequest,
    limit: whole(1, 500) = 100,  # type: ignore[valid-type]
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    designs = (
        selectors.design_list(workspace=request.workspace)
        .prefetch_related("tags", "variants")
        .order_by("name", "pk")[offset : offset + limit]
    )
    return [design_out(d) for d in designs]


@router.get("/designs/{design_id}", response={200: DesignOut, **READ_ONE})
def design_get(request: WorkspaceRequest, design_id: Id) -> dict[str, Any]:
    design = _design(request, design_id)
    return design_out(design)


@router.put("/designs/{design_id}", response={200: DesignOut, **WRITE_ONE, **errors(409)})
def design_update(request: WorkspaceRequest, design_id: Id, payload: DesignIn) -> dict[str, Any]:
    workspace = request.workspace
    design = get_object_or_404(selectors.design_list(workspace=workspace), pk=design_id)
    category = (
        get_object_or_404(selectors.category_list(workspace=workspace), pk=payload.category)
        if payload.category
        else None
    )
    design = services.design_update(
        actor=request.actor,
        design=design,
        name=payload.name,
        designer=payload.designer,
        licence=payload.licence,
        source_url=payload.source_url,
        description=payload.description,
        category=category,
        tag_names=payload.tags,
    )
    return design_out(design)


@router.delete("/designs/{design_id}", response={204: None, **ACTION_ONE, **errors(409)})
def design_delete(request: WorkspaceRequest, design_id: Id) -> Status:
    design = _design(request, design_id)
    services.design_delete(actor=request.actor, design=design)
    return Status(204, None)


@router.get("/search", response={200: SearchOut, **errors(422)})
def search(
    request: WorkspaceRequest,
    q: str = "",
    sort: str = "",
    limit: whole(1, 200) = 48,  # type: ignore[valid-type]
    offset: Offset = 0,
) -> dict[str, Any]:
    """Search designs. Filters (repeatable where plural): category, material, colour (#RRGGBB),
    printer, slicer, nozzle, layer_min, layer_max, hours_min, hours_max, grams_min, grams_max,
    tag, favourites=1. Sorts: relevance, name, newest, print_time, grams."""
    from django.urls import reverse

    from printops.library.search import design_search
    from printops.library.views.designs import SORTS, filters_from_query

    sort = sort if sort in dict(SORTS) else ("relevance" if q.strip() else "newest")
    page = design_search(
        workspace=request.workspace,
        query=q[:200],
        sort=sort,
        filters=filters_from_query(request.GET, request.user.pk),
        user_id=request.user.pk,
        limit=limit,
        offset=offset,
    )
    items = [
        {
            **hit.__dict__,
            "thumbnail_url": reverse("library:thumbnail", args=[hit.thumbnail_version_id])
            if hit.thumbnail_version_id
            else None,
        }
        for hit in page.items
    ]
    return {"items": items, "total": page.total, "facets": page.facets}


@router.post("/designs", response={201: DesignOut, **WRITE, **errors(409)})
def design_create(request: WorkspaceRequest, payload: NameIn) -> Status:
    design = services.design_create(actor=request.actor, name=payload.name)
    return Status(201, design_out(design))


@router.get("/designs/{design_id}/variants", response={200: list[VariantOut], **READ_ONE})
def variant_list(request: WorkspaceRequest, design_id: Id) -> list[dict[str, Any]]:
    design = _design(request, design_id)
    return [variant_out(v) for v in design.variants.prefetch_related("versions")]


@router.put("/variants/{variant_id}", response={200: VariantOut, **WRITE_ONE, **errors(409)})
def variant_rename(request: WorkspaceRequest, variant_id: Id, payload: NameIn) -> dict[str, Any]:
    variant = get_object_or_404(
        selectors.variant_list(workspace=request.workspace),
        pk=variant_id,
    )
    return variant_out(
        services.variant_rename(
            actor=request.actor,
            variant=variant,
            name=payload.name,
        )
    )


@router.post("/versions/{version_id}/default", response={200: VariantOut, **ACTION_ONE})
def version_make_default(request: WorkspaceRequest, version_id: Id) -> dict[str, Any]:
    version = _version(request, version_id)
    services.version_set_default(actor=request.actor, version=version)
    version.variant.refresh_from_db()
    return variant_out(version.variant)


@router.post("/versions/{version_id}/corrections", response={200: VersionOut, **WRITE_ONE})
def version_correct(
    request: WorkspaceRequest, version_id: Id, payload: CorrectionIn
) -> dict[str, Any]:
    version = _version(request, version_id)
    version = services.version_correct(
        actor=request.actor,
        version=version,
        field=payload.field,
        raw_value=payload.value,
    )
    return version_api_json(version)


@router.delete("/versions/{version_id}", response={204: None, **ACTION_ONE, **errors(409)})
def version_delete(request: WorkspaceRequest, version_id: Id) -> Status:
    version = _version(request, version_id)
    services.version_delete(actor=request.actor, version=version)
    return Status(204, None)


@router.get("/tags", response={200: list[str], **READ})
def tag_list(request: WorkspaceRequest) -> list[str]:
    return list(selectors.tag_list(workspace=request.workspace).values_list("name", flat=True))


@router.get("/designs/{design_id}/images", response={200: list[ImageOut], **READ_ONE})
def image_list(request: WorkspaceRequest, design_id: Id) -> list[dict[str, Any]]:
    design = _design(request, design_id)
    return [image_out(i) for i in design.images.all()]


@router.post("/designs/{design_id}/images", response={201: ImageOut, **WRITE_ONE})
def image_add(request: WorkspaceRequest, design_id: Id, file: File[UploadedFile]) -> Status:
    design = _design(request, design_id)
    image = services.design_image_add(
        actor=request.actor,
        design=design,
        content=file,
        size_bytes=file.size or 0,
        original_name=file.name or "",
    )
    return Status(201, image_out(image))


@router.delete("/images/{image_id}", response={204: None, **ACTION_ONE})
def image_delete(request: WorkspaceRequest, image_id: Id) -> Status:
    image = get_object_or_404(
        selectors.design_image_list(workspace=request.workspace),
        pk=image_id,
    )
    services.design_image_remove(actor=request.actor, image=image)
    return Status(204, None)
