from decimal import Decimal

import pytest
from django.urls import reverse

from printops.materials import selectors, services
from printops.materials.models import SpoolLedgerEntry

pytestmark = pytest.mark.django_db


def test_inventory_totals_leave_out_archived_spools(alice_actor, workspace, galaxy_black, spool):
    archived = services.spool_create(actor=alice_actor, filament=galaxy_black)
    services.spool_archive(actor=alice_actor, spool=archived)
    (row,) = selectors.filament_inventory(workspace=workspace)
    assert (row.total_grams, row.spool_count, row.is_low) == (Decimal("1000"), 1, False)


def test_a_filament_without_spools_is_low_when_it_has_a_threshold(workspace, galaxy_black):
    (row,) = selectors.filament_inventory(workspace=workspace)
    assert (row.total_grams, row.spool_count, row.is_low) == (0, 0, True)
    assert selectors.filament_inventory(workspace=workspace, low_only=True) == [row]


def test_days_of_stock_follow_the_last_30_days_of_printing(alice_actor, workspace, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=100)
    services.spool_consume(actor=alice_actor, spool=spool, grams=50, reason="failed_print")
    services.spool_weigh_in(actor=alice_actor, spool=spool, gross_grams=1000)  # not use
    (row,) = selectors.filament_inventory(workspace=workspace)
    # 799 g left at 150 g per 30 days = 5 g a day → 159 days
    assert (row.recent_use_grams, row.days_of_stock) == (Decimal("150.00"), 159)


def test_use_older_than_30_days_does_not_count(alice_actor, workspace, spool):
    from datetime import timedelta

    from django.utils import timezone

    services.spool_consume(actor=alice_actor, spool=spool, grams=100)
    SpoolLedgerEntry.objects.filter(reason="print").update(
        created_at=timezone.now() - timedelta(days=31)
    )
    (row,) = selectors.filament_inventory(workspace=workspace)
    assert row.days_of_stock is None


def test_inventory_is_scoped_to_the_workspace(workspace, spool, charlie_spool):
    assert [f.pk for f in selectors.filament_inventory(workspace=workspace)] == [spool.filament_id]
    assert list(selectors.spool_list(workspace=workspace)) == [spool]


def test_spools_sort_by_grams_left(alice_actor, workspace, galaxy_black, spool):
    fuller = services.spool_create(actor=alice_actor, filament=galaxy_black)
    services.spool_consume(actor=alice_actor, spool=spool, grams=10)
    assert list(selectors.spool_list(workspace=workspace, sort="-grams")) == [fuller, spool]


def test_the_history_is_newest_first(alice_actor, workspace, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=10)
    reasons = [e.reason for e in selectors.spool_history(workspace=workspace, spool=spool)]
    assert reasons == ["print", "new_spool"]


def test_a_workstation_names_the_staff_member_on_each_ledger_row(workspace, alice, spool):
    from printops.accounts.actor import Actor
    from printops.accounts.roles import Role
    from tests.factories import MembershipFactory

    desk = MembershipFactory(workspace=workspace, role=Role.OPERATOR, is_workstation=True)
    actor = Actor(user=desk.user, membership=desk, staff=alice)
    entry = services.spool_consume(actor=actor, spool=spool, grams=5)
    assert (entry.actor, entry.staff) == (desk.user, alice)


def test_the_inventory_pages_take_a_fixed_number_of_queries(
    alice_client, alice_actor, galaxy_black, django_assert_max_num_queries
):
    for _ in range(15):
        services.spool_create(actor=alice_actor, filament=galaxy_black)
    with django_assert_max_num_queries(12):
        alice_client.get(reverse("materials:index"))
    with django_assert_max_num_queries(12):
        alice_client.get(reverse("materials:index") + "?view=spools")
    with django_assert_max_num_queries(12):
        alice_client.get(reverse("materials:filament", args=[galaxy_black.pk]))
