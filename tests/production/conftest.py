"""Production fixtures: Alice's shop with two filaments, spools, printers and a way to make
sliced versions that use given filaments."""

from decimal import Decimal

import pytest
from django.test import Client

from printops.accounts import services as account_services
from printops.accounts.actor import Actor
from printops.accounts.models import Membership
from printops.accounts.roles import Role
from printops.materials import services as materials
from printops.production import services
from tests.factories import (
    FilamentUsageFactory,
    UserFactory,
    VariantVersionFactory,
)


@pytest.fixture
def vendor(alice_actor):
    return materials.vendor_create(actor=alice_actor, name="Bambu Lab", empty_spool_grams=250)


@pytest.fixture
def pla_red(alice_actor, vendor):
    return materials.filament_create(
        actor=alice_actor, vendor=vendor, material="PLA", colour_name="Red", color_hex="#C12E1F"
    )


@pytest.fixture
def petg_blue(alice_actor, vendor):
    return materials.filament_create(
        actor=alice_actor, vendor=vendor, material="PETG", colour_name="Blue", color_hex="#1E88E5"
    )


@pytest.fixture
def red_spool(alice_actor, pla_red):
    return materials.spool_create(actor=alice_actor, filament=pla_red)


@pytest.fixture
def blue_spool(alice_actor, petg_blue):
    return materials.spool_create(actor=alice_actor, filament=petg_blue)


@pytest.fixture
def make_version(workspace):
    """make_version((filament or None, grams), ...; **version fields) → a READY version whose
    slots use those filaments (None: a slot not matched to the catalogue)."""

    def make(*slots, **fields):
        version = VariantVersionFactory(
            variant__design__workspace=workspace,
            **fields,
        )
        for index, (filament, grams) in enumerate(slots):
            FilamentUsageFactory(
                version=version,
                slot=index,
                filament=filament,
                material=filament.material if filament else "PLA",
                color_hex=filament.color_hex if filament else "#00FF00",
                grams=grams,
            )
        return version

    return make


@pytest.fixture
def keychain(make_version, pla_red):
    """20 g of red PLA, one hour."""
    return make_version((pla_red, 20.0))


@pytest.fixture
def mk4(alice_actor):
    return services.printer_create(
        actor=alice_actor,
        name="MK4",
        model="Original Prusa MK4",
        build_x_mm=250,
        build_y_mm=210,
        build_z_mm=220,
        power_watts=120,
        hourly_cost=Decimal("0.80"),
    )


@pytest.fixture
def x1c(alice_actor):
    return services.printer_create(
        actor=alice_actor, name="X1C", model="Bambu Lab X1 Carbon", build_x_mm=256,
        build_y_mm=256, build_z_mm=256, slots=4,
    )  # fmt: skip


@pytest.fixture
def charlie_actor(charlie_membership):
    return Actor(user=charlie_membership.user, membership=charlie_membership)


@pytest.fixture
def viewer_actor(workspace):
    user = UserFactory(email="vera@example.com", name="Vera")
    membership = Membership.objects.create(workspace=workspace, user=user, role=Role.VIEWER)
    return Actor(user=user, membership=membership)


def _api(actor):
    raw = account_services.api_token_create(actor=actor, name="t")[1]
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def api(alice_actor):
    return _api(alice_actor)


@pytest.fixture
def charlie_api(charlie_actor):
    return _api(charlie_actor)


@pytest.fixture
def viewer_api(viewer_actor):
    return _api(viewer_actor)


def start(actor, job, printer, **kwargs):
    return services.print_job_start(actor=actor, job=job, printer=printer, **kwargs)
