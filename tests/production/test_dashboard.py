"""The dashboard: a getting-started checklist while a workspace is empty; live production and
today's output first once it works, the team and settings cards last."""

from decimal import Decimal

import pytest
from django.urls import reverse

from printops.production import services
from tests.factories import DesignFactory
from tests.production.conftest import start

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("front:dashboard")


def _html(client, path=DASHBOARD):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_an_empty_workspace_gets_a_checklist_linking_to_each_step(alice_client):
    html = _html(alice_client)
    assert "Getting started" in html and "(0 of 4 done)" in html
    for label, url in (
        ("Add a printer", reverse("production:printer_new")),
        ("Add a filament", reverse("materials:filament_new")),
        ("Upload a file", reverse("library:upload")),
        ("Queue it", reverse("library:index")),
    ):
        assert f'<a href="{url}">{label}</a>' in html
    # In the order a new shop does them.
    positions = [html.index(label) for label in ("printer", "filament", "Upload", "Queue it")]
    assert positions == sorted(positions)


def test_each_step_is_ticked_when_done(alice_client, mk4, pla_red):
    html = _html(alice_client)
    assert "(2 of 4 done)" in html
    assert "<s>Add a printer</s>" in html and "<s>Add a filament</s>" in html
    assert f'<a href="{reverse("library:upload")}">Upload a file</a>' in html


def test_queue_it_links_to_queueing_the_newest_version(alice_client, keychain):
    html = _html(alice_client)
    assert f'href="{reverse("production:job_new")}?version={keychain.pk}">Queue it' in html


def test_the_checklist_goes_once_everything_is_done(alice_actor, alice_client, keychain, mk4):
    services.print_job_queue(actor=alice_actor, version=keychain)
    assert "Getting started" not in _html(alice_client)


def test_a_viewer_sees_the_steps_without_links_they_cannot_use(client, viewer_actor):
    client.force_login(viewer_actor.user)
    html = _html(client)
    assert "Add a printer <span" in html and "ask a manager" in html
    assert f'href="{reverse("production:printer_new")}"' not in html


def test_a_design_without_a_sliced_version_counts_as_an_upload(alice_client, workspace):
    DesignFactory(workspace=workspace)
    assert "<s>Upload a file</s>" in _html(alice_client)


def test_with_data_production_comes_first_and_team_and_settings_last(
    alice_actor, alice_client, keychain, red_spool, mk4
):
    services.print_job_queue(actor=alice_actor, version=keychain)
    html = _html(alice_client)
    order = [html.index(f'id="{h}"') for h in ("production-h", "activity-h", "members-h", "ws-h")]
    assert order == sorted(order)


def test_every_printer_shows_its_status_and_what_it_prints(
    alice_actor, alice_client, keychain, red_spool, mk4, x1c
):
    job = services.print_job_queue(actor=alice_actor, version=keychain)
    start(alice_actor, job, mk4)
    html = _html(alice_client)
    board = html[html.index('class="printer-board"') :]
    assert board.index("MK4") < board.index("X1C")
    mk4_row = board[board.index("MK4") : board.index("X1C")]
    assert "Printing" in mk4_row and keychain.variant.design.name in mk4_row
    assert "Idle" in board[board.index("X1C") :]


def test_todays_output_counts_finished_jobs_and_grams(
    alice_actor, alice_client, keychain, red_spool, mk4
):
    for copies in (2, 1):
        job = services.print_job_queue(actor=alice_actor, version=keychain, copies=copies)
        start(alice_actor, job, mk4)
        services.print_job_complete(actor=alice_actor, job=job)
    failed = services.print_job_queue(actor=alice_actor, version=keychain)
    start(alice_actor, failed, mk4)
    services.print_job_fail(
        actor=alice_actor, job=failed, reason="spaghetti", completion_percent=50
    )
    html = _html(alice_client)
    assert "<dt>Done today</dt><dd>2 jobs · 3 copies</dd>" in html
    assert "<dt>Failed today</dt><dd>1</dd>" in html
    red_spool.refresh_from_db()
    used = Decimal("1000.00") - red_spool.remaining_grams
    assert f"<dt>Filament used today</dt><dd>{used:.0f} g</dd>" in html


def test_the_live_part_refreshes_alone(alice_actor, alice_client, keychain, mk4):
    services.print_job_queue(actor=alice_actor, version=keychain)
    html = _html(alice_client, DASHBOARD + "?part=live")
    assert 'id="dashboard-live"' in html and 'hx-trigger="every 30s"' in html
    assert 'id="production-h"' in html and 'id="members-h"' not in html


def test_an_outsider_sees_only_their_own_checklist(charlie_client, mk4):
    assert "(0 of 4 done)" in _html(charlie_client)
