"""Sign up, invite a teammate, the teammate joins, and the audit log tells who did what."""

import pytest
from playwright.sync_api import expect

from printops.accounts.models import AuditEvent, Membership

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a long enough passphrase"


def test_sign_up_invite_accept_and_audit(live_server, new_page, shot):
    alice = new_page()
    alice.goto(f"{live_server.url}/signup/")
    alice.get_by_label("Your name").fill("Alice")
    alice.get_by_label("E-mail address").fill("alice@example.com")
    alice.get_by_label("Password").fill(PASSWORD)
    alice.get_by_label("Business or makerspace name").fill("Alice Prints")
    alice.get_by_role("button", name="Create account").click()
    expect(alice.get_by_role("heading", name="Alice Prints")).to_be_visible()
    shot(alice, "01-dashboard-after-signup")

    alice.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    alice.get_by_role("link", name="Members").click()
    alice.get_by_label("E-mail address").fill("bob@example.com")
    alice.get_by_label("Role", exact=True).select_option("operator")
    alice.get_by_role("button", name="Send invitation").click()
    link = alice.locator("#invitation-link").inner_text().strip()
    shot(alice, "02-invitation-created")

    bob = new_page()
    bob.goto(link)
    expect(bob.get_by_role("heading", name="Join Alice Prints")).to_be_visible()
    bob.get_by_role("link", name="Create account").click()
    bob.get_by_label("Your name").fill("Bob")
    bob.get_by_label("Password").fill(PASSWORD)
    bob.get_by_role("button", name="Join Alice Prints").click()
    expect(bob.get_by_role("heading", name="Alice Prints")).to_be_visible()
    bob.get_by_role("button", name="Sign out").click()
    bob.get_by_label("E-mail address").fill("bob@example.com")
    bob.get_by_label("Password").fill(PASSWORD)
    bob.get_by_role("button", name="Sign in").click()
    expect(bob.get_by_text("Bob · Operator")).to_be_visible()
    assert Membership.objects.get(user__email="bob@example.com").role == "operator"

    alice.goto(f"{live_server.url}/audit/")
    row = alice.locator("tr", has_text="Accepted an invitation")
    expect(row).to_contain_text("Bob")
    expect(alice.locator("tr", has_text="Invited someone")).to_contain_text("Alice")
    shot(alice, "03-audit-log")
    assert AuditEvent.objects.filter(verb="invitation.accepted", actor__email="bob@example.com")


def test_the_dashboard_fits_a_phone(live_server, new_page, shot, alice):
    from tests.factories import PASSWORD as FACTORY_PASSWORD

    phone = new_page(viewport={"width": 360, "height": 740})
    phone.goto(f"{live_server.url}/login/")
    phone.get_by_label("E-mail address").fill(alice.email)
    phone.get_by_label("Password").fill(FACTORY_PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.get_by_role("heading", name="Alice Prints")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width}px)"
    shot(phone, "04-dashboard-phone")
    phone.goto(f"{live_server.url}/settings/members/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, "05-members-phone")
