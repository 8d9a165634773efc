from decimal import Decimal

import pytest

from printops.accounts.models import AuditEvent
from printops.core.errors import Conflict, InvalidInput, NeedsConfirmation, NotAllowed
from printops.materials import services
from printops.materials.models import Filament, Spool, SpoolLedgerEntry, Vendor

pytestmark = pytest.mark.django_db

Reason = SpoolLedgerEntry.Reason


def _nothing_written(before_audit):
    return AuditEvent.objects.count() == before_audit


def test_a_vendor_is_created_and_audited(alice_actor):
    vendor = services.vendor_create(actor=alice_actor, name="  Bambu   Lab ", empty_spool_grams=250)
    assert (vendor.name, vendor.empty_spool_grams) == ("Bambu Lab", Decimal("250.00"))
    assert AuditEvent.objects.filter(verb="vendor.created", object_id=str(vendor.pk)).exists()


def test_a_second_vendor_with_the_same_name_is_refused(alice_actor, prusament):
    with pytest.raises(Conflict, match="already a vendor called Prusament"):
        services.vendor_create(actor=alice_actor, name="Prusament")


def test_an_operator_cannot_edit_the_catalogue(bob_actor, prusament):
    with pytest.raises(NotAllowed, match="managers and owners"):
        services.vendor_update(actor=bob_actor, vendor=prusament, name="Other")


def test_a_filament_hex_is_stored_upper_case_with_its_hash(alice_actor, prusament):
    filament = services.filament_create(
        actor=alice_actor, vendor=prusament, color_hex="ff8800", multi_color_hexes=["#00ff00"]
    )
    assert (filament.color_hex, filament.multi_color_hexes) == ("#FF8800", ["#00FF00"])


@pytest.mark.parametrize("bad", ["#FF88", "red", "#GG0000", "", "#FF880000"])
def test_an_invalid_hex_is_refused_and_nothing_is_written(alice_actor, prusament, bad):
    audits = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match="#RRGGBB") as caught:
        services.filament_create(actor=alice_actor, vendor=prusament, color_hex=bad)
    assert caught.value.field == "color_hex"
    assert not Filament.objects.exists() and _nothing_written(audits)


def test_a_threshold_above_one_spool_keeps_spools_in_reserve(alice_actor, prusament):
    filament = services.filament_create(
        actor=alice_actor,
        vendor=prusament,
        color_hex="#000000",
        net_spool_grams=750,
        low_stock_grams=1500,
    )
    assert filament.low_stock_grams == Decimal("1500")


@pytest.mark.parametrize(
    ("field", "value", "sentence"),
    [
        ("density_g_cm3", 0, "density must be from 0.001 to 20"),
        # Below the column's step it would be stored as 0 (a CSV import's 500, before).
        ("density_g_cm3", "0.0004", "density must be from 0.001 to 20"),
        ("diameter_mm", -1.75, "diameter must be from 0.01 to 5"),
        ("diameter_mm", "0.004", "diameter must be from 0.01 to 5"),
        ("net_spool_grams", -5, "net spool weight must be more than zero"),
        ("price_per_kg", -3, "price per kg cannot be negative"),
        ("material", "WOOD", "not a material here"),
        ("purchase_url", "not a link", "not a web address"),
        ("nozzle_temp_c", 900, "nozzle temperature must be between"),
    ],
)
def test_impossible_filament_values_are_refused(alice_actor, prusament, field, value, sentence):
    with pytest.raises(InvalidInput, match=sentence) as caught:
        services.filament_create(
            actor=alice_actor, vendor=prusament, color_hex="#000000", **{field: value}
        )
    assert caught.value.field == field and not Filament.objects.exists()


def test_another_workspaces_vendor_cannot_be_used(alice_actor, charlie_spool):
    with pytest.raises(InvalidInput, match="this workspace's vendors"):
        services.filament_create(
            actor=alice_actor, vendor=charlie_spool.filament.vendor, color_hex="#000000"
        )


def test_a_new_spool_is_full_with_one_new_spool_row_and_a_label_code(spool):
    assert spool.remaining_grams == spool.initial_grams == Decimal("1000.00")
    (row,) = spool.ledger.all()
    assert (row.reason, row.grams) == (Reason.NEW_SPOOL, Decimal("1000.00"))
    assert len(spool.label_code) == 6 and spool.label_code.isalnum()


def test_a_part_used_spool_starts_at_what_is_left(alice_actor, galaxy_black):
    spool = services.spool_create(
        actor=alice_actor, filament=galaxy_black, initial_grams=1000, remaining_grams=420
    )
    assert spool.remaining_grams == Decimal("420") and spool.ledger.get().grams == Decimal("420")


def test_a_spool_cannot_hold_more_than_it_started_with(alice_actor, galaxy_black):
    with pytest.raises(InvalidInput, match="cannot be more than the initial weight"):
        services.spool_create(
            actor=alice_actor, filament=galaxy_black, initial_grams=500, remaining_grams=600
        )
    assert not Spool.objects.exists() and not SpoolLedgerEntry.objects.exists()


def test_an_operator_adds_spools_and_records_use(bob_actor, galaxy_black):
    spool = services.spool_create(actor=bob_actor, filament=galaxy_black)
    services.spool_consume(actor=bob_actor, spool=spool, grams="12.345", note="Dragon")
    spool.refresh_from_db()
    assert spool.remaining_grams == Decimal("987.65")
    row = spool.ledger.first()
    assert (row.grams, row.reason, row.note, row.actor) == (
        Decimal("-12.35"),
        Reason.PRINT,
        "Dragon",
        bob_actor.user,
    )


def test_remaining_grams_is_always_the_sum_of_the_ledger(alice_actor, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=100)
    services.spool_consume(actor=alice_actor, spool=spool, grams=50, reason=Reason.FAILED_PRINT)
    services.spool_weigh_in(actor=alice_actor, spool=spool, gross_grams=1001)
    Spool.objects.filter(pk=spool.pk).update(remaining_grams=1)  # a corrupted cache
    assert services.spool_ledger_rebuild(spool=spool) == Decimal("800.00")
    spool.refresh_from_db()
    assert spool.remaining_grams == Decimal("800.00")


@pytest.mark.parametrize("grams", [0, -5, "abc", "NaN", 10**9])
def test_impossible_consumption_is_refused_and_nothing_is_written(alice_actor, spool, grams):
    with pytest.raises(InvalidInput):
        services.spool_consume(actor=alice_actor, spool=spool, grams=grams)
    spool.refresh_from_db()
    assert spool.remaining_grams == Decimal("1000") and spool.ledger.count() == 1


def test_using_more_than_is_left_is_refused_with_what_is_left(alice_actor, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=990)
    with pytest.raises(Conflict, match=r"Only 10\.00 g are left") as caught:
        services.spool_consume(actor=alice_actor, spool=spool, grams=11)
    assert caught.value.field == "grams"
    spool.refresh_from_db()
    assert spool.remaining_grams == Decimal("10") and spool.ledger.count() == 2


def test_an_adjustment_needs_a_note(alice_actor, spool):
    with pytest.raises(InvalidInput, match="adjustments need a reason"):
        services.spool_consume(actor=alice_actor, spool=spool, grams=5, reason=Reason.ADJUSTMENT)


def test_use_cannot_be_recorded_as_a_weigh_in(alice_actor, spool):
    with pytest.raises(InvalidInput, match="print, a failed print or an adjustment"):
        services.spool_consume(actor=alice_actor, spool=spool, grams=5, reason=Reason.WEIGH_IN)


def test_an_archived_spool_cannot_be_used(alice_actor, spool):
    services.spool_archive(actor=alice_actor, spool=spool)
    with pytest.raises(Conflict, match="archived"):
        services.spool_consume(actor=alice_actor, spool=spool, grams=5)


def test_a_weigh_in_records_the_variance_against_the_ledger(alice_actor, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=300)
    entry = services.spool_weigh_in(actor=alice_actor, spool=spool, gross_grams="851")
    # 851 gross − 201 empty spool = 650 net; the ledger expected 700: 50 g went unreported.
    assert (entry.reason, entry.expected_grams, entry.grams, entry.measured_grams) == (
        Reason.WEIGH_IN,
        Decimal("700.00"),
        Decimal("-50.00"),
        Decimal("650.00"),
    )
    spool.refresh_from_db()
    assert spool.remaining_grams == Decimal("650.00")


def test_a_weigh_in_far_above_the_ledger_is_recorded_only_when_confirmed(alice_actor, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=500)
    # 1376 gross − 201 empty = 1175 g: 675 g more than the 500 g the ledger holds.
    with pytest.raises(NeedsConfirmation, match=r"675\.00 g more than the ledger's 500\.00 g"):
        services.spool_weigh_in(actor=alice_actor, spool=spool, gross_grams=1376)
    spool.refresh_from_db()
    assert spool.remaining_grams == Decimal("500.00") and spool.ledger.count() == 2

    entry = services.spool_weigh_in(actor=alice_actor, spool=spool, gross_grams=1376, confirm=True)
    spool.refresh_from_db()
    assert (entry.grams, spool.remaining_grams) == (Decimal("675.00"), Decimal("1175.00"))


def test_a_weigh_in_a_little_above_the_ledger_needs_no_question(alice_actor, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=500)
    entry = services.spool_weigh_in(actor=alice_actor, spool=spool, gross_grams=801)
    assert entry.grams == Decimal("100.00")


def test_a_weigh_in_lighter_than_the_empty_spool_is_refused(alice_actor, spool):
    with pytest.raises(InvalidInput, match="less than the empty spool alone") as caught:
        services.spool_weigh_in(actor=alice_actor, spool=spool, gross_grams=150)
    assert caught.value.field == "gross_grams" and spool.ledger.count() == 1


def test_marking_empty_writes_off_what_the_ledger_held(alice_actor, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=990)
    entry = services.spool_mark_empty(actor=alice_actor, spool=spool)
    assert (entry.reason, entry.grams) == (Reason.MARKED_EMPTY, Decimal("-10.00"))
    spool.refresh_from_db()
    assert spool.remaining_grams == 0
    with pytest.raises(Conflict, match="already empty"):
        services.spool_mark_empty(actor=alice_actor, spool=spool)


def test_moving_a_spool_is_audited(alice_actor, spool):
    services.spool_move(actor=alice_actor, spool=spool, location="Dry box 2")
    spool.refresh_from_db()
    event = AuditEvent.objects.get(verb="spool.moved")
    assert spool.location == "Dry box 2" and event.before == {"location": "Shelf A"}


def test_a_spool_update_never_changes_grams(alice_actor, spool):
    services.spool_update(actor=alice_actor, spool=spool, lot="L-42", cost_paid="19.90")
    spool.refresh_from_db()
    assert (spool.lot, spool.cost_paid, spool.remaining_grams) == (
        "L-42",
        Decimal("19.90"),
        Decimal("1000"),
    )


def test_a_spool_opened_before_it_was_bought_is_refused(alice_actor, spool):
    import datetime

    with pytest.raises(InvalidInput, match="opened before it was bought"):
        services.spool_update(
            actor=alice_actor,
            spool=spool,
            purchase_date=datetime.date(2026, 3, 1),
            opened_date=datetime.date(2026, 2, 1),
        )


def test_label_codes_are_unique_in_a_workspace(alice_actor, galaxy_black):
    codes = {
        services.spool_create(actor=alice_actor, filament=galaxy_black).label_code
        for _ in range(30)
    }
    assert len(codes) == 30


def test_a_vendor_in_use_keeps_its_filaments(prusament, galaxy_black):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Vendor.objects.filter(pk=prusament.pk).delete()
