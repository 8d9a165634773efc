"""Every main page at 375 px: nothing wider than the screen (a table may scroll inside its box)."""

import pytest

from tests.e2e.test_library import _sign_in
from tests.factories import FilamentUsageFactory, VariantVersionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_main_pages_fit_a_phone(live_server, new_page, alice, alice_actor):
    from printops.materials import services as materials
    from printops.production import services as production

    vendor = materials.vendor_create(actor=alice_actor, name="Bambu Lab", empty_spool_grams=250)
    filament = materials.filament_create(
        actor=alice_actor, vendor=vendor, material="PLA", colour_name="Red", color_hex="#C12E1F",
        low_stock_grams=900, purchase_url="https://shop.example.com/red",
    )  # fmt: skip
    spool = materials.spool_create(actor=alice_actor, filament=filament, location="Shelf A")
    version = VariantVersionFactory(variant__design__workspace=alice_actor.workspace)
    FilamentUsageFactory(version=version, slot=0, filament=filament, grams=150.0)
    FilamentUsageFactory(version=version, slot=1, filament=None, grams=5.0, color_hex="#00FF00")
    printer = production.printer_create(actor=alice_actor, name="MK4", slots=2)
    production.printer_slot_load(actor=alice_actor, printer=printer, index=0, spool=spool)
    production.print_job_queue(actor=alice_actor, version=version, copies=3)
    pages = [
        "/",
        "/library/",
        f"/library/versions/{version.pk}/",
        "/library/filaments/",
        "/materials/",
        "/materials/?view=spools",
        f"/materials/filaments/{filament.pk}/",
        f"/materials/spools/{spool.pk}/",
        "/materials/shopping/",
        "/materials/reports/weigh-ins/",
        "/materials/import/",
        "/production/",
        "/production/schedule/",
        "/production/printers/",
        f"/production/printers/{printer.pk}/",
        f"/production/jobs/new/?version={version.pk}",
    ]
    page = new_page(viewport={"width": 375, "height": 740})
    _sign_in(page, live_server.url, alice.email)
    too_wide = {}
    for path in pages:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 376:
            too_wide[path] = width
    assert too_wide == {}
