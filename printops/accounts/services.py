"""Every write in accounts: sign-up, workspaces, members, invitations, tokens (throttling:
`throttle.py`)."""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from printops.accounts import extensions, tasks
from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record, snapshot
from printops.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    User,
    Workspace,
)
from printops.accounts.roles import Perm, Role
from printops.core.errors import Conflict, InvalidInput, NotAllowed

WORKSPACE_FIELDS = ("name", "currency", "units", "timezone")
TOKEN_PREFIX = "po_"  # noqa: S105 - a marker, not a secret


def _hash_secret(raw: str) -> str:
    # Tokens are 256-bit random strings, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput("Enter a valid e-mail address.", field="email") from None
    return email


def _check_password(password: str, user: User | None = None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="password") from None


def _unique_slug(name: str) -> str:
    base = slugify(name)[:100] or "workspace"
    slug, n = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean_workspace_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Give the workspace a name.", field="name")
    if len(name) > 100:
        raise InvalidInput("Keep the workspace name under 100 characters.", field="name")
    return name


# --- Users and workspaces ----------------------------------------------------------------------


def user_sign_up(*, email: str, password: str, name: str, workspace_name: str) -> Membership:
    """Create a user, their own workspace, and make them its owner, all or nothing."""
    email = _clean_email(email)
    workspace_name = _clean_workspace_name(workspace_name)
    if User.objects.filter(email=email).exists():
        raise Conflict(
            "An account with this e-mail address already exists; sign in instead.", field="email"
        )
    _check_password(password, User(email=email, name=name))
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, name=name.strip())
            return _workspace_create(user=user, name=workspace_name)
    except IntegrityError:
        raise Conflict(
            "An account with this e-mail address already exists; sign in instead.", field="email"
        ) from None


def user_create(*, email: str, password: str, name: str = "") -> User:
    """Create a user without a workspace (invited people, `printops createuser`)."""
    email = _clean_email(email)
    _check_password(password, User(email=email, name=name))
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, name=name.strip())
    except IntegrityError:
        raise Conflict(
            "An account with this e-mail address already exists.", field="email"
        ) from None


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


# --- Members -----------------------------------------------------------------------------------


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


# --- Invitations -------------------------------------------------------------------------------


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


# --- API tokens --------------------------------------------------------------------------------


def api_token_create(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Create a bearer token for the actor in this workspace; the raw token is returned once."""
    actor.require(Perm.VIEW)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput("Give the token a name of up to 100 characters.", field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            workspace=actor.workspace,
            user=actor.user,
            name=name,
            prefix=raw[:10],
            token_hash=_hash_secret(raw),
        )
        audit_record(actor=actor, verb="api_token.created", obj=token)
    return token, raw


def api_token_revoke(*, actor: Actor, token: ApiToken) -> None:
    """Revoke a token; owners may revoke anyone's, others only their own."""
    if token.user_id != actor.user.pk:
        actor.require(Perm.MANAGE_MEMBERS)
    with transaction.atomic():
        if (
            ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            != 1
        ):
            raise Conflict("This token has already been revoked.")
        audit_record(actor=actor, verb="api_token.revoked", obj=token)


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The live token for a bearer string, recording when it was last used."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user", "workspace")
        .filter(token_hash=_hash_secret(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # One write a minute at most per token, so a busy script does not queue writers on SQLite.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def user_set_password_by_admin(*, user: User, password: str) -> None:
    """Used by `printops createuser` when the user exists: set a new password."""
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
