"""Issue 5's "done when", in Chromium: a vendor and a filament with a colour, two spools, an
upload whose filament matches (linked, confidence shown), a weigh-in (ledger and variance; a
reading far above the ledger is asked about first), low stock (dashboard alert, shopping-list
entry whose purchase link opens the shop), a label sheet."""

import base64
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_library import DROP_JS, _sign_in

pytestmark = pytest.mark.django_db(transaction=True)
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "files"
SLICED = CORPUS / "bambu_studio" / "bs020400_a1mini.gcode.3mf"  # Bambu PLA Basic, #00AE42
SHOP = "https://shop.example.com/bambu-pla-basic-green"


def test_stock_matching_weigh_in_low_stock_and_labels(live_server, new_page, shot, alice):
    if not SLICED.exists():
        pytest.skip("../shared/corpus is absent")
    page = new_page()
    # The shop is outside this machine: answer for it, as a shop would.
    page.context.route(
        "https://shop.example.com/**",
        lambda route: route.fulfill(content_type="text/html", body="<h1>Bambu PLA Basic</h1>"),
    )
    _sign_in(page, live_server.url, alice.email)
    url = live_server.url

    page.goto(f"{url}/materials/vendors/")
    page.get_by_label("Name").fill("Bambu Lab")
    page.get_by_label("Empty spool weight (g)").fill("250")
    page.get_by_role("button", name="Add vendor").click()
    expect(page.locator("table")).to_contain_text("Bambu Lab")

    page.goto(f"{url}/materials/filaments/new/")
    page.get_by_label("Vendor").select_option(label="Bambu Lab")
    page.get_by_label("Material").select_option("PLA")
    page.get_by_label("Colour name").fill("Bambu Green")
    page.get_by_label("Colour (#RRGGBB)").fill("#00ae42")
    expect(page.locator("#colour-hint")).to_contain_text("Names for #00AE42")
    shot(page, "19-filament-form-colour-hint")
    page.get_by_label("Low stock below (g)").fill("300")
    page.get_by_label("Price per kg").fill("19.99")
    page.get_by_label("Purchase link").fill(SHOP)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text("Bambu Green")
    for _ in range(2):
        page.get_by_role("button", name="Add spool").click()
    expect(page.locator("table tbody tr")).to_have_count(2)
    shot(page, "20-filament-with-two-spools")
    filament_url = page.url

    page.goto(f"{url}/library/upload/")
    sliced = {
        "name": "keychain_green.gcode.3mf",
        "b64": base64.b64encode(SLICED.read_bytes()).decode(),
    }
    page.evaluate(DROP_JS, {"files": [sliced]})
    expect(page.locator("#upload-rows tr.done")).to_have_count(1, timeout=30_000)
    page.goto(f"{url}/library/")
    page.locator(".gallery .tile a").first.click()
    page.locator("a[href*='/library/versions/']").first.click()
    stock_cell = page.locator("#fil-h + .table-wrap tbody tr").first
    expect(stock_cell).to_contain_text("Bambu Lab PLA Bambu Green")
    expect(stock_cell).to_contain_text("100 % match")
    shot(page, "21-version-linked-to-stock")

    page.goto(filament_url)
    page.locator("table tbody tr a").first.click()
    spool_url = page.url
    page.get_by_label("Weigh in: scale reading (g)").fill("1230")  # 980 g net: 20 g unrecorded
    page.get_by_role("button", name="Weigh in").click()
    expect(page.locator("body")).to_contain_text("ledger said 1000")
    expect(page.locator("body")).to_contain_text("scale 980")
    shot(page, "22-spool-after-weigh-in")
    # A reading 770 g above the ledger (the spool's box on the scale, say) is a question first.
    page.get_by_label("Weigh in: scale reading (g)").fill("2000")
    page.get_by_role("button", name="Weigh in").click()
    question = page.locator("#weigh-in-question")
    expect(question).to_contain_text("770.00 g more than the ledger's 980.00 g")
    expect(question.get_by_role("button", name="Yes, record it")).to_be_visible()
    shot(page, "22b-weigh-in-question")
    question.get_by_role("link", name="No, weigh again").click()
    expect(page.locator("#weigh-in-question")).to_have_count(0)
    expect(page.locator("body")).to_contain_text("980 g left")
    page.goto(f"{url}/materials/reports/weigh-ins/")
    expect(page.locator("table.variance")).to_contain_text("No recorded use")
    expect(page.locator("table.variance")).to_contain_text("-20")
    shot(page, "23-weigh-in-report")

    # Below threshold: empty the first spool, weigh the second at 200 g net.
    page.goto(spool_url)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Mark empty").click()
    expect(page.locator("body")).to_contain_text("Marked empty")
    page.goto(filament_url)
    page.locator("table tbody tr a").nth(1).click()
    if page.url == spool_url:  # the list is newest first; take the other spool
        page.goto(filament_url)
        page.locator("table tbody tr a").first.click()
    page.get_by_label("Weigh in: scale reading (g)").fill("450")
    page.get_by_role("button", name="Weigh in").click()

    page.goto(f"{url}/")
    low = page.locator("section", has=page.locator("#low-stock-h"))
    expect(low).to_contain_text("Bambu Green")
    expect(low).to_contain_text("200 g left of 300 g wanted")
    shot(page, "24-dashboard-low-stock")
    low.get_by_role("link", name="Shopping list").click()
    row = page.locator("tr", has_text="Bambu Green")
    expect(row).to_contain_text("1 spool")
    expect(row).to_contain_text("19.99")
    shot(page, "25-shopping-list")
    with page.expect_popup() as popup_info:
        row.get_by_role("link", name="Shop").click()
    shop = popup_info.value
    shop.wait_for_load_state()
    assert shop.url == SHOP
    expect(shop.locator("h1")).to_have_text("Bambu PLA Basic")

    page.goto(f"{url}/materials/labels/")
    expect(page.locator(".label svg.qr")).to_have_count(2)
    page.emulate_media(media="print")
    shot(page, "26-label-sheet-print")


def test_the_spool_page_from_a_label_works_on_a_phone(
    live_server, new_page, shot, alice, alice_actor
):
    from printops.materials import services

    vendor = services.vendor_create(actor=alice_actor, name="Prusament", empty_spool_grams=201)
    filament = services.filament_create(
        actor=alice_actor,
        vendor=vendor,
        material="PETG",
        colour_name="Prusa Orange",
        color_hex="#FA6831",
    )
    spool = services.spool_create(actor=alice_actor, filament=filament, location="Shelf A")
    page = new_page(viewport={"width": 375, "height": 740})
    _sign_in(page, live_server.url, alice.email)
    page.goto(f"{live_server.url}/materials/s/{spool.label_code}/")
    page.get_by_label("Weigh in: scale reading (g)").fill("1101")
    page.get_by_role("button", name="Weigh in").click()
    expect(page.locator("body")).to_contain_text("scale 900")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "27-spool-from-label-phone")


def test_the_review_queue_creates_a_filament_from_the_file(
    live_server, new_page, shot, alice, alice_actor
):
    import io

    from printops.library import services as library

    four = CORPUS / "bambu_studio" / "bs020400_x1e_4colour.gcode.3mf"
    if not four.exists():
        pytest.skip("../shared/corpus is absent")
    data = four.read_bytes()
    library.version_upload(
        actor=alice_actor, content=io.BytesIO(data), size_bytes=len(data), original_name=four.name
    )
    page = new_page()
    _sign_in(page, live_server.url, alice.email)
    expect(page.locator("#unmatched-h")).to_be_visible()
    page.get_by_role("link", name="Review filaments").click()
    expect(page.locator("body")).to_contain_text("4 filaments in uploads are unmatched.")
    shot(page, "28-filament-review-queue")
    card = page.locator(".match-card", has_text="PolyLite PLA")
    card.get_by_role("button", name="Create this filament from the file").click()
    expect(page.locator(".message")).to_contain_text("Added Polymaker PLA")
    expect(page.locator("body")).to_contain_text("3 filaments in uploads are unmatched.")
    phone = new_page(viewport={"width": 375, "height": 740})
    _sign_in(phone, live_server.url, alice.email)
    phone.goto(f"{live_server.url}/library/filaments/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(phone, "29-filament-review-phone")


def test_the_density_follows_the_material_unless_typed(live_server, new_page, alice_actor, alice):
    from printops.materials import services

    services.vendor_create(actor=alice_actor, name="Generic")
    page = new_page()
    _sign_in(page, live_server.url, alice.email)
    page.goto(f"{live_server.url}/materials/filaments/new/")
    density = page.get_by_label("Density (g/cm³)")
    expect(density).to_have_attribute("placeholder", "1.24")
    density.fill("1.24")
    page.get_by_label("Material").select_option("PETG")
    expect(density).to_have_value("1.27")
    density.fill("1.31")  # the vendor's data sheet says so
    page.get_by_label("Material").select_option("ABS")
    expect(density).to_have_value("1.31")
    expect(density).to_have_attribute("placeholder", "1.04")
    page.get_by_label("Vendor").select_option(label="Generic")
    page.get_by_label("Colour (#RRGGBB)").fill("#FFFFFF")
    page.get_by_label("Colour name").fill("Generic ABS")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text("Generic ABS")
    expect(page.get_by_text("1.310 g/cm³")).to_be_visible()
