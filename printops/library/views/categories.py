"""The workspace's category list: add and remove categories."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.accounts.roles import Perm
from printops.core.errors import DomainError
from printops.core.forms import add_domain_error
from printops.library import selectors, services


class CategoryForm(forms.Form):
    name = forms.CharField(max_length=60, label="New category")


@workspace_required
def categories(request: WorkspaceRequest) -> HttpResponse:
    actor, workspace = request.actor, request.workspace
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
def category_delete(request: WorkspaceRequest, pk: int) -> HttpResponse:
    category = get_object_or_404(selectors.category_list(workspace=request.workspace), pk=pk)
    try:
        services.category_delete(actor=request.actor, category=category)
        messages.success(request, f"Category {category.name} removed.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("library:categories")
