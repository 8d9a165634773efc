"""The dashboard's getting-started checklist: what a new workspace still lacks, in order.

Each step is done once the workspace has what the step makes (a printer, a filament, a file, a
job); a member who may not do a step is told whom to ask instead of being sent to a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from printops.accounts.actor import Actor
from printops.accounts.models import Workspace
from printops.accounts.roles import Perm
from printops.library.models import Design, VariantVersion
from printops.materials.models import Filament
from printops.production.models import Printer, PrintJob


@dataclass(frozen=True)
class GettingStartedStep:
    """One step of setting up a workspace: done once the workspace has what it makes."""

    label: str  # "Add a printer"
    done: bool
    url: str  # the page that does it
    perm: Perm  # who may do it; others are told to ask
    help: str = ""


@dataclass(frozen=True)
class Checklist:
    steps: list[tuple[GettingStartedStep, bool]]  # each with whether the member may do it

    @property
    def done_count(self) -> int:
        return sum(step.done for step, _ in self.steps)

    @property
    def complete(self) -> bool:
        return self.done_count == len(self.steps)


def _add_printer(workspace: Workspace) -> GettingStartedStep:
    return GettingStartedStep(
        label="Add a printer",
        done=Printer.objects.filter(workspace=workspace).exists(),
        url=reverse("production:printer_new"),
        perm=Perm.EDIT_SETTINGS,
        help="Its name, build volume and filament slots.",
    )


def _add_filament(workspace: Workspace) -> GettingStartedStep:
    return GettingStartedStep(
        label="Add a filament",
        done=Filament.objects.filter(workspace=workspace).exists(),
        url=reverse("materials:filament_new"),
        perm=Perm.EDIT_CATALOGUE,
        help="Its vendor, material and colour; then add its spools.",
    )


def _upload_file(workspace: Workspace) -> GettingStartedStep:
    return GettingStartedStep(
        label="Upload a file",
        done=Design.objects.filter(workspace=workspace).exists(),
        url=reverse("library:upload"),
        perm=Perm.EDIT_CATALOGUE,
        help="A sliced file (G-code, 3MF) tells PrintOps the time and grams of a print.",
    )


def _queue_print(workspace: Workspace) -> GettingStartedStep:
    # Queued from the newest uploaded version, so the form opens with the file just uploaded.
    newest = VariantVersion.objects.filter(workspace=workspace).order_by("-pk").values("pk").first()
    url = (
        reverse("production:job_new") + f"?version={newest['pk']}"
        if newest
        else reverse("library:index")
    )
    return GettingStartedStep(
        label="Queue it",
        done=PrintJob.objects.filter(workspace=workspace).exists(),
        url=url,
        perm=Perm.RUN_PRODUCTION,
        help="Choose copies and a printer; the queue checks the filament on hand.",
    )


STEPS: tuple[Callable[[Workspace], GettingStartedStep], ...] = (
    _add_printer,
    _add_filament,
    _upload_file,
    _queue_print,
)


def getting_started(*, actor: Actor) -> Checklist:
    """The workspace's steps in order, each ticked when done."""
    steps = [step(actor.workspace) for step in STEPS]
    return Checklist(steps=[(step, actor.can(step.perm)) for step in steps])
