"""Inviting by e-mail, revoking, and accepting an invitation exactly once."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from printops.accounts import tasks
from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record
from printops.accounts.models import Invitation, Membership, User
from printops.accounts.roles import Perm, Role
from printops.accounts.services.common import _clean_email, _hash_secret
from printops.core.errors import Conflict, InvalidInput, NotAllowed


def invitation_create(*, actor: Actor, email: str, role: str) -> tuple[Invitation, str]:
    """Invite an e-mail address; returns the invitation and its secret link token (shown once,
    e-mailed after commit)."""
    actor.require(Perm.MANAGE_MEMBERS)
    email = _clean_email(email)
    if role not in Role.values:
        raise InvalidInput("Choose one of owner, manager, operator or viewer.", field="role")
    if Membership.objects.filter(workspace=actor.workspace, user__email=email).exists():
        raise Conflict("This person is already a member of the workspace.", field="email")
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            workspace=actor.workspace,
            email=email,
            role=role,
            token_hash=_hash_secret(raw),
            invited_by=actor.user,
            expires_at=timezone.now() + timedelta(days=settings.PRINTOPS_INVITATION_DAYS),
        )
        audit_record(
            actor=actor,
            verb="invitation.created",
            obj=invitation,
            after={"email": email, "role": role},
        )
        transaction.on_commit(
            lambda: tasks.send_invitation_email.enqueue(invitation_id=invitation.pk, token=raw)
        )
    return invitation, raw


def invitation_revoke(*, actor: Actor, invitation: Invitation) -> None:
    """Withdraw a pending invitation so its link stops working."""
    actor.require(Perm.MANAGE_MEMBERS)
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        if claimed != 1:
            raise Conflict("Only a pending invitation can be revoked.")
        audit_record(actor=actor, verb="invitation.revoked", obj=invitation)


def invitation_find(*, token: str) -> Invitation | None:
    """The invitation behind a link token, whatever its state (None when unknown)."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("workspace")
        .filter(token_hash=_hash_secret(token))
        .first()
    )


def invitation_accept(*, token: str, user: User) -> Membership:
    """Turn a pending invitation into a membership, exactly once, for the invited address."""
    invitation = invitation_find(token=token)
    if invitation is None:
        raise InvalidInput("This invitation link is not valid; ask for a new one.")
    if invitation.email != user.email:
        raise NotAllowed(
            f"This invitation is for {invitation.email}; sign in with that address to accept it."
        )
    with transaction.atomic():
        # The conditional UPDATE is the claim: of two simultaneous accepts, one changes a row.
        claimed = Invitation.objects.filter(
            pk=invitation.pk,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).update(accepted_at=timezone.now(), accepted_by=user)
        if claimed != 1:
            invitation.refresh_from_db()
            raise Conflict(f"This invitation is {invitation.status}; ask for a new one.")
        membership, created = Membership.objects.get_or_create(
            workspace=invitation.workspace, user=user, defaults={"role": invitation.role}
        )
        if created:
            audit_record(
                actor=None,
                user=user,
                workspace=invitation.workspace,
                verb="invitation.accepted",
                obj=membership,
                after={"role": membership.role, "invited_by": str(invitation.invited_by or "")},
            )
    return membership
