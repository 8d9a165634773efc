"""JSON API for accounts: who am I, members, invitations, API tokens, the audit trail."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from printops.accounts import selectors, services
from printops.accounts.request import WorkspaceRequest
from printops.accounts.roles import Perm, Role
from printops.core.api_errors import READ, WRITE, errors
from printops.core.bounds import MAX_OFFSET, Id, one_of

router = Router(tags=["accounts"])


class WorkspaceOut(Schema):
    id: int
    name: str
    slug: str
    currency: str
    units: str
    timezone: str


class MeOut(Schema):
    id: int
    email: str
    name: str
    role: str
    is_workstation: bool
    workspace: WorkspaceOut


class MemberOut(Schema):
    id: int
    user_id: int
    email: str = Field(..., alias="user.email")
    name: str = Field(..., alias="user.name")
    role: str
    is_workstation: bool
    created_at: datetime


class InvitationIn(Schema):
    email: str
    role: one_of(*Role.values) = "operator"  # type: ignore[valid-type]


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    status: str
    created_at: datetime
    expires_at: datetime


class InvitationCreatedOut(InvitationOut):
    link: str


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    user_id: int
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str


class AuditEventOut(Schema):
    id: int
    created_at: datetime
    actor_id: int | None
    actor_label: str
    staff_id: int | None
    staff_label: str
    verb: str
    object_type: str
    object_id: str
    object_label: str
    before: dict | None
    after: dict | None
    via: str


class AuditPageOut(Schema):
    items: list[AuditEventOut]
    total: int


@router.get("/me", response={200: MeOut, **READ})
def me(request: WorkspaceRequest) -> dict[str, object]:
    membership = request.membership
    return {
        "id": membership.user.pk,
        "email": membership.user.email,
        "name": membership.user.name,
        "role": membership.role,
        "is_workstation": membership.is_workstation,
        "workspace": membership.workspace,
    }


@router.get("/members", response={200: list[MemberOut], **READ})
def member_list(request: WorkspaceRequest) -> object:
    return selectors.member_list(workspace=request.workspace)


@router.get("/invitations", response={200: list[InvitationOut], **errors(403)})
def invitation_list(request: WorkspaceRequest) -> object:
    request.actor.require(Perm.MANAGE_MEMBERS)
    return selectors.invitation_list(workspace=request.workspace)


@router.post(
    "/invitations", response={201: InvitationCreatedOut, **errors(400, 403, 409, 413, 422)}
)
def invitation_create(request: WorkspaceRequest, payload: InvitationIn) -> Status:
    invitation, token = services.invitation_create(
        actor=request.actor,
        email=payload.email,
        role=payload.role,
    )
    link = request.build_absolute_uri(reverse("accounts:invitation", args=[token]))
    return Status(201, {**InvitationOut.from_orm(invitation).model_dump(), "link": link})


@router.post(
    "/invitations/{invitation_id}/revoke", response={204: None, **errors(403, 404, 409, 422)}
)
def invitation_revoke(request: WorkspaceRequest, invitation_id: Id) -> Status:
    invitation = get_object_or_404(
        selectors.invitation_list(workspace=request.workspace),
        pk=invitation_id,
    )
    services.invitation_revoke(actor=request.actor, invitation=invitation)
    return Status(204, None)


@router.get("/tokens", response={200: list[TokenOut], **READ})
def token_list(request: WorkspaceRequest) -> object:
    return selectors.api_token_list(workspace=request.workspace, user=request.user)


@router.post("/tokens", response={201: TokenCreatedOut, **WRITE})
def token_create(request: WorkspaceRequest, payload: TokenIn) -> Status:
    token, raw = services.api_token_create(actor=request.actor, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": raw})


@router.post("/tokens/{token_id}/revoke", response={204: None, **errors(403, 404, 409, 422)})
def token_revoke(request: WorkspaceRequest, token_id: Id) -> Status:
    actor = request.actor
    visible = selectors.api_token_list(
        workspace=request.workspace,
        user=None if actor.can(Perm.MANAGE_MEMBERS) else request.user,
    )
    services.api_token_revoke(actor=actor, token=get_object_or_404(visible, pk=token_id))
    return Status(204, None)


@router.get("/audit", response={200: AuditPageOut, **errors(422)})
def audit_list(
    request: WorkspaceRequest,
    actor_id: Id | None = None,
    verb: str = "",
    object_type: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, object]:
    events = selectors.audit_event_list(
        workspace=request.workspace,
        actor_id=actor_id,
        verb_prefix=verb,
        object_type=object_type,
        since=since,
        until=until,
    )
    return {"items": list(events[offset : offset + limit]), "total": events.count()}
