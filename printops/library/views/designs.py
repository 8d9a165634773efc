"""Design pages: the searchable index, a design's page, favourite and delete, its card
picture, and the pictures and source files attached to it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.accounts.roles import Perm
from printops.core.blobs import blob_response
from printops.core.errors import DomainError
from printops.core.forms import add_domain_error
from printops.library import selectors, services
from printops.library.forms import DesignForm
from printops.library.models import Design, DesignImage
from printops.library.search.terms import SearchFilters

SORTS = (
    ("relevance", "Best match"),
    ("name", "Name"),
    ("newest", "Newest"),
    ("print_time", "Print time"),
    ("grams", "Filament used"),
)
PAGE_SIZE = 48


def _float(value: str | None) -> float | None:
    """A filter's number, or None; "inf", "nan" and numbers past 10¹² are ignored like words
    (int(inf) raised, and a huge id overflowed the database: issue 10)."""
    try:
        number = float(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is not None and abs(number) <= 1e12 else None


def _int(value: str | None) -> int | None:
    number = _float(value)
    return int(number) if number is not None else None


def _colour_filter(value: str) -> str:
    """A colour filter as "#RRGGBB": a hex as given, or a palette name's swatch ("blue")."""
    from printops.materials.colour import palette_swatch

    if len(value) == 7 and value.startswith("#"):
        return value.upper()
    return palette_swatch(value[:40]) or ""


def filters_from_query(params: QueryDict, user_id: int) -> SearchFilters:
    """SearchFilters from a query string; values that do not parse are ignored, not errors."""
    get, getlist = params.get, params.getlist
    hours_min, hours_max = _float(get("hours_min")), _float(get("hours_max"))
    return SearchFilters(
        category_id=_int(get("category")),
        materials=tuple(m.upper() for m in getlist("material") if m)[:10],
        colours=tuple(_colour_filter(c) for c in getlist("colour") if _colour_filter(c))[:10],
        printer_model=(get("printer") or "")[:120],
        nozzle_mm=_float(get("nozzle")),
        layer_min_mm=_float(get("layer_min")),
        layer_max_mm=_float(get("layer_max")),
        time_min_s=int(hours_min * 3600) if hours_min is not None else None,
        time_max_s=int(hours_max * 3600) if hours_max is not None else None,
        grams_min=_float(get("grams_min")),
        grams_max=_float(get("grams_max")),
        tags=tuple(t for t in getlist("tag") if t)[:10],
        favourites_of=user_id if get("favourites") == "1" else None,
        slicer=(get("slicer") or "")[:60],
    )


@workspace_required
def index(request: WorkspaceRequest) -> HttpResponse:
    from printops.library.search import design_search

    workspace = request.workspace
    query = (request.GET.get("q") or "").strip()[:200]
    sort = request.GET.get("sort") or ("relevance" if query else "newest")
    if sort not in dict(SORTS):
        sort = "newest"
    page_number = max(1, _int(request.GET.get("page")) or 1)
    filters = filters_from_query(request.GET, request.user.pk)
    result = design_search(
        workspace=workspace,
        query=query,
        filters=filters,
        sort=sort,
        user_id=request.user.pk,
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
    )
    if query:
        recent = [q for q in request.session.get("recent_searches", []) if q != query]
        request.session["recent_searches"] = [query, *recent][:8]
    layout = "list" if request.GET.get("view") == "list" else "grid"
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "result": result,
        "query": query,
        "sort": sort,
        "sorts": SORTS,
        "layout": layout,
        "filters": filters,
        "page_number": page_number,
        "has_next": page_number * PAGE_SIZE < result.total,
        "querystring": params.urlencode(),
        "recent_searches": request.session.get("recent_searches", []),
        "selected": {key: request.GET.getlist(key) for key in request.GET},
        "library_empty": not selectors.design_list(workspace=workspace).exists(),
        # Cards without a picture while a task draws one ask again until it lands.
        "pending_design_ids": selectors.design_ids_with_picture_pending(
            workspace=workspace,
            design_ids=[hit.design_id for hit in result.items if not hit.thumbnail_version_id],
        ),
        "can_upload": request.actor.can(Perm.EDIT_CATALOGUE),
    }
    if request.htmx:
        return render(request, "library/_results.html", context)
    return render(request, "library/index.html", context)


@workspace_required
def design_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    workspace, actor = request.workspace, request.actor
    design = selectors.design_detail(workspace=workspace, design_id=pk)
    if design is None:
        raise Http404
    categories = selectors.category_list(workspace=workspace)
    initial = {
        "name": design.name,
        "designer": design.designer,
        "licence": design.licence,
        "source_url": design.source_url,
        "category": design.category,
        "description": design.description,
        "tags": ", ".join(t.name for t in design.tags.all()),
    }
    form = DesignForm(request.POST or None, initial=initial, categories=categories)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.design_update(
                actor=actor,
                design=design,
                name=data["name"],
                designer=data["designer"],
                licence=data["licence"],
                source_url=data["source_url"],
                description=data["description"],
                category=data["category"],
                tag_names=form.tag_names(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Model saved.")
            return redirect("library:design", pk=design.pk)
    return render(
        request,
        "library/design.html",
        {
            "design": design,
            "form": form,
            "can_edit": actor.can(Perm.EDIT_CATALOGUE),
            "is_favourite": design.favourites.filter(user=request.user).exists(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@workspace_required
def design_favourite(request: WorkspaceRequest, pk: int) -> HttpResponse:
    design = get_object_or_404(selectors.design_list(workspace=request.workspace), pk=pk)
    is_favourite = services.design_favourite_toggle(actor=request.actor, design=design)
    if request.htmx:
        return render(
            request, "library/_favourite.html", {"design": design, "is_favourite": is_favourite}
        )
    return redirect("library:design", pk=design.pk)


@require_POST
@workspace_required
def design_delete(request: WorkspaceRequest, pk: int) -> HttpResponse:
    design = get_object_or_404(selectors.design_list(workspace=request.workspace), pk=pk)
    try:
        services.design_delete(actor=request.actor, design=design)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("library:design", pk=pk)
    messages.success(request, f"{design.name} was deleted.")
    return redirect("library:index")


@workspace_required
def design_card_thumb(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """A search card's picture: the image once it exists, else a placeholder that asks again
    in 2 s while a task draws it, else "no picture"."""
    workspace = request.workspace
    design = get_object_or_404(selectors.design_list(workspace=workspace), pk=pk)
    picture = selectors.design_card_picture_version_id(workspace=workspace, design_id=design.pk)
    pending = not picture and bool(
        selectors.design_ids_with_picture_pending(workspace=workspace, design_ids=[design.pk])
    )
    context = {
        "picture_version_id": picture,
        "design_id": design.pk,
        "pending": pending,
        "small": request.GET.get("small") == "1",
    }
    return render(request, "library/_card_thumb.html", context)


def _design(request: WorkspaceRequest, pk: int) -> Design:
    return get_object_or_404(selectors.design_list(workspace=request.workspace), pk=pk)


def _attach(
    request: WorkspaceRequest, pk: int, service: Callable[..., object], field: str, what: str
) -> HttpResponse:
    design = _design(request, pk)
    upload = request.FILES.get(field)
    if upload is None:
        messages.error(request, f"Choose a {what} to add.")
        return redirect("library:design", pk=pk)
    try:
        service(
            actor=request.actor,
            design=design,
            content=upload,
            size_bytes=upload.size,
            original_name=upload.name,
        )
        messages.success(request, f"Added {upload.name}.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("library:design", pk=pk)


@require_POST
@workspace_required
def image_add(request: WorkspaceRequest, pk: int) -> HttpResponse:
    return _attach(request, pk, services.design_image_add, "image", "picture")


@require_POST
@workspace_required
def file_add(request: WorkspaceRequest, pk: int) -> HttpResponse:
    return _attach(request, pk, services.design_file_add, "file", "source file")


def _image(request: WorkspaceRequest, pk: int) -> DesignImage:
    return get_object_or_404(selectors.design_image_list(workspace=request.workspace), pk=pk)


@workspace_required
def image_show(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    image = _image(request, pk)
    return blob_response(
        image.blob,
        image.original_name,
        attachment=False,
        media_type=image.blob.media_type,
    )


@require_POST
@workspace_required
def image_primary(request: WorkspaceRequest, pk: int) -> HttpResponse:
    image = _image(request, pk)
    try:
        services.design_image_make_primary(actor=request.actor, image=image)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("library:design", pk=image.design_id)


@require_POST
@workspace_required
def image_remove(request: WorkspaceRequest, pk: int) -> HttpResponse:
    image = _image(request, pk)
    try:
        services.design_image_remove(actor=request.actor, image=image)
        messages.success(request, "Picture removed.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("library:design", pk=image.design_id)


@workspace_required
def file_download(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    source = get_object_or_404(selectors.design_file_list(workspace=request.workspace), pk=pk)
    return blob_response(
        source.blob, source.original_name, attachment=True, media_type="application/octet-stream"
    )
