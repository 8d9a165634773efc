"""Every read in accounts, scoped by workspace first."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from printops.accounts.models import ApiToken, AuditEvent, Invitation, Membership, User, Workspace
from printops.core.errors import InvalidInput


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    """The workspaces a user belongs to, by name."""
    return (
        Membership.objects.select_related("workspace").filter(user=user).order_by("workspace__name")
    )


def member_list(*, workspace: Workspace) -> QuerySet[Membership]:
    return (
        Membership.objects.select_related("user")
        .filter(workspace=workspace)
        .order_by("user__name", "user__email")
    )


def staff_list(*, workspace: Workspace) -> QuerySet[Membership]:
    """Members who can be named as acting at a workstation."""
    return member_list(workspace=workspace).filter(is_workstation=False)


def staff_get(*, workspace: Workspace, user_id: int | None) -> User | None:
    """The staff member with this id in the workspace, or an error when not one."""
    if user_id is None:
        return None
    membership = staff_list(workspace=workspace).filter(user_id=user_id).first()
    if membership is None:
        raise InvalidInput("Choose a staff member of this workspace.")
    return membership.user


def invitation_list(*, workspace: Workspace) -> QuerySet[Invitation]:
    return Invitation.objects.select_related("invited_by").filter(workspace=workspace)


def api_token_list(*, workspace: Workspace, user: User | None = None) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.select_related("user").filter(workspace=workspace)
    return tokens.filter(user=user) if user is not None else tokens


def audit_event_list(
    *,
    workspace: Workspace,
    actor_id: int | None = None,
    verb_prefix: str = "",
    object_type: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    """The workspace's audit trail, newest first, narrowed by the given filters."""
    events = AuditEvent.objects.filter(workspace=workspace)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id) | events.filter(staff_id=actor_id)
    if verb_prefix:
        events = events.filter(verb__startswith=verb_prefix)
    if object_type:
        events = events.filter(object_type=object_type)
    if since is not None:
        events = events.filter(created_at__gte=since)
    if until is not None:
        events = events.filter(created_at__lt=until)
    return events.order_by("-created_at", "-id")


def audit_object_types(*, workspace: Workspace) -> list[str]:
    return list(
        AuditEvent.objects.filter(workspace=workspace)
        .exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )


def audit_verbs(*, workspace: Workspace) -> list[str]:
    """The distinct verbs of the workspace's events, for the audit filter."""
    return list(
        AuditEvent.objects.filter(workspace=workspace)
        .order_by("verb")
        .values_list("verb", flat=True)
        .distinct()
    )
