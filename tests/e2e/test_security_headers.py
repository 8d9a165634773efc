"""The Content-Security-Policy in a real browser: the main pages load with no violation, and
the behaviour that moved from inline script and onclick= to static files still works."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from printops.accounts.demo import DEMO_PASSWORD, DEMO_PEOPLE
from printops.library.models import VariantVersion
from printops.materials.models import Spool

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


def test_the_main_pages_break_no_policy_and_their_script_runs(live_server, new_page):
    call_command("demo", "--designs", "3", stdout=io.StringIO())
    version = VariantVersion.objects.order_by("pk").first()
    spool = Spool.objects.filter(remaining_grams__gt=0).order_by("pk").first()
    page = new_page()
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text
            else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    url = live_server.url
    page.goto(f"{url}/login/")
    page.get_by_label("E-mail address").fill(DEMO_PEOPLE[0][0])
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile("/dashboard/"))

    pages = [
        "/dashboard/",
        "/library/",
        f"/library/versions/{version.pk}/",
        "/materials/",
        "/materials/filaments/new/",
        f"/materials/spools/{spool.pk}/",
        "/materials/reports/weigh-ins/",
        "/production/",
        "/admin/",
        "/api/v1/docs",
    ]
    for path in pages:
        response = page.goto(f"{url}{path}")
        assert response.ok, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        if not path.startswith(("/admin/", "/api/")):
            # app.js ran: our own static script is allowed
            expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))
        assert page.evaluate("window.__cspViolations") == [], path
    assert console == [], console

    # The version page filters its settings table as you type (library.js).
    page.goto(f"{url}/library/versions/{version.pk}/")
    rows = page.locator("#settings-table tbody tr")
    total = rows.count()
    if total:
        page.locator("#settings-filter").fill("no-such-setting-anywhere")
        expect(page.locator("#settings-table tbody tr:visible")).to_have_count(0)

    # The filament form's hint sits under the colour field (moved from an inline <script>).
    page.goto(f"{url}/materials/filaments/new/")
    expect(page.locator(".field:has(#id_color_hex) #colour-hint")).to_have_count(1)

    # A select that submits its form on change (was onchange=).
    page.goto(f"{url}/materials/reports/weigh-ins/")
    page.locator("#months").select_option("3")
    expect(page).to_have_url(re.compile(r"months=3"))

    # A form that asks first (was onsubmit="return confirm(...)"): Cancel keeps the spool.
    page.goto(f"{url}/materials/spools/{spool.pk}/")
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Mark empty").click()
    expect(page.get_by_role("button", name="Mark empty")).to_be_visible()
    assert questions and questions[0].startswith(f"Mark {spool.label_code} empty?")
    spool.refresh_from_db()
    assert spool.remaining_grams > 0
    assert page.evaluate("window.__cspViolations") == []
