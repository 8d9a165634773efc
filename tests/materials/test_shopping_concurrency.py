"""An order received from two places at once, proven on PostgreSQL where writes run in parallel."""

from printops.core.errors import Conflict
from printops.materials import services
from printops.materials.models import Spool, SpoolLedgerEntry
from tests.concurrency import POSTGRES_ONLY, race

pytestmark = POSTGRES_ONLY


def test_receiving_the_same_order_twice_at_once_adds_its_spools_once(alice_actor, galaxy_black):
    order = services.filament_order_create(actor=alice_actor, filament=galaxy_black, spools=3)

    results = race(
        lambda: services.filament_order_receive(actor=alice_actor, order=order),
        lambda: services.filament_order_receive(actor=alice_actor, order=order),
    )

    assert sum(isinstance(r, Conflict) for r in results) == 1
    assert Spool.objects.filter(filament=galaxy_black).count() == 3
    assert SpoolLedgerEntry.objects.filter(reason=SpoolLedgerEntry.Reason.NEW_SPOOL).count() == 3
