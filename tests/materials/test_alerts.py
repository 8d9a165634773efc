from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from printops.materials import alerts, services

pytestmark = pytest.mark.django_db


def _dashboard(client, user):
    client.force_login(user)
    return client.get(reverse("front:dashboard")).content.decode()


def test_a_filament_above_its_threshold_is_not_low(workspace, spool):
    assert alerts.low_stock_list(workspace=workspace) == []


def test_a_filament_below_its_threshold_is_low(workspace, alice_actor, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=800)

    (low,) = alerts.low_stock_list(workspace=workspace)
    assert low == spool.filament
    assert low.total_grams == Decimal("200")


def test_archived_spools_do_not_count_as_stock(workspace, alice_actor, galaxy_black, spool):
    services.spool_create(actor=alice_actor, filament=galaxy_black, remaining_grams=100)
    services.spool_archive(actor=alice_actor, spool=spool)

    (low,) = alerts.low_stock_list(workspace=workspace)
    assert low.total_grams == Decimal("100")


def test_a_filament_without_spools_is_low_when_it_has_a_threshold(workspace, galaxy_black):
    assert alerts.low_stock_list(workspace=workspace) == [galaxy_black]


def test_another_workspace_low_filament_is_not_listed(workspace, spool, charlie_spool):
    assert alerts.low_stock_list(workspace=charlie_spool.workspace) == []
    assert alerts.low_stock_list(workspace=workspace) == []


def test_the_dashboard_has_no_low_stock_panel_when_nothing_is_low(client, alice, spool):
    assert "Low stock" not in _dashboard(client, alice)


def test_crossing_below_the_threshold_shows_it_and_topping_up_removes_it(
    client, alice, alice_actor, galaxy_black, spool
):
    services.spool_consume(actor=alice_actor, spool=spool, grams=750)

    page = _dashboard(client, alice)
    assert "Low stock" in page
    assert "Galaxy Black" in page
    assert "250&nbsp;g left of 300&nbsp;g" in page
    assert reverse("materials:filament", args=[galaxy_black.pk]) in page

    services.spool_create(actor=alice_actor, filament=galaxy_black)
    assert "Low stock" not in _dashboard(client, alice)


def test_a_viewer_sees_the_low_stock_panel_too(client, workspace, galaxy_black):
    from printops.accounts.roles import Role
    from tests.factories import MembershipFactory, UserFactory

    viewer = UserFactory(email="vera@example.com")
    MembershipFactory(workspace=workspace, user=viewer, role=Role.VIEWER)

    assert "Low stock" in _dashboard(client, viewer)


# --- e-mail digest ----------------------------------------------------------------------------


def _digest():
    from django.core.management import call_command

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("materials_low_stock_digest", stdout=StringIO())


def test_a_member_who_opted_in_gets_the_filaments_that_went_low(
    alice, alice_actor, bob, bob_actor, spool
):
    services.low_stock_digest_subscribe(actor=bob_actor, subscribed=True)
    services.spool_consume(actor=alice_actor, spool=spool, grams=800)

    _digest()

    (email,) = mail.outbox
    assert email.to == ["bob@example.com"]
    assert "Galaxy Black: 200 g left of 300 g wanted" in email.body
    assert "/materials/shopping/" in email.body


def test_the_digest_does_not_repeat_a_filament_still_low(bob_actor, alice_actor, spool):
    services.low_stock_digest_subscribe(actor=bob_actor, subscribed=True)
    services.spool_consume(actor=alice_actor, spool=spool, grams=800)
    _digest()
    _digest()
    assert len(mail.outbox) == 1


def test_a_filament_topped_up_and_low_again_is_reported_again(
    bob_actor, alice_actor, galaxy_black, spool
):
    services.low_stock_digest_subscribe(actor=bob_actor, subscribed=True)
    services.spool_consume(actor=alice_actor, spool=spool, grams=800)
    _digest()
    extra = services.spool_create(actor=alice_actor, filament=galaxy_black)
    _digest()
    services.spool_consume(actor=alice_actor, spool=extra, grams=1000)
    _digest()
    assert len(mail.outbox) == 2


def test_members_who_did_not_opt_in_get_nothing(alice_actor, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=800)
    _digest()
    assert mail.outbox == []


def test_opting_out_stops_the_digest(bob_actor, alice_actor, spool):
    services.low_stock_digest_subscribe(actor=bob_actor, subscribed=True)
    services.low_stock_digest_subscribe(actor=bob_actor, subscribed=False)
    services.spool_consume(actor=alice_actor, spool=spool, grams=800)
    _digest()
    assert mail.outbox == []


def test_the_digest_reports_each_workspace_to_its_own_members(
    alice_actor, charlie_actor, charlie_spool, spool
):
    services.low_stock_digest_subscribe(actor=charlie_actor, subscribed=True)
    services.spool_consume(actor=alice_actor, spool=spool, grams=800)
    _digest()
    assert mail.outbox == []


def test_the_shopping_list_page_toggles_the_digest(bob_client, bob, workspace):
    page = bob_client.get(reverse("materials:shopping")).content.decode()
    assert "E-mail me when filaments run low" in page

    bob_client.post(reverse("materials:shopping_digest"), {"subscribed": "1"})
    assert alerts.low_stock_digest_subscribed(workspace=workspace, user=bob)
    assert (
        "Stop low-stock e-mails" in bob_client.get(reverse("materials:shopping")).content.decode()
    )

    bob_client.post(reverse("materials:shopping_digest"), {"subscribed": "0"})
    assert not alerts.low_stock_digest_subscribed(workspace=workspace, user=bob)


def test_the_task_sends_the_digests(bob_actor, alice_actor, spool):
    from printops.materials.tasks import send_low_stock_digests

    services.low_stock_digest_subscribe(actor=bob_actor, subscribed=True)
    services.spool_consume(actor=alice_actor, spool=spool, grams=800)
    with TestCase.captureOnCommitCallbacks(execute=True):
        send_low_stock_digests.enqueue()
    assert len(mail.outbox) == 1
