"""Background tasks: the database queue and its worker deliver what services enqueue."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import task_backends

from printops.accounts import services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PRINTOPS_WORKER = "external"
    task_backends._settings = None  # re-read TASKS
    yield
    task_backends._settings = None


def test_the_worker_sends_a_queued_invitation(
    database_queue, alice_actor, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(actor=alice_actor, email="dan@example.com", role="viewer")
    assert mail.outbox == [] and DBTaskResult.objects.count() == 1
    call_command("worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
    assert [m.to for m in mail.outbox] == [["dan@example.com"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
