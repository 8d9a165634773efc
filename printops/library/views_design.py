"""A design's pictures and source files, and the workspace's category list."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from printops.accounts.decorators import workspace_required
from printops.accounts.roles import Perm
from printops.core.blobs import blob_response
from printops.core.errors import DomainError
from printops.core.forms import add_domain_error
from printops.library import selectors, services


class CategoryForm(forms.Form):
    name = forms.CharField(max_length=60, label="New category")


def _design(request: HttpRequest, pk: int) -> object:
    return get_object_or_404(selectors.design_list(workspace=request.workspace), pk=pk)  # type: ignore[attr-defined]


def _attach(request: HttpRequest, pk: int, service: object, field: str, what: str) -> HttpResponse:
    design = _design(request, pk)
    upload = request.FILES.get(field)
    if upload is None:
        messages.error(request, f"Choose a {what} to add.")
        return redirect("library:design", pk=pk)
    try:
        service(
            actor=request.actor,
            design=design,
            content=upload,  # type: ignore[operator, attr-defined]
            size_bytes=upload.size,
            original_name=upload.name,
        )
        messages.success(request, f"Added {upload.name}.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("library:design", pk=pk)


@require_POST
@workspace_required
def image_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _attach(request, pk, services.design_image_add, "image", "picture")


@require_POST
@workspace_required
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _attach(request, pk, services.design_file_add, "file", "source file")


def _image(request: HttpRequest, pk: int) -> object:
    return get_object_or_404(selectors.design_image_list(workspace=request.workspace), pk=pk)  # type: ignore[attr-defined]


@workspace_required
def image_show(request: HttpRequest, pk: int) -> HttpResponse:
    image = _image(request, pk)
    return blob_response(
        image.blob,
        image.original_name,
        attachment=False,  # type: ignore[attr-defined]
        media_type=image.blob.media_type,
    )  # type: ignore[attr-defined]


@require_POST
@workspace_required
def image_primary(request: HttpRequest, pk: int) -> HttpResponse:
    image = _image(request, pk)
    try:
        services.design_image_make_primary(actor=request.actor, image=image)  # type: ignore[attr-defined, arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("library:design", pk=image.design_id)  # type: ignore[attr-defined]


@require_POST
@workspace_required
def image_remove(request: HttpRequest, pk: int) -> HttpResponse:
    image = _image(request, pk)
    try:
        services.design_image_remove(actor=request.actor, image=image)  # type: ignore[attr-defined, arg-type]
        messages.success(request, "Picture removed.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("library:design", pk=image.design_id)  # type: ignore[attr-defined]


@workspace_required
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(selectors.design_file_list(workspace=request.workspace), pk=pk)  # type: ignore[attr-defined]
    return blob_response(
        source.blob, source.original_name, attachment=True, media_type="application/octet-stream"
    )


@workspace_required
def categories(request: HttpRequest) -> HttpResponse:
    actor, workspace = request.actor, request.workspace  # type: ignore[attr-defined]
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_create(actor=actor, name=form.cleaned_data["name"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Category added.")
            return redirect("library:categories")
    return render(
        request,
        "library/categories.html",
        {
            "form": form,
            "categories": selectors.category_list_with_counts(workspace=workspace),
            "can_edit": actor.can(Perm.EDIT_SETTINGS),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@workspace_required
def category_delete(request: HttpRequest, pk: int) -> HttpResponse:
    category = get_object_or_404(selectors.category_list(workspace=request.workspace), pk=pk)  # type: ignore[attr-defined]
    try:
        services.category_delete(actor=request.actor, category=category)  # type: ignore[attr-defined]
        messages.success(request, f"Category {category.name} removed.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("library:categories")
