from datetime import UTC, datetime, timedelta

import pytest

from printops.production import services
from printops.production.models import PrintJob
from printops.production.schedule import queue_schedule
from tests.production.conftest import start

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def _queue(actor, version, **kwargs):
    return services.print_job_queue(actor=actor, version=version, **kwargs).pk


def test_each_job_goes_to_the_compatible_printer_free_first(
    bob_actor, workspace, mk4, x1c, make_version, pla_red
):
    hour, two_hours = make_version((pla_red, 5.0)), make_version((pla_red, 5.0), print_seconds=7200)
    a = _queue(bob_actor, two_hours)
    b = _queue(bob_actor, hour)
    c = _queue(bob_actor, hour, copies=2)
    plan = queue_schedule(workspace=workspace, now=NOW).by_job
    # Both free now: MK4 first by name; then X1C; then MK4 again at 11:00 vs X1C at 10:00.
    assert (plan[a].printer_id, plan[a].start, plan[a].finish) == (mk4.pk, NOW, NOW + 2 * HOUR)
    assert (plan[b].printer_id, plan[b].start) == (x1c.pk, NOW)
    assert (plan[c].printer_id, plan[c].start, plan[c].finish) == (
        x1c.pk,
        NOW + HOUR,
        NOW + 3 * HOUR,
    )


def test_a_printing_job_holds_its_printer_until_its_estimate(
    bob_actor, workspace, mk4, keychain, red_spool
):
    running = start(bob_actor, services.print_job_queue(actor=bob_actor, version=keychain), mk4)
    PrintJob.objects.filter(pk=running.pk).update(started_at=NOW - 15 * timedelta(minutes=1))
    waiting = _queue(bob_actor, keychain)
    schedule = queue_schedule(workspace=workspace, now=NOW)
    assert schedule.by_job[running.pk].finish == NOW + 45 * timedelta(minutes=1)
    assert schedule.by_job[waiting].start == NOW + 45 * timedelta(minutes=1)
    assert schedule.queued_seconds == 3600
    assert schedule.next_free == (mk4.pk, NOW + 45 * timedelta(minutes=1) + HOUR)


def test_an_overrunning_print_holds_its_printer_from_now(
    bob_actor, workspace, mk4, keychain, red_spool
):
    running = start(bob_actor, services.print_job_queue(actor=bob_actor, version=keychain), mk4)
    PrintJob.objects.filter(pk=running.pk).update(started_at=NOW - 3 * HOUR)
    assert queue_schedule(workspace=workspace, now=NOW).by_job[running.pk].finish == NOW


def test_printers_in_maintenance_take_nothing(bob_actor, workspace, mk4, keychain):
    services.printer_set_status(actor=bob_actor, printer=mk4, status="maintenance")
    pinned = _queue(bob_actor, keychain, printer=mk4)
    anywhere = _queue(bob_actor, keychain)
    plan = queue_schedule(workspace=workspace, now=NOW).by_job
    assert (plan[pinned].start, plan[pinned].problem) == (
        None,
        "Its printer is in maintenance or offline.",
    )
    assert plan[anywhere].problem == "No available printer can print it."


def test_a_job_goes_only_to_printers_that_can_print_it(
    bob_actor, alice_actor, workspace, mk4, make_version, pla_red
):
    services.printer_create(actor=alice_actor, name="Big", build_z_mm=400)
    tall = make_version((pla_red, 5.0), metadata={"geometry": {"size_mm": [50, 50, 300]}})
    job = _queue(bob_actor, tall)
    assert queue_schedule(workspace=workspace, now=NOW).by_job[job].printer_id != mk4.pk


def test_a_job_without_an_estimate_is_flagged(bob_actor, workspace, mk4, make_version, pla_red):
    job = _queue(bob_actor, make_version((pla_red, 5.0), print_seconds=None))
    entry = queue_schedule(workspace=workspace, now=NOW).by_job[job]
    assert (entry.start, entry.finish, entry.problem) == (NOW, NOW, "The file gives no print time.")
