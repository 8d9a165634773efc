import json

import pytest
from django.test import Client

from printops.accounts import services
from printops.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_token(alice_actor) -> str:
    return services.api_token_create(actor=alice_actor, name="tests")[1]


@pytest.fixture
def api(alice_token) -> Client:
    return Client(headers={"Authorization": f"Bearer {alice_token}"})


def test_the_openapi_schema_is_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json()["info"]["title"] == "PrintOps API"


def test_a_bearer_token_identifies_user_and_workspace(api):
    body = api.get("/api/v1/accounts/me").json()
    assert (body["email"], body["role"], body["workspace"]["slug"]) == (
        "alice@example.com",
        "owner",
        "alice-prints",
    )


def test_no_or_a_wrong_token_is_401_with_a_sentence(client):
    for headers in ({}, {"Authorization": "Bearer po_nonsense"}, {"Authorization": "Basic x"}):
        response = client.get("/api/v1/accounts/me", headers=headers)
        assert response.status_code == 401
        assert "API token" in response.json()["detail"]


def test_a_signed_in_session_works_too(alice_client):
    assert alice_client.get("/api/v1/accounts/me").json()["email"] == "alice@example.com"


def test_a_session_write_needs_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        "/api/v1/accounts/tokens", {"name": "x"}, content_type="application/json"
    )
    assert response.status_code in {401, 403}
    assert not ApiToken.objects.exists()


def test_creating_a_token_returns_it_once(api):
    response = api.post(
        "/api/v1/accounts/tokens", {"name": "printer farm"}, content_type="application/json"
    )
    assert response.status_code == 201
    raw = response.json()["token"]
    listed = api.get("/api/v1/accounts/tokens").json()
    assert raw not in json.dumps(listed) and {t["name"] for t in listed} == {
        "tests",
        "printer farm",
    }


def test_malformed_json_is_a_4xx_with_a_sentence(api):
    response = api.post("/api/v1/accounts/tokens", "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500
    assert isinstance(response.json()["detail"], str)


def test_a_missing_field_names_the_field(api):
    response = api.post("/api/v1/accounts/tokens", {}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("name:")


def test_a_domain_error_keeps_its_sentence_and_status(api):
    response = api.post(
        "/api/v1/accounts/invitations",
        {"email": "nope", "role": "viewer"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json() == {"detail": "Enter a valid e-mail address."}


def test_an_operator_token_cannot_invite(bob_actor):
    raw = services.api_token_create(actor=bob_actor, name="t")[1]
    response = Client().post(
        "/api/v1/accounts/invitations",
        {"email": "x@example.com"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 403 and "Only owners" in response.json()["detail"]


def test_a_wrong_method_is_405_json(api):
    response = api.delete("/api/v1/accounts/me")
    assert response.status_code == 405
    assert response.json() == {"detail": "This address does not accept DELETE. Use GET."}


def test_an_oversized_body_is_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post(
        "/api/v1/accounts/tokens", {"name": "x" * 5000}, content_type="application/json"
    )
    assert response.status_code == 413 and "too large" in response.json()["detail"]


def test_an_unknown_api_path_is_404_json(api):
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json()["detail"]


def test_another_workspaces_token_is_404(api, charlie_membership):
    from printops.accounts.actor import Actor

    charlie_actor = Actor(user=charlie_membership.user, membership=charlie_membership)
    token, _ = services.api_token_create(actor=charlie_actor, name="c")
    response = api.post(f"/api/v1/accounts/tokens/{token.pk}/revoke")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_the_audit_trail_is_listed_with_filters(api):
    body = api.get("/api/v1/accounts/audit", {"verb": "api_token"}).json()
    assert body["total"] == 1 and body["items"][0]["verb"] == "api_token.created"
    assert api.get("/api/v1/accounts/audit", {"limit": 0}).status_code == 422


def test_an_invitation_can_be_made_and_revoked_through_the_api(api):
    created = api.post(
        "/api/v1/accounts/invitations", {"email": "d@example.com"}, content_type="application/json"
    ).json()
    assert "/invitations/" in created["link"] and created["status"] == "pending"
    response = api.post(f"/api/v1/accounts/invitations/{created['id']}/revoke")
    assert response.status_code == 204
