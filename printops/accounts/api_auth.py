"""API authentication: a bearer token, or a signed-in browser session (with CSRF).

Either way the request ends up with `request.workspace` and `request.actor`, exactly as the
web views see them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from printops.accounts.actor import Actor
from printops.accounts.models import Membership
from printops.accounts.services import api_token_authenticate


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_authenticate(raw=token)
        if api_token is None:
            return None
        membership = (
            Membership.objects.select_related("workspace", "user")
            .filter(workspace=api_token.workspace, user=api_token.user)
            .first()
        )
        if membership is None:  # the user left the workspace; the token died with it
            return None
        request.user = membership.user
        request.workspace = membership.workspace  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        request.actor = Actor(user=membership.user, membership=membership, via="api")  # type: ignore[attr-defined]
        return api_token


class WorkspaceSessionAuth(SessionAuth):
    """The browser session; the workspace middleware has already resolved the actor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or getattr(request, "actor", None) is None:
            return None
        return user
