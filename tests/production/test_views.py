"""Production pages: the queue, a job and its actions, printers, the schedule."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from printops.materials.models import Spool, SpoolLedgerEntry
from printops.production import services
from printops.production.models import Printer, PrinterMaintenance, PrintJob
from tests.production.conftest import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_client(viewer_actor):
    client = Client()
    client.force_login(viewer_actor.user)
    return client


@pytest.fixture
def queued(alice_actor, keychain):
    return services.print_job_queue(actor=alice_actor, version=keychain, copies=2)


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def _follow_text(client, url, data=None):
    response = client.post(url, data or {}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


# --- the queue -------------------------------------------------------------------------------


def test_an_empty_queue_links_to_the_library_and_to_adding_a_printer(alice_client):
    html = alice_client.get(reverse("production:index")).content.decode()
    assert "The queue is empty." in html and reverse("library:index") in html
    assert "No printers yet." in html and reverse("production:printer_new") in html


def test_the_queue_shows_each_job_with_copies_time_swatches_and_feasibility(
    alice_client, queued, red_spool, mk4
):
    html = alice_client.get(reverse("production:index")).content.decode()
    assert f'id="job-{queued.pk}"' in html
    assert "× 2" in html and "any compatible printer" in html
    assert "#C12E1F" in html  # the red swatch
    assert "badge ready" in html
    assert "2 h 00 min" in html  # an hour a copy
    assert "MK4" in html  # the next free printer, and the start select


def test_a_job_short_of_filament_says_what_and_links_to_the_shopping_list(
    alice_client, alice_actor, make_version, pla_red, mk4
):
    big = make_version((pla_red, 1500.0))
    services.print_job_queue(actor=alice_actor, version=big)
    html = alice_client.get(reverse("production:index")).content.decode()
    assert "badge short" in html
    assert "1500&nbsp;g of Bambu Lab PLA Red" in html
    assert reverse("materials:shopping") in html


def test_a_job_with_an_unmatched_filament_links_to_the_review_queue(
    alice_client, alice_actor, make_version
):
    services.print_job_queue(actor=alice_actor, version=make_version((None, 10.0)))
    html = alice_client.get(reverse("production:index")).content.decode()
    assert "badge unmatched" in html and reverse("library:filament_review") in html


def test_the_htmx_poll_gets_the_list_only(alice_client, queued):
    response = alice_client.get(reverse("production:index"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert f'id="job-{queued.pk}"' in html and "<html" not in html
    assert 'hx-trigger="every 5s' in html


def test_the_queue_filters_by_printer_material_and_status(
    alice_client, alice_actor, queued, make_version, petg_blue, mk4
):
    blue = services.print_job_queue(
        actor=alice_actor, version=make_version((petg_blue, 5.0)), printer=mk4
    )
    url = reverse("production:index")
    html = alice_client.get(url + "?material=PETG").content.decode()
    assert f'id="job-{blue.pk}"' in html and f'id="job-{queued.pk}"' not in html
    html = alice_client.get(url + f"?printer={mk4.pk}").content.decode()
    assert f'id="job-{blue.pk}"' in html and f'id="job-{queued.pk}"' not in html
    html = alice_client.get(url + "?status=completed").content.decode()
    assert f'id="job-{blue.pk}"' not in html and "No completed jobs" in html


def test_the_queue_suggests_a_batch_and_gathers_it(
    alice_client, alice_actor, keychain, make_version, petg_blue, mk4
):
    first = services.print_job_queue(actor=alice_actor, version=keychain)
    services.print_job_queue(actor=alice_actor, version=make_version((petg_blue, 5.0)))
    third = services.print_job_queue(actor=alice_actor, version=keychain)
    html = alice_client.get(reverse("production:index")).content.decode()
    assert "2 jobs use Bambu Lab PLA Red — run them together" in html
    text = _follow_text(
        alice_client, reverse("production:queue_gather"), {"job": [first.pk, third.pk]}
    )
    assert "2 jobs now follow one another" in text
    third.refresh_from_db()
    assert third.position == 2


def test_a_viewer_sees_the_queue_without_write_buttons(viewer_client, queued, mk4):
    html = viewer_client.get(reverse("production:index")).content.decode()
    assert f'id="job-{queued.pk}"' in html
    assert "job_start" not in html and "/start/" not in html and "draggable" not in html
    assert "/cancel/" not in html


# --- reorder ---------------------------------------------------------------------------------


def _reorder(client, job_ids, seen=None):
    body = {"job_ids": job_ids, **({"seen": seen} if seen is not None else {})}
    return client.post(
        reverse("production:queue_reorder"), json.dumps(body), content_type="application/json"
    )


def test_the_reorder_endpoint_persists_the_new_order(alice_client, alice_actor, keychain):
    a, b, c = (services.print_job_queue(actor=alice_actor, version=keychain) for _ in range(3))
    response = _reorder(alice_client, [c.pk, a.pk, b.pk], seen=[a.pk, b.pk, c.pk])
    assert response.status_code == 200 and response.json()["job_ids"] == [c.pk, a.pk, b.pk]
    order = list(
        PrintJob.objects.filter(status="queued").order_by("position").values_list("pk", flat=True)
    )
    assert order == [c.pk, a.pk, b.pk]


def test_a_reorder_of_a_queue_that_changed_meanwhile_is_refused_with_a_sentence(
    alice_client, alice_actor, keychain
):
    a, b = (services.print_job_queue(actor=alice_actor, version=keychain) for _ in range(2))
    services.print_job_move(actor=alice_actor, job=b, position=1)  # someone else, meanwhile
    response = _reorder(alice_client, [b.pk, a.pk], seen=[a.pk, b.pk])
    assert response.status_code == 409 and "changed meanwhile" in response.json()["detail"]


def test_a_reorder_with_a_job_no_longer_queued_says_so(alice_client, alice_actor, keychain):
    a, b = (services.print_job_queue(actor=alice_actor, version=keychain) for _ in range(2))
    services.print_job_cancel(actor=alice_actor, job=a)
    response = _reorder(alice_client, [b.pk, a.pk])
    assert response.status_code == 409
    assert f"Job #{a.pk} is no longer in the queue" in response.json()["detail"]


def test_a_viewer_cannot_reorder(viewer_client, alice_actor, keychain):
    a, b = (services.print_job_queue(actor=alice_actor, version=keychain) for _ in range(2))
    response = _reorder(viewer_client, [b.pk, a.pk])
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.position == 1


def test_move_up_and_down_buttons_change_the_order(alice_client, alice_actor, keychain):
    _, b = (services.print_job_queue(actor=alice_actor, version=keychain) for _ in range(2))
    text = _follow_text(alice_client, reverse("production:job_move", args=[b.pk, "up"]))
    assert f"Job #{b.pk} is now number 1 in the queue." in text
    _follow_text(alice_client, reverse("production:job_move", args=[b.pk, "down"]))
    b.refresh_from_db()
    assert b.position == 2


def test_moving_a_job_that_left_the_queue_shows_the_sentence(alice_client, alice_actor, queued):
    services.print_job_cancel(actor=alice_actor, job=queued)
    text = _follow_text(alice_client, reverse("production:job_move", args=[queued.pk, "up"]))
    assert "was cancelled; queue the version again" in text


# --- a job's life ----------------------------------------------------------------------------


def test_a_job_is_started_completed_and_its_page_lists_the_ledger_rows(
    alice_client, alice_actor, queued, mk4, red_spool
):
    services.printer_slot_load(actor=alice_actor, printer=mk4, index=0, spool=red_spool)
    text = _follow_text(
        alice_client, reverse("production:job_start", args=[queued.pk]), {"printer": mk4.pk}
    )
    assert f"Job #{queued.pk} is printing on MK4." in text
    text = _follow_text(alice_client, reverse("production:job_complete", args=[queued.pk]))
    assert "completed; its filament was taken off its spools" in text
    red_spool.refresh_from_db()
    assert red_spool.remaining_grams == Decimal("960.00")
    assert "Taken from stock" in text and reverse("materials:spool", args=[red_spool.pk]) in text
    assert "-40.00&nbsp;g" in text


def test_starting_with_a_chosen_spool_charges_that_spool(
    alice_client, alice_actor, queued, mk4, pla_red
):
    from printops.materials import services as materials

    chosen = materials.spool_create(actor=alice_actor, filament=pla_red)
    materials.spool_create(actor=alice_actor, filament=pla_red)
    _follow_text(
        alice_client,
        reverse("production:job_start", args=[queued.pk]),
        {"printer": mk4.pk, "spool_0": chosen.pk},
    )
    assert queued.spools.get().spool_id == chosen.pk


def test_a_refused_start_shows_the_services_sentence(alice_client, queued, mk4):
    text = _follow_text(
        alice_client, reverse("production:job_start", args=[queued.pk]), {"printer": mk4.pk}
    )
    assert "No spool of Bambu Lab PLA Red holds the 40.00 g" in text
    queued.refresh_from_db()
    assert queued.status == "queued"


def test_a_printing_job_fails_at_40_percent_and_takes_40_percent(
    alice_client, alice_actor, queued, mk4, red_spool
):
    start(alice_actor, queued, mk4)
    text = _follow_text(
        alice_client,
        reverse("production:job_fail", args=[queued.pk]),
        {"completion_percent": "40", "reason": "adhesion", "note": "corner lifted"},
    )
    assert "recorded as failed at 40 %" in text
    red_spool.refresh_from_db()
    assert red_spool.remaining_grams == Decimal("984.00")
    assert "Came off the bed" in text and "corner lifted" in text


def test_a_failure_without_how_far_shows_the_sentence(
    alice_client, alice_actor, queued, mk4, red_spool
):
    start(alice_actor, queued, mk4)
    text = _follow_text(
        alice_client, reverse("production:job_fail", args=[queued.pk]), {"reason": "clog"}
    )
    assert "Say how far it got" in text
    queued.refresh_from_db()
    assert queued.status == "printing"


def test_completing_twice_shows_the_sentence_and_takes_nothing_more(
    alice_client, alice_actor, queued, mk4, red_spool
):
    start(alice_actor, queued, mk4)
    url = reverse("production:job_complete", args=[queued.pk])
    _follow_text(alice_client, url)
    text = _follow_text(alice_client, url)
    assert "This job was already completed" in text
    assert SpoolLedgerEntry.objects.filter(print_job_id=queued.pk).count() == 1


def test_a_queued_job_is_cancelled_and_a_failed_one_requeued(
    alice_client, alice_actor, keychain, mk4, red_spool
):
    job = services.print_job_queue(actor=alice_actor, version=keychain)
    text = _follow_text(alice_client, reverse("production:job_cancel", args=[job.pk]))
    assert f"Job #{job.pk} cancelled" in text
    other = services.print_job_queue(actor=alice_actor, version=keychain)
    start(alice_actor, other, mk4)
    services.print_job_fail(actor=alice_actor, job=other, reason="clog", completion_percent=10)
    response = alice_client.post(reverse("production:job_requeue", args=[other.pk]), follow=True)
    new = PrintJob.objects.get(requeued_from=other)
    assert response.redirect_chain[-1][0] == reverse("production:job", args=[new.pk])
    assert "Requeued from" in response.content.decode()
    text = _follow_text(alice_client, reverse("production:job_requeue", args=[other.pk]))
    assert "was already requeued" in text


def test_a_viewer_cannot_act_on_a_job(viewer_client, queued, mk4, red_spool):
    text = _follow_text(
        viewer_client, reverse("production:job_start", args=[queued.pk]), {"printer": mk4.pk}
    )
    assert "Only operators, managers and owners can run production." in text
    queued.refresh_from_db()
    assert queued.status == "queued"
    html = viewer_client.get(reverse("production:job", args=[queued.pk])).content.decode()
    assert "Start printing" not in html and "Cancel this job" not in html


def test_the_job_page_offers_compatible_printers_and_the_suggested_spool(
    alice_client, alice_actor, queued, mk4, red_spool
):
    services.printer_slot_load(actor=alice_actor, printer=mk4, index=0, spool=red_spool)
    html = alice_client.get(reverse("production:job", args=[queued.pk])).content.decode()
    assert "Start printing" in html
    assert f"Automatic: {red_spool.label_code}" in html
    assert "2 h 00 min" in html


# --- queueing --------------------------------------------------------------------------------


def test_the_new_job_page_queues_a_version(alice_client, keychain, mk4):
    url = reverse("production:job_new") + f"?version={keychain.pk}"
    assert b"Any compatible printer" in alice_client.get(url).content
    response = alice_client.post(
        reverse("production:job_new"),
        {"version": keychain.pk, "copies": "3", "printer": mk4.pk, "priority": "5"},
        follow=True,
    )
    job = PrintJob.objects.get()
    assert (job.copies, job.printer_id, job.priority) == (3, mk4.pk, 5)
    assert "queued" in response.content.decode()


def test_queueing_an_unreadable_version_shows_the_sentence(alice_client, make_version, pla_red):
    version = make_version((pla_red, 10.0), status="unreadable", unreadable_reason="truncated")
    response = alice_client.post(
        reverse("production:job_new"), {"version": version.pk, "copies": "1", "priority": "0"}
    )
    assert response.status_code == 400
    assert "could not be read (truncated)" in response.content.decode()


def test_the_new_job_page_without_a_version_points_to_the_library(alice_client):
    html = alice_client.get(reverse("production:job_new")).content.decode()
    assert "Choose what to print." in html


# --- printers --------------------------------------------------------------------------------


def test_an_empty_printer_list_links_to_adding_one(alice_client):
    html = alice_client.get(reverse("production:printers")).content.decode()
    assert "No printers yet." in html and reverse("production:printer_new") in html


def test_a_printer_is_added_and_edited(alice_client):
    data = {
        "name": "Voron",
        "model": "Voron 2.4",
        "nozzle_diameter_mm": "0.4",
        "build_x_mm": "300",
        "build_y_mm": "300",
        "build_z_mm": "280",
        "slots": "2",
        "power_watts": "350",
        "hourly_cost": "1.20",
        "allowed_materials": ["PLA", "PETG"],
    }
    response = alice_client.post(reverse("production:printer_new"), data)
    printer = Printer.objects.get(name="Voron")
    assert response.url == reverse("production:printer", args=[printer.pk])
    assert printer.slots.count() == 2 and printer.allowed_materials == ["PLA", "PETG"]
    data |= {"name": "Voron 2", "slots": "4"}
    alice_client.post(reverse("production:printer_edit", args=[printer.pk]), data)
    printer.refresh_from_db()
    assert printer.name == "Voron 2" and printer.slots.count() == 4
    html = alice_client.get(reverse("production:printers")).content.decode()
    assert "Voron 2" in html


def test_a_duplicate_printer_name_shows_the_sentence(alice_client, mk4):
    response = alice_client.post(
        reverse("production:printer_new"),
        {"name": "mk4", "nozzle_diameter_mm": "0.4", "build_x_mm": "1", "build_y_mm": "1",
         "build_z_mm": "1", "slots": "1", "power_watts": "0", "hourly_cost": "0"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "There is already a printer called mk4." in response.content.decode()


def test_a_spool_is_loaded_and_unloaded_on_the_printer_page(alice_client, x1c, red_spool):
    url = reverse("production:printer_slot", args=[x1c.pk, 2])
    text = _follow_text(alice_client, url, {"spool": red_spool.pk})
    assert f"{red_spool} (Bambu Lab PLA Red) is in slot 3 of X1C." in text
    assert x1c.slots.get(index=2).spool_id == red_spool.pk
    assert "1000&nbsp;g" in text
    text = _follow_text(alice_client, url, {"spool": ""})
    assert "Slot 3 of X1C is empty." in text
    assert x1c.slots.get(index=2).spool_id is None


def test_loading_a_slot_the_printer_lacks_shows_the_sentence(alice_client, mk4, red_spool):
    text = _follow_text(
        alice_client, reverse("production:printer_slot", args=[mk4.pk, 5]), {"spool": red_spool.pk}
    )
    assert "MK4 has 1 slot, numbered 0 to 0." in text


def test_status_buttons_and_a_refusal_while_printing(
    alice_client, alice_actor, queued, mk4, red_spool
):
    url = reverse("production:printer_status", args=[mk4.pk])
    text = _follow_text(alice_client, url, {"status": "maintenance"})
    assert "MK4 is in maintenance." in text
    _follow_text(alice_client, url, {"status": "idle"})
    start(alice_actor, queued, mk4)
    text = _follow_text(alice_client, url, {"status": "offline"})
    assert "complete or fail it first" in text
    assert Printer.objects.get(pk=mk4.pk).status == "printing"


def test_the_maintenance_log_takes_an_entry(alice_client, mk4):
    text = _follow_text(
        alice_client,
        reverse("production:printer_maintenance", args=[mk4.pk]),
        {"note": "Cleaned the nozzle"},
    )
    assert "Cleaned the nozzle" in text
    assert PrinterMaintenance.objects.get().note == "Cleaned the nozzle"
    text = _follow_text(
        alice_client,
        reverse("production:printer_maintenance", args=[mk4.pk]),
        {"note": "Future", "date": "2999-01-01"},
    )
    assert "Log maintenance once it is done, not ahead." in text


def test_a_viewer_sees_a_printer_without_forms_and_cannot_load(viewer_client, mk4, red_spool):
    html = viewer_client.get(reverse("production:printer", args=[mk4.pk])).content.decode()
    assert "MK4" in html and 'name="spool"' not in html and 'name="status"' not in html
    text = _follow_text(
        viewer_client, reverse("production:printer_slot", args=[mk4.pk, 0]), {"spool": red_spool.pk}
    )
    assert "Only operators, managers and owners can run production." in text
    assert mk4.slots.get().spool_id is None
    assert viewer_client.get(reverse("production:printer_new")).content.count(b"<form") <= 2


# --- the schedule ----------------------------------------------------------------------------


def test_the_schedule_shows_each_printers_jobs(alice_client, alice_actor, keychain, mk4, x1c):
    services.print_job_queue(actor=alice_actor, version=keychain)
    services.print_job_queue(actor=alice_actor, version=keychain)
    html = alice_client.get(reverse("production:schedule")).content.decode()
    assert html.count('class="bar') == 2 and "lane-track" in html
    assert "Everything queued is done about" in html


def test_an_empty_schedule_says_so(alice_client, mk4):
    html = alice_client.get(reverse("production:schedule")).content.decode()
    assert "Nothing is printing or queued." in html


def test_the_schedule_without_printers_links_to_adding_one(alice_client):
    html = alice_client.get(reverse("production:schedule")).content.decode()
    assert "No printers yet." in html


# --- outsiders -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, method",
    [
        ("production:job", "get"),
        ("production:job_start", "post"),
        ("production:job_complete", "post"),
        ("production:job_fail", "post"),
        ("production:job_cancel", "post"),
        ("production:job_requeue", "post"),
    ],
)
def test_another_workspaces_job_is_404(charlie_client, queued, name, method):
    response = getattr(charlie_client, method)(reverse(name, args=[queued.pk]))
    assert response.status_code == 404
    queued.refresh_from_db()
    assert queued.status == "queued"


@pytest.mark.parametrize(
    "name, args, method",
    [
        ("production:printer", [], "get"),
        ("production:printer_edit", [], "get"),
        ("production:printer_status", [], "post"),
        ("production:printer_maintenance", [], "post"),
        ("production:printer_slot", [0], "post"),
    ],
)
def test_another_workspaces_printer_is_404(charlie_client, mk4, name, args, method):
    response = getattr(charlie_client, method)(reverse(name, args=[mk4.pk, *args]))
    assert response.status_code == 404


def test_another_workspaces_version_and_spool_are_404(
    charlie_client, charlie_actor, keychain, red_spool
):
    url = reverse("production:job_new") + f"?version={keychain.pk}"
    assert charlie_client.get(url).status_code == 404
    mine = services.printer_create(actor=charlie_actor, name="Ender")
    response = charlie_client.post(
        reverse("production:printer_slot", args=[mine.pk, 0]), {"spool": red_spool.pk}
    )
    assert response.status_code == 404
    assert Spool.objects.get(pk=red_spool.pk).printer_slots.count() == 0


def test_the_queue_shows_another_workspace_nothing(charlie_client, queued):
    html = charlie_client.get(reverse("production:index")).content.decode()
    assert f'id="job-{queued.pk}"' not in html and "The queue is empty." in html
