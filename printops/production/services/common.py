"""What every production service shares: the job status names, cent rounding, and the check
that an object chosen by id belongs to the actor's workspace."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from printops.accounts.actor import Actor
from printops.core.errors import InvalidInput
from printops.production.models import PrintJob

_CENT = Decimal("0.01")
Status = PrintJob.Status


def _same_workspace(actor: Actor, obj: Any, what: str, field: str) -> None:
    if obj is not None and obj.workspace_id != actor.workspace.pk:
        raise InvalidInput(f"Choose one of this workspace's {what}.", field=field)
