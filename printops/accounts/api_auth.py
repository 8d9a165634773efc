"""API authentication: a bearer token, or a signed-in browser session (with CSRF).

Either way the request ends up with `request.workspace` and `request.actor`, exactly as the
web views see them.

Answers when neither works (RFC 6750):
- no credentials at all → 401 with `WWW-Authenticate: Bearer` (not ninja's "CSRF check Failed":
  CSRF protects a session, and a caller without one has no session to protect);
- a bearer token that is malformed, unknown, revoked, or whose user left the workspace → 401
  saying so, `WWW-Authenticate: Bearer error="invalid_token"`; a session does not rescue it
  (a script with a dead token must find out, not act as whoever is signed in in that browser);
- a signed-in browser without the CSRF token on a write → 403 (the session is real, the request
  may be forged).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from printops.accounts.actor import Actor
from printops.accounts.models import ApiToken, Membership
from printops.accounts.services import TOKEN_PREFIX

NO_CREDENTIALS = "Sign in, or send a valid API token as 'Authorization: Bearer <token>'."
INVALID_TOKEN = (
    "This API token is not valid (wrong or revoked): "  # noqa: S105 - a sentence, not a secret
    "create a new one under Settings → API tokens."
)
CSRF_FAILED = (
    "The CSRF check failed: reload the page, or send the CSRF token with this signed-in "
    "session's write."
)
# `last_used_at` is written at most this often per token: a write on every read would queue
# every API read behind the database's single writer on SQLite.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class InvalidToken(AuthenticationError):
    """A bearer token was sent and is not valid; stops the chain before the session is tried."""

    def __init__(self) -> None:
        super().__init__(401, INVALID_TOKEN)


def _token_membership(raw: str) -> tuple[Membership, int, Any] | None:
    """The membership a live token acts as, with the token's id and `last_used_at`: one query
    (token ⨝ user ⨝ membership ⨝ workspace), since authentication runs on every request."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    digest = hashlib.sha256(raw.encode()).hexdigest()
    row = (
        Membership.objects.select_related("workspace", "user")
        .filter(
            user__api_tokens__token_hash=digest,
            user__api_tokens__revoked_at__isnull=True,
            user__api_tokens__workspace_id=F("workspace_id"),
            user__is_active=True,
        )
        .annotate(
            token_id=F("user__api_tokens__id"),
            token_last_used_at=F("user__api_tokens__last_used_at"),
        )
        .first()
    )
    if row is None:
        return None
    return row, row.token_id, row.token_last_used_at  # type: ignore[attr-defined]


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = _token_membership(token.strip())
        if found is None:  # wrong, revoked, or the user left the workspace
            raise InvalidToken()
        membership, token_id, last_used_at = found
        now = timezone.now()
        if last_used_at is None or now - last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
        request.user = membership.user
        request.workspace = membership.workspace  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        request.actor = Actor(user=membership.user, membership=membership, via="api")  # type: ignore[attr-defined]
        return token_id


class WorkspaceSessionAuth(SessionAuth):
    """The browser session; the workspace middleware has already resolved the actor.

    CSRF is checked only for a signed-in session (ninja checks it first, for everyone, and so
    answered an anonymous script's POST with 403 "CSRF check Failed")."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if getattr(request, "actor", None) is None:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request):
            raise HttpError(403, CSRF_FAILED)
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or getattr(request, "actor", None) is None:
            return None
        return user
