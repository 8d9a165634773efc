from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from printops.materials import reports, services
from printops.materials.models import SpoolLedgerEntry

pytestmark = pytest.mark.django_db


def _weigh(actor, spool, net_grams):
    """Weigh a Prusament spool (201 g empty) holding `net_grams`."""
    return services.spool_weigh_in(actor=actor, spool=spool, gross_grams=net_grams + 201)


def test_variance_is_shared_among_the_uses_recorded_since_the_last_weigh_in(
    alice_actor, workspace, spool
):
    services.spool_consume(actor=alice_actor, spool=spool, grams=300)  # a print
    services.spool_consume(
        actor=alice_actor, spool=spool, grams=100, reason="adjustment", note="test cube"
    )
    # 1000 − 400 = 600 expected; the scale says 560: 40 g more went than recorded.
    _weigh(alice_actor, spool, 560)

    report = reports.weigh_in_variance(workspace=workspace)

    by_label = {line.label: line for line in report.lines}
    assert report.weigh_ins == 1
    assert by_label["Prints"].recorded_grams == Decimal("300")
    assert by_label["Prints"].variance_grams == Decimal("-30.00")
    assert by_label["Prints"].variance_percent == Decimal("-10.0")
    assert by_label["Manual use"].variance_grams == Decimal("-10.00")
    assert report.total_variance_grams == Decimal("-40.00")


def test_uses_before_an_earlier_weigh_in_are_not_blamed_again(alice_actor, workspace, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=100)
    _weigh(alice_actor, spool, 880)  # −20 on the print
    services.spool_consume(
        actor=alice_actor, spool=spool, grams=50, reason="adjustment", note="purge"
    )
    _weigh(alice_actor, spool, 825)  # −5 on the manual use
    lines = {line.label: line for line in reports.weigh_in_variance(workspace=workspace).lines}
    assert lines["Prints"].variance_grams == Decimal("-20.00")
    assert lines["Manual use"].variance_grams == Decimal("-5.00")


def test_a_weigh_in_with_no_recorded_use_is_its_own_line(alice_actor, workspace, spool):
    _weigh(alice_actor, spool, 990)
    (line,) = reports.weigh_in_variance(workspace=workspace).lines
    assert (line.label, line.variance_grams, line.variance_percent) == (
        reports.NO_RECORDED_USE,
        Decimal("-10.00"),
        None,
    )


def test_weigh_ins_before_the_period_are_left_out(alice_actor, workspace, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=100)
    entry = _weigh(alice_actor, spool, 850)
    SpoolLedgerEntry.objects.filter(pk=entry.pk).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    report = reports.weigh_in_variance(workspace=workspace, months=6)
    assert report.weigh_ins == 0
    assert report.lines == []


def test_grouped_by_filament_and_by_printer(alice_actor, workspace, spool, galaxy_black):
    services.spool_consume(actor=alice_actor, spool=spool, grams=100)
    _weigh(alice_actor, spool, 890)
    (by_filament,) = reports.weigh_in_variance(workspace=workspace, grouping="filament").lines
    assert by_filament.label == str(galaxy_black)
    (by_printer,) = reports.weigh_in_variance(workspace=workspace, grouping="printer").lines
    assert by_printer.label == "Printer not recorded"


def test_another_workspaces_weigh_ins_are_not_counted(
    alice_actor, charlie_actor, workspace, charlie_spool
):
    services.spool_consume(actor=charlie_actor, spool=charlie_spool, grams=100)
    services.spool_weigh_in(actor=charlie_actor, spool=charlie_spool, gross_grams=1000)
    assert reports.weigh_in_variance(workspace=workspace).weigh_ins == 0


def test_the_report_page_shows_the_variance_and_an_empty_state(alice_client, alice_actor, spool):
    empty = alice_client.get("/materials/reports/weigh-ins/").content.decode()
    assert "No weigh-ins in this period." in empty
    services.spool_consume(actor=alice_actor, spool=spool, grams=200)
    _weigh(alice_actor, spool, 780)
    page = alice_client.get("/materials/reports/weigh-ins/?by=printer&months=12").content.decode()
    assert "Printer not recorded" in page
    assert "-20&nbsp;g" in page
    odd = alice_client.get("/materials/reports/weigh-ins/?by=nonsense&months=x")
    assert odd.status_code == 200


def test_the_api_reports_variance_and_refuses_odd_parameters(alice_actor, spool):
    from django.test import Client

    from printops.accounts import services as account_services

    raw = account_services.api_token_create(actor=alice_actor, name="t")[1]
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    services.spool_consume(actor=alice_actor, spool=spool, grams=100)
    _weigh(alice_actor, spool, 890)
    body = api.get("/api/v1/materials/reports/weigh-in-variance?by=source&months=3").json()
    assert body["weigh_ins"] == 1
    assert body["lines"][0]["label"] == "Prints"
    assert Decimal(body["lines"][0]["variance_grams"]) == Decimal("-10")
    odd = api.get("/api/v1/materials/reports/weigh-in-variance?by=colour")
    assert odd.status_code == 422
    assert odd.json()["detail"] == "Group by one of: source, printer, filament."
