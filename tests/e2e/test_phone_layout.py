"""A phone 390 px wide: every page fits the screen, the menu reaches every section, tables show
all their columns, and a 120-character vendor name breaks no table on a desktop either."""

import base64
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_library import DROP_JS, _sign_in
from tests.factories import FilamentUsageFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
LONG_VENDOR = "Filamentworks" + "Extraordinarily" * 7 + "Incorporated"[:2]  # 120, no spaces
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "files"
DROPPED = (
    ("prusaslicer/ps020801_mini_cube.gcode", "Dragons/Large/dragon_large_PLA-red_v2.gcode"),
    ("prusaslicer/ps020801_testfile.gcode", "Dragons/Small/dragon_small_PETG-blue_v1.gcode"),
)
TOO_WIDE_JS = """() => [...document.querySelectorAll('.table-wrap')]
    .filter((box) => box.scrollWidth > box.clientWidth + 1).length"""


@pytest.fixture
def shop(alice_actor, workspace):
    from printops.materials import services as materials
    from printops.production import services as production
    from tests.factories import VariantVersionFactory

    assert len(LONG_VENDOR) == 120
    vendor = materials.vendor_create(actor=alice_actor, name=LONG_VENDOR, empty_spool_grams=250)
    filament = materials.filament_create(
        actor=alice_actor, vendor=vendor, material="PLA", colour_name="Galaxy Black",
        color_hex="#1C1C1C", low_stock_grams=900, purchase_url="https://shop.example.com/b",
    )  # fmt: skip
    spool = materials.spool_create(actor=alice_actor, filament=filament, location="Shelf A")
    version = VariantVersionFactory(
        variant__design__workspace=workspace,
        variant__design__name="Twisted Skull Deluxe",
        variant__name="Large · PLA galaxy black",
        original_name="Twisted_Skull_Deluxe_Large_PLA_galaxy_black_0.2mm_v1.gcode",
    )
    FilamentUsageFactory(version=version, slot=0, filament=filament, grams=113.6)
    printer = production.printer_create(actor=alice_actor, name="MK4", slots=1)
    production.printer_slot_load(actor=alice_actor, printer=printer, index=0, spool=spool)
    for _ in range(3):
        production.print_job_queue(actor=alice_actor, version=version)
    MembershipFactory(
        workspace=workspace, user=UserFactory(name="Oskar Operator", email="oskar@example.com")
    )
    return {"version": version, "filament": filament}


def _fits(page, path, url):
    response = page.goto(url + path)
    assert response.status == 200, path
    page.wait_for_load_state("networkidle")
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_pages_people_use_on_a_phone_fit_it(live_server, new_page, shot, alice, shop):
    page = new_page(viewport=PHONE)
    _sign_in(page, live_server.url, alice.email)
    pages = {
        "dashboard": "/dashboard/",
        "version": f"/library/versions/{shop['version'].pk}/",
        "members": "/settings/members/",
        "shopping": "/materials/shopping/",
        "queue": "/production/",
        "materials": "/materials/",
        "filament": f"/materials/filaments/{shop['filament'].pk}/",
        "vendors": "/materials/vendors/",
    }
    too_wide = {}
    for name, path in pages.items():
        width = _fits(page, path, live_server.url)
        if width > PHONE["width"]:
            too_wide[path] = width
        shot(page, f"phone-{name}")
        # No column is cut: a table either fits its box or is stacked into cards.
        assert page.evaluate(TOO_WIDE_JS) == 0, f"a table is wider than its box on {path}"
    assert too_wide == {}


def test_the_queue_shows_jobs_first_and_filters_behind_a_disclosure(
    live_server, new_page, alice, shop
):
    page = new_page(viewport=PHONE)
    _sign_in(page, live_server.url, alice.email)
    page.goto(live_server.url + "/production/")
    expect(page.get_by_label("Printer", exact=True)).to_be_hidden()
    page.get_by_text("Filters", exact=True).click()
    expect(page.get_by_label("Printer", exact=True)).to_be_visible()
    # On a desktop the filters are simply there.
    desk = new_page()
    _sign_in(desk, live_server.url, alice.email)
    desk.goto(live_server.url + "/production/")
    expect(desk.get_by_label("Printer", exact=True)).to_be_visible()
    expect(desk.get_by_text("Filters", exact=True)).to_be_hidden()


def test_the_menu_reaches_production_and_settings(live_server, new_page, shot, alice):
    page = new_page(viewport=PHONE)
    _sign_in(page, live_server.url, alice.email)
    page.get_by_text("Menu").click()
    menu = page.get_by_role("navigation", name="Main (menu)")
    shot(page, "phone-menu")
    for label in ("Dashboard", "Library", "Materials", "Production", "Settings"):
        link = menu.get_by_role("link", name=label, exact=True)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], label
    menu.get_by_role("link", name="Settings", exact=True).click()
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()


def test_uploaded_names_stay_readable_and_the_variant_column_shows(
    live_server, new_page, shot, alice
):
    for relative, _ in DROPPED:
        if not (CORPUS / relative).exists():
            pytest.skip("../shared/corpus is absent")
    page = new_page(viewport=PHONE)
    _sign_in(page, live_server.url, alice.email)
    page.goto(f"{live_server.url}/library/upload/")
    files = [
        {"name": name, "b64": base64.b64encode((CORPUS / rel).read_bytes()).decode()}
        for rel, name in DROPPED
    ]
    page.evaluate(DROP_JS, {"files": files})
    expect(page.locator("#upload-rows tr.done")).to_have_count(2, timeout=30_000)
    shot(page, "phone-upload")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    name = page.locator("#upload-rows td.file-name").first.bounding_box()
    assert name["width"] >= 200  # a line holds words, not 2–3 letters
    variant = page.locator("#upload-rows input[aria-label^='Variant for']").first
    expect(variant).to_be_visible()
    box = variant.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]


def test_a_120_character_vendor_breaks_no_table_on_a_desktop(
    live_server, new_page, shot, alice, shop
):
    page = new_page()
    _sign_in(page, live_server.url, alice.email)
    for path in (
        "/materials/",
        "/materials/?view=spools",
        "/materials/vendors/",
        "/materials/shopping/",
        f"/materials/filaments/{shop['filament'].pk}/",
        f"/library/versions/{shop['version'].pk}/",
        "/production/",
    ):
        assert _fits(page, path, live_server.url) <= 1280, path
        assert page.evaluate(TOO_WIDE_JS) == 0, f"a table is wider than its box on {path}"
    shot(page, "desktop-long-vendor-queue")
    page.goto(live_server.url + "/materials/")
    shot(page, "desktop-long-vendor-materials")
