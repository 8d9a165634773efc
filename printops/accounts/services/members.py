"""Members' roles, workstation logins and removal; a workspace keeps an owner."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record, snapshot
from printops.accounts.models import ApiToken, Membership, User, Workspace
from printops.accounts.roles import Perm, Role
from printops.core.errors import Conflict, InvalidInput


def _lock_owners(workspace: Workspace) -> list[int]:
    """Lock the workspace's owner memberships so two owners cannot demote each other at once."""
    return list(
        Membership.objects.select_for_update()
        .filter(workspace=workspace, role=Role.OWNER)
        .values_list("pk", flat=True)
    )


def membership_change_role(*, actor: Actor, membership: Membership, role: str) -> Membership:
    """Give a member another role; a workspace always keeps at least one owner."""
    actor.require(Perm.MANAGE_MEMBERS)
    if role not in Role.values:
        raise InvalidInput("Choose one of owner, manager, operator or viewer.", field="role")
    with transaction.atomic():
        owner_ids = _lock_owners(actor.workspace)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.pk in owner_ids and role != Role.OWNER and len(owner_ids) == 1:
            raise Conflict("A workspace needs at least one owner; make someone else owner first.")
        before = snapshot(membership, ("role",))
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record(
            actor=actor,
            verb="membership.role_changed",
            obj=membership,
            before=before,
            after=snapshot(membership, ("role",)),
        )
    return membership


def membership_set_workstation(
    *, actor: Actor, membership: Membership, is_workstation: bool
) -> Membership:
    """Mark a login as a shared workstation (or not). Owners cannot be workstations."""
    actor.require(Perm.MANAGE_MEMBERS)
    if is_workstation and membership.role == Role.OWNER:
        raise InvalidInput("An owner's login cannot be a shared workstation.")
    with transaction.atomic():
        updated = Membership.objects.filter(pk=membership.pk).update(is_workstation=is_workstation)
        if updated != 1:
            raise Conflict("This member has just been removed.")
        membership.is_workstation = is_workstation
        audit_record(
            actor=actor,
            verb="membership.workstation_changed",
            obj=membership,
            after={"is_workstation": is_workstation},
        )
    return membership


def membership_remove(*, actor: Actor, membership: Membership) -> None:
    """Remove a member from the workspace; the last owner cannot be removed."""
    actor.require(Perm.MANAGE_MEMBERS)
    with transaction.atomic():
        owner_ids = _lock_owners(actor.workspace)
        if membership.pk in owner_ids and len(owner_ids) == 1:
            raise Conflict("A workspace needs at least one owner; make someone else owner first.")
        audit_record(
            actor=actor,
            verb="membership.removed",
            obj=membership,
            before=snapshot(membership, ("role",)),
        )
        ApiToken.objects.filter(workspace=actor.workspace, user=membership.user).update(
            revoked_at=timezone.now()
        )
        if Membership.objects.filter(pk=membership.pk).delete()[0] != 1:
            raise Conflict("This member has already been removed.")


def membership_set_by_admin(*, user: User, workspace: Workspace, role: str) -> Membership:
    """`printops createuser`: make `user` a member of `workspace` with `role`, or change the
    role of an existing membership. Whoever runs the command administers the machine, so no
    member's permission is asked; the change is audited as done by the command line."""
    if role not in Role.values:
        raise InvalidInput(f"“{role}” is not a role: use one of {', '.join(Role.values)}.")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            workspace=workspace, user=user, defaults={"role": role}
        )
        if not created and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
        audit_record(
            actor=None,
            user=user,
            workspace=workspace,
            verb="membership.set_by_cli",
            obj=membership,
            after={"role": role},
        )
    return membership
