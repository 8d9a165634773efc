"""The library's contributions to the dashboard (settings.PRINTOPS_GETTING_STARTED_STEPS)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from printops.accounts.dashboard import GettingStartedStep
from printops.accounts.roles import Perm
from printops.library.models import Design


def step_upload_a_file(request: HttpRequest) -> GettingStartedStep:
    """Getting started: a first file in the library."""
    workspace = request.workspace  # type: ignore[attr-defined]
    return GettingStartedStep(
        label="Upload a file",
        done=Design.objects.filter(workspace=workspace).exists(),
        url=reverse("library:upload"),
        perm=Perm.EDIT_CATALOGUE,
        help="A sliced file (G-code, 3MF) tells PrintOps the time and grams of a print.",
    )
