"""Error pages: a plain sentence and a way back, never a traceback."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def _error(request: HttpRequest, status: int, title: str, sentence: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": sentence}, status=status)
    context = {"title": title, "sentence": sentence, "status": status}
    try:
        # With the request, a signed-in member keeps the navigation and their workspace.
        html = render_to_string("error.html", context, request=request)
    except Exception:  # the error may be in what the layout needs (e.g. the database is down)
        logger.exception("The error page could not be drawn with the layout; plain page sent")
        html = render_to_string("error.html", context)
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "Bad request", "The request could not be understood.")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "Not allowed", "You are not allowed to do that here.")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "Not found", "There is nothing at this address.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        "Something went wrong",
        "The error was logged. Try again, and tell your administrator if it persists.",
    )
