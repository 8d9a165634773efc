from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from printops.materials import services as materials
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
    # The next printer free is MK4 when its print ends, not after the queue behind it.
    assert schedule.next_free == (mk4.pk, NOW + 45 * timedelta(minutes=1))
    assert schedule.free_at[mk4.pk] == NOW + 45 * timedelta(minutes=1) + HOUR


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


# --- greedy list scheduling and the next free printer (issue 10, defect 16) -------------------


def _running(actor, version, printer, *, since):
    job = start(actor, services.print_job_queue(actor=actor, version=version), printer)
    PrintJob.objects.filter(pk=job.pk).update(started_at=since)
    return job


def test_any_printer_jobs_spread_over_the_idle_printers(bob_actor, workspace, mk4, x1c, keychain):
    jobs = [_queue(bob_actor, keychain) for _ in range(4)]
    plan = queue_schedule(workspace=workspace, now=NOW).by_job
    assert [(plan[j].printer_id, plan[j].start) for j in jobs] == [
        (mk4.pk, NOW),
        (x1c.pk, NOW),
        (mk4.pk, NOW + HOUR),
        (x1c.pk, NOW + HOUR),
    ]


def test_an_idle_printer_takes_the_any_printer_jobs_while_another_prints_for_hours(
    bob_actor, alice_actor, workspace, mk4, x1c, make_version, pla_red, red_spool
):
    five_hours = make_version((pla_red, 5.0), print_seconds=5 * 3600)
    _running(bob_actor, five_hours, x1c, since=NOW)
    jobs = [_queue(bob_actor, make_version((pla_red, 5.0))) for _ in range(6)]
    plan = queue_schedule(workspace=workspace, now=NOW).by_job
    assert [plan[j].printer_id for j in jobs[:5]] == [mk4.pk] * 5
    assert [plan[j].start for j in jobs[:5]] == [NOW + n * HOUR for n in range(5)]
    # At 14:00 both are free: X1C has had no queued job yet, so the sixth goes there.
    assert (plan[jobs[5]].printer_id, plan[jobs[5]].start) == (x1c.pk, NOW + 5 * HOUR)


def test_a_pinned_job_waits_for_its_printer_while_any_printer_jobs_go_elsewhere(
    bob_actor, workspace, mk4, x1c, make_version, pla_red, red_spool
):
    _running(bob_actor, make_version((pla_red, 5.0), print_seconds=3 * 3600), x1c, since=NOW)
    pinned = _queue(bob_actor, make_version((pla_red, 5.0)), printer=x1c)
    anywhere = _queue(bob_actor, make_version((pla_red, 5.0)))
    plan = queue_schedule(workspace=workspace, now=NOW).by_job
    assert (plan[pinned].printer_id, plan[pinned].start) == (x1c.pk, NOW + 3 * HOUR)
    assert (plan[anywhere].printer_id, plan[anywhere].start) == (mk4.pk, NOW)


def test_the_next_free_printer_is_the_one_whose_print_ends_first(
    bob_actor, alice_actor, workspace, mk4, x1c, make_version, pla_red
):
    for printer, hours in ((mk4, 2), (x1c, 1)):
        materials.spool_create(actor=alice_actor, filament=pla_red)  # one spool per printer
        version = make_version((pla_red, 5.0), print_seconds=hours * 3600)
        job = start(bob_actor, services.print_job_queue(actor=bob_actor, version=version), printer)
        PrintJob.objects.filter(pk=job.pk).update(started_at=NOW)
    for _ in range(6):
        _queue(bob_actor, make_version((pla_red, 5.0), print_seconds=3 * 3600))
    schedule = queue_schedule(workspace=workspace, now=NOW)
    assert schedule.next_free == (x1c.pk, NOW + HOUR)
    assert schedule.finish == NOW + 11 * HOUR  # X1C 10–13–16–19, MK4 11–14–17–20


def test_with_an_idle_printer_the_next_free_printer_is_free_now(
    bob_actor, workspace, mk4, x1c, keychain, red_spool
):
    _running(bob_actor, keychain, x1c, since=NOW)
    for _ in range(3):
        _queue(bob_actor, keychain)
    assert queue_schedule(workspace=workspace, now=NOW).next_free == (mk4.pk, NOW)


def test_jobs_without_an_estimate_spread_over_the_printers(
    bob_actor, workspace, mk4, x1c, make_version, pla_red
):
    version = make_version((pla_red, 5.0), print_seconds=None)
    jobs = [_queue(bob_actor, version) for _ in range(4)]
    plan = queue_schedule(workspace=workspace, now=NOW).by_job
    assert [plan[j].printer_id for j in jobs] == [mk4.pk, x1c.pk, mk4.pk, x1c.pk]


def test_the_queue_page_shows_when_the_next_printer_is_free(
    alice_client, bob_actor, mk4, x1c, keychain, red_spool
):
    running = _running(bob_actor, keychain, mk4, since=NOW)
    PrintJob.objects.filter(pk=running.pk).update(started_at=timezone.now())
    for _ in range(3):
        _queue(bob_actor, keychain, printer=x1c)
    html = alice_client.get(reverse("production:index")).content.decode()
    free = html[html.index("Next free printer") :]
    free = free[: free.index("</li>")]
    # X1C is idle now; after the queue laid out it would be MK4 (free in an hour).
    assert "X1C" in free and "MK4" not in free
