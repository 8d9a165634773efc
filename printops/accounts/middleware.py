"""Sets `request.workspace`, `request.membership` and `request.actor` for signed-in users.

The current workspace is the one chosen in the session (workspace switcher), else the first
the user belongs to. At a workstation login, the staff member chosen in the session is the
actor's `staff`. (It lives in accounts, not core, because it needs memberships.)
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from printops.accounts.actor import Actor
from printops.accounts.models import Membership, User
from printops.accounts.request import MiddlewareRequest

SESSION_WORKSPACE = "workspace_id"


def acting_session_key(membership: Membership) -> str:
    return f"acting_as:{membership.pk}"


class WorkspaceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seen = cast(MiddlewareRequest, request)  # the attributes are set right here
        seen.workspace = None
        seen.membership = None
        seen.actor = None
        user = request.user
        timezone.deactivate()
        if user.is_authenticated:
            self._resolve(seen, user)
        return self.get_response(request)

    def _resolve(self, request: MiddlewareRequest, user: User) -> None:
        memberships = Membership.objects.select_related("workspace").filter(user=user)
        chosen = request.session.get(SESSION_WORKSPACE)
        membership = (memberships.filter(workspace_id=chosen).first() if chosen else None) or (
            memberships.order_by("workspace__name").first()
        )
        if membership is None:
            return
        staff = None
        if membership.is_workstation:
            staff_id = request.session.get(acting_session_key(membership))
            if staff_id:
                staff = User.objects.filter(
                    pk=staff_id,
                    memberships__workspace=membership.workspace,
                    memberships__is_workstation=False,
                ).first()
        request.workspace = membership.workspace
        request.membership = membership
        request.actor = Actor(user=user, membership=membership, staff=staff)
        # Times on pages are shown in the workspace's own time zone.
        try:
            timezone.activate(zoneinfo.ZoneInfo(membership.workspace.timezone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
