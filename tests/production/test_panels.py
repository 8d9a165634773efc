"""Production's sections on other apps' pages, and the weigh-in report grouped by printer."""

from decimal import Decimal

import pytest
from django.urls import reverse

from printops.materials import reports
from printops.materials import services as materials
from printops.production import services
from tests.production.conftest import start

pytestmark = pytest.mark.django_db


def _print(actor, version, printer, *, fail_at=None):
    job = services.print_job_queue(actor=actor, version=version, printer=printer)
    start(actor, job, printer)
    if fail_at is None:
        return services.print_job_complete(actor=actor, job=job)
    return services.print_job_fail(
        actor=actor, job=job, reason="spaghetti", completion_percent=fail_at
    )


def _print_section(client, version):
    """The version page loads its "Print" section from production's URL, as htmx would."""
    page = client.get(reverse("library:version", args=[version.pk])).content.decode()
    url = reverse("production:version_section", args=[version.pk])
    assert f'hx-get="{url}"' in page and 'hx-trigger="load"' in page
    assert "{#" not in page and "{%" not in page  # no template syntax shown as text
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_the_version_page_shows_the_success_rate_and_a_queue_form(
    alice_client, alice_actor, keychain, red_spool, mk4
):
    _print(alice_actor, keychain, mk4)
    _print(alice_actor, keychain, mk4, fail_at=50)
    html = _print_section(alice_client, keychain)
    assert "Success rate" in html
    assert "50 %" in html
    assert "Spaghetti × 1" in html
    assert reverse("production:job_new") in html


def test_the_version_page_says_implausible_times_are_left_out(
    alice_client, alice_actor, keychain, red_spool, mk4
):
    _print(alice_actor, keychain, mk4)  # completed the moment it started
    html = _print_section(alice_client, keychain)
    assert "Leaves out 1 completed job whose recorded time cannot be a real print" in html
    assert "0 min vs 60 min" not in html
    job = keychain.print_jobs.get()
    html = alice_client.get(reverse("production:job", args=[job.pk])).content.decode()
    assert "left out of the version's actual vs estimated" in html


def test_a_version_never_printed_says_so(alice_client, keychain):
    html = _print_section(alice_client, keychain)
    assert "Not printed yet" in html


def test_another_workspaces_version_has_no_print_section(charlie_client, keychain):
    url = reverse("production:version_section", args=[keychain.pk])
    assert charlie_client.get(url).status_code == 404


def test_a_viewer_sees_the_history_but_no_queue_form(client, viewer_actor, keychain):
    client.force_login(viewer_actor.user)
    html = _print_section(client, keychain)
    assert "Not printed yet" in html
    assert reverse("production:job_new") not in html


def test_the_dashboard_shows_printing_now_and_the_queue(
    alice_client, alice_actor, keychain, red_spool, mk4
):
    job = services.print_job_queue(actor=alice_actor, version=keychain, copies=2)
    start(alice_actor, job, mk4)
    services.print_job_queue(actor=alice_actor, version=keychain)
    html = alice_client.get(reverse("front:dashboard")).content.decode()
    assert "Printing now" in html
    assert f"{keychain.variant.design.name} · {keychain.variant.name}</a> ×2" in html
    assert "1 job · 1.0 h" in html
    # Completed from the dashboard, back on the dashboard, 2 × 20 g taken.
    response = alice_client.post(
        reverse("production:job_complete", args=[job.pk]), {"next": reverse("front:dashboard")}
    )
    assert response.url == reverse("front:dashboard")
    red_spool.refresh_from_db()
    assert red_spool.remaining_grams == Decimal("960.00")


def test_an_empty_workshop_has_no_production_panel(alice_client):
    html = alice_client.get(reverse("front:dashboard")).content.decode()
    assert 'id="production-h"' not in html


def test_weigh_in_variance_is_grouped_by_the_printer_that_printed(
    alice_actor, workspace, keychain, pla_red, mk4, x1c
):
    spool = materials.spool_create(actor=alice_actor, filament=pla_red)
    _print(alice_actor, keychain, mk4)  # 20 g recorded
    services.printer_slot_load(actor=alice_actor, printer=mk4, index=0, spool=None)
    _print(alice_actor, keychain, x1c)  # 20 g recorded
    # 1000 − 40 = 960 expected; the scale says 952 (gross 1202 with Bambu's 250 g spool).
    materials.spool_weigh_in(actor=alice_actor, spool=spool, gross_grams=1202)
    lines = {
        line.label: line
        for line in reports.weigh_in_variance(workspace=workspace, grouping="printer").lines
    }
    assert lines["MK4"].variance_grams == Decimal("-4.00")
    assert lines["X1C"].variance_grams == Decimal("-4.00")
    assert lines["MK4"].variance_percent == Decimal("-20.0")


def test_the_spool_page_links_its_ledger_rows_to_the_jobs(
    alice_client, alice_actor, keychain, red_spool, mk4
):
    job = _print(alice_actor, keychain, mk4)
    html = alice_client.get(reverse("materials:spool", args=[red_spool.pk])).content.decode()
    assert f'href="{reverse("production:job", args=[job.pk])}"' in html


def test_queue_from_the_version_page_keeps_the_copies_asked_for(alice_client, keychain):
    page = alice_client.get(reverse("production:job_new"), {"version": keychain.pk, "copies": 3})
    assert page.status_code == 200
    assert 'value="3"' in page.content.decode()


def test_a_version_with_print_jobs_cannot_be_deleted(alice_actor, keychain, red_spool, mk4):
    from printops.core.errors import Conflict
    from printops.library import services as library
    from printops.library.models import VariantVersion

    services.print_job_queue(actor=alice_actor, version=keychain)
    with pytest.raises(Conflict, match="print jobs in production"):
        library.version_delete(actor=alice_actor, version=keychain)
    with pytest.raises(Conflict, match="print jobs in production"):
        library.design_delete(actor=alice_actor, design=keychain.variant.design)
    assert VariantVersion.objects.filter(pk=keychain.pk).exists()


def test_deleting_a_printed_version_through_the_api_is_a_409(api, alice_actor, keychain, mk4):
    services.print_job_queue(actor=alice_actor, version=keychain)
    response = api.delete(f"/api/v1/library/versions/{keychain.pk}")
    assert response.status_code == 409
    assert "print jobs in production" in response.json()["detail"]


def test_a_printing_jobs_slot_can_be_switched_to_another_spool_from_its_page(
    alice_client, alice_actor, keychain, pla_red, red_spool, mk4
):
    job = services.print_job_queue(actor=alice_actor, version=keychain, copies=2)
    start(alice_actor, job, mk4)
    second = materials.spool_create(actor=alice_actor, filament=pla_red, location="Shelf B")
    page = alice_client.get(reverse("production:job", args=[job.pk])).content.decode()
    assert "Switch filament 1 to" in page
    assert second.label_code in page
    response = alice_client.post(
        reverse("production:job_spool_switch", args=[job.pk]),
        {"slot": 0, "spool": second.pk},
        follow=True,
    )
    assert f"now comes off {second}" in response.content.decode()
    services.print_job_complete(actor=alice_actor, job=job)
    second.refresh_from_db()
    red_spool.refresh_from_db()
    assert (second.remaining_grams, red_spool.remaining_grams) == (
        Decimal("960.00"),
        Decimal("1000.00"),
    )


def test_switching_a_queued_job_is_refused_with_a_sentence(
    alice_client, alice_actor, keychain, red_spool
):
    job = services.print_job_queue(actor=alice_actor, version=keychain)
    response = alice_client.post(
        reverse("production:job_spool_switch", args=[job.pk]),
        {"slot": 0, "spool": red_spool.pk},
        follow=True,
    )
    assert "Spools can be switched while a job is printing." in response.content.decode()


def test_the_first_job_cannot_move_up_nor_the_last_down(alice_client, alice_actor, keychain):
    first, last = (services.print_job_queue(actor=alice_actor, version=keychain) for _ in range(2))
    html = alice_client.get(reverse("production:index")).content.decode()
    assert f'aria-label="Move {first} up" disabled' in html
    assert f'aria-label="Move {first} down">' in html
    assert f'aria-label="Move {last} down" disabled' in html
