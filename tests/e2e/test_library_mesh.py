"""An STL in the browser: the search card waits for its rendered picture and shows it when it
lands; the version page says "needs slicing" with size and volume and offers no Queue."""

import io
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from printops.library import render_tasks, services
from tests.e2e.test_library import _sign_in
from tests.library.test_design_extras import _tetra_stl

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_mesh_card_refreshes_when_its_picture_lands(
    live_server, new_page, alice, alice_actor, monkeypatch
):
    real_task = render_tasks.render_version_thumbnail
    monkeypatch.setattr(
        render_tasks, "render_version_thumbnail", SimpleNamespace(enqueue=lambda **kw: None)
    )
    data = _tetra_stl()
    version = services.version_upload(
        actor=alice_actor,
        content=io.BytesIO(data),
        size_bytes=len(data),
        original_name="tetra.stl",
        design_name="Tetra",
    )
    page = new_page()
    _sign_in(page, live_server.url, alice.email)
    page.goto(f"{live_server.url}/library/")
    tile = page.locator(".gallery .tile").first
    expect(tile).to_contain_text("Drawing a picture")
    real_task.call(version_id=version.pk)
    # The card asks every 2 s; it must swap only itself (not the results it sits in).
    expect(tile.locator("img")).to_be_visible(timeout=10_000)
    expect(page.locator(".gallery .tile")).to_have_count(1)

    page.goto(f"{live_server.url}/library/versions/{version.pk}/")
    expect(page.get_by_text("Needs slicing.", exact=True)).to_be_visible()
    expect(page.get_by_text("10 × 10 × 10 mm")).to_be_visible()
    expect(page.get_by_role("button", name="Queue…")).to_have_count(0)
