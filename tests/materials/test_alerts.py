from decimal import Decimal

import pytest
from django.urls import reverse

from printops.materials import alerts, services

pytestmark = pytest.mark.django_db


def _dashboard(client, user):
    client.force_login(user)
    return client.get(reverse("accounts:dashboard")).content.decode()


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
