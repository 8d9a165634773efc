"""API tokens: created once and shown once, revoked, authenticated by their hash."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record
from printops.accounts.models import ApiToken
from printops.accounts.roles import Perm
from printops.accounts.services.common import _hash_secret
from printops.core.errors import Conflict, InvalidInput

TOKEN_PREFIX = "po_"  # noqa: S105 - a marker, not a secret


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
