"""The request types views and API endpoints declare, so `request.workspace` type-checks.

Django's `HttpRequest` knows nothing of what `WorkspaceMiddleware` and the API's
authentication add. These classes only describe it (healthchecks' `AuthenticatedHttpRequest`
is the model): nothing is ever constructed from them, a request is `cast` to one where the
code that guarantees the attributes runs.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from printops.accounts.actor import Actor
from printops.accounts.models import Membership, User, Workspace


class WorkspaceRequest(HttpRequest):
    """A signed-in member's request: what a `@workspace_required` view receives, and what an
    API endpoint receives once `BearerTokenAuth` or `WorkspaceSessionAuth` let it through."""

    user: User
    workspace: Workspace
    membership: Membership
    actor: Actor
    htmx: HtmxDetails  # django-htmx's middleware: whether htmx sent it, and what for


class MiddlewareRequest(HttpRequest):
    """Any request after `WorkspaceMiddleware`: the three are None for an anonymous visitor
    or a user who belongs to no workspace yet (context processors, the sign-in pages)."""

    workspace: Workspace | None
    membership: Membership | None
    actor: Actor | None
    htmx: HtmxDetails


class SignedInRequest(HttpRequest):
    """What a `@login_required` view receives: a signed-in user, maybe in no workspace yet."""

    user: User
