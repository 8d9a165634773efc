"""A job needs a filament slot per filament of its file, and a spool feeds one printer at a
time (issue 10, defect 11)."""

import pytest
from django.urls import reverse

from printops.core.errors import Conflict, InvalidInput
from printops.materials import services as materials
from printops.production import services
from printops.production.models import Printer, PrintJob, PrintJobSpool
from printops.production.schedule import queue_schedule
from tests.production.conftest import start

pytestmark = pytest.mark.django_db

Status = PrintJob.Status


def _queue(actor, version, **kwargs):
    return services.print_job_queue(actor=actor, version=version, **kwargs)


@pytest.fixture
def four_colours(make_version, pla_red, petg_blue):
    return make_version((pla_red, 5.0), (petg_blue, 2.0), (pla_red, 1.0), (petg_blue, 1.0))


@pytest.fixture
def grey(alice_actor, vendor):
    return materials.filament_create(
        actor=alice_actor, vendor=vendor, material="PLA", colour_name="Grey", color_hex="#8E8E8E"
    )


@pytest.fixture
def grey_part(make_version, grey):
    return make_version((grey, 5.28))


# --- slots -----------------------------------------------------------------------------------


def test_a_four_colour_job_is_not_queued_for_a_one_slot_printer(bob_actor, mk4, four_colours):
    with pytest.raises(InvalidInput, match="MK4 has 1 filament slot; the file uses 4 filaments"):
        _queue(bob_actor, four_colours, printer=mk4)


def test_a_four_colour_job_does_not_start_on_a_one_slot_printer(
    bob_actor, alice_actor, mk4, four_colours, red_spool, blue_spool
):
    job = _queue(bob_actor, four_colours)
    with pytest.raises(InvalidInput, match="MK4 has 1 filament slot"):
        start(bob_actor, job, mk4)
    assert PrintJob.objects.get(pk=job.pk).status == Status.QUEUED
    assert Printer.objects.get(pk=mk4.pk).status == Printer.Status.IDLE


def test_a_four_colour_job_starts_on_a_four_slot_printer(
    bob_actor, x1c, four_colours, red_spool, blue_spool
):
    job = start(bob_actor, _queue(bob_actor, four_colours), x1c)
    assert PrintJobSpool.objects.filter(job=job).count() == 4


def test_the_schedule_keeps_a_four_colour_job_off_one_slot_printers(
    bob_actor, workspace, mk4, x1c, four_colours
):
    job = _queue(bob_actor, four_colours)
    assert queue_schedule(workspace=workspace).by_job[job.pk].printer_id == x1c.pk


def test_without_a_printer_with_enough_slots_the_job_says_no_printer_can_take_it(
    bob_actor, workspace, mk4, four_colours
):
    job = _queue(bob_actor, four_colours)
    entry = queue_schedule(workspace=workspace).by_job[job.pk]
    assert entry.start is None and entry.problem == "No available printer can print it."


def test_the_queue_offers_no_start_on_a_printer_with_too_few_slots(
    alice_client, alice_actor, mk4, four_colours, red_spool, blue_spool
):
    job = _queue(alice_actor, four_colours)
    html = alice_client.get(reverse("production:job", args=[job.pk])).content.decode()
    assert "No printer can print this job." in html
    assert "MK4 has 1 filament slot; the file uses 4 filaments." in html


# --- one spool, one printer ------------------------------------------------------------------


def test_a_spool_loaded_in_another_printer_is_named_when_none_is_at_hand(
    bob_actor, alice_actor, mk4, x1c, grey, grey_part
):
    spool = materials.spool_create(actor=alice_actor, filament=grey, remaining_grams=989)
    services.printer_slot_load(actor=bob_actor, printer=x1c, index=2, spool=spool)
    job = _queue(bob_actor, grey_part)
    with pytest.raises(Conflict) as refused:
        start(bob_actor, job, mk4)
    assert refused.value.message == (
        f"No spool of Bambu Lab PLA Grey at hand holds the 5.28 g the file's filament 1 (PLA "
        f"#8E8E8E) needs: {spool} (989.00 g) is loaded in X1C slot 3. Load it into MK4 when "
        f"it is free there, or add a spool."
    )
    assert not PrintJobSpool.objects.exists()


def test_a_chosen_spool_loaded_in_another_printer_is_refused(
    bob_actor, alice_actor, mk4, x1c, keychain, red_spool
):
    services.printer_slot_load(actor=bob_actor, printer=x1c, index=0, spool=red_spool)
    job = _queue(bob_actor, keychain)
    with pytest.raises(Conflict, match=f"{red_spool} is loaded in X1C slot 1: a spool feeds"):
        start(bob_actor, job, mk4, spools={0: red_spool})
    assert PrintJob.objects.get(pk=job.pk).status == Status.QUEUED
    assert Printer.objects.get(pk=mk4.pk).status == Printer.Status.IDLE


def test_a_shelf_spool_printing_on_another_printer_is_not_taken_again(
    bob_actor, mk4, x1c, keychain, red_spool
):
    first = start(bob_actor, _queue(bob_actor, keychain), x1c)
    second = _queue(bob_actor, keychain)
    with pytest.raises(Conflict, match=f"{red_spool} .* is printing {first} on X1C"):
        start(bob_actor, second, mk4)
    with pytest.raises(Conflict, match=f"{red_spool} is printing {first} on X1C"):
        start(bob_actor, second, mk4, spools={0: red_spool})
    assert list(PrintJobSpool.objects.values_list("job_id", flat=True)) == [first.pk]


def test_a_spool_printing_on_another_printer_is_not_loaded_elsewhere(
    bob_actor, mk4, x1c, keychain, red_spool
):
    services.printer_slot_load(actor=bob_actor, printer=x1c, index=0, spool=red_spool)
    job = start(bob_actor, _queue(bob_actor, keychain), x1c)
    with pytest.raises(Conflict, match=f"{red_spool} is printing {job} on X1C: complete or"):
        services.printer_slot_load(actor=bob_actor, printer=mk4, index=0, spool=red_spool)
    assert red_spool.printer_slots.get().printer == x1c


def test_a_printing_job_is_not_switched_to_a_spool_of_another_printer(
    bob_actor, alice_actor, mk4, x1c, keychain, red_spool, pla_red
):
    other = materials.spool_create(actor=alice_actor, filament=pla_red)
    services.printer_slot_load(actor=bob_actor, printer=x1c, index=0, spool=other)
    job = start(bob_actor, _queue(bob_actor, keychain), mk4, spools={0: red_spool})
    with pytest.raises(Conflict, match=f"{other} is loaded in X1C slot 1"):
        services.print_job_spool_switch(actor=bob_actor, job=job, slot=0, spool=other)
    assert PrintJobSpool.objects.get(job=job).spool == red_spool


def test_the_start_form_offers_no_spool_that_feeds_another_printer(
    alice_client, alice_actor, mk4, x1c, keychain, pla_red
):
    in_x1c, printing, shelf = (
        materials.spool_create(actor=alice_actor, filament=pla_red) for _ in range(3)
    )
    services.printer_slot_load(actor=alice_actor, printer=x1c, index=0, spool=in_x1c)
    mini = services.printer_create(actor=alice_actor, name="MINI")
    start(alice_actor, _queue(alice_actor, keychain), mini, spools={0: printing})
    job = _queue(alice_actor, keychain, printer=mk4)
    html = alice_client.get(reverse("production:job", args=[job.pk])).content.decode()
    picker = html[html.index('name="spool_0"') :]
    picker = picker[: picker.index("</select>")]
    assert f'value="{shelf.pk}"' in picker
    assert f'value="{in_x1c.pk}"' not in picker
    assert f'value="{printing.pk}"' not in picker
