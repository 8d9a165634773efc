import random

import pytest
from django.db.models import Sum

from printops.accounts.demo import build_demo as accounts_demo
from printops.library.demo import build_demo as library_demo
from printops.materials.demo import build_demo as materials_demo
from printops.materials.models import Spool, SpoolLedgerEntry
from printops.production.demo import build_demo
from printops.production.models import Printer, PrinterSlot, PrintJob
from tests.factories import WorkspaceFactory

pytestmark = pytest.mark.django_db


def _demo(workspace, seed=1):
    for builder in (accounts_demo, materials_demo, library_demo):
        builder(workspace=workspace, rng=random.Random(f"{seed}:{builder.__module__}"), designs=30)
    return build_demo(workspace=workspace, rng=random.Random(f"{seed}:production"))


@pytest.fixture
def demo():
    workspace = WorkspaceFactory(slug="demo")
    lines = _demo(workspace)
    return workspace, lines


def test_the_demo_has_printers_history_a_print_running_and_a_queue(demo):
    workspace, lines = demo
    assert lines[0].startswith("Production: 3 printers")
    jobs = PrintJob.objects.filter(workspace=workspace)
    statuses = set(jobs.values_list("status", flat=True))
    assert {"completed", "failed", "printing", "queued"} <= statuses
    assert 5 <= jobs.filter(status="queued").count() <= 12
    x1c = Printer.objects.get(workspace=workspace, name="X1C")
    assert PrinterSlot.objects.filter(printer=x1c, spool__isnull=False).count() == 4
    assert jobs.filter(requeues__isnull=False).exists()


def test_demo_prints_are_real_ledger_rows_and_spools_add_up(demo):
    workspace, _ = demo
    finished = PrintJob.objects.filter(workspace=workspace, status__in=["completed", "failed"])
    linked = SpoolLedgerEntry.objects.filter(print_job_id__in=finished.values("pk"))
    assert linked.exists()
    assert set(linked.values_list("reason", flat=True)) <= {"print", "failed_print"}
    spools = Spool.objects.filter(workspace=workspace).annotate(total=Sum("ledger__grams"))
    assert all(s.remaining_grams == s.total for s in spools)
    # Finished in the past, each ledger row at its job's end.
    for job in finished:
        assert job.started_at < job.finished_at
        rows = SpoolLedgerEntry.objects.filter(print_job_id=job.pk)
        assert all(row.created_at == job.finished_at for row in rows)


def test_the_demo_is_the_same_for_the_same_seed(demo):
    workspace, _ = demo
    other = WorkspaceFactory(slug="other")
    _demo(other)

    def shape(ws):
        return list(
            PrintJob.objects.filter(workspace=ws)
            .order_by("pk")
            .values_list("version__variant__design__name", "status", "copies", "printer__name")
        )

    assert shape(workspace) == shape(other)


def test_running_the_demo_twice_adds_nothing(demo):
    workspace, _ = demo
    count = PrintJob.objects.filter(workspace=workspace).count()
    lines = build_demo(workspace=workspace, rng=random.Random(1))
    assert "already" in lines[0] and PrintJob.objects.filter(workspace=workspace).count() == count
