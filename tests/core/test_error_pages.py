"""Error pages keep a signed-in member's navigation, and say a sentence, never a traceback."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from printops.accounts import selectors

pytestmark = pytest.mark.django_db


def _nav(html):
    return 'aria-label="Main"' in html and 'href="/production/"' in html and "Settings" in html


def test_a_404_keeps_the_navigation_for_a_member(alice_client):
    response = alice_client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404 and "nothing at this address" in html
    assert _nav(html) and "Alice Prints" in html
    assert 'href="/dashboard/"' in html


def test_a_404_for_a_visitor_has_no_member_navigation(client):
    html = client.get("/no/such/page/").content.decode()
    assert "nothing at this address" in html and not _nav(html)


def test_a_403_keeps_the_navigation(alice, monkeypatch):
    def refuse(**kwargs):
        raise PermissionDenied

    monkeypatch.setattr(selectors, "member_list", refuse)
    client = Client()
    client.force_login(alice)
    response = client.get("/dashboard/")
    assert response.status_code == 403 and _nav(response.content.decode())


def test_a_500_keeps_the_navigation_and_shows_no_traceback(alice, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "member_list", broken)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.get("/dashboard/")
    html = response.content.decode()
    assert response.status_code == 500 and "Something went wrong" in html
    assert _nav(html) and "Traceback" not in html and "boom" not in html


def test_an_api_404_stays_json(alice_client):
    response = alice_client.get("/api/v1/no/such/thing")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
