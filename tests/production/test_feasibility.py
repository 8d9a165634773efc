from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from printops.materials import services as materials
from printops.materials.shopping import projected_demand
from printops.production import services
from printops.production.feasibility import (
    READY,
    SHORT,
    UNMATCHED,
    queue_demand,
    queue_feasibility,
    queue_shortfall,
)
from tests.production.conftest import start

pytestmark = pytest.mark.django_db


def _queue(actor, version, **kwargs):
    return services.print_job_queue(actor=actor, version=version, **kwargs)


@pytest.fixture
def two_spools(alice_actor, pla_red):
    """250 g of red PLA in stock on two spools (and an archived one that does not count)."""
    materials.spool_create(actor=alice_actor, filament=pla_red, remaining_grams=150)
    materials.spool_create(actor=alice_actor, filament=pla_red, remaining_grams=100)
    archived = materials.spool_create(actor=alice_actor, filament=pla_red)
    materials.spool_archive(actor=alice_actor, spool=archived)


def test_jobs_reserve_stock_in_queue_order(bob_actor, workspace, make_version, pla_red, two_spools):
    big = make_version((pla_red, 100.0))
    first = _queue(bob_actor, big)  # 100 of 250
    second = _queue(bob_actor, big, copies=2)  # 200: 50 missing
    third = _queue(bob_actor, big)  # 100 more missing
    walk = queue_feasibility(workspace=workspace)
    assert walk.jobs[first.pk].state == READY
    assert walk.jobs[second.pk].state == SHORT
    assert [(s.filament_id, s.grams) for s in walk.jobs[second.pk].short] == [
        (pla_red.pk, Decimal("50.00"))
    ]
    assert walk.jobs[third.pk].short[0].grams == Decimal("100.00")
    assert walk.stock == {pla_red.pk: Decimal("250.00")}
    assert walk.demand == {pla_red.pk: Decimal("400.00")}
    assert walk.shortfall == {pla_red.pk: Decimal("150.00")}
    assert walk.warnings == 2


def test_moving_a_job_ahead_changes_who_is_short(
    bob_actor, workspace, make_version, pla_red, two_spools
):
    first = _queue(bob_actor, make_version((pla_red, 200.0)))
    small = _queue(bob_actor, make_version((pla_red, 100.0)))
    assert queue_feasibility(workspace=workspace).jobs[small.pk].state == SHORT
    services.print_job_move(actor=bob_actor, job=small, position=1)
    walk = queue_feasibility(workspace=workspace)
    assert (walk.jobs[small.pk].state, walk.jobs[first.pk].state) == (READY, SHORT)


def test_a_job_with_an_unmatched_slot_is_unmatched(
    bob_actor, workspace, make_version, pla_red, two_spools
):
    job = _queue(bob_actor, make_version((pla_red, 10.0), (None, 5.0)))
    state = queue_feasibility(workspace=workspace).jobs[job.pk]
    assert state.state == UNMATCHED
    assert [(u.slot, u.grams) for u in state.unmatched] == [(1, Decimal("5.00"))]


def test_a_printing_job_sets_its_planned_grams_aside(
    bob_actor, workspace, mk4, make_version, pla_red, two_spools
):
    start(bob_actor, _queue(bob_actor, make_version((pla_red, 100.0))), mk4)
    waiting = _queue(bob_actor, make_version((pla_red, 200.0)))
    walk = queue_feasibility(workspace=workspace)
    assert walk.jobs[waiting.pk].short[0].grams == Decimal("50.00")
    assert queue_demand(workspace=workspace) == {pla_red.pk: Decimal("300.00")}
    assert queue_shortfall(workspace=workspace) == {pla_red.pk: Decimal("50.00")}


def test_finished_and_cancelled_jobs_demand_nothing(bob_actor, workspace, mk4, keychain, red_spool):
    done = start(bob_actor, _queue(bob_actor, keychain), mk4)
    services.print_job_complete(actor=bob_actor, job=done)
    services.print_job_cancel(actor=bob_actor, job=_queue(bob_actor, keychain))
    assert queue_demand(workspace=workspace) == {}


def test_the_shopping_list_reads_the_queues_demand(
    bob_actor, workspace, make_version, pla_red, two_spools
):
    _queue(bob_actor, make_version((pla_red, 60.0)), copies=2)
    assert projected_demand(workspace=workspace) == {pla_red.pk: Decimal("120.00")}


def test_another_workspaces_queue_is_not_counted(bob_actor, charlie_membership, keychain):
    _queue(bob_actor, keychain)
    assert queue_demand(workspace=charlie_membership.workspace) == {}


def test_the_walk_takes_five_queries_however_long_the_queue(
    bob_actor, workspace, make_version, pla_red, petg_blue, two_spools
):
    for grams in range(1, 30):
        _queue(bob_actor, make_version((pla_red, float(grams)), (petg_blue, 2.0)))
    with CaptureQueriesContext(connection) as queries:
        walk = queue_feasibility(workspace=workspace)
    assert len(walk.jobs) == 29 and len(queries) <= 5
