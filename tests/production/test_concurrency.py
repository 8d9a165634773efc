"""Two people pressing the same button at once, proven on PostgreSQL where writes run in
parallel."""

from decimal import Decimal

from printops.core.errors import Conflict
from printops.materials.models import Spool, SpoolLedgerEntry
from printops.production import services
from printops.production.models import Printer, PrintJob, PrintJobSpool
from tests.concurrency import POSTGRES_ONLY, race
from tests.production.conftest import start

pytestmark = POSTGRES_ONLY


def _fresh(job):
    return PrintJob.objects.get(pk=job.pk)


def test_two_operators_completing_one_job_at_once_consume_once(
    alice_actor, bob_actor, mk4, keychain, red_spool
):
    for _ in range(5):
        job = start(bob_actor, services.print_job_queue(actor=bob_actor, version=keychain), mk4)
        results = race(
            lambda j=job: services.print_job_complete(actor=alice_actor, job=_fresh(j)),
            lambda j=job: services.print_job_complete(actor=bob_actor, job=_fresh(j)),
        )
        assert sum(isinstance(r, Conflict) for r in results) == 1
        assert SpoolLedgerEntry.objects.filter(print_job_id=job.pk).count() == 1
        mk4.refresh_from_db()
    assert Spool.objects.get(pk=red_spool.pk).remaining_grams == Decimal("1000") - 5 * 20


def test_a_completion_and_a_failure_at_once_consume_once(
    alice_actor, bob_actor, mk4, keychain, red_spool
):
    for _ in range(5):
        job = start(bob_actor, services.print_job_queue(actor=bob_actor, version=keychain), mk4)
        results = race(
            lambda j=job: services.print_job_complete(actor=alice_actor, job=_fresh(j)),
            lambda j=job: services.print_job_fail(
                actor=bob_actor, job=_fresh(j), reason="clog", completion_percent=50
            ),
        )
        assert sum(isinstance(r, Conflict) for r in results) == 1
        assert SpoolLedgerEntry.objects.filter(print_job_id=job.pk).count() == 1


def test_two_starts_of_one_job_claim_it_once(alice_actor, bob_actor, mk4, x1c, keychain, red_spool):
    for _ in range(5):
        job = services.print_job_queue(actor=bob_actor, version=keychain)
        results = race(
            lambda j=job: start(alice_actor, _fresh(j), Printer.objects.get(pk=mk4.pk)),
            lambda j=job: start(bob_actor, _fresh(j), Printer.objects.get(pk=x1c.pk)),
        )
        assert sum(isinstance(r, Conflict) for r in results) == 1
        assert PrintJobSpool.objects.filter(job=job).count() == 1
        printing = Printer.objects.filter(status=Printer.Status.PRINTING)
        assert list(printing.values_list("pk", flat=True)) == [_fresh(job).printer_id]
        services.print_job_fail(
            actor=alice_actor, job=_fresh(job), reason="other", note="test", completion_percent=0
        )


def test_two_jobs_started_on_one_printer_at_once_run_one(
    alice_actor, bob_actor, mk4, keychain, red_spool
):
    first = services.print_job_queue(actor=bob_actor, version=keychain)
    second = services.print_job_queue(actor=bob_actor, version=keychain)
    results = race(
        lambda: start(alice_actor, _fresh(first), Printer.objects.get(pk=mk4.pk)),
        lambda: start(bob_actor, _fresh(second), Printer.objects.get(pk=mk4.pk)),
    )
    assert sum(isinstance(r, Conflict) for r in results) == 1
    assert PrintJob.objects.filter(status=PrintJob.Status.PRINTING).count() == 1
    assert PrintJob.objects.filter(status=PrintJob.Status.QUEUED).count() == 1


def test_concurrent_reorders_keep_positions_unique_and_whole(
    alice_actor, bob_actor, keychain, workspace
):
    ids = [services.print_job_queue(actor=bob_actor, version=keychain).pk for _ in range(8)]
    for round_ in range(5):
        mover = PrintJob.objects.get(pk=ids[round_])
        forward, backward = list(ids), ids[::-1]
        results = race(
            lambda f=forward: services.queue_reorder(actor=alice_actor, job_ids=f),
            lambda b=backward: services.queue_reorder(actor=bob_actor, job_ids=b),
            lambda m=mover: services.print_job_move(actor=alice_actor, job=m, position=1),
            lambda: services.print_job_queue(actor=bob_actor, version=keychain),
        )
        assert not any(isinstance(r, Exception) for r in results), results
        positions = list(
            PrintJob.objects.filter(workspace=workspace, status=PrintJob.Status.QUEUED)
            .order_by("position")
            .values_list("position", flat=True)
        )
        assert len(positions) == len(set(positions)) == 8 + round_ + 1
        assert all(p > 0 for p in positions)


def test_two_starts_on_two_printers_never_share_one_spool(
    alice_actor, bob_actor, mk4, x1c, keychain, red_spool
):
    """The only red spool is on the shelf: both starts pick it, the one that locks it second
    sees the first's job and is refused, and nothing of it is written."""
    for round_ in range(5):
        jobs = [services.print_job_queue(actor=bob_actor, version=keychain) for _ in range(2)]
        chosen = {0: red_spool} if round_ % 2 else None  # picked by hand, or automatic

        def on(actor, job, printer, chosen=chosen):
            return lambda: start(
                actor, _fresh(job), Printer.objects.get(pk=printer.pk), spools=chosen
            )

        results = race(on(alice_actor, jobs[0], mk4), on(bob_actor, jobs[1], x1c))
        assert sum(isinstance(r, Conflict) for r in results) == 1, results
        (row,) = PrintJobSpool.objects.filter(job__status=PrintJob.Status.PRINTING)
        assert row.spool_id == red_spool.pk
        statuses = sorted(_fresh(job).status for job in jobs)
        assert statuses == [PrintJob.Status.PRINTING, PrintJob.Status.QUEUED]
        assert Printer.objects.filter(status=Printer.Status.PRINTING).count() == 1
        services.print_job_fail(
            actor=alice_actor, job=row.job, reason="other", note="test", completion_percent=0
        )
        for job in jobs:
            if _fresh(job).status == PrintJob.Status.QUEUED:
                services.print_job_cancel(actor=alice_actor, job=_fresh(job))
