"""View decorators shared by every app."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from printops.accounts.request import MiddlewareRequest, WorkspaceRequest

P = ParamSpec("P")


def workspace_required(
    view: Callable[Concatenate[WorkspaceRequest, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Signed in and a member of a workspace; otherwise off to sign-in or to create one.

    The view declares `request: WorkspaceRequest` (workspace, membership and actor set); the
    URLconf calls the wrapper with a plain `HttpRequest`."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if cast(MiddlewareRequest, request).membership is None:
            return redirect("accounts:workspace_new")
        # Signed in (login_required) with a membership: the middleware set all three.
        return view(cast(WorkspaceRequest, request), *args, **kwargs)

    return wrapper


def client_ip(request: HttpRequest) -> str:
    """The address of the person making the request, for throttling.

    Behind PRINTOPS_BEHIND_PROXY every request comes from the proxy, so REMOTE_ADDR would put
    every user in one bucket (20 strangers' failures locked out the owner). Each trusted proxy
    appends the address it saw to X-Forwarded-For, so the client is the entry
    PRINTOPS_TRUSTED_PROXY_COUNT from the right; anything left of it the client wrote itself.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    hops = settings.PRINTOPS_TRUSTED_PROXY_COUNT if settings.PRINTOPS_BEHIND_PROXY else 0
    if hops < 1:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < hops:
        return remote  # it did not come through all the proxies: the nearest one is the client
    return _ip_without_port(forwarded[-hops]) or remote


def _ip_without_port(entry: str) -> str:
    """'203.0.113.7', '203.0.113.7:5123', '[2001:db8::1]:443' → the address; '' when invalid."""
    candidates = [entry]
    if entry.startswith("[") and "]" in entry:
        candidates = [entry[1 : entry.index("]")]]
    elif entry.count(":") == 1:
        candidates.append(entry.split(":")[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return ""
