"""What materials asks of the apps above it (printops.core.extensions): the signatures it
calls, and who is expected to answer. Production provides all three in its `ready()`."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from printops.accounts.models import Workspace
from printops.core.extensions import ExtensionPoint


class PrintJobLookup(Protocol):
    def __call__(self, *, workspace: Workspace, print_job_id: int) -> bool: ...


class ProjectedDemand(Protocol):
    def __call__(self, *, workspace: Workspace) -> dict[int, Decimal]: ...


class PrinterNames(Protocol):
    def __call__(
        self, *, workspace: Workspace, print_job_ids: Iterable[int | None]
    ) -> dict[int, str]: ...


print_job_lookup: ExtensionPoint[PrintJobLookup] = ExtensionPoint(
    "materials.print_job_lookup",
    "whether a ledger row's print job id is one of the workspace's jobs",
    expected_from=("production",),
)
projected_demand: ExtensionPoint[ProjectedDemand] = ExtensionPoint(
    "materials.projected_demand",
    "grams per filament that planned work will take from stock, for the shopping list",
    expected_from=("production",),
)
printer_names: ExtensionPoint[PrinterNames] = ExtensionPoint(
    "materials.printer_names",
    "the printer each print job ran on, for the weigh-in report",
    expected_from=("production",),
)
