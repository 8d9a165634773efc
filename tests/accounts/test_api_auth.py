"""How the API answers without valid credentials: 401 + `WWW-Authenticate: Bearer`, a dead
token named as such, and CSRF only for a signed-in browser session."""

import pytest
from django.test import Client

from printops.accounts import services
from printops.accounts.models import ApiToken
from printops.materials.models import Vendor

pytestmark = pytest.mark.django_db

WRITE = ("/api/v1/materials/vendors", {"name": "Polymaker"})
READ = "/api/v1/materials/vendors"


@pytest.fixture
def anonymous() -> Client:
    # A script: no session, and CSRF enforced as it is for real callers.
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def alice_token(alice_actor) -> str:
    return services.api_token_create(actor=alice_actor, name="tests")[1]


def _assert_401(response, error: str | None = None) -> str:
    assert response.status_code == 401, response.content
    challenge = response["WWW-Authenticate"]
    assert challenge.startswith("Bearer")
    if error:
        assert f'error="{error}"' in challenge
    else:
        assert "error=" not in challenge
    detail = response.json()["detail"]
    assert "CSRF" not in detail
    return detail


@pytest.mark.parametrize("method", ["get", "post"])
def test_no_credentials_is_401_with_a_bearer_challenge(anonymous, method):
    if method == "get":
        response = anonymous.get(READ)
    else:
        response = anonymous.post(WRITE[0], WRITE[1], content_type="application/json")
    detail = _assert_401(response)
    assert "Authorization: Bearer" in detail
    assert not Vendor.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("token", ["po_garbage", "garbage", "po_" + "x" * 200, ""])
def test_a_garbage_token_is_401_saying_the_token_is_not_valid(anonymous, method, token):
    headers = {"Authorization": f"Bearer {token}"}
    if method == "get":
        response = anonymous.get(READ, headers=headers)
    else:
        response = anonymous.post(
            WRITE[0], WRITE[1], content_type="application/json", headers=headers
        )
    assert "not valid (wrong or revoked)" in _assert_401(response, "invalid_token")
    assert not Vendor.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_revoked_token_is_401_saying_so(anonymous, alice_actor, alice_token, method):
    headers = {"Authorization": f"Bearer {alice_token}"}
    assert anonymous.get(READ, headers=headers).status_code == 200
    services.api_token_revoke(actor=alice_actor, token=ApiToken.objects.get())
    if method == "get":
        response = anonymous.get(READ, headers=headers)
    else:
        response = anonymous.post(
            WRITE[0], WRITE[1], content_type="application/json", headers=headers
        )
    assert "not valid (wrong or revoked)" in _assert_401(response, "invalid_token")
    assert not Vendor.objects.exists()


def test_a_token_of_someone_who_left_the_workspace_is_not_valid(
    anonymous, alice_token, alice_membership
):
    alice_membership.delete()
    response = anonymous.get(READ, headers={"Authorization": f"Bearer {alice_token}"})
    assert "not valid" in _assert_401(response, "invalid_token")


def test_a_valid_token_writes_without_csrf(anonymous, alice_token):
    response = anonymous.post(
        WRITE[0],
        WRITE[1],
        content_type="application/json",
        headers={"Authorization": f"Bearer {alice_token}"},
    )
    assert response.status_code == 201
    assert Vendor.objects.get().name == "Polymaker"


def test_last_used_is_recorded_at_most_once_a_minute(anonymous, alice_token):
    headers = {"Authorization": f"Bearer {alice_token}"}
    anonymous.get(READ, headers=headers)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    anonymous.get(READ, headers=headers)
    assert ApiToken.objects.get().last_used_at == first


def test_a_signed_in_session_reads_and_writes_with_its_csrf_token(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.get(READ).status_code == 200
    token = "a" * 32  # what a page's {% csrf_token %} cookie holds: a 32-character secret
    browser.cookies["csrftoken"] = token
    response = browser.post(
        WRITE[0], WRITE[1], content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201


def test_a_signed_in_session_write_without_csrf_is_403(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    response = browser.post(WRITE[0], WRITE[1], content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Vendor.objects.exists()
