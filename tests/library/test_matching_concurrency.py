"""Two managers settling the same unmatched preset at once, proven on PostgreSQL."""

from printops.library import services
from printops.library.models import FilamentUsage
from printops.materials import services as materials
from printops.materials.models import FilamentAlias
from tests.concurrency import POSTGRES_ONLY, race
from tests.factories import FilamentUsageFactory, VariantVersionFactory

pytestmark = POSTGRES_ONLY


def test_two_confirmations_at_once_leave_one_mapping_that_every_use_follows(alice_actor, workspace):
    vendor = materials.vendor_create(actor=alice_actor, name="Polymaker")
    green = materials.filament_create(
        actor=alice_actor, vendor=vendor, material="PLA", color_hex="#00AE42"
    )
    lime = materials.filament_create(
        actor=alice_actor, vendor=vendor, material="PLA", color_hex="#33CC33"
    )
    usages = [
        FilamentUsageFactory(
            version=VariantVersionFactory(variant__design__workspace=workspace),
            filament=None,
            material="PLA",
            brand="Bambu Lab",
            name="Bambu PLA Basic @BBL X1C",
            color_hex="#00AE42",
            grams=10.0,
        )
        for _ in range(4)
    ]
    race(
        lambda: services.usage_confirm(actor=alice_actor, usage=usages[0], filament=green),
        lambda: services.usage_confirm(actor=alice_actor, usage=usages[1], filament=lime),
    )
    alias = FilamentAlias.objects.get(workspace=workspace)  # one mapping, not two
    linked = dict(
        FilamentUsage.objects.filter(pk__in=[u.pk for u in usages]).values_list("pk", "filament_id")
    )
    # Each confirmation keeps its own choice; the other uses follow the mapping that won.
    assert linked[usages[0].pk] == green.pk
    assert linked[usages[1].pk] == lime.pk
    assert {linked[usages[2].pk], linked[usages[3].pk]} == {alias.filament_id}
