"""API authentication: a bearer token, or a signed-in browser session (with CSRF).

Either way the request ends up with `request.workspace`, `request.membership` and
`request.actor`, exactly as the web views see them: every endpoint declares
`request: WorkspaceRequest` (printops/accounts/request.py), as a `@workspace_required` view does.

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
from typing import Any, cast

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from printops.accounts.actor import Actor
from printops.accounts.models import ApiToken, Membership, User, Workspace
from printops.accounts.request import WorkspaceRequest
from printops.accounts.services import TOKEN_PREFIX
from printops.core.fixed_sql import Columns, fetch

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


_MEMBERSHIP = Columns("m", Membership)
_USER = Columns("u", User)
_WORKSPACE = Columns("w", Workspace)
# One query (token ⨝ user ⨝ membership ⨝ workspace), written out once because authentication
# runs on every API request and compiling the same queryset was ~40 % of a read (core.fixed_sql).
_TOKEN_SQL = f"""
    SELECT "t"."id", "t"."last_used_at" IS NULL OR "t"."last_used_at" < %s,
           {_MEMBERSHIP.sql}, {_USER.sql}, {_WORKSPACE.sql}
    FROM "{ApiToken._meta.db_table}" "t"
    INNER JOIN "{User._meta.db_table}" "u" ON "u"."id" = "t"."user_id"
    INNER JOIN "{Membership._meta.db_table}" "m"
        ON "m"."user_id" = "t"."user_id" AND "m"."workspace_id" = "t"."workspace_id"
    INNER JOIN "{Workspace._meta.db_table}" "w" ON "w"."id" = "t"."workspace_id"
    WHERE "t"."token_hash" = %s AND "t"."revoked_at" IS NULL AND "u"."is_active"
"""  # noqa: S608 - names from the models, values as parameters


def _token_membership(raw: str) -> tuple[Membership, int, bool] | None:
    """The membership a live token acts as (user and workspace loaded), the token's id, and
    whether its `last_used_at` is due to be written."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    digest = hashlib.sha256(raw.encode()).hexdigest()
    now = timezone.now()
    stale_before = connection.ops.adapt_datetimefield_value(now - LAST_USED_RESOLUTION)
    rows = fetch(_TOKEN_SQL, [stale_before, digest])
    if not rows:
        return None
    token_id, due, *values = rows[0]
    m, u = len(_MEMBERSHIP), len(_MEMBERSHIP) + len(_USER)
    membership = _MEMBERSHIP.instance(values[:m])
    membership.user = _USER.instance(values[m:u])
    membership.workspace = _WORKSPACE.instance(values[u:])
    return membership, token_id, bool(due)


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = _token_membership(token.strip())
        if found is None:  # wrong, revoked, or the user left the workspace
            raise InvalidToken()
        membership, token_id, last_used_due = found
        if last_used_due:
            ApiToken.objects.filter(pk=token_id).update(last_used_at=timezone.now())
        # From here on the endpoint's `request: WorkspaceRequest` holds.
        member = cast(WorkspaceRequest, request)
        member.user = membership.user
        member.workspace = membership.workspace
        member.membership = membership
        member.actor = Actor(user=membership.user, membership=membership, via="api")
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
