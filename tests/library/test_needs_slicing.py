"""Unsliced files (an STL, a project 3MF) are marked "needs slicing" with their size and volume,
and a search card waiting for a rendered picture refreshes when it lands."""

import io
from types import SimpleNamespace

import pytest
from django.urls import reverse

from printops.library import render_tasks, services
from tests.library.test_design_extras import _tetra_stl

pytestmark = pytest.mark.django_db


@pytest.fixture
def deferred_render(monkeypatch):
    """Uploads enqueue their render into a list instead of running it; returns the real task."""
    real = render_tasks.render_version_thumbnail
    monkeypatch.setattr(
        render_tasks, "render_version_thumbnail", SimpleNamespace(enqueue=lambda **kw: None)
    )
    return real


def _upload_stl(actor, name="tetra.stl"):
    data = _tetra_stl()
    return services.version_upload(
        actor=actor,
        content=io.BytesIO(data),
        size_bytes=len(data),
        original_name=name,
        design_name="Tetra",
    )


def test_an_stl_needs_slicing_and_a_gcode_does_not(alice_actor, corpus_file, deferred_render):
    mesh = _upload_stl(alice_actor)
    data = corpus_file("prusaslicer/ps020801_mini_cube.gcode").read_bytes()
    sliced = services.version_upload(
        actor=alice_actor, content=io.BytesIO(data), size_bytes=len(data), original_name="c.gcode"
    )
    assert mesh.needs_slicing and not sliced.needs_slicing


def test_a_project_3mf_without_print_data_needs_slicing(alice_actor, corpus_file):
    data = corpus_file("prusaslicer/ps020904_shapebox_project.3mf").read_bytes()
    version = services.version_upload(
        actor=alice_actor, content=io.BytesIO(data), size_bytes=len(data), original_name="box.3mf"
    )
    assert version.file_format == "3mf" and version.needs_slicing


def test_the_version_page_says_needs_slicing_with_size_and_volume_and_offers_no_queue(
    alice_actor, alice_client, deferred_render
):
    version = _upload_stl(alice_actor)
    page = alice_client.get(reverse("library:version", args=[version.pk])).content.decode()
    assert "Needs slicing" in page
    assert "10 × 10 × 10 mm" in page and "0.17 cm³" in page
    assert "Queue…" not in page and "Slice it" in page
    section = reverse("production:version_section", args=[version.pk])
    assert "Queue…" not in alice_client.get(section).content.decode()


def test_queueing_an_unsliced_file_is_refused_with_the_reason(alice_actor, deferred_render):
    from printops.core.errors import InvalidInput
    from printops.production.services import print_job_queue

    version = _upload_stl(alice_actor)
    with pytest.raises(InvalidInput, match="needs slicing"):
        print_job_queue(actor=alice_actor, version=version)


def test_a_search_card_waits_for_the_rendered_picture_then_shows_it(
    alice_actor, alice_client, deferred_render
):
    version = _upload_stl(alice_actor)
    grid = alice_client.get(reverse("library:index")).content.decode()
    card_url = reverse("library:design_card_thumb", args=[version.variant.design_id])
    assert card_url in grid and "Drawing a picture" in grid
    waiting = alice_client.get(card_url).content.decode()
    assert "hx-trigger" in waiting and "thumbnail.png" not in waiting
    deferred_render.call(version_id=version.pk)
    landed = alice_client.get(card_url).content.decode()
    assert "thumbnail.png" in landed and "hx-trigger" not in landed
    # ... and the search row itself now names the picture, so a reload shows it too.
    grid = alice_client.get(reverse("library:index")).content.decode()
    assert reverse("library:thumbnail", args=[version.pk]) in grid


def test_a_card_stops_waiting_when_no_picture_can_be_drawn(
    alice_actor, alice_client, deferred_render
):
    from datetime import timedelta

    from django.utils import timezone

    from printops.library.models import VariantVersion

    version = _upload_stl(alice_actor)
    VariantVersion.objects.filter(pk=version.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    card_url = reverse("library:design_card_thumb", args=[version.variant.design_id])
    fragment = alice_client.get(card_url).content.decode()
    assert "no picture" in fragment and "hx-trigger" not in fragment
    assert card_url not in alice_client.get(reverse("library:index")).content.decode()


def test_another_workspaces_card_is_a_404(alice_actor, charlie_client, deferred_render):
    version = _upload_stl(alice_actor)
    card_url = reverse("library:design_card_thumb", args=[version.variant.design_id])
    assert charlie_client.get(card_url).status_code == 404


def test_the_design_page_marks_an_unsliced_version(alice_actor, alice_client, deferred_render):
    version = _upload_stl(alice_actor)
    page = alice_client.get(reverse("library:design", args=[version.variant.design_id]))
    assert b"needs slicing" in page.content
