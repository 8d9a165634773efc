"""Sign-in and password-reset throttling: per account, per client address, behind a proxy."""

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from printops.accounts import throttle
from printops.accounts.decorators import client_ip
from printops.core.errors import TooManyAttempts
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "not the password"


def _wrong():
    return None


def _sign_in(client, email, password, *, forwarded_for=None, remote="10.0.0.1"):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(
        reverse("accounts:login"),
        {"email": email, "password": password},
        headers=headers,
        REMOTE_ADDR=remote,
    )


# --- the client's address ----------------------------------------------------------------------


def _request(forwarded_for=None, remote="10.0.0.1"):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", headers=headers, REMOTE_ADDR=remote)


def test_without_a_proxy_forwarded_for_is_ignored(settings):
    settings.PRINTOPS_BEHIND_PROXY = False
    assert client_ip(_request("203.0.113.5")) == "10.0.0.1"


def test_behind_one_proxy_the_entry_it_added_is_the_client(settings):
    settings.PRINTOPS_BEHIND_PROXY, settings.PRINTOPS_TRUSTED_PROXY_COUNT = True, 1
    assert client_ip(_request("203.0.113.5")) == "203.0.113.5"
    # whatever the client wrote itself stands left of what the proxy added
    assert client_ip(_request("1.1.1.1, 203.0.113.5")) == "203.0.113.5"


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.PRINTOPS_BEHIND_PROXY, settings.PRINTOPS_TRUSTED_PROXY_COUNT = True, 2
    assert client_ip(_request("1.1.1.1, 203.0.113.5, 10.0.0.7")) == "203.0.113.5"
    assert client_ip(_request("10.0.0.7")) == "10.0.0.1"  # did not pass both proxies


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.5:5123", "203.0.113.5"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("not-an-address", "10.0.0.1"),
        ("", "10.0.0.1"),
    ],
)
def test_a_forwarded_address_is_read_with_or_without_a_port(settings, forwarded, expected):
    settings.PRINTOPS_BEHIND_PROXY, settings.PRINTOPS_TRUSTED_PROXY_COUNT = True, 1
    assert client_ip(_request(forwarded)) == expected


def test_behind_a_proxy_strangers_failures_do_not_lock_out_the_owner(client, alice, settings):
    settings.PRINTOPS_BEHIND_PROXY, settings.PRINTOPS_TRUSTED_PROXY_COUNT = True, 1
    settings.PRINTOPS_LOGIN_MAX_FAILURES = 2  # 8 per client address
    for n in range(8):
        response = _sign_in(client, f"guess{n}@example.com", WRONG, forwarded_for="198.51.100.9")
        assert response.status_code == 400
    assert _sign_in(client, "x@example.com", WRONG, forwarded_for="198.51.100.9").status_code == 429
    response = _sign_in(client, alice.email, PASSWORD, forwarded_for="203.0.113.5")
    assert response.status_code == 302


# --- signing in ---------------------------------------------------------------------------------


def test_a_wrong_password_is_checked_at_most_the_limit_times(settings):
    settings.PRINTOPS_LOGIN_MAX_FAILURES = 3
    checks = []

    def wrong():
        checks.append(1)

    for _ in range(3):
        assert (
            throttle.sign_in_attempt(email="a@example.com", client_ip="10.0.0.1", check=wrong)
            is None
        )
    with pytest.raises(TooManyAttempts, match=r"Too many failed sign-ins\. Wait 15 minutes"):
        throttle.sign_in_attempt(email="A@example.com ", client_ip="10.0.0.2", check=wrong)
    assert len(checks) == 3
    throttle.sign_in_attempt(email="b@example.com", client_ip="10.0.0.2", check=wrong)


def test_a_successful_sign_in_clears_the_accounts_failures(settings):
    settings.PRINTOPS_LOGIN_MAX_FAILURES = 2
    throttle.sign_in_attempt(email="a@example.com", client_ip="10.0.0.1", check=_wrong)
    assert throttle.sign_in_attempt(email="a@example.com", client_ip="10.0.0.1", check=lambda: 1)
    throttle.sign_in_attempt(email="a@example.com", client_ip="10.0.0.1", check=_wrong)
    throttle.sign_in_attempt(email="a@example.com", client_ip="10.0.0.1", check=_wrong)
    with pytest.raises(TooManyAttempts):
        throttle.sign_in_attempt(email="a@example.com", client_ip="10.0.0.1", check=_wrong)


def test_one_client_address_is_limited_across_accounts(settings):
    settings.PRINTOPS_LOGIN_MAX_FAILURES = 1
    for n in range(4):
        throttle.sign_in_attempt(email=f"u{n}@example.com", client_ip="10.0.0.1", check=_wrong)
    with pytest.raises(TooManyAttempts, match="from your network"):
        throttle.sign_in_attempt(email="u9@example.com", client_ip="10.0.0.1", check=_wrong)
    # the refused attempt did not use up u9's own allowance
    throttle.sign_in_attempt(email="u9@example.com", client_ip="10.0.0.2", check=_wrong)


def test_the_lock_lifts_when_the_window_ends(settings):
    settings.PRINTOPS_LOGIN_MAX_FAILURES = 1
    throttle.sign_in_attempt(email="a@example.com", client_ip="10.0.0.1", check=_wrong)
    settings.PRINTOPS_LOGIN_WINDOW_SECONDS = 0  # the window that started has ended
    throttle.sign_in_attempt(email="a@example.com", client_ip="10.0.0.1", check=_wrong)


def _reset_password(client, email, new_password):
    client.post(reverse("accounts:password_reset"), {"email": email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/password-reset/" in line)
    response = client.get(link.split("testserver", 1)[1], follow=True)
    return client.post(
        response.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )


def test_a_completed_password_reset_lifts_the_sign_in_lock(client, alice, settings):
    settings.PRINTOPS_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        _sign_in(client, alice.email, WRONG)
    assert _sign_in(client, alice.email, PASSWORD).status_code == 429
    assert _reset_password(client, alice.email, "a brand new passphrase").status_code == 302
    assert _sign_in(client, alice.email, "a brand new passphrase").status_code == 302


def test_the_admin_login_spends_the_same_allowance(client, settings):
    settings.PRINTOPS_LOGIN_MAX_FAILURES = 2
    staff = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(2):
        response = client.post(url, {"username": staff.email, "password": WRONG})
        assert b"correct email" in response.content.lower() or b"correct e-mail" in response.content
    response = client.post(url, {"username": staff.email, "password": PASSWORD})
    assert b"Too many failed sign-ins" in response.content
    assert "_auth_user_id" not in client.session
    # and the sign-in page sees the same lock
    assert _sign_in(client, staff.email, PASSWORD).status_code == 429


def test_a_correct_admin_login_still_works(client):
    staff = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    response = client.post(reverse("admin:login"), {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)


# --- password-reset requests ---------------------------------------------------------------------


@pytest.mark.parametrize("has_account", [True, False])
def test_reset_requests_are_limited_per_email_alike_for_unknown_addresses(
    client, settings, has_account
):
    settings.PRINTOPS_PASSWORD_RESET_MAX_PER_EMAIL = 2
    email = "alice@example.com"
    if has_account:
        UserFactory(email=email)
    url = reverse("accounts:password_reset")
    for _ in range(2):
        assert client.post(url, {"email": email}).status_code == 302
    response = client.post(url, {"email": email.upper()})
    assert response.status_code == 429
    assert b"asked for this e-mail address several times" in response.content
    assert len(mail.outbox) == (2 if has_account else 0)


def test_reset_requests_are_limited_per_client_address(client, settings):
    settings.PRINTOPS_PASSWORD_RESET_MAX_PER_ADDRESS = 3
    url = reverse("accounts:password_reset")
    for n in range(3):
        assert client.post(url, {"email": f"p{n}@example.com"}).status_code == 302
    response = client.post(url, {"email": "p9@example.com"})
    assert response.status_code == 429 and b"from your network" in response.content
    other = client.post(url, {"email": "p9@example.com"}, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302
