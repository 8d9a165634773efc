"""Creating a workspace (its creator becomes its owner) and changing its settings."""

from __future__ import annotations

import zoneinfo

from django.db import transaction

from printops.accounts import extensions
from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record, snapshot
from printops.accounts.models import Membership, User, Workspace
from printops.accounts.roles import Perm, Role
from printops.accounts.services.common import _clean_workspace_name, _unique_slug
from printops.core.errors import InvalidInput

WORKSPACE_FIELDS = ("name", "currency", "units", "timezone")


def workspace_create(*, user: User, name: str) -> Membership:
    """Create a further workspace owned by `user`."""
    name = _clean_workspace_name(name)
    with transaction.atomic():
        return _workspace_create(user=user, name=name)


def _workspace_create(*, user: User, name: str) -> Membership:
    workspace = Workspace.objects.create(name=name, slug=_unique_slug(name))
    membership = Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
    for setup in extensions.workspace_setup.providers():  # each app seeds its defaults
        setup(workspace=workspace)
    audit_record(
        actor=None,
        user=user,
        workspace=workspace,
        verb="workspace.created",
        obj=workspace,
        after=snapshot(workspace, WORKSPACE_FIELDS),
    )
    return membership


def workspace_update(
    *, actor: Actor, name: str, currency: str, units: str, timezone_name: str
) -> Workspace:
    """Change the workspace's name, currency, units and time zone (owners only)."""
    actor.require(Perm.MANAGE_WORKSPACE)
    name = _clean_workspace_name(name)
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidInput("Use a three-letter currency code such as EUR or USD.", field="currency")
    if units not in Workspace.Units.values:
        raise InvalidInput("Choose metric or imperial units.", field="units")
    if timezone_name not in zoneinfo.available_timezones():
        raise InvalidInput("Choose a time zone from the list.", field="timezone")
    with transaction.atomic():
        workspace = Workspace.objects.select_for_update().get(pk=actor.workspace.pk)
        before = snapshot(workspace, WORKSPACE_FIELDS)
        workspace.name, workspace.currency = name, currency
        workspace.units, workspace.timezone = units, timezone_name
        workspace.save(update_fields=list(WORKSPACE_FIELDS))
        audit_record(
            actor=actor,
            verb="workspace.updated",
            obj=workspace,
            before=before,
            after=snapshot(workspace, WORKSPACE_FIELDS),
        )
    return workspace
