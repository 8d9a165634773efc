"""Security headers: Content-Security-Policy, Permissions-Policy, no caching of members' pages."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "printops"


def test_a_members_page_is_not_cached_and_allows_only_our_script(alice_client):
    response = alice_client.get("/dashboard/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src.strip() == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


def test_features_no_page_uses_are_switched_off(client):
    policy = client.get("/login/")["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_a_public_page_keeps_the_policy_but_not_no_store(client):
    response = client.get("/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "no-store" not in response.get("Cache-Control", "")


def test_static_files_and_api_answers_are_not_marked_no_store(alice_client):
    static = alice_client.get("/static/printops/app.js")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
    api = alice_client.get("/api/v1/accounts/me")
    assert api.status_code == 200 and "no-store" not in api.get("Cache-Control", "")


def test_an_htmx_fragment_for_a_member_is_not_cached_either(alice_client):
    response = alice_client.get("/dashboard/?part=live", headers={"HX-Request": "true"})
    assert "no-store" in response["Cache-Control"]


def test_signed_url_storage_is_allowed_for_images(settings):
    from printops.core.middleware import content_security_policy

    policy = content_security_policy(extra_origins=["https://files.example.com"])
    assert "img-src 'self' data: blob: https://files.example.com" in policy
    assert "script-src 'self';" in policy


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
HTMX_EVAL = re.compile(r"hx-on|hx-trigger=\"[^\"]*\[|js:")


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("templates/**/*.html")), ids=lambda path: path.name
)
def test_no_template_carries_script_the_policy_would_block(template):
    html = template.read_text()
    assert not INLINE_SCRIPT.search(html), "move the script into a static .js file"
    assert not INLINE_HANDLER.search(html), "use a data- attribute and a listener in app.js"
    assert not HTMX_EVAL.search(html), "htmx evaluates these with eval, which the CSP blocks"
