"""The one NinjaAPI at /api/v1/: routers from each app, auth, and errors mapped to HTTP once.

Every error leaves as `{"detail": "<sentence>"}`: DomainError by its status, validation as 422
with the first problem spelled out, unknown objects as 404. Anything else is a bug and a 500.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from printops.accounts.api import router as accounts_router
from printops.accounts.api_auth import (
    NO_CREDENTIALS,
    BearerTokenAuth,
    InvalidToken,
    WorkspaceSessionAuth,
)
from printops.core.bounds import SENTENCE_ERRORS
from printops.core.errors import DomainError, InvalidInput
from printops.library.api import router as library_router
from printops.library.api_matching import router as library_matching_router
from printops.materials.api import router as materials_router
from printops.production.api import router as production_router

logger = logging.getLogger(__name__)

NUL_IN_TEXT = "Text cannot contain the NUL character (\\u0000)."


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class InputParser(Parser):
    """ninja's JSON, query-string and form parsing, refusing the NUL character in text:
    PostgreSQL cannot store it (schemathesis: a NUL in a spool's lot was a 500 there) and
    SQLite would keep an invisible character, so both engines answer the same 422."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if _has_nul(data):
            raise InvalidInput(NUL_IN_TEXT)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        parsed = super().parse_querydict(data, list_fields, request)
        if _has_nul(parsed):
            raise InvalidInput(NUL_IN_TEXT)
        return parsed


api = NinjaAPI(
    parser=InputParser(),
    title="PrintOps API",
    version="1",
    urls_namespace="api",
    auth=[BearerTokenAuth(), WorkspaceSessionAuth()],
    description=(
        "Send `Authorization: Bearer <token>` (create tokens under Settings → API tokens), or use "
        'a signed-in browser session with its CSRF token. Errors are `{"detail": sentence}` '
        "(`ErrorOut`); each operation lists the statuses it can answer: 400 an unreadable body, "
        "401 no or a bad token, 403 not allowed for the role (or a session write without CSRF), "
        "404 not in this workspace, 409 refused by the object's state, 413 too large, 422 "
        "invalid input."
    ),
)
api.add_router("/accounts/", accounts_router)
api.add_router("/library/", library_router)
api.add_router("/library/", library_matching_router)
api.add_router("/materials/", materials_router)
api.add_router("/production/", production_router)


def _detail(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": message}, status=status)


def validation_sentence(errors: list[dict[str, Any]]) -> str:
    """The first validation problem as a sentence: `copies must be from 1 to 999.`, or
    pydantic's words after the field (`version: Field required.`)."""
    if not errors:
        return "The request is not valid."
    first = errors[0]
    location = [
        str(part)
        for part in first.get("loc", ())
        if part not in {"body", "query", "path", "payload"}
    ]
    message = str(first.get("msg", "is not valid")).rstrip(".")
    if first.get("type") in {"json_invalid", "value_error.jsondecode"} or "JSON" in message:
        return "The request body is not valid JSON."
    if location and first.get("type") in SENTENCE_ERRORS:
        # printops.core.bounds words these to follow the field: "grams must be from 0 to …".
        return f"{'.'.join(location)} {message}."
    return f"{'.'.join(location)}: {message}." if location else f"{message}."


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _detail(request, exc.message, exc.status_code)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _detail(request, validation_sentence(list(exc.errors)), 422)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """401 with the challenge RFC 6750 asks for; a token that was sent and refused says so."""
    if isinstance(exc, InvalidToken):
        response = _detail(request, str(exc), 401)
        response["WWW-Authenticate"] = 'Bearer realm="api", error="invalid_token"'
        return response
    response = _detail(request, NO_CREDENTIALS, 401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, DomainError):  # raised by InputParser.parse_body
        return on_domain_error(request, exc.__cause__)
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # ninja's "Cannot parse request body", raised from the JSON decoder's error.
        return _detail(request, "The request body is not valid JSON.", 400)
    return _detail(request, str(exc), exc.status_code)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _detail(request, "Not found.", 404)


@api.exception_handler(Exception)
def on_other_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        return _detail(request, "The request body is too large.", 413)
    if isinstance(exc, json.JSONDecodeError):
        return _detail(request, "The request body is not valid JSON.", 400)
    if isinstance(exc, SuspiciousOperation):
        return _detail(request, "The request was refused as malformed.", 400)
    raise exc
