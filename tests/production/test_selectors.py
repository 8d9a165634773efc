from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from printops.materials.models import SpoolLedgerEntry
from printops.production import selectors, services
from printops.production.models import PrintJob
from tests.production.conftest import start

pytestmark = pytest.mark.django_db

Status = PrintJob.Status


def _run(actor, version, printer, outcome, *, minutes=60, copies=1, reason="adhesion"):
    job = start(
        actor, services.print_job_queue(actor=actor, version=version, copies=copies), printer
    )
    if outcome == "completed":
        services.print_job_complete(actor=actor, job=job)
    else:
        services.print_job_fail(actor=actor, job=job, reason=reason, completion_percent=10)
    finished = PrintJob.objects.get(pk=job.pk).finished_at
    PrintJob.objects.filter(pk=job.pk).update(started_at=finished - timedelta(minutes=minutes))
    return job


def test_the_wilson_interval_is_honest_for_small_counts():
    low, high = selectors.wilson_interval(3, 3)
    assert (low, high) == (pytest.approx(0.4385, abs=1e-4), 1.0)
    low, high = selectors.wilson_interval(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)
    assert selectors.wilson_interval(0, 0) is None


def test_a_versions_history_counts_outcomes_reasons_and_time(
    bob_actor, workspace, mk4, keychain, red_spool
):
    for minutes in (66, 54, 72):
        _run(bob_actor, keychain, mk4, "completed", minutes=minutes)
    _run(bob_actor, keychain, mk4, "completed", minutes=130, copies=2)
    _run(bob_actor, keychain, mk4, "failed", reason="spaghetti")
    services.print_job_cancel(
        actor=bob_actor, job=services.print_job_queue(actor=bob_actor, version=keychain)
    )
    history = selectors.version_print_history(workspace=workspace, version=keychain)
    assert (history.completed, history.failed, history.cancelled) == (4, 1, 1)
    assert history.success_rate == 0.8
    assert history.interval == selectors.wilson_interval(4, 5)
    assert history.failure_reasons == {"spaghetti": 1}
    assert history.average_seconds == round((66 + 54 + 72 + 130) * 60 / 4)
    assert history.estimated_seconds == round((3600 * 3 + 7200) / 4)
    assert history.time_ratio == pytest.approx(4830 / 4500)
    assert len(history.jobs) == 6 and history.jobs[0].status == Status.CANCELLED


def test_a_job_completed_a_minute_after_starting_is_left_out_of_actual_vs_estimated(
    bob_actor, workspace, mk4, keychain, red_spool
):
    _run(bob_actor, keychain, mk4, "completed", minutes=66)
    _run(bob_actor, keychain, mk4, "completed", minutes=1)  # "Complete" pressed by mistake
    _run(bob_actor, keychain, mk4, "completed", minutes=10)  # a sixth of the hour estimated
    _run(bob_actor, keychain, mk4, "completed", minutes=60 * 72)  # left printing for 3 days
    history = selectors.version_print_history(workspace=workspace, version=keychain)
    assert history.completed == 4  # the outcomes still count
    assert (history.average_seconds, history.estimated_seconds) == (66 * 60, 3600)
    assert history.implausible_durations == 3


@pytest.mark.parametrize(
    ("actual", "estimate", "plausible"),
    [
        (60, 3600, False),
        (119, None, False),
        (120, None, True),
        (899, 3600, False),
        (900, 3600, True),
        (4 * 3600, 3600, True),
        (4 * 3600 + 1, 3600, False),
    ],
)
def test_a_duration_is_plausible_from_a_quarter_to_four_times_the_estimate(
    actual, estimate, plausible
):
    assert selectors.plausible_duration(actual, estimate) is plausible


def test_a_version_never_printed_has_no_rate(workspace, keychain):
    history = selectors.version_print_history(workspace=workspace, version=keychain)
    assert (history.success_rate, history.interval, history.time_ratio) == (None, None, None)


def test_ledger_rows_are_grouped_by_the_printer_their_job_ran_on(
    bob_actor, workspace, charlie_membership, mk4, keychain, red_spool
):
    job = _run(bob_actor, keychain, mk4, "completed")
    ids = list(SpoolLedgerEntry.objects.values_list("print_job_id", flat=True))
    assert selectors.printer_for_ledger_rows(workspace=workspace, print_job_ids=ids) == {
        job.pk: "MK4"
    }
    outsider = charlie_membership.workspace
    assert selectors.printer_for_ledger_rows(workspace=outsider, print_job_ids=ids) == {}


def test_jobs_are_listed_printing_then_queued_then_finished(
    bob_actor, workspace, mk4, keychain, red_spool
):
    done = _run(bob_actor, keychain, mk4, "completed")
    queued = [services.print_job_queue(actor=bob_actor, version=keychain) for _ in range(2)]
    printing = start(bob_actor, queued[1], mk4)
    listed = list(selectors.print_job_list(workspace=workspace).values_list("pk", flat=True))
    assert listed == [printing.pk, queued[0].pk, done.pk]


def test_jobs_are_filtered_by_material_and_printer(
    bob_actor, workspace, mk4, make_version, pla_red, petg_blue, keychain
):
    red = services.print_job_queue(actor=bob_actor, version=keychain, printer=mk4)
    blue = services.print_job_queue(actor=bob_actor, version=make_version((petg_blue, 5.0)))
    unmatched = services.print_job_queue(actor=bob_actor, version=make_version((None, 5.0)))

    def ids(**filters):
        return set(
            selectors.print_job_list(workspace=workspace, **filters).values_list("pk", flat=True)
        )

    assert ids(material="petg") == {blue.pk}
    assert ids(material="PLA") == {red.pk, unmatched.pk}
    assert ids(printer_id=mk4.pk) == {red.pk}


def test_the_queue_listing_costs_the_same_queries_for_5_or_25_jobs(
    bob_actor, workspace, mk4, make_version, pla_red, red_spool
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            listing = selectors.queue_listing(workspace=workspace)
            for row in listing.rows:
                row.job.version.variant.design.name  # noqa: B018
                list(row.spools)
        return len(queries), len(listing.rows)

    for _ in range(5):
        services.print_job_queue(actor=bob_actor, version=make_version((pla_red, 5.0)))
    start(bob_actor, PrintJob.objects.first(), mk4)
    small, _ = count()
    for _ in range(20):
        services.print_job_queue(actor=bob_actor, version=make_version((pla_red, 5.0)))
    large, rows = count()
    assert rows == 25 and small == large <= 15


def test_the_summary_says_what_prints_and_what_waits(
    bob_actor, workspace, mk4, x1c, keychain, make_version, red_spool
):
    running = start(bob_actor, services.print_job_queue(actor=bob_actor, version=keychain), mk4)
    services.print_job_queue(actor=bob_actor, version=keychain, copies=2)
    services.print_job_queue(actor=bob_actor, version=make_version((None, 5.0)))
    summary = selectors.production_summary(workspace=workspace)
    assert [job.pk for job, _ in summary.printing] == [running.pk]
    assert (summary.queued_jobs, summary.queued_seconds) == (2, 3 * 3600)
    assert summary.feasibility_warnings == 1
    assert summary.printers_by_status == {"printing": 1, "idle": 1}
    assert summary.next_free is not None and summary.next_free[0] == x1c  # idle now
