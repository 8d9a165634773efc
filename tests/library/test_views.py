import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from printops.library import services
from printops.library.models import Design, VariantVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def mini_cube(alice_actor, corpus_file):
    data = corpus_file("prusaslicer/ps020801_mini_cube.gcode").read_bytes()
    return services.version_upload(
        actor=alice_actor,
        content=io.BytesIO(data),
        size_bytes=len(data),
        original_name="mini_cube.gcode",
        design_name="Cube",
        variant_name="Mini",
    )


@pytest.fixture
def bambu_cube(alice_actor, corpus_file, mini_cube):
    data = corpus_file("bambu_studio/bs020400_a1mini.gcode.3mf").read_bytes()
    return services.version_upload(
        actor=alice_actor,
        content=io.BytesIO(data),
        size_bytes=len(data),
        original_name="a1mini.gcode.3mf",
        variant=mini_cube.variant,
        change_note="A1 mini",
    )


def test_the_upload_page_offers_drop_and_choose(alice_client):
    response = alice_client.get(reverse("library:upload"))
    assert b"Drop sliced files" in response.content and b"upload.js" in response.content


def test_an_uploaded_file_answers_json_with_its_version(alice_client, corpus_file):
    data = corpus_file("prusaslicer/ps020801_mini_cube.gcode").read_bytes()
    response = alice_client.post(
        reverse("library:upload_file"),
        {
            "file": SimpleUploadedFile("dragon_large_PLA-red_v2.gcode", data),
            "relative_path": "Dragons/Large/dragon_large_PLA-red_v2.gcode",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["design"]["name"], body["variant"]["name"], body["number"]) == (
        "Dragon",
        "Large · PLA red",
        1,
    )


def test_an_upload_error_is_a_sentence(alice_client, mini_cube, corpus_file):
    data = corpus_file("prusaslicer/ps020801_mini_cube.gcode").read_bytes()
    response = alice_client.post(
        reverse("library:upload_file"), {"file": SimpleUploadedFile("again.gcode", data)}
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "This file is already in the library as Cube · Mini v1."


def test_regrouping_moves_a_version_and_removes_the_empty_design(alice_client, mini_cube):
    response = alice_client.post(
        reverse("library:version_move", args=[mini_cube.pk]),
        {"design_name": "Calibration cube", "variant_name": "20 mm"},
    )
    assert response.json()["design"]["name"] == "Calibration cube"
    assert not Design.objects.filter(name="Cube").exists()


def test_the_version_page_shows_key_parameters_and_settings(alice_client, bambu_cube):
    response = alice_client.get(reverse("library:version", args=[bambu_cube.pk]))
    content = response.content.decode()
    assert "Key parameters" in content and "Nozzle" in content and "All settings" in content
    assert "swatch" in content


def test_the_version_page_names_each_colour_as_the_materials_pages_do(alice_client, mini_cube):
    usage = mini_cube.filaments.first()
    usage.color_hex = "#2850E0"
    usage.save()
    content = alice_client.get(reverse("library:version", args=[mini_cube.pk])).content.decode()
    assert "Blue <code>#2850E0</code>" in content


def test_the_design_page_lists_variants_and_versions(alice_client, bambu_cube):
    response = alice_client.get(reverse("library:design", args=[bambu_cube.variant.design_id]))
    assert b"v2" in response.content and b"A1 mini" in response.content


def test_a_download_returns_the_exact_bytes_and_name(alice_client, mini_cube, corpus_file):
    response = alice_client.get(reverse("library:download", args=[mini_cube.pk]))
    assert (
        b"".join(response.streaming_content)
        == corpus_file("prusaslicer/ps020801_mini_cube.gcode").read_bytes()
    )
    assert 'filename="mini_cube.gcode"' in response["Content-Disposition"]


def test_a_thumbnail_is_a_png(alice_client, bambu_cube):
    response = alice_client.get(reverse("library:thumbnail", args=[bambu_cube.pk]))
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_compare_lists_changed_settings_and_deltas(alice_client, mini_cube, bambu_cube):
    response = alice_client.get(reverse("library:compare"), {"a": bambu_cube.pk, "b": mini_cube.pk})
    content = response.content.decode()
    assert "Cube · Mini v1 → Cube · Mini v2" in content and "Changed settings" in content


def test_a_correction_is_saved_from_the_page(alice_client, mini_cube):
    alice_client.post(
        reverse("library:version_correct", args=[mini_cube.pk]),
        {"field": "nozzle_diameter_mm", "value": "0.6"},
    )
    mini_cube.refresh_from_db()
    assert mini_cube.nozzle_diameter_mm == 0.6


def test_favourites_toggle(alice_client, mini_cube):
    url = reverse("library:favourite", args=[mini_cube.variant.design_id])
    assert b"Favourite" in alice_client.post(url, HTTP_HX_REQUEST="true").content
    assert b"Add to favourites" in alice_client.post(url, HTTP_HX_REQUEST="true").content


def test_an_operator_cannot_upload_from_the_page(bob_client, corpus_file):
    response = bob_client.post(
        reverse("library:upload_file"), {"file": SimpleUploadedFile("a.gcode", b"G1 X1\n")}
    )
    assert response.status_code == 403
    assert not VariantVersion.objects.exists()


@pytest.mark.parametrize("name", ["design", "version", "download", "thumbnail"])
def test_an_outsider_gets_404(charlie_client, bambu_cube, name):
    pk = bambu_cube.variant.design_id if name == "design" else bambu_cube.pk
    assert charlie_client.get(reverse(f"library:{name}", args=[pk])).status_code == 404


def test_an_outsider_cannot_move_or_correct(charlie_client, mini_cube):
    assert (
        charlie_client.post(
            reverse("library:version_move", args=[mini_cube.pk]),
            {"design_name": "x", "variant_name": "y"},
        ).status_code
        == 404
    )
    assert (
        charlie_client.get(
            reverse("library:compare"), {"a": mini_cube.pk, "b": mini_cube.pk}
        ).status_code
        == 404
    )


def test_an_empty_library_invites_an_upload(alice_client):
    response = alice_client.get(reverse("library:index"))
    assert b"Your library is empty" in response.content


def test_the_library_searches_and_filters(alice_client, bambu_cube):
    response = alice_client.get(reverse("library:index"), {"q": "cub"})
    assert b"Cube" in response.content and b"1 model" in response.content
    material = bambu_cube.filaments.first().material
    response = alice_client.get(reverse("library:index"), {"material": material, "view": "list"})
    assert b"Cube" in response.content and b"<table" in response.content
    response = alice_client.get(reverse("library:index"), {"q": "nothing-like-this"})
    assert b"Nothing matches" in response.content


def test_the_library_answers_htmx_with_results_only(alice_client, bambu_cube):
    response = alice_client.get(reverse("library:index"), {"q": "cube"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and b"Cube" in response.content


def test_recent_searches_are_remembered(alice_client, bambu_cube):
    alice_client.get(reverse("library:index"), {"q": "cube"})
    response = alice_client.get(reverse("library:index"))
    assert b'<option value="cube">' in response.content


def test_a_mesh_version_page_waits_for_its_picture(alice_client, alice_actor, monkeypatch):
    from types import SimpleNamespace

    from printops.library import render_tasks
    from tests.library.test_design_extras import _tetra_stl

    real_task = render_tasks.render_version_thumbnail
    monkeypatch.setattr(
        render_tasks, "render_version_thumbnail", SimpleNamespace(enqueue=lambda **kw: None)
    )
    data = _tetra_stl()
    version = services.version_upload(
        actor=alice_actor, content=io.BytesIO(data), size_bytes=len(data), original_name="tetra.stl"
    )
    page = alice_client.get(reverse("library:version", args=[version.pk]))
    assert b"Drawing a picture" in page.content
    real_task.call(version_id=version.pk)
    fragment = alice_client.get(reverse("library:version_thumb", args=[version.pk]))
    assert b"thumbnail.png" in fragment.content and b"hx-trigger" not in fragment.content


def test_the_version_page_lists_what_the_file_reading_warned_about(alice_actor, alice_client):
    from tests.thumbnail_files import gcode_with_thumbnails, png_bomb

    data = gcode_with_thumbnails(("20000x20000", png_bomb())).encode()
    version = services.version_upload(
        actor=alice_actor,
        content=io.BytesIO(data),
        size_bytes=len(data),
        original_name="bomb.gcode",
    )
    page = alice_client.get(reverse("library:version", args=[version.pk])).content.decode()
    assert "20000 × 20000 pixels" in page and "version-thumb" not in page
