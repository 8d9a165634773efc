"""Writing audit events. Services call `audit_record` inside their transaction, so an event
exists exactly when its change was committed."""

from __future__ import annotations

from typing import Any

from django.db import models

from printops.accounts.actor import Actor
from printops.accounts.models import AuditEvent, User, Workspace


def audit_record(
    *,
    actor: Actor | None,
    verb: str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    workspace: Workspace | None = None,
    user: User | None = None,
) -> AuditEvent:
    """Append one audit event. `user` stands in for `actor` before a membership exists
    (sign-up, accepting an invitation)."""
    acting_user = actor.user if actor else user
    staff = actor.staff if actor else None
    in_workspace = workspace or (actor.workspace if actor else None)
    if in_workspace is None:  # a caller's mistake: the column is NOT NULL
        raise ValueError("An audit event needs an actor or a workspace.")
    return AuditEvent.objects.create(
        workspace=in_workspace,
        actor=acting_user,
        actor_label=acting_user.display_name if acting_user else "system",
        staff=staff,
        staff_label=staff.display_name if staff else "",
        verb=verb,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:254] if obj is not None else "",
        before=before,
        after=after,
        via=actor.via if actor else "web",
    )


def snapshot(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of `obj` as JSON-friendly values, for an event's before/after."""
    values: dict[str, Any] = {}
    for field in fields:
        value = getattr(obj, field)
        values[field] = (
            value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        )
    return values
