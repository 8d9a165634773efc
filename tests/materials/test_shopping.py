from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from printops.accounts import services as account_services
from printops.accounts.actor import Actor
from printops.accounts.roles import Role
from printops.core.errors import Conflict, NotAllowed
from printops.materials import extensions, services, shopping
from printops.materials.models import FilamentOrder, Spool, SpoolLedgerEntry
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/materials"


@pytest.fixture
def api(alice_actor):
    raw = account_services.api_token_create(actor=alice_actor, name="t")[1]
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def viewer_actor(workspace):
    membership = MembershipFactory(workspace=workspace, role=Role.VIEWER)
    return Actor(user=membership.user, membership=membership)


def _used(actor, spool, grams, days_ago):
    entry = services.spool_consume(actor=actor, spool=spool, grams=grams)
    SpoolLedgerEntry.objects.filter(pk=entry.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )


# --- the list ---------------------------------------------------------------------------------


def test_a_filament_above_its_threshold_and_unused_is_not_listed(workspace, spool):
    assert shopping.shopping_list(workspace=workspace) == []


def test_a_filament_below_its_threshold_is_listed_with_its_reorder_quantity_and_cost(
    workspace, alice_actor, spool
):
    services.spool_consume(actor=alice_actor, spool=spool, grams=800)

    (line,) = shopping.shopping_list(workspace=workspace)
    assert line.filament == spool.filament and line.is_low
    assert line.total_grams == Decimal("200")
    assert line.spools == 1  # 100 g missing → one spool; reorder_spools is 1
    assert line.cost == Decimal("24.99")


def test_a_filament_that_runs_out_within_its_lead_time_is_listed(workspace, alice_actor, spool):
    _used(alice_actor, spool, 600, days_ago=5)  # 400 g left, 20 g a day over 30 days
    spool.filament.lead_time_days = 25
    spool.filament.save()

    (line,) = shopping.shopping_list(workspace=workspace)
    assert not line.is_low  # 400 g is above 300 g
    assert line.daily_use_grams == Decimal("20")
    assert line.days_of_stock == 20


def test_the_lead_time_decides_whether_use_makes_it_urgent(workspace, alice_actor, spool):
    _used(alice_actor, spool, 600, days_ago=5)
    spool.filament.lead_time_days = 10
    spool.filament.save()
    assert shopping.shopping_list(workspace=workspace) == []


def test_the_rate_is_the_higher_of_30_and_90_days(workspace, alice_actor, galaxy_black):
    spool = services.spool_create(actor=alice_actor, filament=galaxy_black, initial_grams=5000)
    _used(alice_actor, spool, 4500, days_ago=60)  # 50 g a day over 90 days; none in 30
    galaxy_black.lead_time_days = 14
    galaxy_black.save()

    (line,) = shopping.shopping_list(workspace=workspace)
    assert line.daily_use_grams == Decimal("50")
    # 300 g threshold − 500 g left + 14 days × 50 g = 500 g missing → 1 spool of 1000 g
    assert line.spools == 1


def test_the_recommendation_covers_the_lead_time_in_whole_spools(galaxy_black):
    galaxy_black.lead_time_days = 30
    spools = shopping.recommended_spools(
        filament=galaxy_black, total_grams=Decimal("100"), daily_use_grams=Decimal("61")
    )
    assert spools == 3  # 300 g − 100 g + 30 days × 61 g = 2030 g → 3 spools of 1000 g


def test_the_recommendation_is_at_least_the_reorder_quantity(galaxy_black):
    galaxy_black.reorder_spools = 4
    assert (
        shopping.recommended_spools(
            filament=galaxy_black, total_grams=Decimal("250"), daily_use_grams=Decimal("0")
        )
        == 4
    )


def test_spools_on_order_reduce_the_recommendation(workspace, alice_actor, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=800)
    services.filament_order_create(actor=alice_actor, filament=spool.filament, spools=1)

    (line,) = shopping.shopping_list(workspace=workspace)
    assert line.on_order_spools == 1 and line.spools == 0 and line.cost is None


def test_another_workspace_is_not_listed(workspace, charlie_spool, charlie_actor):
    services.spool_consume(actor=charlie_actor, spool=charlie_spool, grams=999)
    charlie_spool.filament.low_stock_grams = 500
    charlie_spool.filament.save()
    assert shopping.shopping_list(workspace=workspace) == []
    assert len(shopping.shopping_list(workspace=charlie_spool.workspace)) == 1


# --- orders -----------------------------------------------------------------------------------


def test_ordering_records_who_when_how_many_and_the_estimated_cost(bob_actor, bob, galaxy_black):
    order = services.filament_order_create(actor=bob_actor, filament=galaxy_black, spools=3)
    assert (order.spools, order.ordered_by, order.cost) == (3, bob, Decimal("74.97"))
    assert order.ordered_at is not None and order.received_at is None


def test_a_viewer_cannot_order(viewer_actor, galaxy_black):
    with pytest.raises(NotAllowed):
        services.filament_order_create(actor=viewer_actor, filament=galaxy_black, spools=1)
    assert not FilamentOrder.objects.exists()


def test_an_order_of_no_spools_is_refused(alice_actor, galaxy_black):
    with pytest.raises(Exception, match="between 1 and 999"):
        services.filament_order_create(actor=alice_actor, filament=galaxy_black, spools=0)


def test_receiving_adds_the_spools_with_their_ledger_rows(bob_actor, bob, galaxy_black):
    order = services.filament_order_create(actor=bob_actor, filament=galaxy_black, spools=2)

    spools = services.filament_order_receive(actor=bob_actor, order=order)

    assert len(spools) == 2
    assert all(s.remaining_grams == Decimal("1000") for s in spools)
    assert all(s.cost_paid == Decimal("24.99") for s in spools)
    assert (
        SpoolLedgerEntry.objects.filter(
            spool__in=spools, reason=SpoolLedgerEntry.Reason.NEW_SPOOL
        ).count()
        == 2
    )
    order.refresh_from_db()
    assert order.received_by == bob and order.received_at is not None


def test_receiving_twice_is_refused_and_adds_nothing(alice_actor, galaxy_black):
    order = services.filament_order_create(actor=alice_actor, filament=galaxy_black, spools=2)
    services.filament_order_receive(actor=alice_actor, order=order)

    with pytest.raises(Conflict, match="already received"):
        services.filament_order_receive(actor=alice_actor, order=order)
    assert Spool.objects.filter(filament=galaxy_black).count() == 2


def test_a_viewer_cannot_receive(alice_actor, viewer_actor, galaxy_black):
    order = services.filament_order_create(actor=alice_actor, filament=galaxy_black, spools=1)
    with pytest.raises(NotAllowed):
        services.filament_order_receive(actor=viewer_actor, order=order)
    assert not Spool.objects.exists()


# --- page -------------------------------------------------------------------------------------


def test_the_page_lists_what_to_buy_with_a_shop_link_in_a_new_tab(alice_client, alice_actor, spool):
    filament = spool.filament
    filament.purchase_url = "https://shop.example.com/galaxy-black"
    filament.save()
    services.spool_consume(actor=alice_actor, spool=spool, grams=800)

    html = alice_client.get(reverse("materials:shopping")).content.decode()

    assert "Galaxy Black" in html and "24.99 EUR" in html
    assert 'href="https://shop.example.com/galaxy-black" target="_blank" rel="noopener' in html
    assert "Mark ordered" in html and "Recommended: whole spools" in html


def test_the_page_says_when_there_is_nothing_to_buy(alice_client, spool):
    assert b"Nothing to buy." in alice_client.get(reverse("materials:shopping")).content


def test_an_operator_orders_and_receives_from_the_page(bob_client, galaxy_black):
    bob_client.post(reverse("materials:shopping_order"), {"filament": galaxy_black.pk, "spools": 2})
    order = FilamentOrder.objects.get()
    assert order.spools == 2

    response = bob_client.post(reverse("materials:shopping_receive", args=[order.pk]), follow=True)
    assert "are in stock" in response.content.decode()
    assert Spool.objects.filter(filament=galaxy_black).count() == 2

    again = bob_client.post(reverse("materials:shopping_receive", args=[order.pk]), follow=True)
    assert "already received" in again.content.decode()
    assert Spool.objects.filter(filament=galaxy_black).count() == 2


def test_a_viewer_sees_no_order_buttons_and_cannot_order(client, workspace, spool, alice_actor):
    services.spool_consume(actor=alice_actor, spool=spool, grams=800)
    client.force_login(MembershipFactory(workspace=workspace, role=Role.VIEWER).user)

    assert b"Mark ordered" not in client.get(reverse("materials:shopping")).content
    client.post(reverse("materials:shopping_order"), {"filament": spool.filament_id, "spools": 1})
    assert not FilamentOrder.objects.exists()


def test_an_outsider_cannot_order_or_receive_from_the_page(
    charlie_client, alice_actor, galaxy_black
):
    order = services.filament_order_create(actor=alice_actor, filament=galaxy_black, spools=1)
    assert (
        charlie_client.post(
            reverse("materials:shopping_order"), {"filament": galaxy_black.pk, "spools": 1}
        ).status_code
        == 404
    )
    assert (
        charlie_client.post(reverse("materials:shopping_receive", args=[order.pk])).status_code
        == 404
    )
    assert not Spool.objects.exists()


# --- API --------------------------------------------------------------------------------------


def test_the_api_lists_the_shopping_list(api, alice_actor, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=800)
    (line,) = api.get(f"{BASE}/shopping-list").json()
    assert line["filament"]["colour_name"] == "Galaxy Black"
    assert (line["spools"], line["cost"], line["currency"]) == (1, 24.99, "EUR")


def test_the_api_orders_and_receives_once(api, galaxy_black):
    created = api.post(
        f"{BASE}/orders",
        {"filament": galaxy_black.pk, "spools": 2},
        content_type="application/json",
    )
    assert created.status_code == 201
    order_id = created.json()["id"]

    received = api.post(f"{BASE}/orders/{order_id}/receive")
    assert received.status_code == 201
    assert len(received.json()["spools"]) == 2

    again = api.post(f"{BASE}/orders/{order_id}/receive")
    assert again.status_code == 409
    assert "already received" in again.json()["detail"]
    assert Spool.objects.count() == 2


def test_the_api_hides_another_workspace_order_and_filament(
    charlie_actor, alice_actor, galaxy_black
):
    raw = account_services.api_token_create(actor=charlie_actor, name="t")[1]
    charlie_api = Client(headers={"Authorization": f"Bearer {raw}"})
    order = services.filament_order_create(actor=alice_actor, filament=galaxy_black, spools=1)

    assert charlie_api.post(f"{BASE}/orders/{order.pk}/receive").status_code == 404
    assert (
        charlie_api.post(
            f"{BASE}/orders",
            {"filament": galaxy_black.pk, "spools": 1},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert charlie_api.get(f"{BASE}/shopping-list").json() == []


def test_demand_from_planned_work_puts_a_filament_on_the_list(workspace, galaxy_black, spool):
    # 1000 g on hand, threshold 300 g: fine alone, short once the queue takes 800 g.
    FAKE_QUEUE[galaxy_black.pk] = Decimal("800")
    with extensions.projected_demand.replaced(fake_queue):
        (line,) = shopping.shopping_list(workspace=workspace)
    assert line.queued_grams == Decimal("800.00")
    assert line.after_queue_grams == Decimal("200.00")
    assert line.spools == 1


def test_without_planned_work_the_same_stock_is_not_listed(workspace, spool):
    with extensions.projected_demand.replaced():
        assert shopping.shopping_list(workspace=workspace) == []


FAKE_QUEUE: dict = {}


def fake_queue(*, workspace):
    """Stands in for production's queue_demand, which this layer cannot import."""
    return dict(FAKE_QUEUE)
