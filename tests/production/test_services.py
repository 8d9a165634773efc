from decimal import Decimal
from io import BytesIO

import pytest

from printops.accounts.models import AuditEvent
from printops.core.blobs import blob_put
from printops.core.errors import Conflict, InvalidInput, NotAllowed
from printops.library.models import VariantVersion
from printops.materials import services as materials
from printops.materials.models import Spool, SpoolLedgerEntry
from printops.production import services
from printops.production.models import (
    Printer,
    PrinterSlot,
    PrintJob,
    PrintJobSpool,
    VersionLayers,
)
from tests.factories import VariantVersionFactory
from tests.production.conftest import start

pytestmark = pytest.mark.django_db

Status = PrintJob.Status
Reason = SpoolLedgerEntry.Reason


def _queue(actor, version, **kwargs):
    return services.print_job_queue(actor=actor, version=version, **kwargs)


def _order(workspace):
    return list(
        PrintJob.objects.filter(workspace=workspace, status=Status.QUEUED)
        .order_by("position")
        .values_list("pk", flat=True)
    )


def _print_rows(job):
    return list(
        SpoolLedgerEntry.objects.filter(print_job_id=job.pk).values_list("spool_id", "grams")
    )


# --- printers --------------------------------------------------------------------------------


def test_a_printer_is_created_with_its_slots_and_audited(alice_actor):
    printer = services.printer_create(
        actor=alice_actor, name=" X1C ", nozzle_diameter_mm="0.4", slots=4,
        allowed_materials=["pla", "PETG"],
    )  # fmt: skip
    assert (printer.name, printer.nozzle_diameter_mm, printer.allowed_materials) == (
        "X1C",
        Decimal("0.40"),
        ["PLA", "PETG"],
    )
    assert list(printer.slots.values_list("index", flat=True)) == [0, 1, 2, 3]
    assert AuditEvent.objects.filter(verb="printer.created", object_id=str(printer.pk)).exists()


def test_a_second_printer_with_the_same_name_is_refused(alice_actor, mk4):
    with pytest.raises(Conflict, match="already a printer called mk4"):
        services.printer_create(actor=alice_actor, name="mk4")


def test_an_operator_cannot_add_printers(bob_actor):
    with pytest.raises(NotAllowed, match="managers and owners"):
        services.printer_create(actor=bob_actor, name="MINI")


@pytest.mark.parametrize(
    ("field", "value", "sentence"),
    [
        ("nozzle_diameter_mm", "x", "nozzle diameter must be a number"),
        ("nozzle_diameter_mm", "0", "between 0.1 and 2"),
        ("build_x_mm", "0", "build width must be between 1"),
        ("hourly_cost", "-1", "hourly cost must be between 0"),
        ("allowed_materials", ["wood"], "not one of the materials"),
        ("name", "  ", "Give the printer's name"),
    ],
)
def test_impossible_printer_values_are_refused_with_a_sentence(alice_actor, field, value, sentence):
    fields = {"name": "MINI", field: value}
    with pytest.raises(InvalidInput, match=sentence) as caught:
        services.printer_create(actor=alice_actor, **fields)
    assert caught.value.field == field and not Printer.objects.exists()


def test_an_update_changes_only_the_given_fields_and_fewer_slots_unload(
    alice_actor, x1c, red_spool
):
    services.printer_slot_load(actor=alice_actor, printer=x1c, index=3, spool=red_spool)
    services.printer_update(actor=alice_actor, printer=x1c, hourly_cost="1.25", slots=2)
    x1c.refresh_from_db()
    assert (x1c.hourly_cost, x1c.name, x1c.slots.count()) == (Decimal("1.25"), "X1C", 2)
    assert not PrinterSlot.objects.filter(spool=red_spool).exists()


def test_a_printer_goes_into_maintenance_and_back(bob_actor, mk4):
    services.printer_set_status(actor=bob_actor, printer=mk4, status="maintenance")
    assert Printer.objects.get(pk=mk4.pk).status == Printer.Status.MAINTENANCE
    services.printer_set_status(actor=bob_actor, printer=mk4, status="idle")
    assert Printer.objects.get(pk=mk4.pk).status == Printer.Status.IDLE


def test_a_printer_cannot_be_set_to_printing_by_hand(bob_actor, mk4):
    with pytest.raises(InvalidInput, match="printing while a job runs"):
        services.printer_set_status(actor=bob_actor, printer=mk4, status="printing")


def test_a_printing_printer_is_not_taken_offline(alice_actor, mk4, keychain, red_spool):
    job = _queue(alice_actor, keychain)
    start(alice_actor, job, mk4)
    with pytest.raises(Conflict, match=f"MK4 is printing Job #{job.pk}"):
        services.printer_set_status(actor=alice_actor, printer=mk4, status="offline")


def test_loading_a_spool_takes_it_out_of_the_slot_it_was_in(bob_actor, x1c, mk4, red_spool):
    services.printer_slot_load(actor=bob_actor, printer=x1c, index=0, spool=red_spool)
    slot = services.printer_slot_load(actor=bob_actor, printer=mk4, index=0, spool=red_spool)
    assert slot.spool == red_spool
    assert list(PrinterSlot.objects.filter(spool=red_spool).values_list("printer", flat=True)) == [
        mk4.pk
    ]
    services.printer_slot_load(actor=bob_actor, printer=mk4, index=0, spool=None)
    assert not PrinterSlot.objects.filter(spool__isnull=False).exists()


def test_a_slot_the_printer_does_not_have_is_refused(bob_actor, mk4, red_spool):
    with pytest.raises(InvalidInput, match="MK4 has 1 slot, numbered 0 to 0"):
        services.printer_slot_load(actor=bob_actor, printer=mk4, index=2, spool=red_spool)


def test_an_archived_spool_is_not_loaded(alice_actor, mk4, red_spool):
    materials.spool_archive(actor=alice_actor, spool=red_spool)
    with pytest.raises(Conflict, match="archived"):
        services.printer_slot_load(actor=alice_actor, printer=mk4, index=0, spool=red_spool)


def test_maintenance_is_logged_with_who_and_not_ahead(bob_actor, mk4):
    entry = services.printer_maintenance_add(actor=bob_actor, printer=mk4, note="New nozzle")
    assert (entry.note, entry.actor) == ("New nozzle", bob_actor.user)
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(InvalidInput, match="once it is done"):
        services.printer_maintenance_add(actor=bob_actor, printer=mk4, note="x", on=tomorrow)


def test_a_viewer_cannot_log_maintenance(viewer_actor, mk4):
    with pytest.raises(NotAllowed):
        services.printer_maintenance_add(actor=viewer_actor, printer=mk4, note="Oiled rods")


# --- queueing --------------------------------------------------------------------------------


def test_a_queued_job_goes_to_the_end_of_the_queue(bob_actor, keychain, workspace):
    first = _queue(bob_actor, keychain)
    second = _queue(bob_actor, keychain, copies=3)
    assert (second.copies, second.status, second.printer) == (3, Status.QUEUED, None)
    assert _order(workspace) == [first.pk, second.pk]
    assert AuditEvent.objects.filter(verb="print_job.queued").count() == 2


def test_a_higher_priority_job_goes_ahead_of_lower_ones_only(bob_actor, keychain, workspace):
    normal = _queue(bob_actor, keychain)
    low = _queue(bob_actor, keychain, priority=-1)
    urgent = _queue(bob_actor, keychain, priority=5)
    also_normal = _queue(bob_actor, keychain)
    assert _order(workspace) == [urgent.pk, normal.pk, also_normal.pk, low.pk]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"copies": 0}, "copies"), ({"copies": "x"}, "copies"), ({"priority": 99}, "priority")],
)
def test_impossible_copies_or_priority_are_refused(bob_actor, keychain, kwargs, field):
    with pytest.raises(InvalidInput) as caught:
        _queue(bob_actor, keychain, **kwargs)
    assert caught.value.field == field and not PrintJob.objects.exists()


def test_an_unreadable_version_is_not_queued(bob_actor, make_version, pla_red):
    version = make_version(
        (pla_red, 5.0), status=VariantVersion.Status.UNREADABLE, unreadable_reason="Truncated."
    )
    with pytest.raises(InvalidInput, match=r"could not be read \(Truncated.\)"):
        _queue(bob_actor, version)


def test_a_version_without_filament_grams_is_not_queued(bob_actor, make_version, pla_red):
    version = make_version((pla_red, None))
    with pytest.raises(InvalidInput, match="states neither the grams nor the length"):
        _queue(bob_actor, version)


def test_a_printer_with_another_nozzle_is_refused(bob_actor, alice_actor, make_version, pla_red):
    printer = services.printer_create(actor=alice_actor, name="Voron", nozzle_diameter_mm="0.6")
    version = make_version((pla_red, 5.0), nozzle_diameter_mm=0.4000000059604645)
    with pytest.raises(InvalidInput, match=r"Voron has a 0\.6 mm nozzle; the file was sliced for"):
        _queue(bob_actor, version, printer=printer)


def test_a_model_larger_than_the_build_volume_is_refused(bob_actor, mk4, make_version, pla_red):
    too_tall = make_version((pla_red, 5.0), metadata={"geometry": {"size_mm": [100, 100, 230]}})
    turned = make_version((pla_red, 5.0), metadata={"geometry": {"size_mm": [200, 240, 100]}})
    with pytest.raises(InvalidInput, match=r"\(100 × 100 × 230 mm\) does not fit MK4"):
        _queue(bob_actor, too_tall, printer=mk4)
    assert _queue(bob_actor, turned, printer=mk4).printer == mk4  # a quarter turn fits


def test_a_material_the_printer_is_not_set_up_for_is_refused(
    bob_actor, alice_actor, make_version, petg_blue
):
    printer = services.printer_create(actor=alice_actor, name="MINI", allowed_materials=["PLA"])
    with pytest.raises(InvalidInput, match=r"MINI is not set up for PETG \(it prints PLA\)"):
        _queue(bob_actor, make_version((petg_blue, 5.0)), printer=printer)


def test_another_workspaces_version_is_refused(charlie_actor, keychain):
    with pytest.raises(InvalidInput, match="this workspace's versions"):
        _queue(charlie_actor, keychain)


def test_a_viewer_cannot_queue(viewer_actor, keychain):
    with pytest.raises(NotAllowed, match="run production"):
        _queue(viewer_actor, keychain)


# --- starting --------------------------------------------------------------------------------


def test_a_started_job_plans_grams_times_copies_from_the_loaded_spool(
    bob_actor, mk4, keychain, red_spool, alice_actor, pla_red
):
    other = materials.spool_create(actor=alice_actor, filament=pla_red, remaining_grams=100)
    services.printer_slot_load(actor=bob_actor, printer=mk4, index=0, spool=red_spool)
    job = start(bob_actor, _queue(bob_actor, keychain, copies=3), mk4)
    job.refresh_from_db()
    assert (job.status, job.printer, job.started_at is not None) == (Status.PRINTING, mk4, True)
    assert Printer.objects.get(pk=mk4.pk).status == Printer.Status.PRINTING
    (row,) = PrintJobSpool.objects.filter(job=job)
    assert (row.slot, row.spool, row.grams) == (0, red_spool, Decimal("60.00"))
    assert other.pk != row.spool_id  # the loaded spool wins over an emptier one on the shelf


def test_the_loaded_spool_in_the_files_slot_wins(
    bob_actor, alice_actor, x1c, make_version, pla_red
):
    spools = [materials.spool_create(actor=alice_actor, filament=pla_red) for _ in range(2)]
    services.printer_slot_load(actor=bob_actor, printer=x1c, index=0, spool=spools[0])
    services.printer_slot_load(actor=bob_actor, printer=x1c, index=2, spool=spools[1])
    version = make_version((pla_red, 5.0), (pla_red, 6.0), (pla_red, 7.0))
    job = start(bob_actor, _queue(bob_actor, version), x1c)
    assigned = dict(PrintJobSpool.objects.filter(job=job).values_list("slot", "spool"))
    assert assigned == {0: spools[0].pk, 1: spools[0].pk, 2: spools[1].pk}


def test_without_a_loaded_spool_the_emptiest_that_holds_enough_is_used(
    bob_actor, alice_actor, mk4, keychain, pla_red
):
    full = materials.spool_create(actor=alice_actor, filament=pla_red)
    materials.spool_create(actor=alice_actor, filament=pla_red, remaining_grams=15)
    enough = materials.spool_create(actor=alice_actor, filament=pla_red, remaining_grams=25)
    job = start(bob_actor, _queue(bob_actor, keychain), mk4)
    assert PrintJobSpool.objects.get(job=job).spool_id == enough.pk != full.pk


def test_a_chosen_spool_is_used_for_its_slot(bob_actor, alice_actor, mk4, keychain, pla_red):
    materials.spool_create(actor=alice_actor, filament=pla_red, remaining_grams=30)
    chosen = materials.spool_create(actor=alice_actor, filament=pla_red)
    job = start(bob_actor, _queue(bob_actor, keychain), mk4, spools={0: chosen})
    assert PrintJobSpool.objects.get(job=job).spool == chosen


def test_an_unmatched_slot_is_refused_unless_a_spool_is_chosen(
    bob_actor, mk4, make_version, red_spool
):
    version = make_version((None, 8.0))
    job = _queue(bob_actor, version)
    with pytest.raises(Conflict, match=r"filament 1 \(PLA #00FF00\) is not matched"):
        start(bob_actor, job, mk4)
    assert PrintJob.objects.get(pk=job.pk).status == Status.QUEUED
    start(bob_actor, job, mk4, spools={0: red_spool})
    assert PrintJobSpool.objects.get(job=job).spool == red_spool


def test_a_slot_without_a_spool_of_its_filament_is_refused(bob_actor, mk4, keychain):
    job = _queue(bob_actor, keychain)
    with pytest.raises(Conflict, match=r"No spool of Bambu Lab PLA Red holds the 20\.00 g"):
        start(bob_actor, job, mk4)
    assert not PrintJobSpool.objects.exists()
    assert Printer.objects.get(pk=mk4.pk).status == Printer.Status.IDLE


def test_a_loaded_spool_with_too_little_is_refused_with_its_name(
    bob_actor, alice_actor, mk4, keychain, pla_red
):
    low = materials.spool_create(actor=alice_actor, filament=pla_red, remaining_grams=12)
    services.printer_slot_load(actor=bob_actor, printer=mk4, index=0, spool=low)
    with pytest.raises(Conflict, match=f"{low} in MK4 slot 1 holds 12.00 g.*weigh it in"):
        start(bob_actor, _queue(bob_actor, keychain), mk4)


def test_a_job_needs_a_printer_to_start(bob_actor, keychain, red_spool):
    with pytest.raises(InvalidInput, match="Choose the printer"):
        services.print_job_start(actor=bob_actor, job=_queue(bob_actor, keychain))


def test_a_busy_printer_is_refused(bob_actor, mk4, keychain, alice_actor, pla_red):
    materials.spool_create(actor=alice_actor, filament=pla_red)
    start(bob_actor, _queue(bob_actor, keychain), mk4)
    second = _queue(bob_actor, keychain)
    with pytest.raises(Conflict, match="MK4 is printing Job #"):
        start(bob_actor, second, mk4)


def test_a_printer_in_maintenance_is_refused(bob_actor, mk4, keychain, red_spool):
    services.printer_set_status(actor=bob_actor, printer=mk4, status="maintenance")
    with pytest.raises(Conflict, match="MK4 is in maintenance"):
        start(bob_actor, _queue(bob_actor, keychain), mk4)


def test_a_job_starts_once(bob_actor, mk4, x1c, keychain, alice_actor, pla_red):
    materials.spool_create(actor=alice_actor, filament=pla_red)
    job = _queue(bob_actor, keychain)
    start(bob_actor, job, mk4)
    with pytest.raises(Conflict, match="already printing on MK4"):
        start(bob_actor, PrintJob.objects.get(pk=job.pk), x1c)
    assert PrintJobSpool.objects.count() == 1


# --- completing ------------------------------------------------------------------------------


def test_completing_takes_grams_times_copies_once_linked_to_the_job(
    bob_actor, mk4, keychain, red_spool
):
    job = start(bob_actor, _queue(bob_actor, keychain, copies=3), mk4)
    services.print_job_complete(actor=bob_actor, job=job)
    job.refresh_from_db()
    assert (job.status, job.completion_percent) == (Status.COMPLETED, Decimal("100"))
    entry = SpoolLedgerEntry.objects.get(print_job_id=job.pk)
    assert (entry.spool_id, entry.grams, entry.reason) == (
        red_spool.pk,
        Decimal("-60"),
        Reason.PRINT,
    )
    assert Spool.objects.get(pk=red_spool.pk).remaining_grams == Decimal("940")
    assert Printer.objects.get(pk=mk4.pk).status == Printer.Status.IDLE


def test_completing_twice_is_refused_and_takes_nothing_more(bob_actor, mk4, keychain, red_spool):
    job = start(bob_actor, _queue(bob_actor, keychain), mk4)
    services.print_job_complete(actor=bob_actor, job=job)
    with pytest.raises(Conflict, match="This job was already completed"):
        services.print_job_complete(actor=bob_actor, job=job)
    assert len(_print_rows(job)) == 1
    assert Spool.objects.get(pk=red_spool.pk).remaining_grams == Decimal("980")


def test_a_queued_job_cannot_be_completed(bob_actor, keychain):
    job = _queue(bob_actor, keychain)
    with pytest.raises(Conflict, match="has not started yet"):
        services.print_job_complete(actor=bob_actor, job=job)


def test_a_multi_filament_job_takes_each_slot_from_its_spool(
    bob_actor, x1c, make_version, pla_red, petg_blue, red_spool, blue_spool
):
    version = make_version((pla_red, 12.5), (petg_blue, 4.25))
    job = start(bob_actor, _queue(bob_actor, version, copies=2), x1c)
    services.print_job_complete(actor=bob_actor, job=job)
    assert sorted(_print_rows(job)) == sorted(
        [(red_spool.pk, Decimal("-25.00")), (blue_spool.pk, Decimal("-8.50"))]
    )


def test_a_spool_the_ledger_says_is_too_empty_refuses_completion_by_name(
    bob_actor, alice_actor, mk4, keychain, red_spool
):
    job = start(bob_actor, _queue(bob_actor, keychain), mk4)
    materials.spool_consume(actor=alice_actor, spool=red_spool, grams=990)  # used elsewhere
    with pytest.raises(Conflict, match=f"{red_spool} .*holds 10.00 g.*weigh the spool in"):
        services.print_job_complete(actor=bob_actor, job=job)
    assert PrintJob.objects.get(pk=job.pk).status == Status.PRINTING
    assert _print_rows(job) == []


def test_switching_the_spool_lets_the_job_complete(
    bob_actor, alice_actor, mk4, keychain, red_spool, pla_red
):
    job = start(bob_actor, _queue(bob_actor, keychain), mk4)
    materials.spool_consume(actor=alice_actor, spool=red_spool, grams=990)
    fresh = materials.spool_create(actor=alice_actor, filament=pla_red)
    services.print_job_spool_switch(actor=bob_actor, job=job, slot=0, spool=fresh)
    services.print_job_complete(actor=bob_actor, job=job)
    assert _print_rows(job) == [(fresh.pk, Decimal("-20.00"))]


# --- failing ---------------------------------------------------------------------------------


def test_failing_at_40_percent_takes_40_percent(bob_actor, mk4, keychain, red_spool):
    job = start(bob_actor, _queue(bob_actor, keychain, copies=2), mk4)
    services.print_job_fail(
        actor=bob_actor, job=job, reason="spaghetti", note="Came loose", completion_percent=40
    )
    job.refresh_from_db()
    assert (job.status, job.fail_reason, job.completion_percent) == (
        Status.FAILED,
        "spaghetti",
        Decimal("40"),
    )
    entry = SpoolLedgerEntry.objects.get(print_job_id=job.pk)
    assert (entry.grams, entry.reason) == (Decimal("-16.00"), Reason.FAILED_PRINT)
    assert Printer.objects.get(pk=mk4.pk).status == Printer.Status.IDLE


def test_failing_at_0_percent_takes_nothing(bob_actor, mk4, keychain, red_spool):
    job = start(bob_actor, _queue(bob_actor, keychain), mk4)
    services.print_job_fail(actor=bob_actor, job=job, reason="adhesion", completion_percent=0)
    assert _print_rows(job) == [] and PrintJob.objects.get(pk=job.pk).status == Status.FAILED


def test_failing_twice_is_refused_and_takes_nothing_more(bob_actor, mk4, keychain, red_spool):
    job = start(bob_actor, _queue(bob_actor, keychain), mk4)
    services.print_job_fail(actor=bob_actor, job=job, reason="clog", completion_percent=50)
    with pytest.raises(Conflict, match="already recorded as failed"):
        services.print_job_fail(actor=bob_actor, job=job, reason="clog", completion_percent=50)
    with pytest.raises(Conflict, match="already recorded as failed"):
        services.print_job_complete(actor=bob_actor, job=job)
    assert len(_print_rows(job)) == 1


@pytest.mark.parametrize(
    ("kwargs", "sentence"),
    [
        ({"reason": "gremlins", "completion_percent": 5}, "Choose why it failed"),
        ({"reason": "other", "completion_percent": 5}, "Say what happened in a note"),
        ({"reason": "clog"}, "Say how far it got"),
        ({"reason": "clog", "completion_percent": 5, "layer": 3}, "Say how far it got"),
        ({"reason": "clog", "completion_percent": 101}, "between 0 and 100"),
    ],
)
def test_a_failure_needs_a_known_reason_and_how_far_it_got(
    bob_actor, mk4, keychain, red_spool, kwargs, sentence
):
    job = start(bob_actor, _queue(bob_actor, keychain), mk4)
    with pytest.raises(InvalidInput, match=sentence):
        services.print_job_fail(actor=bob_actor, job=job, **kwargs)
    assert PrintJob.objects.get(pk=job.pk).status == Status.PRINTING


LAYERED_GCODE = (
    "; generated by PrusaSlicer 2.8.1\nM83\n"
    ";LAYER_CHANGE\nG1 Z0.2\nT0\nG1 X1 E100\nT1\nG1 X1 E50\n"
    ";LAYER_CHANGE\nG1 Z0.4\nT0\nG1 X2 E100\n"
    ";LAYER_CHANGE\nG1 Z0.6\nT0\nG1 X3 E200\nT1\nG1 X2 E50\n"
    "; filament_type = PLA;PETG\n; filament_diameter = 1.75,1.75\n"
    "; filament_density = 1.24,1.24\n"
)


@pytest.fixture
def layered(workspace, make_version, pla_red, petg_blue):
    """A real two-filament G-code: slot 0 uses 100, 100, 200 mm per layer; slot 1 50, 0, 50."""
    version = make_version((pla_red, 40.0), (petg_blue, 10.0))
    version.blob = blob_put(content=BytesIO(LAYERED_GCODE.encode()))
    version.save()
    return version


def test_per_layer_grams_are_read_from_the_versions_gcode(layered):
    layers = services.version_layers_read(version=layered)
    assert layers.layer_count == 3 and not layers.error
    assert layers.grams_by_layer[0] == [0, 0]
    assert layers.grams_by_layer[2][0] == pytest.approx(layers.total_grams[0] / 2, abs=0.01)


def test_failing_at_a_layer_takes_what_was_printed_up_to_it(
    bob_actor, x1c, layered, red_spool, blue_spool
):
    services.version_layers_read(version=layered)
    job = start(bob_actor, _queue(bob_actor, layered), x1c)
    services.print_job_fail(actor=bob_actor, job=job, reason="layer_shift", layer=2)
    rows = dict(_print_rows(job))
    # By the end of layer 2: slot 0 200 of 400 mm (half of 40 g), slot 1 50 of 100 mm (5 g).
    assert rows == {red_spool.pk: Decimal("-20.00"), blue_spool.pk: Decimal("-5.00")}
    job.refresh_from_db()
    assert (job.layer_reached, job.completion_percent) == (2, Decimal("50.00"))


def test_a_layer_is_refused_when_the_files_layers_are_not_known(
    bob_actor, mk4, keychain, red_spool
):
    job = start(bob_actor, _queue(bob_actor, keychain), mk4)
    with pytest.raises(InvalidInput, match=r"not known for this file.*percentage instead"):
        services.print_job_fail(actor=bob_actor, job=job, reason="clog", layer=3)


def test_a_layer_beyond_the_last_is_refused(bob_actor, x1c, layered, red_spool, blue_spool):
    services.version_layers_read(version=layered)
    job = start(bob_actor, _queue(bob_actor, layered), x1c)
    with pytest.raises(InvalidInput, match="The file has 3 layers"):
        services.print_job_fail(actor=bob_actor, job=job, reason="clog", layer=4)


def test_an_unreadable_file_keeps_its_layer_error(workspace):
    version = VariantVersionFactory(variant__design__workspace=workspace)  # no stored bytes
    layers = services.version_layers_read(version=version)
    assert layers.error and layers.grams_by_layer == []
    assert VersionLayers.objects.filter(version=version).count() == 1


# --- cancelling and requeueing ---------------------------------------------------------------


def test_cancelling_a_queued_job_takes_nothing(bob_actor, keychain, red_spool, workspace):
    job = _queue(bob_actor, keychain)
    services.print_job_cancel(actor=bob_actor, job=job)
    assert PrintJob.objects.get(pk=job.pk).status == Status.CANCELLED
    assert _print_rows(job) == [] and _order(workspace) == []
    assert Spool.objects.get(pk=red_spool.pk).remaining_grams == Decimal("1000")


def test_a_printing_job_is_failed_not_cancelled(bob_actor, mk4, keychain, red_spool):
    job = start(bob_actor, _queue(bob_actor, keychain), mk4)
    with pytest.raises(Conflict, match="record it as failed"):
        services.print_job_cancel(actor=bob_actor, job=job)


def test_a_failed_job_is_requeued_in_the_place_it_held(
    bob_actor, mk4, keychain, red_spool, workspace
):
    first = _queue(bob_actor, keychain, copies=2, priority=1)
    behind = [_queue(bob_actor, keychain) for _ in range(2)]
    start(bob_actor, first, mk4)
    services.print_job_fail(actor=bob_actor, job=first, reason="warping", completion_percent=10)
    again = services.print_job_requeue(actor=bob_actor, job=first)
    assert (again.requeued_from, again.copies, again.priority, again.status) == (
        first,
        2,
        1,
        Status.QUEUED,
    )
    assert _order(workspace) == [again.pk, *[j.pk for j in behind]]


def test_a_failed_job_is_requeued_once(bob_actor, mk4, keychain, red_spool):
    job = start(bob_actor, _queue(bob_actor, keychain), mk4)
    services.print_job_fail(actor=bob_actor, job=job, reason="clog", completion_percent=10)
    again = services.print_job_requeue(actor=bob_actor, job=job)
    with pytest.raises(Conflict, match=f"already requeued as {again}"):
        services.print_job_requeue(actor=bob_actor, job=job)


def test_only_a_failed_job_is_requeued(bob_actor, keychain):
    with pytest.raises(Conflict, match="Only a failed job can be requeued"):
        services.print_job_requeue(actor=bob_actor, job=_queue(bob_actor, keychain))


# --- queue order -----------------------------------------------------------------------------


@pytest.fixture
def five(bob_actor, keychain):
    return [_queue(bob_actor, keychain).pk for _ in range(5)]


def test_a_job_moves_to_a_place_in_the_queue(bob_actor, five, workspace):
    a, b, c, d, e = five
    services.print_job_move(actor=bob_actor, job=PrintJob.objects.get(pk=d), position=1)
    assert _order(workspace) == [d, a, b, c, e]
    services.print_job_move(actor=bob_actor, job=PrintJob.objects.get(pk=d), position=99)
    assert _order(workspace) == [a, b, c, e, d]
    positions = list(
        PrintJob.objects.filter(status=Status.QUEUED)
        .order_by("position")
        .values_list("position", flat=True)
    )
    assert positions == [1, 2, 3, 4, 5]


def test_a_job_moves_up_and_down_by_one(bob_actor, five, workspace):
    a, b, c, d, e = five
    services.print_job_move_up(actor=bob_actor, job=PrintJob.objects.get(pk=c))
    assert _order(workspace) == [a, c, b, d, e]
    services.print_job_move_down(actor=bob_actor, job=PrintJob.objects.get(pk=a))
    assert _order(workspace) == [c, a, b, d, e]
    services.print_job_move_up(actor=bob_actor, job=PrintJob.objects.get(pk=c))
    assert _order(workspace) == [c, a, b, d, e]


def test_reordering_some_jobs_keeps_the_others_in_place(bob_actor, five, workspace):
    a, b, c, d, e = five
    assert services.queue_reorder(actor=bob_actor, job_ids=[d, b]) == [a, d, c, b, e]
    assert _order(workspace) == [a, d, c, b, e]
    services.queue_reorder(actor=bob_actor, job_ids=[e, d, c, b, a])
    assert _order(workspace) == [e, d, c, b, a]


def test_reordering_a_job_that_left_the_queue_is_refused(bob_actor, five):
    services.print_job_cancel(actor=bob_actor, job=PrintJob.objects.get(pk=five[2]))
    with pytest.raises(Conflict, match=f"Job #{five[2]} is no longer in the queue"):
        services.queue_reorder(actor=bob_actor, job_ids=[five[2], five[0]])
    with pytest.raises(InvalidInput, match="once"):
        services.queue_reorder(actor=bob_actor, job_ids=[five[0], five[0]])


def test_a_finished_job_is_not_moved(bob_actor, five):
    job = PrintJob.objects.get(pk=five[0])
    services.print_job_cancel(actor=bob_actor, job=job)
    with pytest.raises(Conflict, match="was cancelled"):
        services.print_job_move(actor=bob_actor, job=job, position=2)


def test_a_batch_is_gathered_from_its_first_jobs_place(bob_actor, five, workspace):
    a, b, c, d, e = five
    services.queue_gather(actor=bob_actor, job_ids=[e, b, d])
    assert _order(workspace) == [a, b, d, e, c]


def test_gathering_needs_two_queued_jobs(bob_actor, five):
    with pytest.raises(InvalidInput, match="at least two"):
        services.queue_gather(actor=bob_actor, job_ids=[five[0]])
