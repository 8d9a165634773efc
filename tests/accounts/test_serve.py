"""`printops serve`: its defaults come from the machine, flags and env override them, and it
starts with a line or two, not granian's and the task worker's chatter."""

import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from printops.accounts.management.commands import serve
from printops.accounts.management.commands.worker import _db_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(monkeypatch):
    """serve's Granian replaced by a recorder: what would have been served, and how."""
    calls: list[dict] = []

    class FakeGranian:
        def __init__(self, **options):
            calls.append(options)

        def serve(self):
            pass

    import granian

    monkeypatch.setattr(granian, "Granian", FakeGranian)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("PRINTOPS_THREADS", raising=False)
    return calls


@pytest.mark.parametrize(("cores", "workers", "threads"), [(1, 1, 3), (2, 2, 4), (16, 4, 4)])
def test_defaults_follow_the_cores_and_stay_under_granians_thread_warning(
    monkeypatch, served, cores, workers, threads
):
    monkeypatch.setattr(serve.os, "cpu_count", lambda: cores)
    out = StringIO()
    call_command("serve", "--port", "8999", stdout=out)
    (options,) = served
    assert (options["workers"], options["blocking_threads"]) == (workers, threads)
    # granian warns when a WSGI worker may spawn more than 2 × cores + 1 threads
    assert options["blocking_threads"] <= 2 * cores + 1
    assert options["websockets"] is False  # WSGI has none; saying so was another line
    lines = out.getvalue().strip().splitlines()
    assert lines == [
        f"PrintOps is serving at http://127.0.0.1:8999 with {workers} worker process"
        f"{'es' if workers > 1 else ''} × {threads} threads  (Ctrl+C stops it)"
    ]


def test_flags_and_environment_override_the_defaults(monkeypatch, served):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("PRINTOPS_THREADS", "2")
    call_command("serve", stdout=StringIO())
    call_command("serve", "--workers", "1", "--threads", "6", stdout=StringIO())
    assert [(o["workers"], o["blocking_threads"]) for o in served] == [(3, 2), (1, 6)]


def test_a_wrong_worker_count_is_a_sentence(monkeypatch, served):
    monkeypatch.setenv("WEB_CONCURRENCY", "many")
    with pytest.raises(CommandError, match="WEB_CONCURRENCY must be a whole number"):
        call_command("serve", stdout=StringIO())
    with pytest.raises(CommandError, match="at least 1"):
        call_command("serve", "--workers", "-1", stdout=StringIO())


def test_granian_speaks_only_from_verbosity_2():
    quiet = serve.granian_options(host="h", port=1, workers=1, threads=1, verbosity=1)
    loud = serve.granian_options(host="h", port=1, workers=1, threads=1, verbosity=2)
    assert (quiet["log_level"].value, loud["log_level"].value) == ("warning", "info")


def test_the_worker_under_serve_logs_failures_but_not_every_task():
    from django_tasks_db.management.commands.db_worker import TASKS_LOGGER

    command = _db_worker(failures_only=True)
    command.configure_logging(1)
    try:
        for name in (TASKS_LOGGER, "django_tasks_db"):
            logger = logging.getLogger(name)
            assert not logger.isEnabledFor(logging.INFO)
            assert logger.isEnabledFor(logging.ERROR)
    finally:
        for name in (TASKS_LOGGER, "django_tasks_db"):
            logging.getLogger(name).setLevel(logging.NOTSET)
