"""What every page needs: the workspace, the user's other workspaces, navigation, acting-as."""

from __future__ import annotations

from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from printops.accounts.request import WorkspaceRequest
from printops.accounts.selectors import membership_list_for_user, staff_list


def workspace(request: HttpRequest) -> dict[str, Any]:
    if getattr(request, "membership", None) is None:
        return {}
    member = cast(WorkspaceRequest, request)  # the middleware sets all three with a membership
    membership = member.membership
    navigation = []
    for label, url_name, app_name in settings.PRINTOPS_NAVIGATION:
        if not apps.is_installed(app_name):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        navigation.append(
            {
                "label": label,
                "url": url,
                "active": request.path.startswith(url) if url != "/" else request.path == "/",
            }
        )
    context: dict[str, Any] = {
        "workspace": membership.workspace,
        "membership": membership,
        "actor": member.actor,
        "navigation": navigation,
        "other_memberships": [
            m for m in membership_list_for_user(user=member.user) if m.pk != membership.pk
        ],
    }
    if membership.is_workstation:
        context["staff_choices"] = [m.user for m in staff_list(workspace=membership.workspace)]
    return context
