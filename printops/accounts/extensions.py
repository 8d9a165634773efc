"""What accounts asks of the apps above it (printops.core.extensions)."""

from __future__ import annotations

from typing import Protocol

from printops.accounts.models import Workspace
from printops.core.extensions import ExtensionPoint


class WorkspaceSetup(Protocol):
    def __call__(self, *, workspace: Workspace) -> None: ...


workspace_setup: ExtensionPoint[WorkspaceSetup] = ExtensionPoint(
    "accounts.workspace_setup",
    "seeding a new workspace's defaults, inside the transaction that creates it",
    expected_from=("library",),
)
