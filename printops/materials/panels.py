"""Materials' contributions to the dashboard (settings.PRINTOPS_GETTING_STARTED_STEPS)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from printops.accounts.dashboard import GettingStartedStep
from printops.accounts.roles import Perm
from printops.materials.models import Filament


def step_add_a_filament(request: HttpRequest) -> GettingStartedStep:
    """Getting started: a first filament in the catalogue."""
    workspace = request.workspace  # type: ignore[attr-defined]
    return GettingStartedStep(
        label="Add a filament",
        done=Filament.objects.filter(workspace=workspace).exists(),
        url=reverse("materials:filament_new"),
        perm=Perm.EDIT_CATALOGUE,
        help="Its vendor, material and colour; then add its spools.",
    )
