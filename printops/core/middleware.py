"""Give bare error responses a sentence.

Django and ninja answer a wrong HTTP method with an empty or plain-text 405; here it becomes
`{"detail": ...}` under /api/ (and /healthz) and the plain error page elsewhere, keeping `Allow`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

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
