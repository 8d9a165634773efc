"""Materials pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from printops.accounts.decorators import workspace_required


@workspace_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "materials/index.html")
