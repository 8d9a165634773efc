"""GET /healthz: is the database answering, and is the storage reachable."""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database(), "storage": _check_storage()}
    status = 200 if all(value == "ok" for value in checks.values()) else 503
    return JsonResponse(checks, status=status)


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means "not healthy"; the reason goes to the log
        logger.warning("healthz: database check failed: %s", error)
        return "error"
    return "ok"


def _check_storage() -> str:
    try:
        default_storage.exists("healthz-probe")
    except Exception as error:
        logger.warning("healthz: storage check failed: %s", error)
        return "error"
    return "ok"
