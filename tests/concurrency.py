"""Helpers for tests that prove two people acting at once never lose or double an update."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from printops.core.errors import DomainError

# Concurrency is proven on PostgreSQL, where writes really run in parallel; SQLite serialises
# writers, so a race there proves nothing.
POSTGRES_ONLY = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency is proven on PostgreSQL (set DATABASE_URL)",
    ),
]


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at the same moment in separate threads (own connections); return each
    call's result, or the DomainError it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except DomainError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
