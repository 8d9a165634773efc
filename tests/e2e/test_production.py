"""Issue 6's "done when", in Chromium: a printer with a spool in a slot, a sliced version queued
× 2, started and completed (the spool loses exactly the file's grams × 2 and the job page links
its ledger rows), another failed at 40 % (40 % taken), the queue reordered by drag and drop and
still in that order after a reload, a job short of filament saying what is missing and the
shopping list including it; the pages on a phone."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from printops.library import services as library
from printops.library.models import FilamentUsage
from printops.materials import services as materials
from printops.materials.models import Spool
from printops.production import services
from printops.production.models import PrintJob
from tests.e2e.test_library import _sign_in
from tests.factories import FilamentUsageFactory, VariantVersionFactory

pytestmark = pytest.mark.django_db(transaction=True)
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "files"
SLICED = CORPUS / "bambu_studio" / "bs020400_a1mini.gcode.3mf"  # Bambu PLA Basic, #00AE42


def _fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _queued_order(page):
    return [
        int(pk) for pk in page.locator("#queue-list li.job").evaluate_all(
            "rows => rows.map(r => r.dataset.jobId)"
        )
    ]  # fmt: skip


def test_printer_queue_start_complete_fail_reorder_and_shortage(
    live_server, new_page, shot, alice, alice_actor
):
    if not SLICED.exists():
        pytest.skip("../shared/corpus is absent")
    url = live_server.url
    vendor = materials.vendor_create(actor=alice_actor, name="Bambu Lab", empty_spool_grams=250)
    green = materials.filament_create(
        actor=alice_actor, vendor=vendor, material="PLA", colour_name="Bambu Green",
        color_hex="#00AE42",
    )  # fmt: skip
    spool = materials.spool_create(actor=alice_actor, filament=green, location="Shelf A")
    data = SLICED.read_bytes()
    version = library.version_upload(
        actor=alice_actor, content=io.BytesIO(data), size_bytes=len(data),
        original_name="keychain_green.gcode.3mf",
    )  # fmt: skip
    usage = FilamentUsage.objects.get(version=version)
    assert usage.filament_id == green.pk
    sliced_grams = Decimal(str(usage.grams)).quantize(Decimal("0.01"))

    page = new_page()
    _sign_in(page, url, alice.email)

    # A printer with four slots, the green spool in the first.
    page.goto(f"{url}/production/printers/")
    expect(page.locator("body")).to_contain_text("No printers yet.")
    page.get_by_role("link", name="Add a printer").first.click()
    page.get_by_label("Name").fill("X1C")
    page.get_by_label("Model").fill("Bambu Lab X1 Carbon")
    page.get_by_label("Build width (mm)").fill("256")
    page.get_by_label("Build depth (mm)").fill("256")
    page.get_by_label("Build height (mm)").fill("256")
    page.get_by_label("Filament slots").fill("4")
    page.get_by_label("Power (W)").fill("350")
    page.get_by_label("Hourly cost").fill("0.90")
    page.get_by_label("PLA", exact=True).check()
    page.get_by_label("PETG", exact=True).check()
    page.get_by_role("button", name="Add printer").click()
    expect(page.locator("h1")).to_contain_text("X1C")
    page.get_by_label("Spool for slot 1").select_option(str(spool.pk))
    page.locator(".slot").first.get_by_role("button", name="Load").click()
    expect(page.locator(".message")).to_contain_text("is in slot 1 of X1C")
    expect(page.locator(".slot").first).to_contain_text(spool.label_code)
    page.get_by_label("What was done").fill("Cleaned the build plate")
    page.get_by_role("button", name="Log").click()
    expect(page.locator("table").last).to_contain_text("Cleaned the build plate")
    shot(page, "30-printer-with-a-loaded-slot")

    # Queue the version × 2 from the page the library links to.
    page.goto(f"{url}/production/jobs/new/?version={version.pk}")
    page.get_by_label("Copies").fill("2")
    page.get_by_role("button", name="Add to the queue").click()
    job = PrintJob.objects.get()
    row = page.locator(f"#job-{job.pk}")
    expect(row).to_contain_text("× 2")
    expect(row.locator(".badge.ready")).to_be_visible()
    shot(page, "31-queue-one-job")

    # Start it on X1C from the queue, then complete it.
    row.get_by_role("button", name="Start").click()
    expect(page.locator(".message")).to_contain_text(f"Job #{job.pk} is printing on X1C.")
    page.locator(f"#job-{job.pk}").get_by_role("button", name="Complete").click()
    expect(page.locator(".message")).to_contain_text("completed")
    spool.refresh_from_db()
    assert spool.remaining_grams == Decimal("1000.00") - sliced_grams * 2
    page.goto(f"{url}/production/jobs/{job.pk}/")
    ledger = page.locator("table.ledger")
    expect(ledger).to_contain_text(spool.label_code)
    expect(ledger).to_contain_text(f"-{sliced_grams * 2}")
    assert ledger.get_by_role("link", name=spool.label_code).get_attribute("href") == (
        f"/materials/spools/{spool.pk}/"
    )
    shot(page, "32-job-completed-with-ledger")

    # Another, failed at 40 %: 40 % of its grams are taken.
    second = services.print_job_queue(actor=alice_actor, version=version)
    before = spool.remaining_grams
    page.goto(f"{url}/production/jobs/{second.pk}/")
    page.get_by_role("button", name="Start printing").click()
    expect(page.locator(".message")).to_contain_text("is printing on X1C")
    page.goto(f"{url}/production/")
    printing = page.locator(f"#job-{second.pk}")
    printing.locator("summary", has_text="Failed").click()
    printing.get_by_label("How far it got (%)").fill("40")
    printing.get_by_label("Why").select_option("adhesion")
    printing.get_by_role("button", name="Record failure").click()
    expect(page.locator(".message")).to_contain_text("recorded as failed at 40 %")
    spool.refresh_from_db()
    assert spool.remaining_grams == before - (sliced_grams * Decimal("0.4")).quantize(
        Decimal("0.01")
    )

    # Reorder by drag and drop; the order survives a reload.
    jobs = [services.print_job_queue(actor=alice_actor, version=version) for _ in range(3)]
    a, b, c = (j.pk for j in jobs)
    page.goto(f"{url}/production/")
    assert _queued_order(page) == [a, b, c]
    page.locator(f"#job-{c}").drag_to(page.locator(f"#job-{a}"), target_position={"x": 30, "y": 4})
    expect(page.locator("#queue-status")).to_contain_text("Queue order saved.")
    page.reload()
    assert _queued_order(page) == [c, a, b]
    # The keyboard way: ▲ on the last one.
    page.get_by_role("button", name=f"Move Job #{b} up").click()
    expect(page.locator(".message")).to_contain_text(f"Job #{b} is now number 2")
    assert _queued_order(page) == [c, b, a]

    # A job short of filament says what is missing; the shopping list includes it.
    red = materials.filament_create(
        actor=alice_actor, vendor=vendor, material="PLA", colour_name="Red", color_hex="#C12E1F"
    )
    materials.spool_create(actor=alice_actor, filament=red, remaining_grams=100)
    vase = VariantVersionFactory(
        variant__design__workspace=alice.memberships.get().workspace,
        variant__design__name="Vase",
        variant__name="Tall · red",
        print_seconds=5 * 3600,
    )
    FilamentUsageFactory(version=vase, filament=red, color_hex="#C12E1F", grams=500.0)
    short = services.print_job_queue(actor=alice_actor, version=vase)
    page.goto(f"{url}/production/")
    short_row = page.locator(f"#job-{short.pk}")
    expect(short_row.locator(".badge.short")).to_be_visible()
    expect(short_row).to_contain_text("400 g of Bambu Lab PLA Red")
    shot(page, "33-queue-reordered-with-shortage")
    short_row.get_by_role("link", name="Shopping list").click()
    expect(page.locator("tr", has_text="Red")).to_contain_text("queue needs 500")
    shot(page, "34-shopping-list-with-queue-demand")

    page.goto(f"{url}/production/schedule/")
    expect(page.locator(".schedule-wide .bar")).to_have_count(4)
    shot(page, "35-schedule")

    # On a phone: no sideways scrolling.
    phone = new_page(viewport={"width": 375, "height": 740})
    _sign_in(phone, url, alice.email)
    for path, name in (
        ("/production/", "36-queue-phone"),
        (f"/production/jobs/{job.pk}/", "37-job-phone"),
        ("/production/schedule/", "38-schedule-phone"),
        (f"/production/printers/{Spool.objects.get(pk=spool.pk).printer_slots.get().printer_id}/",
         "39-printer-phone"),
    ):  # fmt: skip
        phone.goto(url + path)
        assert _fits_the_screen(phone), path
        shot(phone, name)


def test_two_workstations_see_the_same_queue_within_seconds(
    live_server, new_page, alice, alice_actor, bob
):
    """One person reorders; the other screen, left alone, shows the new order by itself."""
    workspace = alice.memberships.get().workspace
    version = VariantVersionFactory(variant__design__workspace=workspace)
    FilamentUsageFactory(version=version, filament=None, grams=12.0)
    jobs = [services.print_job_queue(actor=alice_actor, version=version) for _ in range(3)]
    a, b, c = (j.pk for j in jobs)
    desk = new_page()
    _sign_in(desk, live_server.url, alice.email)
    desk.goto(f"{live_server.url}/production/")
    beside_printer = new_page(viewport={"width": 375, "height": 740})
    _sign_in(beside_printer, live_server.url, bob.email)
    beside_printer.goto(f"{live_server.url}/production/")
    assert _queued_order(beside_printer) == [a, b, c]

    desk.get_by_role("button", name=f"Move Job #{c} up").click()
    expect(desk.locator(".message")).to_contain_text(f"Job #{c} is now number 2")
    later = services.print_job_queue(actor=alice_actor, version=version)  # and one more arrives

    expect(beside_printer.locator(f"#job-{later.pk}")).to_be_visible(timeout=8_000)
    assert _queued_order(beside_printer) == [a, c, b, later.pk]
