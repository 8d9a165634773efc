"""Middleware every response passes through.

`MethodNotAllowedMiddleware`: Django and ninja answer a wrong HTTP method with an empty or
plain-text 405; here it becomes `{"detail": ...}` under /api/ (and /healthz) and the plain error
page elsewhere, keeping `Allow`.

`SecurityHeadersMiddleware`: Content-Security-Policy, Permissions-Policy, and no caching of a
signed-in member's pages (Django 5.2 has no CSP of its own; 6.0 will).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

JSON_PREFIXES = ("/api/", "/healthz")


class MethodNotAllowedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405:
            return response
        allowed = response.get("Allow", "")
        sentence = f"This address does not accept {request.method}."
        if allowed:
            sentence += f" Use {allowed.replace(', ', ' or ')}."
        if request.path.startswith(JSON_PREFIXES):
            replacement: HttpResponse = JsonResponse({"detail": sentence}, status=405)
        else:
            html = render_to_string(
                "error.html", {"title": "Not allowed", "sentence": sentence}, request=request
            )
            replacement = HttpResponse(html, status=405)
        if allowed:
            replacement["Allow"] = allowed
        return replacement


# Browser features no page uses, switched off so that injected or third-party script cannot
# ask for them. Nothing scans with the camera today (label codes are typed or read by a USB
# scanner, which is a keyboard); a page that does would need camera=(self).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
)


def content_security_policy(*, extra_origins: list[str]) -> str:
    """The policy for every page: script only from our own static files (no inline script,
    no eval), so an injected <script> or onclick= does not run. Inline style stays allowed:
    templates set colour swatches with style= and htmx inserts its indicator style."""
    origins = " ".join(extra_origins)
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self' 'unsafe-inline'",
        # data: for inline SVG icons in CSS; blob: for previews of a file being uploaded;
        # the object store's origin for thumbnails served by signed URL.
        "img-src": f"'self' data: blob: {origins}",
        "connect-src": f"'self' {origins}",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value.strip()}" for name, value in directives.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response, and
    `Cache-Control: private, no-store` on HTML shown to a signed-in user, so a shared or
    back-buttoned browser (a workshop PC) does not keep a member's pages. Public pages and
    static files keep their own caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy(extra_origins=settings.PRINTOPS_CSP_EXTRA_ORIGINS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Checked on HTML only: asking for the user reads the session, which JSON API calls
        # with a bearer token should not pay for.
        if response.get("Content-Type", "").startswith("text/html") and _signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
