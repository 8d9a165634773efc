from decimal import Decimal

import pytest

from printops.materials import services


@pytest.fixture
def prusament(alice_actor):
    return services.vendor_create(
        actor=alice_actor, name="Prusament", empty_spool_grams=201, website="https://prusa3d.com"
    )


@pytest.fixture
def galaxy_black(alice_actor, prusament):
    return services.filament_create(
        actor=alice_actor,
        vendor=prusament,
        material="PLA",
        colour_name="Galaxy Black",
        color_hex="#3D3E3D",
        price_per_kg=Decimal("24.99"),
        net_spool_grams=1000,
        low_stock_grams=300,
    )


@pytest.fixture
def spool(alice_actor, galaxy_black):
    return services.spool_create(actor=alice_actor, filament=galaxy_black, location="Shelf A")


@pytest.fixture
def charlie_spool(charlie_actor):
    vendor = services.vendor_create(actor=charlie_actor, name="Polymaker", empty_spool_grams=140)
    filament = services.filament_create(
        actor=charlie_actor, vendor=vendor, material="PETG", color_hex="#FF0000"
    )
    return services.spool_create(actor=charlie_actor, filament=filament)
