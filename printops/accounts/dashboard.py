"""The dashboard's getting-started checklist: each app above accounts contributes its steps.

The steps are listed in settings.PRINTOPS_GETTING_STARTED_STEPS (accounts cannot import the
apps that know whether a printer or a filament exists), each a callable `(request) -> Step`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string

from printops.accounts.roles import Perm


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


def getting_started(request: HttpRequest) -> Checklist:
    """The workspace's steps in order, each ticked when done."""
    actor = request.actor  # type: ignore[attr-defined]
    steps = [import_string(dotted)(request) for dotted in settings.PRINTOPS_GETTING_STARTED_STEPS]
    return Checklist(steps=[(step, actor.can(step.perm)) for step in steps])
